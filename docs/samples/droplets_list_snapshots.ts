import { createDigitalOceanClient, paginate } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const snapshots = paginate(client, "/v2/droplets/{droplet_id}/snapshots", {
  params: { path: { droplet_id: 3164444 } },
});
for await (const snapshot of snapshots) {
  console.log(snapshot.id, snapshot.name, snapshot.created_at);
}
