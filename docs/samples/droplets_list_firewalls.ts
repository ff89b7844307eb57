import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

for await (const firewall of client.droplets.listFirewalls(3164444)) {
  const inbound = (firewall.inbound_rules ?? [])
    .map((rule) => `${rule.protocol}/${rule.ports}`)
    .join(", ");
  console.log(firewall.name, firewall.status, inbound);
}
