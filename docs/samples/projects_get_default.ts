import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// New resources land in the default project unless you say otherwise.
const { project } = await client.projects.getDefault();
console.log(project.id, project.name);
