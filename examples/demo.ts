// `npm run demo`: a short tour of the client. With DIGITALOCEAN_TOKEN set it uses the real API (it creates, then
// deletes, one VPC, which costs nothing); without it, it starts the stateful fake (digitalocean-typed/testing)
// and also creates a Droplet, waits until it is active, lists it and deletes it.
// In your own code: import { … } from "digitalocean-typed"; and "digitalocean-typed/testing".
import {
  createDigitalOceanClient,
  type DropletCreateSingle,
  UnprocessableEntityError,
  type VpcCreate,
  waitForDropletActive,
} from "../src/index.js";
import { startFakeDigitalOcean } from "../src/testing/index.js";

const real = Boolean(process.env.DIGITALOCEAN_TOKEN);
const fake = real ? undefined : await startFakeDigitalOcean({ provisionMs: 1_500 });
console.log(
  fake
    ? `DIGITALOCEAN_TOKEN is not set, so this runs against the local fake at ${fake.url} (stateful, every answer checked against the spec).`
    : "DIGITALOCEAN_TOKEN is set: this runs against the real DigitalOcean API.",
);
// On the fake, its own token; otherwise the client reads DIGITALOCEAN_TOKEN itself.
const client = createDigitalOceanClient(fake ? { baseUrl: fake.url, token: fake.token } : {});

try {
  // 1. Create a VPC. With `satisfies`, a misspelt or missing field of the body does not compile.
  const vpcBody = {
    name: `demo-${Date.now()}`,
    region: "nyc1",
    description: "Created by npm run demo",
  } satisfies VpcCreate;
  const { vpc } = await client.vpcs.create(vpcBody);
  console.log(`\nCreated VPC ${vpc.name} (${vpc.id}) in ${vpc.region}, IP range ${vpc.ip_range}.`);

  // 2. Create a Droplet in it and wait until it is active. Only on the fake: a real Droplet is billed.
  let dropletId: number | undefined;
  if (fake) {
    const dropletBody = {
      name: "demo-web-1",
      region: "nyc1",
      size: "s-1vcpu-1gb",
      image: "ubuntu-24-04-x64",
      vpc_uuid: vpc.id,
      tags: ["demo"],
    } satisfies DropletCreateSingle;
    const { droplet } = await client.droplets.create(dropletBody);
    dropletId = droplet.id;
    console.log(`Created Droplet ${droplet.name} (${droplet.id}): ${droplet.status}. Waiting until it is active…`);
    const active = await waitForDropletActive(client, droplet.id, { intervalMs: 250 });
    const ip = (type: string) => active.networks.v4.find((n) => n.type === type)?.ip_address;
    console.log(
      `Droplet ${active.name} is ${active.status}: private IP ${ip("private")} (inside ${vpc.ip_range}), public IP ${ip("public")}.`,
    );
  }

  // 3. List Droplets: a list call follows the pages for us (here: at most 10 Droplets).
  console.log("\nDroplets:");
  for (const droplet of await client.droplets.list().toArray({ limit: 10 })) {
    console.log(`  ${droplet.id}  ${droplet.name}  ${droplet.status}  ${droplet.region.slug}`);
  }

  // 4. Every response reports the rate limit; the client keeps the latest.
  const limit = client.rateLimit;
  if (limit)
    console.log(
      `\nRate limit: ${limit.remaining} of ${limit.limit} requests left; the oldest frees up at ${limit.reset.toISOString()}.`,
    );

  // 5. Errors: the API rejects this name (spaces and "!" are not allowed); the call throws the error of its status.
  try {
    await client.vpcs.create({ name: "not a valid name!", region: "nyc1" });
    console.log("\nUnexpected: the invalid VPC name was accepted.");
  } catch (error) {
    if (!(error instanceof UnprocessableEntityError)) throw error;
    console.log(`\nThe API said no, as expected: ${error.name} ${error.status} (${error.id}): ${error.body.message}`);
  }

  // 6. Clean up. A region's default VPC (its first) cannot be deleted, so the API may keep the VPC: path style
  // (openapi-fetch's { data, error }) branches on the answer without a try.
  if (dropletId !== undefined) {
    await client.droplets.delete(dropletId);
    console.log(`\nDeleted Droplet ${dropletId}; Droplets left: ${(await client.droplets.list()).meta.total}.`);
  }
  const { error } = await client.DELETE("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: vpc.id } } });
  console.log(error ? `Kept VPC ${vpc.name}: ${error.message}` : `Deleted VPC ${vpc.name}.`);
} finally {
  await fake?.close();
}
