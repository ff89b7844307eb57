import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const ip = "2409:40d0:f7:1017:74b4:3a96:105e:4c6e";

// The address goes in the path as is: the client keeps the colons.
const { reserved_ipv6 } = await client.reservedIpv6.get(ip);
console.log(ip, "→", reserved_ipv6.droplet?.name ?? "unassigned");
