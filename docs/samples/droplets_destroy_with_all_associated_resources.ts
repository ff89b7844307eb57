import {
  createDigitalOceanClient,
  unwrap,
  waitForDropletDestroyed,
} from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Irreversible: the Droplet goes with ALL its volumes, snapshots and IPs.
await unwrap(
  client.DELETE("/v2/droplets/{droplet_id}/destroy_with_associated_resources/dangerous", {
    params: {
      path: { droplet_id: 3164444 },
      header: { "X-Dangerous": true },
    },
  }),
);
const status = await waitForDropletDestroyed(client, 3164444);
const failures = status.failures ?? 0;
console.log(`Done at ${status.completed_at} with ${failures} failures`);
