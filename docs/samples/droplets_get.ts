import {
  createDigitalOceanClient,
  NotFoundError,
} from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

try {
  const { droplet } = await client.droplets.get(3164444);
  console.log(droplet.name, droplet.status, droplet.size_slug);
} catch (error) {
  // Every answer but a success throws an ApiError, by status a subclass.
  if (!(error instanceof NotFoundError)) throw error;
  console.log("No such Droplet");
}
