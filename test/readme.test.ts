// Every ```ts block in README.md type-checks against the client, so the docs cannot rot.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/spec.js";
import { tsBlocks, typecheck } from "./helpers/typecheck.js";

const blocks = tsBlocks(readFileSync(join(ROOT, "README.md"), "utf8"));

describe("README code blocks", () => {
  it("has TypeScript examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  it("type-check against the client", { timeout: 60_000 }, () => {
    expect(typecheck("readme-blocks", blocks)).toBe("");
  });

  it("would fail on a block that misuses the client", { timeout: 60_000 }, () => {
    const broken = `import { createDigitalOceanClient } from "digitalocean-typed";\nawait createDigitalOceanClient().GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: "x" } } });`;
    expect(typecheck("readme-blocks-broken", [broken])).toMatch(/block-1\.ts.*error TS2322/);
  });
});
