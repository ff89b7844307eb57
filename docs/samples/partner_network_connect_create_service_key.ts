import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const attachmentId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

// Regeneration is asynchronous: getServiceKey() shows the new key.
await client.partnerNetworkConnect.createServiceKey(attachmentId);
const { service_key } =
  await client.partnerNetworkConnect.getServiceKey(attachmentId);
console.log(service_key.state);
