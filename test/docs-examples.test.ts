// The test examples in README.md and the guides (```ts blocks that import vitest) really pass against the fake:
// each runs as a test file of its own, in a vitest process of its own, with the package names mapped to src/.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/spec.js";
import { tsBlocks } from "./helpers/typecheck.js";

const sources = [
  "README.md",
  ...readdirSync(join(ROOT, "docs/guide"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/guide/${f}`),
];
const examples = sources.flatMap((file) =>
  tsBlocks(readFileSync(join(ROOT, file), "utf8"))
    .filter((code) => code.includes('from "vitest"'))
    .map((code, i) => ({ name: `${file.replace(/\W+/g, "-")}-${i + 1}`, code })),
);

const dir = join(ROOT, "test-output", "doc-examples");
const config = `export default {
  resolve: {
    alias: {
      "digitalocean-typed/testing": ${JSON.stringify(join(ROOT, "src/testing/index.ts"))},
      "digitalocean-typed/conformance": ${JSON.stringify(join(ROOT, "src/conformance/index.ts"))},
      "digitalocean-typed": ${JSON.stringify(join(ROOT, "src/index.ts"))},
    },
  },
};
`;

describe("test examples in README and the guides", () => {
  it("exist: README's and the testing guide's", () => {
    expect(examples.map((e) => e.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^README/), expect.stringMatching(/^docs-guide-testing/)]),
    );
  });

  it.each(examples.map((e) => [e.name, e.code]))("%s passes against the fake", { timeout: 120_000 }, (name, code) => {
    const own = join(dir, name!);
    rmSync(own, { recursive: true, force: true });
    mkdirSync(own, { recursive: true });
    writeFileSync(join(own, "example.test.ts"), code!);
    writeFileSync(join(own, "vitest.config.mjs"), config);
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--root", own], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(`${r.stdout}${r.stderr}`).toMatch(/Tests\s+\d+ passed/);
    expect(r.status).toBe(0);
  });
});
