import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Droplets that run on the same physical server.
const { droplets = [] } = await unwrap(
  client.GET("/v2/droplets/{droplet_id}/neighbors", {
    params: { path: { droplet_id: 3164444 } },
  }),
);
for (const droplet of droplets) console.log(droplet.id, droplet.name);
