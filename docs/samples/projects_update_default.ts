import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// PUT replaces every editable field.
const { project } = await client.projects.updateDefault({
  name: "my-web-api",
  description: "My website API",
  purpose: "Service or API",
  environment: "Production",
  is_default: true,
});
console.log(project.name, project.updated_at);
