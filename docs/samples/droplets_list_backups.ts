import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

for await (const backup of client.droplets.listBackups(3164444)) {
  console.log(backup.id, backup.created_at, `${backup.size_gigabytes} GB`);
}
