import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Awaited, a list call gives its first page; iterated, every item, with
// the pages requested as you go.
const { meta } = await client.vpcs.list();
console.log(`${meta.total} VPCs`);
for await (const vpc of client.vpcs.list()) {
  console.log(vpc.id, vpc.name, vpc.region, vpc.ip_range);
}
