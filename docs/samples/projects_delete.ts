import {
  createDigitalOceanClient,
  isApiError,
  unwrap,
} from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const projectId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

try {
  await unwrap(
    client.DELETE("/v2/projects/{project_id}", {
      params: { path: { project_id: projectId } },
    }),
  );
  console.log("Project deleted");
} catch (error) {
  // Only an empty project that is not the default can be deleted.
  if (isApiError(error) && error.status === 412) {
    console.log("Move or delete the project's resources first");
  } else throw error;
}
