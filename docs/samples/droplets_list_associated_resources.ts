import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// What destroying the Droplet with its resources would remove, and the
// monthly cost of each.
const { volumes, snapshots, reserved_ips } =
  await client.droplets.listAssociatedResources(3164444);
for (const item of [...volumes, ...snapshots, ...reserved_ips]) {
  console.log(item.id, item.name, item.cost);
}
