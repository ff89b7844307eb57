import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const { service_key } = await unwrap(
  client.GET("/v2/partner_network_connect/attachments/{pa_id}/service_key", {
    params: { path: { pa_id: "4de7ac8b-495b-4884-9a69-1050c6793cd6" } },
  }),
);
// Enter the key in your network provider's portal to connect.
console.log(service_key?.state, service_key?.created_at);
