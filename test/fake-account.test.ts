// The fake as an account (issue 29): private images and snapshots by id, GPU Droplets, backups as time passes.
import { afterEach, describe, expect, it } from "vitest";
import { unwrap, waitForDropletActive } from "../src/index.js";
import { operations } from "./helpers/spec.js";
import { type FakeDigitalOceanOptions, startFakeDigitalOcean, type FakeDigitalOcean } from "../src/testing/index.js";

let fake: FakeDigitalOcean | undefined;
afterEach(async () => {
  expect(fake?.problems).toEqual([]);
  await fake?.close();
});

const start = async (options: FakeDigitalOceanOptions = {}) => {
  fake = await startFakeDigitalOcean({ provisionMs: 0, ...options });
  return { fake, client: fake.client({ retry: false }) };
};
const base = { region: "nyc3", size: "s-1vcpu-1gb" } as const;

describe("private images", () => {
  it("creates a Droplet from an image id the fake does not know, as godo's tests do (123456)", async () => {
    const { client } = await start();
    const { droplet } = (await unwrap(
      client.POST("/v2/droplets", { body: { ...base, name: "godo", image: 123456 } }),
    )) as { droplet: { image: unknown } };
    expect(droplet.image).toMatchObject({ id: 123456, slug: null, public: false });
  });

  it("refuses that id with the API's 422 under catalogue.strictImages, and stores nothing", async () => {
    const { client } = await start({ catalogue: { strictImages: true } });
    const { response, error } = await client.POST("/v2/droplets", { body: { ...base, name: "x", image: 123456 } });
    expect(response.status).toBe(422);
    expect(error?.message).toContain("You specified an invalid image: 123456.");
    expect((await unwrap(client.GET("/v2/droplets"))).droplets).toEqual([]);
  });

  it("creates a Droplet from a backup the fake lists, under strictImages too, with the backup's name", async () => {
    let now = Date.parse("2026-03-01T00:00:00Z");
    const { client } = await start({ catalogue: { strictImages: true }, clock: () => now });
    const created = (await unwrap(
      client.POST("/v2/droplets", { body: { ...base, name: "web", image: "ubuntu-24-04-x64", backups: true } }),
    )) as { droplet: { id: number } };
    const path = { droplet_id: created.droplet.id };
    const list = () => client.GET("/v2/droplets/{droplet_id}/backups", { params: { path } });
    expect((await unwrap(list())).backups).toEqual([]);
    now += 8 * 86_400_000;
    const { backups } = await unwrap(list());
    expect(backups).toHaveLength(1);
    const { droplet } = await unwrap(client.GET("/v2/droplets/{droplet_id}", { params: { path } }));
    expect(droplet?.backup_ids).toEqual([backups![0]!.id]);
    const restored = (await unwrap(
      client.POST("/v2/droplets", { body: { ...base, name: "restored", image: backups![0]!.id } }),
    )) as { droplet: { image: unknown } };
    expect(restored.droplet.image).toMatchObject({ id: backups![0]!.id, name: backups![0]!.name, type: "backup" });
  });
});

describe("GPU Droplets", () => {
  it("knows GPU sizes by slug, with gpu_info from the slug; type=gpus lists only them, the default only the others", async () => {
    const { client } = await start();
    await unwrap(client.POST("/v2/droplets", { body: { ...base, name: "cpu", image: "ubuntu-24-04-x64" } }));
    const { droplet } = (await unwrap(
      client.POST("/v2/droplets", {
        body: { ...base, name: "gpu", size: "gpu-h100x8-640gb", image: "ubuntu-24-04-x64" },
      }),
    )) as { droplet: { gpu_info: unknown; size: { gpu_info: unknown } } };
    const gpuInfo = { count: 8, model: "nvidia_h100", vram: { amount: 640, unit: "gib" } };
    expect(droplet.gpu_info).toEqual(gpuInfo);
    expect(droplet.size.gpu_info).toEqual(gpuInfo);
    const names = async (query: { type?: "gpus" | "droplets" }) =>
      (await unwrap(client.GET("/v2/droplets", { params: { query } }))).droplets?.map((d) => d.name);
    expect(await names({ type: "gpus" })).toEqual(["gpu"]);
    expect(await names({})).toEqual(["cpu"]);
  });
});

