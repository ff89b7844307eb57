import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// `policies` is an object keyed by Droplet ID, so page through it by hand.
for (let page = 1; ; page++) {
  const { policies = {}, links } = await unwrap(
    client.GET("/v2/droplets/backups/policies", {
      params: { query: { page, per_page: 200 } },
    }),
  );
  for (const [dropletId, record] of Object.entries(policies)) {
    const plan = record.backup_enabled ? record.backup_policy?.plan : "no";
    console.log(`Droplet ${dropletId}: ${plan} backups`);
  }
  if (!links?.pages?.next) break;
}
