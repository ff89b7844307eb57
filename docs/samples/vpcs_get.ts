import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const { vpc } = await unwrap(
  client.GET("/v2/vpcs/{vpc_id}", {
    params: { path: { vpc_id: "4de7ac8b-495b-4884-9a69-1050c6793cd6" } },
  }),
);
console.log(vpc?.name, vpc?.ip_range, vpc?.default ? "(default)" : "");
