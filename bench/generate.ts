// Benchmark 3: generation. `node scripts/generate.mjs` (one process) against the three-CLI chain it replaced
// (redocly lint, redocly bundle, openapi-typescript, as `npm run generate` ran them before), each as a fresh
// process on a temp copy of spec/ writing to a temp directory, so the committed generated/ is never touched.
//   - after a spec edit: every round changes a description first, so nothing can be skipped;
//   - on an unchanged spec: the one-process run may skip what it did last time (the chain cannot);
//   - watch: `--watch` running, one save at a time, from the write until the watcher reports generated/ written.
// The variants alternate within each round (order swapped every round); each ratio is the median of the
// per-round ratios.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, median } from "./lib.js";

export interface GenerateBench {
  rounds: number;
  /** Median wall ms of the chain, of one-process after an edit, of one-process on an unchanged spec. */
  chainMs: number;
  editedMs: number;
  unchangedMs: number;
  /** Medians of the per-round ratios one-process / chain. */
  editedRatio: number;
  unchangedRatio: number;
  /** Save → generated/ written in watch mode: median and every edit, ms. */
  watchMs: number;
  watchEdits: number[];
}

const bin = (name: string) => join(ROOT, "node_modules/.bin", name);
const env = { ...process.env, REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", REDOCLY_TELEMETRY: "off" };

function timed(cmd: string, args: string[], extraEnv: Record<string, string> = {}): number {
  const start = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", env: { ...env, ...extraEnv } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return performance.now() - start;
}

/** The chain as scripts/generate.mjs ran it before it became one process. */
function chain(spec: string, out: string): number {
  const start = performance.now();
  timed(bin("redocly"), ["lint", spec, "--format", "codeframe", "--max-problems", "50"]);
  timed(bin("redocly"), ["bundle", spec, "--output", join(out, "openapi.yaml")]);
  timed(bin("openapi-typescript"), [
    join(out, "openapi.yaml"), "--output", join(out, "schema.d.ts"), "--redocly", join(ROOT, "scripts/openapi-ts.redocly.yaml"),
    "--read-write-markers", "--default-non-nullable", "false", "--root-types", "--alphabetize",
  ]);
  return performance.now() - start;
}

/** Rewrites one description in the copy, differently each call, so the spec really changed. */
function editor(file: string) {
  const original = readFileSync(file, "utf8");
  let n = 0;
  return () => {
    n++;
    writeFileSync(file, original.replace("Lists the VPCs on the account", `Lists the VPCs on the account (edit ${n})`));
    return `(edit ${n})`;
  };
}

export async function benchGenerate(rounds = 5, watchEdits = 10): Promise<GenerateBench> {
  const dir = mkdtempSync(join(tmpdir(), "do-bench-generate-"));
  try {
    cpSync(join(ROOT, "spec"), join(dir, "spec"), { recursive: true });
    const spec = join(dir, "spec/openapi.yaml");
    const edit = editor(join(dir, "spec/paths/vpcs/vpcs.yaml"));
    const one = { SPEC_ROOT: spec, GENERATED_DIR: join(dir, "one") };
    const onePass = () => timed(process.execPath, [join(ROOT, "scripts/generate.mjs")], one);
    const chainMs: number[] = [], editedMs: number[] = [], unchangedMs: number[] = [], edited: number[] = [], unchanged: number[] = [];
    for (let i = 0; i < rounds; i++) {
      edit();
      let c: number, e: number;
      if (i % 2) {
        c = chain(spec, mkdtempSync(join(dir, "chain-")));
        e = onePass();
      } else {
        e = onePass();
        c = chain(spec, mkdtempSync(join(dir, "chain-")));
      }
      const u = onePass(); // nothing changed since `e`
      chainMs.push(c), editedMs.push(e), unchangedMs.push(u), edited.push(e / c), unchanged.push(u / c);
    }
    const watchMs = await benchWatch(dir, edit, watchEdits);
    return {
      rounds,
      chainMs: median(chainMs),
      editedMs: median(editedMs),
      unchangedMs: median(unchangedMs),
      editedRatio: median(edited),
      unchangedRatio: median(unchanged),
      watchMs: median(watchMs),
      watchEdits: watchMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--watch` on the copy: ms from each save until the watcher prints that generated/ was written. */
async function benchWatch(dir: string, edit: () => string, edits: number): Promise<number[]> {
  const proc = spawn(process.execPath, [join(ROOT, "scripts/generate.mjs"), "--watch"], {
    cwd: dir,
    env: { ...env, SPEC_ROOT: "spec/openapi.yaml", GENERATED_DIR: "watch" },
  });
  let output = "";
  let exited: Error | undefined;
  let wake = () => {};
  proc.stdout.setEncoding("utf8").on("data", (chunk: string) => ((output += chunk), wake()));
  proc.stderr.setEncoding("utf8").on("data", (chunk: string) => ((output += chunk), wake()));
  proc.once("exit", (code) => ((exited = new Error(`the watcher exited (${code}):\n${output}`)), wake()));
  /** Resolves once the output since `from` matches `pattern`. */
  const printed = (pattern: RegExp, from: number) =>
    new Promise<void>((resolve, reject) => {
      wake = () => (exited ? reject(exited) : pattern.test(output.slice(from)) && resolve());
      wake();
    });
  try {
    await printed(/Watching/, 0);
    const times: number[] = [];
    for (let i = 0; i < edits; i++) {
      const from = output.length;
      const start = performance.now();
      const marker = edit();
      await printed(/written in/, from);
      times.push(performance.now() - start);
      if (!readFileSync(join(dir, "watch/openapi.yaml"), "utf8").includes(marker)) throw new Error(`generated/ lacks ${marker}`);
    }
    return times;
  } finally {
    proc.kill("SIGINT");
  }
}
