import { collect, createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// collect() gathers every page into one array.
const peerings = await collect(client, "/v2/vpcs/{vpc_id}/peerings", {
  params: { path: { vpc_id: "4de7ac8b-495b-4884-9a69-1050c6793cd6" } },
});
for (const peering of peerings) {
  console.log(peering.name, peering.status, peering.vpc_ids);
}
