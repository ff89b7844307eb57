import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const projectId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

const { project } = await client.projects.get(projectId);
console.log(project.name, project.purpose, project.environment);
