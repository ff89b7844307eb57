import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Deletes EVERY Droplet carrying the tag.
await unwrap(
  client.DELETE("/v2/droplets", {
    params: { query: { tag_name: "env:test" } },
  }),
);
console.log("Droplets tagged env:test are being deleted");
