import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const { partner_attachment: attachment } = await unwrap(
  client.GET("/v2/partner_network_connect/attachments/{pa_id}", {
    params: { path: { pa_id: "4de7ac8b-495b-4884-9a69-1050c6793cd6" } },
  }),
);
console.log(attachment?.name, attachment?.state, attachment?.vpc_ids);
console.log("peer router", attachment?.bgp?.peer_router_ip);
