import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// After a destroy job that ended with failures (see …/status), try again.
await client.droplets.retryDestroyWithAssociatedResources(3164444);
console.log("Retry started; waitForDropletDestroyed() follows it");
