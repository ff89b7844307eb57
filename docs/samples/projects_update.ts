import {
  createDigitalOceanClient,
  type ProjectUpdate,
} from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const projectId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

// PUT replaces every editable field.
const fields = {
  name: "my-web-api",
  description: "My website API",
  purpose: "Service or API",
  environment: "Production",
  is_default: false,
} satisfies ProjectUpdate;
const { project } = await client.projects.update(projectId, fields);
console.log(project.name, project.updated_at);
