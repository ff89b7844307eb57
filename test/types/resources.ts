// Type tests for the resource methods: natural calls compile with exact types, misuse does not.
// Checked by `tsc --noEmit` (npm run typecheck, part of npm test); never executed.
import {
  createDigitalOceanClient,
  OPERATIONS,
  type Contracts,
  type DropletCreate,
  type OperationId,
  type OperationRow,
  type Schema,
  type VpcCreate,
} from "../../src/index.js";
import { expectType, type Equal } from "./assert.js";

OPERATIONS satisfies Record<OperationId, OperationRow>;

const client = createDigitalOceanClient({
  token: "dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
});
const DROPLET = { region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" } as const;

export async function calls() {
  const { droplet } = await client.droplets.get(3164444);
  expectType<Equal<NonNullable<typeof droplet>, Schema<"Droplet">>>(true);
  // Options come right after the path ids when there are no fields; after the fields otherwise.
  await client.droplets.get(3164444, { timeoutMs: 5_000, retry: false, headers: { "x-trace": "1" } });
  await client.droplets.list({ tag_name: "web" }, { signal: AbortSignal.timeout(1_000), concurrency: 4 });
  await client.vpcs.patchPeering("vpc-id", "peering-id", { name: "renamed" });
  await client.partnerNetworkConnect.getBgpAuthKey("pa-id");
  await client.droplets.destroyWithAllAssociatedResources(1, { "X-Dangerous": true });
  expectType<Equal<Awaited<ReturnType<typeof client.droplets.delete>>, undefined>>(true);

  // Single and multiple creates are typed apart.
  const one = await client.droplets.create({ ...DROPLET, name: "web-1" });
  expectType<Equal<typeof one.droplet, Schema<"Droplet">>>(true);
  const many = await client.droplets.create({ ...DROPLET, names: ["web-1", "web-2"] });
  expectType<Equal<typeof many.droplets, Schema<"Droplet">[]>>(true);
  const either = { ...DROPLET, name: "web-1" } as DropletCreate;
  const created = await client.droplets.create(either);
  expectType<Equal<typeof created, Contracts["droplets_create"]["success"]>>(true);

  // A list: awaited, its first page; iterated, its items; collected, an array of them.
  const page = await client.vpcs.list({ per_page: 50 });
  expectType<Equal<typeof page.meta.total, number>>(true);
  for await (const vpc of client.vpcs.list()) expectType<Equal<typeof vpc, Schema<"Vpc">>>(true);
  const members = await client.vpcs.listMembers("vpc-id").toArray({ limit: 10 });
  expectType<Equal<(typeof members)[number], Schema<"VpcMember">>>(true);
  const { response } = await client.projects.getDefault().withResponse();
  expectType<Equal<typeof response, Response>>(true);
}

export async function misuse() {
  // @ts-expect-error a misspelt field, inline
  await client.droplets.create({ ...DROPLET, name: "web-1", regoin: "sfo3" });
  // @ts-expect-error a misspelt field, in a variable typed with satisfies
  const body = { name: "net", region: "nyc3", regoin: "sfo3" } satisfies VpcCreate;
  await client.vpcs.create(body);
  // @ts-expect-error the Droplet id is missing
  await client.droplets.get();
  // @ts-expect-error the second path id is missing
  await client.vpcs.patchPeering("vpc-id", { name: "renamed" });
  // @ts-expect-error a Droplet id is a number
  await client.droplets.get("3164444");
  // @ts-expect-error no such method
  await client.droplets.fetch(3164444);
  // @ts-expect-error no such resource
  await client.droplet.get(3164444);
  // @ts-expect-error tag_name is required to delete by tag
  await client.droplets.deleteByTag({});
  // @ts-expect-error an option the call does not take
  await client.droplets.get(3164444, { timeout: 5 });
  // @ts-expect-error concurrency is for lists
  await client.droplets.get(3164444, { concurrency: 2 });
}
