import {
  createDigitalOceanClient,
  type PartnerAttachmentCreate,
} from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const attachment = {
  name: "env.prod-partner-network-connect",
  connection_bandwidth_in_mbps: 1000,
  region: "nyc",
  naas_provider: "megaport",
  vpc_ids: ["c140286f-e6ce-4131-8b7b-df4590ce8d6a"],
  bgp: {
    local_router_ip: "169.254.0.1/29",
    peer_router_ip: "169.254.0.6/29",
    peer_router_asn: 64532,
    auth_key: process.env.BGP_AUTH_KEY ?? "",
  },
} satisfies PartnerAttachmentCreate;

const { partner_attachment } =
  await client.partnerNetworkConnect.create(attachment);
// Provisioning takes a while: waitForPartnerAttachmentActive() waits.
console.log(partner_attachment.id, partner_attachment.state);
