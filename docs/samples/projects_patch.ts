import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const projectId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

// PATCH changes only the fields you send: make it the default project.
const { project } = await client.projects.patch(projectId, {
  is_default: true,
});
console.log(project.name, project.is_default);
