// Runs a test example from the docs (a ```ts block that imports vitest) as a test file of its own, in a vitest
// process of its own, with the package names mapped to src/.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./spec.js";

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

/** Runs `code` under test-output/doc-examples/NAME; its exit status and everything it printed. */
export function runExample(name: string, code: string): { status: number | null; output: string } {
  const own = join(ROOT, "test-output", "doc-examples", name);
  rmSync(own, { recursive: true, force: true });
  mkdirSync(own, { recursive: true });
  writeFileSync(join(own, "example.test.ts"), code);
  writeFileSync(join(own, "vitest.config.mjs"), config);
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--root", own], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
