// The tour (examples/tour.ts) and README's first example, run as written against the fake: the client they create
// finds it through DIGITALOCEAN_API_URL and DIGITALOCEAN_TOKEN. Neither guards a field the API always sends.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type FakeDigitalOcean, startFakeDigitalOcean } from "../src/testing/index.js";
import { ROOT } from "./helpers/spec.js";
import { tsBlocks } from "./helpers/typecheck.js";

// The programs import the package by name, as users do; here that name is the source.
vi.mock("digitalocean-typed", () => import("../src/index.js"));

const TOUR = join(ROOT, "examples/tour.ts");
const fakes: FakeDigitalOcean[] = [];

/** Runs the program in `file` against `fake`, as a fresh module; the lines it printed. */
async function run(file: string, fake: FakeDigitalOcean): Promise<string[]> {
  vi.stubEnv("DIGITALOCEAN_API_URL", fake.url);
  vi.stubEnv("DIGITALOCEAN_TOKEN", fake.token);
  const printed: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(" ")));
  vi.resetModules();
  await import(pathToFileURL(file).href);
  return printed;
}

async function fake(): Promise<FakeDigitalOcean> {
  const started = await startFakeDigitalOcean({ provisionMs: 20 });
  fakes.push(started);
  return started;
}

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

describe("the tour", () => {
  const source = readFileSync(TOUR, "utf8");

  it("is about 40 lines, with no ?., ! or in on what the API sends", () => {
    expect(source.split("\n").length).toBeLessThanOrEqual(50);
    const code = source.replace(/\/\/.*$/gm, "").replace(/`[^`]*`|"[^"]*"/g, '""');
    expect(code).not.toMatch(/\?\.|[\w)\]]!(?!=)| in /);
  });

  it("creates a VPC and two Droplets in it, lists them, waits for one and deletes them, on a fresh account", async () => {
    const api = await fake();
    const printed = await run(TOUR, api);
    expect(printed[0]).toMatch(/^VPC tour-net \([0-9a-f-]{36}\) in nyc3, 10\.42\.0\.0\/24, created \d{4}-/);
    expect(printed).toContain("2 Droplets tagged tour:");
    expect(printed.some((line) => /^tour-1 is active: private 10\.42\.0\.\d+$/.test(line))).toBe(true);
    // The account's first VPC in nyc3 became its default, which cannot be deleted.
    expect(printed.at(-1)).toBe("VPC tour-net is the first of nyc3, so its default, which stays.");
    const { droplets } = await api
      .client()
      .GET("/v2/droplets")
      .then((r) => r.data!);
    expect(droplets).toEqual([]);
    expect(api.problems).toEqual([]);
  });

  it("deletes its VPC too where the region has a default VPC already, as accounts with Droplets do", async () => {
    const api = await fake();
    await api.client().POST("/v2/vpcs", { body: { name: "default-nyc3", region: "nyc3" } });
    const printed = await run(TOUR, api);
    expect(printed.at(-1)).toBe("Deleted VPC tour-net.");
    const { vpcs } = await api
      .client()
      .GET("/v2/vpcs")
      .then((r) => r.data!);
    expect(vpcs.map((v) => v.name)).toEqual(["default-nyc3"]);
    expect(api.problems).toEqual([]);
  });
});

describe("README's first example", () => {
  it("runs as written against a fresh fake", async () => {
    const [first] = tsBlocks(readFileSync(join(ROOT, "README.md"), "utf8"));
    const file = join(ROOT, "test-output", "readme-first", "first.ts");
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, first!);
    const api = await fake();
    expect(await run(file, api)).toEqual(["0 Droplets"]);
    expect(api.problems).toEqual([]);
  });
});
