import { createDigitalOceanClient, paginate } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const backups = paginate(client, "/v2/droplets/{droplet_id}/backups", {
  params: { path: { droplet_id: 3164444 } },
});
for await (const backup of backups) {
  console.log(backup.id, backup.created_at, `${backup.size_gigabytes} GB`);
}
