import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// PATCH changes only the fields you send.
const { project } = await unwrap(
  client.PATCH("/v2/projects/default", { body: { environment: "Staging" } }),
);
console.log(project?.name, project?.environment);
