import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Each group lists IDs of your Droplets that share one physical server.
const { neighbor_ids } = await client.droplets.listNeighborsIds();
for (const group of neighbor_ids) console.log(group.join(" ↔ "));
