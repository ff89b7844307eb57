import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// PATCH changes only the fields you send.
const { project } = await client.projects.patchDefault({
  environment: "Staging",
});
console.log(project.name, project.environment);
