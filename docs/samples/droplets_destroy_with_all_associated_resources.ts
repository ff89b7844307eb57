import {
  createDigitalOceanClient,
  waitForDropletDestroyed,
} from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Irreversible: the Droplet goes with ALL its volumes, snapshots and IPs.
await client.droplets.destroyWithAllAssociatedResources(3164444, {
  "X-Dangerous": true,
});
const status = await waitForDropletDestroyed(client, 3164444);
const { completed_at, failures } = status;
console.log(`Done at ${completed_at} with ${failures} failures`);
