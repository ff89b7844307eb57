import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Each group lists IDs of your Droplets that share one physical server.
const { neighbor_ids = [] } = await unwrap(
  client.GET("/v2/reports/droplet_neighbors_ids"),
);
for (const group of neighbor_ids) console.log(group.join(" ↔ "));