describe("a manual clock", () => {
  it("drives a Droplet to active with fake.advance, with no timer and no waiting", async () => {
    const hour = 3_600_000;
    const { fake, client } = await start({ clock: "manual", provisionMs: hour });
    const created = (await unwrap(
      client.POST("/v2/droplets", { body: { ...base, name: "slow", image: "ubuntu-24-04-x64" } }),
    )) as { droplet: { id: number } };
    const status = async () =>
      (await unwrap(client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: created.droplet.id } } })))
        .droplet?.status;
    expect(await status()).toBe("new");
    fake.advance(hour - 1);
    expect(await status()).toBe("new");
    fake.advance(1);
    expect(await waitForDropletActive(client, created.droplet.id, { intervalMs: 1 })).toMatchObject({
      status: "active",
    });
  });

  it("refuses advance on a fake whose clock is not manual, and a negative step", async () => {
    const { fake } = await start();
    expect(() => fake.advance(1)).toThrow(/clock is not manual/);
    const manual = await startFakeDigitalOcean({ clock: "manual" });
    try {
      expect(() => manual.advance(-1)).toThrow(TypeError);
    } finally {
      await manual.close();
    }
  });
});

describe("eventual consistency", () => {
  it("answers a new resource's GET with 404 and leaves it out of lists until readAfterCreateMs has passed", async () => {
    const { fake, client } = await start({ clock: "manual", consistency: { readAfterCreateMs: 5_000 } });
    const { vpc } = await unwrap(client.POST("/v2/vpcs", { body: { name: "late", region: "nyc3" } }));
    const get = () => client.GET("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: vpc!.id! } } });
    const names = async () => (await unwrap(client.GET("/v2/vpcs"))).vpcs?.map((v) => v.name);
    expect((await get()).response.status).toBe(404);
    expect(await names()).toEqual([]);
    fake.advance(5_000);
    expect((await get()).response.status).toBe(200);
    expect(await names()).toEqual(["late"]);
  });
});

describe("chaos", () => {
  /** The statuses of 40 GETs of the VPC list under chaos at `seed`. */
  async function statuses(seed: number) {
    const { fake, client } = await start();
    expect(fake.chaos({ rate: 0.5, statuses: [429, 500], seed })).toBe(seed);
    const answers = [];
    for (let i = 0; i < 40; i++) {
      const { response } = await client.GET("/v2/vpcs");
      answers.push([response.status, response.headers.get("retry-after")]);
    }
    await fake.close();
    return answers;
  }

  it("answers a seeded share with documented statuses and the API's headers; the same seed gives the same answers", async () => {
    const first = await statuses(7);
    expect(await statuses(7)).toEqual(first);
    expect(await statuses(8)).not.toEqual(first);
    expect(new Set(first.map(([status]) => status))).toEqual(new Set([200, 429, 500]));
    for (const [status, retryAfter] of first) expect(retryAfter !== null).toBe(status === 429);
  });

  it("answers late with latencyMs, touches only the operations named, and ends with chaos(false)", async () => {
    const { fake, client } = await start();
    fake.chaos({ rate: 1, statuses: [], latencyMs: 20, operations: ["vpcs_list"], seed: 1 });
    const started = performance.now();
    expect((await client.GET("/v2/vpcs")).response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
    fake.chaos({ rate: 1, statuses: [500], operations: ["vpcs_list"] });
    expect((await client.GET("/v2/vpcs")).response.status).toBe(500);
    expect((await client.GET("/v2/projects")).response.status).toBe(200);
    fake.chaos(false);
    expect((await client.GET("/v2/vpcs")).response.status).toBe(200);
    expect(() => fake.chaos({ statuses: [418] })).toThrow(/documents status 418/);
    expect(() => fake.chaos({ rate: 2 })).toThrow(/rate must be/);
  });
});

describe("several accounts", () => {
  it('with accounts: "per-token", two tokens see nothing of each other', async () => {
    const [a, b] = [`dop_v1_${"a".repeat(64)}`, `dop_v1_${"b".repeat(64)}`];
    const { fake } = await start({ accounts: "per-token", tokens: { [a]: "full", [b]: ["vpc:read", "droplet:read"] } });
    const alice = fake.client({ retry: false, token: a });
    const bob = fake.client({ retry: false, token: b });
    const { vpc } = await unwrap(alice.POST("/v2/vpcs", { body: { name: "alice-net", region: "nyc3" } }));
    await unwrap(alice.POST("/v2/droplets", { body: { ...base, name: "alice-web", image: "ubuntu-24-04-x64" } }));
    expect((await unwrap(bob.GET("/v2/vpcs"))).vpcs).toEqual([]);
    expect((await unwrap(bob.GET("/v2/droplets"))).droplets).toEqual([]);
    const peek = await bob.GET("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: vpc!.id! } } });
    expect(peek.response.status).toBe(404);
    const project = async (token: string) =>
      (await unwrap(fake.client({ token }).GET("/v2/projects/default"))).project?.id;
    expect(await project(a)).not.toBe(await project(fake.token));
    const stranger = await fake.client({ retry: false, token: `dop_v1_${"c".repeat(64)}` }).GET("/v2/vpcs");
    expect(stranger.response.status).toBe(401);
    expect((await unwrap(alice.GET("/v2/vpcs"))).vpcs?.map((v) => v.name)).toContain("alice-net");
  });

  it("by default every token works on one account", async () => {
    const other = `dop_v1_${"d".repeat(64)}`;
    const { fake, client } = await start({ tokens: { [other]: "read" } });
    await unwrap(client.POST("/v2/vpcs", { body: { name: "shared", region: "nyc3" } }));
    const { vpcs } = await unwrap(fake.client({ token: other }).GET("/v2/vpcs"));
    expect(vpcs?.map((v) => v.name)).toEqual(["shared"]);
  });
});

describe("saved state", () => {
  /** A fake with some of everything, at a fixed time; returns the ids its GET paths name, by parameter. */
  async function populated(fake: FakeDigitalOcean) {
    const client = fake.client({ retry: false });
    const { vpc } = await unwrap(client.POST("/v2/vpcs", { body: { name: "prod", region: "nyc3" } }));
    const { vpc: other } = await unwrap(client.POST("/v2/vpcs", { body: { name: "dev", region: "nyc3" } }));
    await unwrap(
      client.POST("/v2/vpcs/{vpc_id}/peerings", {
        params: { path: { vpc_id: vpc!.id! } },
        body: { name: "link", vpc_id: other!.id! },
      }),
    );
    const created = (await unwrap(
      client.POST("/v2/droplets", {
        body: { ...base, name: "web", image: "ubuntu-24-04-x64", backups: true, vpc_uuid: vpc!.id! },
      }),
    )) as { droplet: { id: number } };
    await unwrap(client.POST("/v2/droplets", { body: { ...base, name: "gpu", size: "gpu-h100x1-80gb", image: 1 } }));
    const { project } = await unwrap(client.POST("/v2/projects", { body: { name: "api", purpose: "Service or API" } }));
    const { reserved_ipv6 } = await unwrap(client.POST("/v2/reserved_ipv6", { body: { region_slug: "nyc3" } }));
    const { partner_attachment } = await unwrap(
      client.POST("/v2/partner_network_connect/attachments", {
        body: {
          name: "pa",
          connection_bandwidth_in_mbps: 1000,
          region: "nyc",
          naas_provider: "MEGAPORT",
          vpc_ids: [vpc!.id!],
        },
      }),
    );
    return {
      droplet_id: String(created.droplet.id),
      vpc_id: vpc!.id!,
      project_id: project!.id!,
      reserved_ipv6: reserved_ipv6!.ip!,
      pa_id: partner_attachment!.id!,
    } as Record<string, string>;
  }

  /** Every GET of the spec, its path filled from `ids`: status and body, with what differs between two fakes made equal. */
  async function answers(fake: FakeDigitalOcean, ids: Record<string, string>) {
    const gets = operations.filter((o) => o.method === "get");
    const all: Record<string, unknown> = {};
    for (const { path, operationId } of gets) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
        expect(ids, `${operationId} names {${name}}, which the test does not fill`).toHaveProperty(name);
        return encodeURIComponent(ids[name]!);
      });
      const response = await fetch(`${fake.url}${url}`, { headers: { authorization: `Bearer ${fake.token}` } });
      const text = (await response.text()).replaceAll(fake.url, "ORIGIN").replace(/"request_id":"[^"]+"/g, "");
      all[operationId] = [response.status, text];
    }
    return all;
  }

  it("a snapshot loaded into a new fake gives the same answer to every GET of the spec, and holds no token", async () => {
    const now = Date.parse("2026-03-01T00:00:00Z");
    let time = now;
    const { fake } = await start({ clock: () => time, provisionMs: 1_000 });
    const ids = await populated(fake);
    time += 8 * 86_400_000; // Droplets active, a backup taken
    const saved = JSON.parse(JSON.stringify(fake.snapshot()));
    expect(JSON.stringify(saved)).not.toContain(fake.token);
    const before = await answers(fake, ids);
    const loaded = await startFakeDigitalOcean({ state: saved, clock: () => time, provisionMs: 1_000 });
    try {
      expect(await answers(loaded, ids)).toEqual(before);
      expect(loaded.snapshot()).toEqual(saved);
      expect(loaded.problems).toEqual([]);
    } finally {
      await loaded.close();
    }
  });

  it("refuses a state that is not one, or holds what the API could not return, with a TypeError", async () => {
    const { fake } = await start();
    await unwrap(fake.client().POST("/v2/vpcs", { body: { name: "v", region: "nyc3" } }));
    const saved = fake.snapshot();
    await expect(startFakeDigitalOcean({ state: {} as never })).rejects.toThrow(/not a state from fake.snapshot/);
    const [account] = Object.values(saved.accounts);
    account!.vpcs[0]!.ip_range = 42 as never;
    await expect(startFakeDigitalOcean({ state: saved })).rejects.toThrow(/state: accounts\.shared\.vpcs: .*ip_range/);
  });
});
