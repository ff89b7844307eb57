import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

await client.droplets.delete(3164444);
console.log("Droplet 3164444 deleted");
