import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Deletes EVERY Droplet carrying the tag.
await client.droplets.deleteByTag({ tag_name: "env:test" });
console.log("Droplets tagged env:test are being deleted");
