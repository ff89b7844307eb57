import { createDigitalOceanClient, paginate } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

for await (const address of paginate(client, "/v2/reserved_ipv6")) {
  const droplet = address.droplet?.name ?? "unassigned";
  console.log(address.ip, address.region_slug, droplet);
}
