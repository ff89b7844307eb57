import { createDigitalOceanClient, paginate } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const firewalls = paginate(client, "/v2/droplets/{droplet_id}/firewalls", {
  params: { path: { droplet_id: 3164444 } },
});
for await (const firewall of firewalls) {
  const inbound = (firewall.inbound_rules ?? [])
    .map((rule) => `${rule.protocol}/${rule.ports}`)
    .join(", ");
  console.log(firewall.name, firewall.status, inbound);
}
