import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const ip = "2409:40d0:f7:1017:74b4:3a96:105e:4c6e";

// Unassign the address from its Droplet first: only free ones can go.
await unwrap(
  client.DELETE("/v2/reserved_ipv6/{reserved_ipv6}", {
    params: { path: { reserved_ipv6: ip } },
  }),
);
console.log(`Released ${ip}`);
