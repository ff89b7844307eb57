import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Peers the VPC in the path with the VPC in the body.
const { peering } = await unwrap(
  client.POST("/v2/vpcs/{vpc_id}/peerings", {
    params: { path: { vpc_id: "4de7ac8b-495b-4884-9a69-1050c6793cd6" } },
    body: {
      name: "nyc1-blr1-peering",
      vpc_id: "c140286f-e6ce-4131-8b7b-df4590ce8d6a",
    },
  }),
);
console.log(peering?.id, peering?.status); // PROVISIONING, then ACTIVE
