import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const vpcId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

const members = client.vpcs.listMembers(vpcId, {
  resource_type: "droplet", // optional filter
});
for await (const member of members) {
  console.log(member.urn, member.name);
}
