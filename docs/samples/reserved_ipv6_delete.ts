import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const ip = "2409:40d0:f7:1017:74b4:3a96:105e:4c6e";

// Unassign the address from its Droplet first: only free ones can go.
await client.reservedIpv6.delete(ip);
console.log(`Released ${ip}`);
