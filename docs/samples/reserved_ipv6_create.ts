import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const { reserved_ipv6: address } = await unwrap(
  client.POST("/v2/reserved_ipv6", { body: { region_slug: "nyc3" } }),
);
console.log(`Reserved ${address?.ip} in ${address?.region_slug}`);
