import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// PUT replaces the editable fields: send all of them.
const { vpc } = await unwrap(
  client.PUT("/v2/vpcs/{vpc_id}", {
    params: { path: { vpc_id: "4de7ac8b-495b-4884-9a69-1050c6793cd6" } },
    body: {
      name: "env.prod-vpc",
      description: "VPC for production environment",
      default: true,
    },
  }),
);
console.log(vpc?.name, vpc?.default);
