import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Every Droplet tagged env:prod; pages are requested as you iterate.
const droplets = client.droplets.list({ tag_name: "env:prod" });
for await (const droplet of droplets) {
  const v4 = droplet.networks.v4;
  const ip = v4.find((network) => network.type === "public")?.ip_address;
  console.log(droplet.id, droplet.name, droplet.status, ip);
}
