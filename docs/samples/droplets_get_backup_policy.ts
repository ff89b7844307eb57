import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const { policy } = await client.droplets.getBackupPolicy(3164444);
if (policy.backup_enabled) {
  const { plan, weekday, hour } = policy.backup_policy ?? {};
  console.log(`${plan} backups on ${weekday} at ${hour}:00 UTC`);
  console.log("next window starts", policy.next_backup_window?.start);
}
