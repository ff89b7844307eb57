import { createDigitalOceanClient, paginate } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const routes = paginate(
  client,
  "/v2/partner_network_connect/attachments/{pa_id}/remote_routes",
  { params: { path: { pa_id: "4de7ac8b-495b-4884-9a69-1050c6793cd6" } } },
);
for await (const route of routes) console.log(route.cidr);
