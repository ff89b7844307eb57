// `npm run demo`: a short tour of the client. With DIGITALOCEAN_TOKEN set it uses the real API (and creates,
// then deletes, one VPC); without it, it starts the local Prism mock of the spec and runs against that.
import { startMock } from "../scripts/mock.js";
// In your own code: import { … } from "digitalocean-typed";
import { createDigitalOceanClient, isApiError, paginate, unwrap } from "../src/index.js";

const real = Boolean(process.env.DIGITALOCEAN_TOKEN);
const mock = real ? undefined : await startMock();
console.log(
  mock
    ? `DIGITALOCEAN_TOKEN is not set, so this runs against the local mock at ${mock.url} (it answers with the spec's examples).`
    : "DIGITALOCEAN_TOKEN is set: this runs against the real DigitalOcean API.",
);
// Against the mock any well-formed token will do; otherwise the client reads DIGITALOCEAN_TOKEN itself.
const client = createDigitalOceanClient(mock ? { baseUrl: mock.url, token: `dop_v1_${"0".repeat(64)}` } : {});

try {
  // 1. List Droplets: paginate follows the pages for us (here: at most 10 Droplets).
  console.log("\nDroplets:");
  for await (const droplet of paginate(client, "/v2/droplets", undefined, { maxItems: 10 })) {
    console.log(`  ${droplet.id}  ${droplet.name}  ${droplet.status}  ${droplet.region?.slug}`);
  }

  // 2. Create a VPC. The body is type-checked: a misspelt or missing field does not compile.
  const { vpc } = await unwrap(
    client.POST("/v2/vpcs", { body: { name: `demo-${Date.now()}`, region: "nyc1", description: "Created by npm run demo" } }),
  );
  console.log(`\nCreated VPC ${vpc?.name} (${vpc?.id}) in ${vpc?.region}, IP range ${vpc?.ip_range}.`);
  if (real && vpc?.id) {
    await unwrap(client.DELETE("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: vpc.id } } }));
    console.log("Deleted it again.");
  }

  // 3. Every response reports the rate limit; the client keeps the latest.
  const limit = client.rateLimit;
  if (limit) console.log(`\nRate limit: ${limit.remaining} of ${limit.limit} requests left; the oldest frees up at ${limit.reset.toISOString()}.`);

  // 4. Errors: the API rejects this name (spaces and "!" are not allowed) and unwrap throws an ApiError.
  try {
    await unwrap(client.POST("/v2/vpcs", { body: { name: "not a valid name!", region: "nyc1" } }));
    console.log("\nUnexpected: the invalid VPC name was accepted.");
  } catch (error) {
    if (!isApiError(error)) throw error;
    console.log(`\nThe API said no, as expected: ApiError ${error.status} (${error.id}): ${error.body.message}`);
  }
} finally {
  await mock?.stop();
}
