// What the fake deploys and what it stores: its catalogue of regions, sizes and images (from the spec's examples,
// plus what a test adds), creates that reflect what was asked, a create without region, the forms real clients
// send (null PATCH fields, ssh_keys: null, volume objects), and the one write path that never stores what the spec
// forbids.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDigitalOceanClient, type DigitalOceanClient, unwrap } from "../src/index.js";
import { loadCatalogue } from "../src/testing/catalogue.js";
import { type FakeDigitalOcean, startFakeDigitalOcean } from "../src/testing/index.js";
import { loadSpec } from "../src/testing/openapi.js";
import { projectHandlers } from "../src/testing/projects.js";
import { newAccount } from "../src/testing/state.js";

let fake: FakeDigitalOcean;
let client: DigitalOceanClient;
const spec = loadSpec();

beforeEach(async () => {
  fake = await startFakeDigitalOcean({
    provisionMs: 0,
    catalogue: {
      regions: [{ slug: "syd1", name: "Sydney 1" }],
      sizes: [{ slug: "gpu-h100x1-80gb", vcpus: 20, memory: 245_760, disk: 720, description: "GPU" }],
      images: [{ id: 123456, name: "my-snapshot", type: "snapshot", public: false }],
    },
  });
  client = createDigitalOceanClient({ baseUrl: fake.url, token: fake.token, retry: false });
});
afterEach(async () => {
  expect(fake.problems).toEqual([]);
  await fake.close();
});

