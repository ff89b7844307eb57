import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const attachmentId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

const { service_key } =
  await client.partnerNetworkConnect.getServiceKey(attachmentId);
// Enter the key in your network provider's portal to connect.
console.log(service_key.state, service_key.created_at);
