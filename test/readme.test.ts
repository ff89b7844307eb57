// Every ```ts block in README.md type-checks against the client, so the docs cannot rot.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/spec.js";

const blocks = [...readFileSync(join(ROOT, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** Type-checks code blocks as modules importing "digitalocean-typed" (mapped to src/); returns tsc's output or "". */
function typecheck(name: string, sources: string[]): string {
  const dir = join(ROOT, "test-output", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [i, code] of sources.entries()) writeFileSync(join(dir, `block-${i + 1}.ts`), `${code}\nexport {};\n`);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.json",
      compilerOptions: {
        noUnusedLocals: false,
        paths: {
          "digitalocean-typed": ["../../src/index.ts"],
          "digitalocean-typed/conformance": ["../../src/conformance/index.ts"],
          "digitalocean-typed/testing": ["../../src/testing/index.ts"],
        },
      },
      include: ["*.ts"],
    }),
  );
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], {
    encoding: "utf8",
  });
  return r.status === 0 ? "" : `${r.stdout}${r.stderr}`;
}

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
