import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const attachmentId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

const { partner_attachment: attachment } =
  await client.partnerNetworkConnect.get(attachmentId);
console.log(attachment.name, attachment.state, attachment.vpc_ids);
console.log("peer router", attachment.bgp?.peer_router_ip);
