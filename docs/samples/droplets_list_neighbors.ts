import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Droplets that run on the same physical server.
const { droplets } = await client.droplets.listNeighbors(3164444);
for (const droplet of droplets) console.log(droplet.id, droplet.name);
