// dots-wrapper, a popular TypeScript client this project did not write, against the fake: every operation it
// supports among the spec's, with state checks (a create shows up in the list, a delete is gone, a default moves).
// Which operations those are is found out, not listed: every one of its methods is called once against a fake that
// refuses the token, so nothing changes, and the fake records the operation each request matched. Every exchange
// of the tests goes through a recording proxy and is checked against the spec as recorded traffic is (checkHar):
// what dots-wrapper sends and what the fake answers must not break it. Time moves by the fake's clock, so nothing
// waits.
import { isAxiosError } from "axios";
import { createApiClient } from "dots-wrapper";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkHar } from "../src/conformance/har.js";
import { isFailure } from "../src/conformance/index.js";
import { startFakeDigitalOcean, type FakeDigitalOcean } from "../src/testing/index.js";
import { startRecorder } from "./helpers/recorder.js";

type Dots = ReturnType<typeof createApiClient>;
type Method = (args: object) => Promise<unknown>;

/** The status of a refused call, from axios's error. */
async function refusal(call: Promise<unknown>): Promise<{ status?: number }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAxiosError(error)) throw new Error(`expected the API to refuse the call, got ${String(error)}`);
  return { status: error.response?.status };
}

/** `"droplet.getDroplet"` → the spec's operationId its request matched, for every method that matches one. */
const supported = new Map<string, string>();
/** operationId → statuses of the fake's answers to dots-wrapper in the tests below. */
const exercised = new Map<string, Set<number>>();
/** Fields the spec does not describe in the exchanges of the tests below: `"POST /v2/vpcs request /default"`. */
const undocumented = new Set<string>();

beforeAll(async () => {
  const fake = await startFakeDigitalOcean();
  const dots = createApiClient({ endpoint: `${fake.url}/v2`, token: "dop_v1_not-the-token" });
  for (const [group, methods] of Object.entries(dots)) {
    if (group === "_options") continue;
    for (const [name, method] of Object.entries(methods as Record<string, Method>)) {
      const before = fake.requests.length;
      // A method that needs arguments to build its request throws before sending; it sends none of the spec's.
      await Promise.resolve({})
        .then(method)
        .catch(() => {});
      const matched = fake.requests.slice(before).find((r) => r.operationId);
      if (matched) supported.set(`${group}.${name}`, matched.operationId!);
      for (const r of fake.requests.slice(before))
        expect(r.status, `${r.method} ${r.path}`).toBeGreaterThanOrEqual(400);
    }
  }
  await fake.close();
}, 60_000);

let fake: FakeDigitalOcean;
let recorder: Awaited<ReturnType<typeof startRecorder>>;
let dots: Dots;
let now: number;

const start = async () => {
  now = Date.parse("2026-01-05T10:00:00Z");
  fake = await startFakeDigitalOcean({ provisionMs: 1_000, clock: () => now });
  recorder = await startRecorder(fake.url);
  dots = createApiClient({ endpoint: `${recorder.url}/v2`, token: fake.token });
};
afterEach(async () => {
  for (const r of fake.requests)
    if (r.operationId)
      (exercised.get(r.operationId) ?? exercised.set(r.operationId, new Set()).get(r.operationId)!).add(r.status);
  expect(fake.problems).toEqual([]);
  const { entries, problems } = checkHar([recorder.har], fake.url);
  expect(entries).toBe(fake.requests.length);
  expect(problems.filter(isFailure)).toEqual([]);
  for (const p of problems) undocumented.add(`${p.operation} ${p.in} ${p.pattern}`);
  await recorder.close();
  await fake.close();
});

