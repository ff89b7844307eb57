import { createDigitalOceanClient, paginate } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN

// paginate() follows the pages for you, 200 VPCs per request.
for await (const vpc of paginate(client, "/v2/vpcs")) {
  console.log(vpc.id, vpc.name, vpc.region, vpc.ip_range);
}
