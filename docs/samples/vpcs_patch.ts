import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// PATCH changes only the fields you send.
const { vpc } = await unwrap(
  client.PATCH("/v2/vpcs/{vpc_id}", {
    params: { path: { vpc_id: "4de7ac8b-495b-4884-9a69-1050c6793cd6" } },
    body: { description: "VPC for production environment" },
  }),
);
console.log(vpc?.description);
