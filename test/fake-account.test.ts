// The fake as an account (issue 29): private images and snapshots by id, GPU Droplets, backups as time passes.
import { afterEach, describe, expect, it } from "vitest";
import { unwrap } from "../src/index.js";
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
