import { createDigitalOceanClient, paginate } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const attachments = paginate(
  client,
  "/v2/partner_network_connect/attachments",
);
for await (const attachment of attachments) {
  const mbps = attachment.connection_bandwidth_in_mbps;
  console.log(attachment.name, attachment.state, `${mbps} Mbps`);
}
