import { createDigitalOceanClient, unwrap } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// New resources land in the default project unless you say otherwise.
const { project } = await unwrap(client.GET("/v2/projects/default"));
console.log(project?.id, project?.name);
