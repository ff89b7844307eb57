import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const vpcId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

// Peers the VPC in the path with the VPC in the body.
const { peering } = await client.vpcs.createPeering(vpcId, {
  name: "nyc1-blr1-peering",
  vpc_id: "c140286f-e6ce-4131-8b7b-df4590ce8d6a",
});
console.log(peering.id, peering.status); // PROVISIONING, then ACTIVE
