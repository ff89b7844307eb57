import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const vpcId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

// PATCH changes only the fields you send.
const { vpc } = await client.vpcs.patch(vpcId, {
  description: "VPC for production environment",
});
console.log(vpc.description);
