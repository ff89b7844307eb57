import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const { project } = await client.projects.create({
  name: "my-web-api",
  description: "My website API",
  purpose: "Service or API",
  environment: "Production",
});
console.log(`Created project ${project.id}`);
