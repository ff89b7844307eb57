import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// After a destroy job that ended with failures (see …/status), try again.
await unwrap(
  client.POST("/v2/droplets/{droplet_id}/destroy_with_associated_resources/retry", {
    params: { path: { droplet_id: 3164444 } },
  }),
);
console.log("Retry started; waitForDropletDestroyed() follows it");
