import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const status =
  await client.droplets.getDestroyAssociatedResourcesStatus(3164444);
if (!status.completed_at) console.log("still running");
else console.log(`done, ${status.failures} failures`);
for (const volume of status.resources.volumes) {
  console.log(volume.name, volume.destroyed_at ?? volume.error_message);
}
