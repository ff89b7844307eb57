import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const vpcId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

// PUT replaces the editable fields: send all of them.
const { vpc } = await client.vpcs.update(vpcId, {
  name: "env.prod-vpc",
  description: "VPC for production environment",
  default: true,
});
console.log(vpc.name, vpc.default);
