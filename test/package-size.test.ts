// `npm run size` (scripts/size.mjs): bundle sizes are deterministic (pinned esbuild, gzip -9), so the budget
// is checked here, as part of `npm test`, and the script's own measuring and failing are tested too.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/spec.js";

interface Row {
  name: string;
  min: number;
  gzip: number;
  own: number;
  files: Record<string, number>;
}

function size(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts/size.mjs"), ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run size", () => {
  it("measures openapi-fetch alone and the client on top of it", () => {
    const { stdout } = size("--json");
    const { rows } = JSON.parse(stdout) as { rows: Row[] };
    const [base, typical, , whole] = rows;
    expect(Object.keys(base!.files)).toEqual(["node_modules/openapi-fetch/dist/index.mjs"]);
    expect(base!.gzip).toBeGreaterThan(1000);
    for (const row of [typical!, whole!]) {
      expect(row.files).toHaveProperty(["node_modules/openapi-fetch/dist/index.mjs"]);
      expect(row.files).toHaveProperty(["src/client.ts"]);
      expect(row.own).toBe(row.gzip - base!.gzip);
      expect(row.min).toBeGreaterThan(row.gzip);
    }
    // Tree-shaking works: pagination and the waiters are only in the bundles that import them.
    expect(typical!.files).not.toHaveProperty(["src/wait.ts"]);
    expect(typical!.files).toHaveProperty(["src/paginate.ts"]); // list calls of resource methods read pages
    expect(rows[2]!.files).toHaveProperty(["src/paginate.ts"]);
    expect(whole!.files).toHaveProperty(["src/wait.ts"]);
    expect(whole!.files).toHaveProperty(["src/pacing.ts"]);
    // The conformance middleware is its own entry: nothing of it (or of its validators) is in the root one.
    const conformance = rows.find((r) => r.name.startsWith("conformance"))!;
    expect(conformance.files).toHaveProperty(["generated/validators.js"]);
    expect(conformance.files).toHaveProperty(["src/conformance/index.ts"]);
    // Checking recorded traffic costs only those who import it.
    expect(conformance.files).not.toHaveProperty(["src/conformance/har.ts"]);
    expect(rows.find((r) => r.name.startsWith("conformance, whole entry"))!.files).toHaveProperty([
      "src/conformance/har.ts",
    ]);
    for (const row of rows.slice(0, 4))
      expect(Object.keys(row.files).filter((f) => /conformance|validators|src\/testing\//.test(f))).toEqual([]);
  });

  it("exits 1 and says what is over when a budget is exceeded", () => {
    const { status, stderr } = size("--budget-own=100", "--budget-total=200");
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /whole public API's own code is \d+ B min\+gz, over the 100 B budget; the total is \d+ B min\+gz, over the 200 B budget/,
    );
  });

  it("keeps the whole public API within budget: own code ≤ 11.75 KB and total ≤ 14.25 KB min+gz", () => {
    const { status, stdout, stderr } = size();
    expect(stderr).toBe("");
    expect(stdout).toContain("Within budget.");
    expect(status).toBe(0);
  });
});
