import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Pages are maps keyed by Droplet ID; iterating yields their records.
for await (const record of client.droplets.listBackupPolicies()) {
  const plan = record.backup_enabled ? record.backup_policy?.plan : "no";
  console.log(`Droplet ${record.droplet_id}: ${plan} backups`);
}
