import {
  createDigitalOceanClient,
  type VpcCreate,
} from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

const fields = {
  name: "env.prod-vpc",
  region: "nyc1",
  ip_range: "10.10.10.0/24",
  description: "VPC for production environment",
} satisfies VpcCreate;
const { vpc } = await client.vpcs.create(fields);
console.log(`Created VPC ${vpc.id} (${vpc.urn})`);
