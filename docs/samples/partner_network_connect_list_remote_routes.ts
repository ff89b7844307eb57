import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const attachmentId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

const routes = client.partnerNetworkConnect.listRemoteRoutes(attachmentId);
for await (const route of routes) console.log(route.cidr);
