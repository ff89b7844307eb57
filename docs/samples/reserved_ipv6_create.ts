import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const { reserved_ipv6: address } = await client.reservedIpv6.create({
  region_slug: "nyc3",
});
console.log(`Reserved ${address.ip} in ${address.region_slug}`);
