import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
const vpcId = "4de7ac8b-495b-4884-9a69-1050c6793cd6";

const { vpc } = await client.vpcs.get(vpcId);
console.log(vpc.name, vpc.ip_range, vpc.default ? "(default)" : "");
