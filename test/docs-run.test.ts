// The guides' and README's programs that call the API (```ts blocks that create a client and import nothing but
// the package) run as written against a fresh fake: the client they create finds it through DIGITALOCEAN_API_URL
// and DIGITALOCEAN_TOKEN. Test examples (blocks importing vitest) run in test/docs-examples.test.ts.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type FakeDigitalOcean, startFakeDigitalOcean } from "../src/testing/index.js";
import { ROOT } from "./helpers/spec.js";
import { tsBlocks } from "./helpers/typecheck.js";

// The blocks import the package by name, as users do; here that name is the source.
vi.mock("digitalocean-typed", () => import("../src/index.js"));

const sources = [
  "README.md",
  ...readdirSync(join(ROOT, "docs/guide"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/guide/${f}`),
];
const programs = sources.flatMap((file) =>
  tsBlocks(readFileSync(join(ROOT, file), "utf8"))
    .map((code, i) => ({ name: `${file.replace(/\W+/g, "-")}-${i + 1}`, code }))
    .filter(
      ({ code }) => code.includes("createDigitalOceanClient(") && !/from "(vitest|digitalocean-typed\/)/.test(code),
    ),
);

let fake: FakeDigitalOcean | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await fake?.close();
});

describe("programs in README and the guides", () => {
  it("exist", () => {
    expect(programs.length).toBeGreaterThan(sources.length);
  });

  it.each(programs.map((p) => [p.name, p.code]))(
    "%s runs against a fresh fake",
    { timeout: 60_000 },
    async (name, code) => {
      const file = join(ROOT, "test-output", "doc-programs", `${name}.ts`);
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(file, code!);
      fake = await startFakeDigitalOcean({ provisionMs: 20 });
      vi.stubEnv("DIGITALOCEAN_API_URL", fake.url);
      vi.stubEnv("DIGITALOCEAN_TOKEN", fake.token);
      vi.spyOn(console, "log").mockImplementation(() => {});
      await import(pathToFileURL(file).href);
      expect(fake.problems).toEqual([]);
    },
  );
});
