import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Destroys the Droplet plus only the resources listed; the rest is kept.
await client.droplets.destroyWithSelectedAssociatedResources(3164444, {
  volumes: ["ba49449a-7435-11ea-b89e-0a58ac14480f"],
  snapshots: ["61486916"],
  reserved_ips: ["6186916"],
});
console.log("Destroy started; waitForDropletDestroyed() follows it");