/** A raw JSON request, for bodies the client's types do not allow. */
const send = (method: string, path: string, body?: unknown) =>
  fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${fake.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
/** Whether the spec's request schema of `operationId` takes `body` (the spec is being loosened for real clients). */
const specTakes = (operationId: string, body: unknown) =>
  spec.body(spec.operations.find((o) => o.operationId === operationId)!, body).refused === "";
const droplets = async () => (await unwrap(client.GET("/v2/droplets"))).droplets ?? [];

describe("the catalogue", () => {
  it("starts from the spec's examples: the example region, size and image, and the slugs they list", () => {
    const catalogue = loadCatalogue(spec);
    const example = spec.resolve(spec.operations.find((o) => o.operationId === "droplets_get")!.spec.responses["200"])
      .content["application/json"].example.droplet;
    expect(catalogue.regions[0]).toMatchObject({ slug: example.region.slug, name: example.region.name });
    expect(catalogue.regions.map((r) => r.slug)).toEqual(expect.arrayContaining(example.size.regions));
    expect(catalogue.sizes.map((s) => s.slug)).toEqual(expect.arrayContaining(example.region.sizes));
    expect(catalogue.images.map((i) => i.id)).toContain(example.image.id);
  });

  it("creates what was asked: the image by id, the size's memory, the region's name", async () => {
    const { droplet } = (await unwrap(
      client.POST("/v2/droplets", { body: { name: "a", region: "sfo3", size: "s-4vcpu-8gb", image: 63663980 } }),
    )) as { droplet: any };
    expect(droplet.image).toMatchObject({ id: 63663980, slug: "ubuntu-20-04-x64" });
    expect(droplet).toMatchObject({ memory: 8192, vcpus: 4, size_slug: "s-4vcpu-8gb" });
    expect(droplet.size).toMatchObject({ slug: "s-4vcpu-8gb", memory: 8192, vcpus: 4 });
    expect(droplet.disk_info).toEqual([{ type: "local", size: { amount: droplet.disk, unit: "gib" } }]);
    expect(droplet.region).toMatchObject({ slug: "sfo3", name: "San Francisco 3" });
  });

  it("knows public distribution images by slug, and a region by its prefix", async () => {
    const { droplet } = (await unwrap(
      client.POST("/v2/droplets", { body: { name: "b", region: "nyc", size: "s-1vcpu-1gb", image: "debian-12-x64" } }),
    )) as { droplet: any };
    expect(droplet.image).toMatchObject({ slug: "debian-12-x64", distribution: "Debian", name: "12 x64" });
    expect(droplet.region.slug).toMatch(/^nyc\d$/);
  });

  it("refuses an unknown region, size or image with the API's 422, naming what it knows, and stores nothing", async () => {
    const base = { name: "c", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-20-04-x64" };
    for (const [field, value, known] of [
      ["region", "mars1", "nyc3"],
      ["size", "s-huge", "s-1vcpu-1gb"],
      ["image", "windows-11", "ubuntu-20-04-x64"],
    ] as const) {
      const answer = await send("POST", "/v2/droplets", { ...base, [field]: value });
      expect(answer.status).toBe(422);
      const { message } = (await answer.json()) as { message: string };
      expect(message).toContain(`You specified an invalid ${field}: ${JSON.stringify(value)}.`);
      expect(message).toContain(known);
    }
    expect(await droplets()).toEqual([]);
    expect((await unwrap(client.GET("/v2/vpcs"))).vpcs).toEqual([]);
  });

  it("deploys with what a test added: a region, a GPU size, a custom image by id", async () => {
    const { droplet } = (await unwrap(
      client.POST("/v2/droplets", { body: { name: "g", region: "syd1", size: "gpu-h100x1-80gb", image: 123456 } }),
    )) as { droplet: any };
    expect(droplet.region).toMatchObject({ slug: "syd1", name: "Sydney 1" });
    expect(droplet).toMatchObject({ memory: 245_760, vcpus: 20, disk: 720 });
    expect(droplet.gpu_info).toBeDefined();
    expect(droplet.image).toMatchObject({ id: 123456, name: "my-snapshot", type: "snapshot" });
    const gpus = await unwrap(client.GET("/v2/droplets", { params: { query: { type: "gpus" } } }));
    expect(gpus.droplets?.map((d) => d.name)).toEqual(["g"]);
  });

  it("refuses an added entry the spec forbids with a TypeError at start-up", async () => {
    await expect(
      startFakeDigitalOcean({ catalogue: { sizes: [{ slug: "s-odd", memory: "lots" as never }] } }),
    ).rejects.toThrow(/catalogue\.sizes: .*s-odd.*memory/);
  });
});

describe("a create without region", () => {
  it("deploys in the region of the account's default VPC, and says which", async () => {
    await unwrap(client.POST("/v2/vpcs", { body: { name: "home", region: "fra1" } }));
    const { droplet } = (await unwrap(
      client.POST("/v2/droplets", { body: { name: "d", size: "s-1vcpu-1gb", image: "ubuntu-20-04-x64" } }),
    )) as { droplet: any };
    expect(droplet.region.slug).toBe("fra1");
  });

  it("deploys in the first region the fake knows when the account has no VPC", async () => {
    const { droplet } = (await unwrap(
      client.POST("/v2/droplets", { body: { name: "e", size: "s-1vcpu-1gb", image: "ubuntu-20-04-x64" } }),
    )) as { droplet: any };
    expect(droplet.region.slug).toBe(loadCatalogue(spec).regions[0]!.slug);
    const { vpc } = await unwrap(client.GET("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: droplet.vpc_uuid } } }));
    expect(vpc).toMatchObject({ region: droplet.region.slug, default: true });
  });

  it("deploys in the VPC's region when only vpc_uuid is given", async () => {
    const { vpc } = await unwrap(client.POST("/v2/vpcs", { body: { name: "tor", region: "tor1" } }));
    const { droplet } = (await unwrap(
      client.POST("/v2/droplets", {
        body: { name: "f", size: "s-1vcpu-1gb", image: "ubuntu-20-04-x64", vpc_uuid: vpc!.id! },
      }),
    )) as { droplet: any };
    expect(droplet).toMatchObject({ vpc_uuid: vpc!.id, region: { slug: "tor1" } });
  });
});

describe("what real clients send", () => {
  it("PATCH with null fields leaves them unchanged (as the Go client sends it), where the spec allows null", async () => {
    const { project } = await unwrap(client.POST("/v2/projects", { body: { name: "p", purpose: "Web Application" } }));
    const body = { name: "renamed", description: null, purpose: null, environment: null, is_default: null };
    const answer = await send("PATCH", `/v2/projects/${project!.id}`, body);
    const after = (
      await unwrap(client.GET("/v2/projects/{project_id}", { params: { path: { project_id: project!.id! } } }))
    ).project;
    if (specTakes("projects_patch", body)) {
      expect(answer.status).toBe(200);
      expect(after).toMatchObject({ ...project, name: "renamed", updated_at: expect.any(String) });
    } else {
      expect(answer.status).toBe(422);
      expect(after).toEqual(project);
    }
  });

  it("ssh_keys: null means no keys, and volume objects become ids, where the spec allows them", async () => {
    const volume = "12e97116-7280-11ed-b3d0-0a58ac146812";
    const body = {
      name: "godo",
      region: "nyc3",
      size: "s-1vcpu-1gb",
      image: "ubuntu-20-04-x64",
      ssh_keys: null,
      volumes: [{ id: volume }, { name: "data" }],
    };
    const answer = await send("POST", "/v2/droplets", body);
    if (specTakes("droplets_create", body)) {
      expect(answer.status).toBe(202);
      const { droplet } = (await answer.json()) as { droplet: { id: number; volume_ids: string[] } };
      expect(droplet.volume_ids).toEqual([volume, expect.stringMatching(/^[0-9a-f-]{36}$/)]);
      const associated = await unwrap(
        client.GET("/v2/droplets/{droplet_id}/destroy_with_associated_resources", {
          params: { path: { droplet_id: droplet.id } },
        }),
      );
      expect(associated.volumes?.map((v) => v.name)).toContain("data");
      expect((await droplets()).map((d) => d.volume_ids)).toEqual([droplet.volume_ids]);
    } else {
      expect(answer.status).toBe(422);
      expect(await droplets()).toEqual([]);
    }
  });
});

describe("the write path", () => {
  it("refuses with a 422, and changes nothing, a write that would store what the spec forbids", () => {
    const state = newAccount(spec, loadCatalogue(spec), 0, Date.now());
    const [project] = [...state.projects.values()];
    const before = structuredClone(project);
    const patch = (body: Parameters<typeof projectHandlers.projects_patch>[0]["body"]) =>
      projectHandlers.projects_patch(
        { path: { project_id: project!.id }, query: {}, headers: {}, body, origin: "", pathname: "" },
        state,
      );
    // What a spec loosened for a field the handler then stored as it came would let through.
    expect(() => patch({ name: 42 as never })).toThrow(
      expect.objectContaining({ status: 422, message: expect.stringMatching(/project the API cannot return.*name/) }),
    );
    expect(state.projects.get(project!.id)).toEqual(before);
    expect(patch({ name: "fine" })).toMatchObject({ status: 200, body: { project: { name: "fine" } } });
    expect(state.projects.get(project!.id)?.name).toBe("fine");
  });
});
