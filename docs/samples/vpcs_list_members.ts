import { createDigitalOceanClient, paginate } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const members = paginate(client, "/v2/vpcs/{vpc_id}/members", {
  params: {
    path: { vpc_id: "4de7ac8b-495b-4884-9a69-1050c6793cd6" },
    query: { resource_type: "droplet" }, // optional filter
  },
});
for await (const member of members) {
  console.log(member.urn, member.name);
}
