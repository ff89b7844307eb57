// A first program: a VPC, two Droplets in it, the list, waiting for them, and the clean-up. What the API always
// sends is read as it is, with no `?.`, `!` or `in`. `npm test` runs it against the fake (test/tour.test.ts); with a
// real DIGITALOCEAN_TOKEN it runs two Droplets for a minute or two, which are billed.
import {
  createDigitalOceanClient,
  type DropletCreateMultiple,
  type VpcCreate,
  waitFor,
  waitForDropletActive,
} from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN (and DIGITALOCEAN_API_URL, if set)

const vpcBody = { name: "tour-net", region: "nyc3", ip_range: "10.42.0.0/24" } satisfies VpcCreate;
const { vpc } = await client.vpcs.create(vpcBody);
console.log(`VPC ${vpc.name} (${vpc.id}) in ${vpc.region}, ${vpc.ip_range}, created ${vpc.created_at}`);

const dropletsBody = {
  names: ["tour-1", "tour-2"],
  region: vpc.region,
  size: "s-1vcpu-1gb",
  image: "ubuntu-24-04-x64",
  vpc_uuid: vpc.id,
  tags: ["tour"],
} satisfies DropletCreateMultiple;
const { droplets } = await client.droplets.create(dropletsBody);
const tagged = await client.droplets.list({ tag_name: "tour" }).toArray();
console.log(`${tagged.length} Droplets tagged tour:`);
for (const d of tagged) console.log(`  ${d.id} ${d.name}: ${d.status}, ${d.size_slug} in ${d.region.name}`);

for (const { id } of droplets) {
  const ready = await waitForDropletActive(client, id, { intervalMs: 1_000 });
  for (const net of ready.networks.v4) console.log(`${ready.name} is ${ready.status}: ${net.type} ${net.ip_address}`);
}

await client.droplets.deleteByTag({ tag_name: "tour" });
if (vpc.default) console.log(`VPC ${vpc.name} is the first of ${vpc.region}, so its default, which stays.`);
else {
  // A VPC can be deleted once its Droplets are gone.
  await waitFor(() => client.vpcs.listMembers(vpc.id), {
    until: ({ members }) => members.length === 0,
    intervalMs: 1_000,
  });
  await client.vpcs.delete(vpc.id);
  console.log(`Deleted VPC ${vpc.name}.`);
}
