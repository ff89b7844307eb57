import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const vpcId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

// toArray() gathers every page's items; limit stops after that many.
const peerings = await client.vpcs
  .listPeerings(vpcId)
  .toArray({ limit: 50 });
for (const peering of peerings) {
  console.log(peering.name, peering.status, peering.vpc_ids);
}
