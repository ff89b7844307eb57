import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const attachmentId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

const { partner_attachment } =
  await client.partnerNetworkConnect.delete(attachmentId);
console.log(partner_attachment.state); // DELETING
