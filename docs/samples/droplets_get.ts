import {
  createDigitalOceanClient,
  isApiError,
  unwrap,
} from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

try {
  const { droplet } = await unwrap(
    client.GET("/v2/droplets/{droplet_id}", {
      params: { path: { droplet_id: 3164444 } },
    }),
  );
  console.log(droplet?.name, droplet?.status, droplet?.size_slug);
} catch (error) {
  // unwrap() throws an ApiError for every non-2xx answer.
  if (!isApiError(error) || error.status !== 404) throw error;
  console.log("No such Droplet");
}
