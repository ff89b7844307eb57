import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

for await (const snapshot of client.droplets.listSnapshots(3164444)) {
  console.log(snapshot.id, snapshot.name, snapshot.created_at);
}
