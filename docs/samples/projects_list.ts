import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

for await (const project of client.projects.list()) {
  const flag = project.is_default ? "(default)" : "";
  console.log(project.id, project.name, project.environment, flag);
}
