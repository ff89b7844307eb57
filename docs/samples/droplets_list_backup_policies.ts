import { createDigitalOceanClient, paginate } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Pages are maps keyed by Droplet ID; paginate yields their records.
const path = "/v2/droplets/backups/policies";
for await (const record of paginate(client, path)) {
  const plan = record.backup_enabled ? record.backup_policy?.plan : "no";
  console.log(`Droplet ${record.droplet_id}: ${plan} backups`);
}
