import { collect, createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const kernels = await collect(client, "/v2/droplets/{droplet_id}/kernels", {
  params: { path: { droplet_id: 3164444 } },
});
console.log(`${kernels.length} kernels, e.g. ${kernels[0]?.name}`);
