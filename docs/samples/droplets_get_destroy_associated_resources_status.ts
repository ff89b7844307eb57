import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const status = await unwrap(
  client.GET("/v2/droplets/{droplet_id}/destroy_with_associated_resources/status", {
    params: { path: { droplet_id: 3164444 } },
  }),
);
if (!status.completed_at) console.log("still running");
else console.log(`done, ${status.failures ?? 0} failures`);
for (const volume of status.resources?.volumes ?? []) {
  console.log(volume.name, volume.destroyed_at ?? volume.error_message);
}
