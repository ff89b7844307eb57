// A first program: a VPC, two Droplets in it, the list, a wait, and the clean-up. What the API always sends is
// read as it is, with no `?.`, `!` or `in`. `npm test` runs it against the fake (test/tour.test.ts); with a real
// DIGITALOCEAN_TOKEN it runs two Droplets for a minute or two, which are billed.
import { createDigitalOceanClient, unwrap, waitFor, waitForDropletActive } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN (and DIGITALOCEAN_API_URL, if set)

const { vpc } = await unwrap(
  client.POST("/v2/vpcs", { body: { name: "tour-net", region: "nyc3", ip_range: "10.42.0.0/24" } }),
);
console.log(`VPC ${vpc.name} (${vpc.id}) in ${vpc.region}, ${vpc.ip_range}, created ${vpc.created_at}`);

await unwrap(
  client.POST("/v2/droplets", {
    body: {
      names: ["tour-1", "tour-2"],
      region: vpc.region,
      size: "s-1vcpu-1gb",
      image: "ubuntu-24-04-x64",
      vpc_uuid: vpc.id,
      tags: ["tour"],
    },
  }),
);
const { droplets, meta } = await unwrap(client.GET("/v2/droplets", { params: { query: { tag_name: "tour" } } }));
console.log(`${meta.total} Droplets tagged tour:`);
for (const d of droplets) console.log(`  ${d.id} ${d.name}: ${d.status}, ${d.size_slug} in ${d.region.name}`);

const [first] = droplets;
if (first === undefined) throw new Error("no Droplet tagged tour");
const ready = await waitForDropletActive(client, first.id, { intervalMs: 1_000 });
for (const net of ready.networks.v4) console.log(`${ready.name} is ${ready.status}: ${net.type} ${net.ip_address}`);

await unwrap(client.DELETE("/v2/droplets", { params: { query: { tag_name: "tour" } } }));
if (vpc.default) console.log(`VPC ${vpc.name} is the first of ${vpc.region}, so its default, which stays.`);
else {
  // A VPC can be deleted once its Droplets are gone.
  const path = { vpc_id: vpc.id };
  await waitFor(() => unwrap(client.GET("/v2/vpcs/{vpc_id}/members", { params: { path } })), {
    until: ({ members }) => members.length === 0,
    intervalMs: 1_000,
  });
  await unwrap(client.DELETE("/v2/vpcs/{vpc_id}", { params: { path } }));
  console.log(`Deleted VPC ${vpc.name}.`);
}
