import {
  createDigitalOceanClient,
  PreconditionFailedError,
} from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const projectId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

try {
  await client.projects.delete(projectId);
  console.log("Project deleted");
} catch (error) {
  // Only an empty project that is not the default can be deleted (412).
  if (!(error instanceof PreconditionFailedError)) throw error;
  console.log("Move or delete the project's resources first");
}