// Each test sends a few dozen requests through the proxy and the fake: seconds on a loaded machine, not 5.
describe("dots-wrapper against the fake", { timeout: 60_000 }, () => {
  it("projects: a create is listed, PATCH and PUT change it, the default moves, a delete is gone", async () => {
    await start();
    const { data: listed } = await dots.project.listProjects({});
    const first = listed.projects.find((p) => p.is_default)!;
    expect((await dots.project.getDefaultProject()).data.project.id).toBe(first.id);

    const { data: created, status } = await dots.project.createProject({
      name: "shop",
      description: "the web shop",
      purpose: "Web Application",
      environment: "Production",
    });
    expect(status).toBe(201);
    const id = created.project.id;
    expect((await dots.project.listProjects({})).data.projects.map((p) => p.id)).toContain(id);
    expect((await dots.project.getProject({ project_id: id })).data.project).toMatchObject({ name: "shop" });

    await dots.project.patchProject({ project_id: id, name: "store" });
    expect((await dots.project.getProject({ project_id: id })).data.project).toMatchObject({
      name: "store",
      description: "the web shop",
    });
    await dots.project.updateProject({
      project_id: id,
      name: "store",
      description: "all of it",
      purpose: "Web Application",
      environment: "Staging",
      is_default: false,
    });
    expect((await dots.project.getProject({ project_id: id })).data.project).toMatchObject({
      description: "all of it",
      environment: "Staging",
    });

    await dots.project.patchProject({ project_id: id, is_default: true });
    expect((await dots.project.getDefaultProject()).data.project.id).toBe(id);
    expect((await dots.project.getProject({ project_id: first.id })).data.project.is_default).toBe(false);
    await dots.project.patchDefaultProject({ description: "patched through default" });
    expect((await dots.project.getProject({ project_id: id })).data.project.description).toBe(
      "patched through default",
    );
    await dots.project.updateDefaultProject({
      name: "store",
      description: "put through default",
      purpose: "Web Application",
      environment: "Production",
      is_default: true,
    });
    expect((await dots.project.getProject({ project_id: id })).data.project).toMatchObject({
      description: "put through default",
      environment: "Production",
    });

    expect(await refusal(dots.project.deleteProject({ project_id: id }))).toMatchObject({ status: 412 });
    expect((await dots.project.deleteProject({ project_id: first.id })).status).toBe(204);
    expect((await dots.project.listProjects({})).data.projects.map((p) => p.id)).toEqual([id]);
    expect(await refusal(dots.project.getProject({ project_id: first.id }))).toMatchObject({ status: 404 });
  });

  it("VPCs: a create is listed, a PATCH renames it and moves the region's default, members, a delete is gone", async () => {
    await start();
    const a = (await dots.vpc.createVpc({ name: "net-a", region: "fra1", ip_range: "10.20.0.0/24" })).data.vpc;
    const b = (await dots.vpc.createVpc({ name: "net-b", region: "fra1", description: "second" })).data.vpc;
    // dots-wrapper sends is_default as `default`, which a create does not take (the reference lists no such field):
    // the region's first VPC is its default all the same.
    const c = (await dots.vpc.createVpc({ name: "net-c", region: "fra1", is_default: true })).data.vpc;
    expect([a.default, b.default, c.default]).toEqual([true, false, false]);
    const ids = (await dots.vpc.listVpcs({})).data.vpcs.map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));

    await dots.vpc.updateVpc({ vpc_id: b.id, name: "net-b2", is_default: true });
    expect((await dots.vpc.getVpc({ vpc_id: b.id })).data.vpc).toMatchObject({
      name: "net-b2",
      description: "second",
      default: true,
    });
    expect((await dots.vpc.getVpc({ vpc_id: a.id })).data.vpc.default).toBe(false);

    const { data } = await dots.droplet.createDroplet({
      name: "in-a",
      region: "fra1",
      size: "s-1vcpu-1gb",
      image: "ubuntu-24-04-x64",
      vpc_uuid: a.id,
    });
    const members = (await dots.vpc.listVpcResources({ vpc_id: a.id })).data.members;
    expect(members.map((m) => m.urn)).toEqual([`do:droplet:${data.droplet.id}`]);
    expect(await refusal(dots.vpc.deleteVpc({ vpc_id: a.id }))).toMatchObject({ status: 403 });
    await dots.droplet.deleteDroplet({ droplet_id: data.droplet.id });

    expect((await dots.vpc.deleteVpc({ vpc_id: a.id })).status).toBe(204);
    expect((await dots.vpc.listVpcs({})).data.vpcs.map((v) => v.id)).not.toContain(a.id);
    expect(await refusal(dots.vpc.getVpc({ vpc_id: a.id }))).toMatchObject({ status: 404 });
    expect(await refusal(dots.vpc.deleteVpc({ vpc_id: b.id }))).toMatchObject({ status: 403 });
  });

  it("Droplets: one and many created, listed by tag, active once provisioned, read, deleted one by one and by tag", async () => {
    await start();
    const single = { region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", tags: ["web"] };
    const one = (await dots.droplet.createDroplet({ name: "web-1", ...single })).data.droplet;
    const many = (await dots.droplet.createDroplets({ names: ["batch-1", "batch-2"], ...single, tags: ["batch"] })).data
      .droplets;
    expect(one.status).toBe("new");
    expect((await dots.droplet.listDroplets({})).data.droplets.map((d) => d.name).sort()).toEqual([
      "batch-1",
      "batch-2",
      "web-1",
    ]);
    expect((await dots.droplet.listDroplets({ tag_name: "batch" })).data.droplets.map((d) => d.id)).toEqual(
      many.map((d) => d.id),
    );

    now += 1_000;
    const active = (await dots.droplet.getDroplet({ droplet_id: one.id })).data.droplet;
    expect(active.status).toBe("active");
    expect(active.networks.v4.map((n) => n.type).sort()).toEqual(["private", "public"]);

    const id = { droplet_id: one.id };
    expect((await dots.droplet.listDropletBackups(id)).data.backups).toEqual([]);
    expect((await dots.droplet.listDropletSnapshots(id)).data.snapshots).toEqual([]);
    expect((await dots.droplet.listDropletKernels(id)).data.kernels.length).toBeGreaterThan(0);
    expect((await dots.droplet.listDropletNeighbors(id)).data.droplets).toEqual([]);
    expect((await dots.droplet.listDropletNeighborhoods({})).data).toEqual({ neighbor_ids: [] });

    expect((await dots.droplet.deleteDropletsByTag({ tag_name: "batch" })).status).toBe(204);
    expect((await dots.droplet.listDroplets({ tag_name: "batch" })).data.droplets).toEqual([]);
    expect((await dots.droplet.deleteDroplet(id)).status).toBe(204);
    expect((await dots.droplet.listDroplets({})).data.droplets).toEqual([]);
    expect(await refusal(dots.droplet.getDroplet(id))).toMatchObject({ status: 404 });
  });

  it("Droplets: destroy with associated resources, its status, a second destroy refused, retry once done", async () => {
    await start();
    const volume = "506f78a4-e098-11e5-ad9f-000f53306ae1";
    const base = { region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" };
    const kept = (await dots.droplet.createDroplet({ name: "kept", ...base, volumes: [volume] })).data.droplet;
    const gone = (await dots.droplet.createDroplet({ name: "gone", ...base })).data.droplet;

    const { data: associated } = await dots.droplet.listDropletAssociatedResources({ droplet_id: kept.id });
    expect(associated.volumes.map((v) => v.id)).toEqual([volume]);
    const selective = { droplet_id: kept.id, volumes: [volume], snapshots: [], volume_snapshots: [] };
    expect((await dots.droplet.destroyDropletAndAssociatedResources(selective)).status).toBe(202);
    expect(await refusal(dots.droplet.destroyDropletAndAssociatedResources(selective))).toMatchObject({ status: 409 });
    expect(await refusal(dots.droplet.retryDropletDestroy({ droplet_id: kept.id }))).toMatchObject({ status: 409 });
    const pending = (await dots.droplet.getDropletDestroyStatus({ droplet_id: kept.id })).data;
    expect(pending.completed_at).toBeUndefined();
    expect(pending.resources.volumes.map((v) => v.id)).toEqual([volume]);

    expect(
      (await dots.droplet.destroyDropletAndAllAssociatedResources({ droplet_id: gone.id, acknowledge: true })).status,
    ).toBe(202);
    now += 1_000;
    const done = (await dots.droplet.getDropletDestroyStatus({ droplet_id: kept.id })).data;
    expect(Date.parse(done.completed_at!)).toBe(now);
    expect(done.resources.volumes[0]!.destroyed_at).toBe(done.completed_at);
    expect((await dots.droplet.retryDropletDestroy({ droplet_id: kept.id })).status).toBe(202);
    expect((await dots.droplet.listDroplets({})).data.droplets).toEqual([]);
  });

  it("Droplets: a create without region (dots-wrapper's is optional) deploys in the region of the default VPC", async () => {
    await start();
    const vpc = (await dots.vpc.createVpc({ name: "home", region: "ams3" })).data.vpc;
    const { data } = await dots.droplet.createDroplet({
      name: "anywhere",
      size: "s-1vcpu-1gb",
      image: "ubuntu-24-04-x64",
    });
    expect(data.droplet.region).toMatchObject({ slug: "ams3" });
    expect(data.droplet.vpc_uuid).toBe(vpc.id);
    const members = (await dots.vpc.listVpcResources({ vpc_id: vpc.id })).data.members;
    expect(members.map((m) => m.urn)).toEqual([`do:droplet:${data.droplet.id}`]);
  });
});

describe("coverage", () => {
  it("finds dots-wrapper's operations among the spec's, and every one answered 2xx in the tests above", () => {
    const operations = new Set(supported.values());
    expect(operations.size).toBeGreaterThan(20);
    const untested = [...operations].filter((op) => ![...(exercised.get(op) ?? [])].some((s) => s >= 200 && s < 300));
    expect(untested).toEqual([]);
  });

  it("sends only what the spec describes, but for fields the API reference does not list either", () => {
    expect([...undocumented].sort()).toEqual([
      // Pagination on two lists the reference does not paginate: every list method of dots-wrapper sends it.
      "GET /v2/droplets/{droplet_id}/neighbors request /query/page",
      "GET /v2/droplets/{droplet_id}/neighbors request /query/per_page",
      "GET /v2/reports/droplet_neighbors_ids request /query/page",
      "GET /v2/reports/droplet_neighbors_ids request /query/per_page",
      // createVpc({ is_default }) as `default`, which the reference lists for updates only.
      "POST /v2/vpcs request /default",
    ]);
  });
});
