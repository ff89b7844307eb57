import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const { partner_attachment } = await unwrap(
  client.DELETE("/v2/partner_network_connect/attachments/{pa_id}", {
    params: { path: { pa_id: "4de7ac8b-495b-4884-9a69-1050c6793cd6" } },
  }),
);
console.log(partner_attachment?.state); // DELETING
