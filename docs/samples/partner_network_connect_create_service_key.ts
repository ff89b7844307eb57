import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const params = { path: { pa_id: "4de7ac8b-495b-4884-9a69-1050c6793cd6" } };

// Regeneration is asynchronous: GET …/service_key shows the new key.
await unwrap(
  client.POST("/v2/partner_network_connect/attachments/{pa_id}/service_key", {
    params,
  }),
);
const { service_key } = await unwrap(
  client.GET("/v2/partner_network_connect/attachments/{pa_id}/service_key", {
    params,
  }),
);
console.log(service_key?.state);
