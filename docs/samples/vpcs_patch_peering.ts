import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const { peering } = await unwrap(
  client.PATCH("/v2/vpcs/{vpc_id}/peerings/{vpc_peering_id}", {
    params: {
      path: {
        vpc_id: "4de7ac8b-495b-4884-9a69-1050c6793cd6",
        vpc_peering_id: "5a4981aa-9653-4bd1-bef5-d6bff52042e4",
      },
    },
    body: { name: "nyc1-blr1-peering" },
  }),
);
console.log(peering?.name);
