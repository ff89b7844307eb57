import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

await unwrap(
  client.DELETE("/v2/droplets/{droplet_id}", {
    params: { path: { droplet_id: 3164444 } },
  }),
);
console.log("Droplet 3164444 deleted");
