import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

for await (const address of client.reservedIpv6.list()) {
  const droplet = address.droplet?.name ?? "unassigned";
  console.log(address.ip, address.region_slug, droplet);
}
