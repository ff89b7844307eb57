// Benchmark 3: wall time of `npm run generate` (lint → bundle → types → conformance validators). The output goes to a temp directory
// (GENERATED_DIR), so the benchmark never rewrites the committed generated/.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, median } from "./lib.js";

export function benchGenerate(rounds = 3): { ms: number; rounds: number } {
  const out = mkdtempSync(join(tmpdir(), "do-bench-generate-"));
  try {
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      const r = spawnSync("npm", ["run", "--silent", "generate"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, GENERATED_DIR: out } });
      if (r.status !== 0) throw new Error(`npm run generate failed:\n${r.stdout}${r.stderr}`);
      times.push(performance.now() - start);
    }
    return { ms: median(times), rounds };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
