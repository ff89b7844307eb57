import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const vpcId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";
const peeringId = "5a4981aa-9653-4bd1-bef5-d6bff52042e4";

const { peering } = await client.vpcs.patchPeering(vpcId, peeringId, {
  name: "nyc1-blr1-peering",
});
console.log(peering.name);
