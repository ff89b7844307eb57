import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// What destroying the Droplet with its resources would remove, and the
// monthly cost of each.
const resources = await unwrap(
  client.GET("/v2/droplets/{droplet_id}/destroy_with_associated_resources", {
    params: { path: { droplet_id: 3164444 } },
  }),
);
const { volumes = [], snapshots = [], reserved_ips = [] } = resources;
for (const item of [...volumes, ...snapshots, ...reserved_ips]) {
  console.log(item.id, item.name, item.cost);
}
