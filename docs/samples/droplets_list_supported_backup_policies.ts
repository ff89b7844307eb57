import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const { supported_policies } =
  await client.droplets.listSupportedBackupPolicies();
for (const policy of supported_policies) {
  const days = policy.retention_period_days;
  console.log(`${policy.name}: kept ${days} days`, policy.possible_days);
}
