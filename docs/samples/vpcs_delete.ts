import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// Only an empty VPC that is not its region's default can be deleted.
await client.vpcs.delete("4de7ac8b-495b-4884-9a69-1050c6793cd6");
console.log("VPC deleted");
