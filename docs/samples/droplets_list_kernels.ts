import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// toArray() gathers the items of every page into one array.
const kernels = await client.droplets.listKernels(3164444).toArray();
console.log(`${kernels.length} kernels, e.g. ${kernels[0]?.name}`);
