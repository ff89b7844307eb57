import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

for await (const attachment of client.partnerNetworkConnect.list()) {
  const mbps = attachment.connection_bandwidth_in_mbps;
  console.log(attachment.name, attachment.state, `${mbps} Mbps`);
}
