import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const { vpc } = await unwrap(
  client.POST("/v2/vpcs", {
    body: {
      name: "env.prod-vpc",
      region: "nyc1",
      ip_range: "10.10.10.0/24",
      description: "VPC for production environment",
    },
  }),
);
console.log(`Created VPC ${vpc?.id} (${vpc?.urn})`);
