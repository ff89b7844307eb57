// Benchmark 3: generation. `node scripts/generate.mjs` (one process: lint, bundle, types, the validators and the
// change report) against the three CLIs alone (redocly lint, redocly bundle, openapi-typescript), each as a fresh
// process on a temp copy of spec/ writing to a temp directory, so the committed generated/ is never touched.
//   - after a spec edit: every round changes a description first, so nothing can be skipped;
//   - on an unchanged spec: the one-process run may skip what it did last time (the chain cannot);
//   - watch: `--watch` running, one save at a time, from the write until the watcher reports generated/ written;
//     description edits take turns with constraint edits (maxLength), for which the validators are compiled anew.
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
  /** The same in CPU time (user + system of every process and thread), which the machine's load hardly moves. */
  chainCpuMs: number;
  editedCpuRatio: number;
  unchangedCpuRatio: number;
  /** Save → generated/ written in watch mode, for a description edit: median and every edit, ms. */
  watchMs: number;
  watchEdits: number[];
  /** The same for a constraint edit (maxLength), which the conformance validators are compiled anew for. */
  watchSchemaMs: number;
  watchSchemaEdits: number[];
}

const bin = (name: string) => join(ROOT, "node_modules/.bin", name);
const env = { ...process.env, REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", REDOCLY_TELEMETRY: "off" };

const quote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;

/**
 * Runs the commands one after another in `sh`; returns the wall time and the CPU time (user + system) of all
 * of them, as the shell's `times` reports for its children. The CPU time hardly depends on the machine's load.
 */
function timed(commands: string[][], extraEnv: Record<string, string> = {}): { ms: number; cpuMs: number } {
  const script = `set -e; ${commands.map((c) => `${c.map(quote).join(" ")} 1>&2`).join("; ")}; times`;
  const start = performance.now();
  const r = spawnSync("sh", ["-c", script], { cwd: ROOT, encoding: "utf8", env: { ...env, ...extraEnv } });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${commands.map((c) => c.join(" ")).join("; ")} failed:\n${r.stderr}`);
  const [, um, us, sm, ss] = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s\s*$/.exec(r.stdout)!.map(Number) as number[];
  return { ms, cpuMs: (um! * 60 + us! + sm! * 60 + ss!) * 1000 };
}

/** The three CLIs, one after another, as a chain without the validators would run them. */
const chain = (spec: string, out: string) =>
  timed([
    [bin("redocly"), "lint", spec, "--format", "codeframe", "--max-problems", "50"],
    [bin("redocly"), "bundle", spec, "--output", join(out, "openapi.yaml")],
    [
      bin("openapi-typescript"),
      join(out, "openapi.yaml"),
      "--output",
      join(out, "schema.d.ts"),
      "--redocly",
      join(ROOT, "scripts/openapi-ts.redocly.yaml"),
      "--read-write-markers",
      "--default-non-nullable",
      "false",
      "--root-types",
      "--alphabetize",
    ],
  ]);

/**
 * Rewrites `from` in the file to `to(n)`, differently on each call n = 1, 2, …, so the spec really changed;
 * returns what generated/openapi.yaml must then contain.
 */
function editor(file: string, from: string, to: (n: number) => string) {
  const original = readFileSync(file, "utf8");
  if (!original.includes(from)) throw new Error(`${file} has no ${from}`);
  let n = 0;
  return () => {
    n++;
    writeFileSync(file, original.replace(from, to(n)));
    return to(n);
  };
}

export async function benchGenerate(rounds = 5, watchEdits = 10): Promise<GenerateBench> {
  const dir = mkdtempSync(join(tmpdir(), "do-bench-generate-"));
  try {
    cpSync(join(ROOT, "spec"), join(dir, "spec"), { recursive: true });
    const spec = join(dir, "spec/openapi.yaml");
    const edit = editor(
      join(dir, "spec/paths/vpcs/vpcs.yaml"),
      "Lists the VPCs on the account",
      (n) => `Lists the VPCs on the account (edit ${n})`,
    );
    const constrain = editor(
      join(dir, "spec/components/schemas/vpcs/VpcCreate.yaml"),
      "maxLength: 255",
      (n) => `maxLength: ${255 - n}`,
    );
    const one = { SPEC_ROOT: spec, GENERATED_DIR: join(dir, "one") };
    const onePass = () => timed([[process.execPath, join(ROOT, "scripts/generate.mjs")]], one);
    type Run = { ms: number; cpuMs: number };
    const rows: { chain: Run; edited: Run; unchanged: Run }[] = [];
    for (let i = 0; i < rounds; i++) {
      edit();
      const out = mkdtempSync(join(dir, "chain-"));
      let c: Run, e: Run;
      if (i % 2) {
        c = chain(spec, out);
        e = onePass();
      } else {
        e = onePass();
        c = chain(spec, out);
      }
      rows.push({ chain: c, edited: e, unchanged: onePass() }); // unchanged: nothing changed since `e`
    }
    const [watchMs = [], watchSchemaMs = []] = await benchWatch(dir, [edit, constrain], watchEdits);
    const med = (pick: (r: (typeof rows)[number]) => number) => median(rows.map(pick));
    return {
      rounds,
      chainMs: med((r) => r.chain.ms),
      editedMs: med((r) => r.edited.ms),
      unchangedMs: med((r) => r.unchanged.ms),
      editedRatio: med((r) => r.edited.ms / r.chain.ms),
      unchangedRatio: med((r) => r.unchanged.ms / r.chain.ms),
      chainCpuMs: med((r) => r.chain.cpuMs),
      editedCpuRatio: med((r) => r.edited.cpuMs / r.chain.cpuMs),
      unchangedCpuRatio: med((r) => r.unchanged.cpuMs / r.chain.cpuMs),
      watchMs: median(watchMs),
      watchEdits: watchMs,
      watchSchemaMs: median(watchSchemaMs),
      watchSchemaEdits: watchSchemaMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `--watch` on the copy: ms from each save until the watcher prints that generated/ was written. The kinds of
 * edit take turns, `edits` saves of each; returns the times of each kind.
 */
async function benchWatch(dir: string, kinds: (() => string)[], edits: number): Promise<number[][]> {
  const proc = spawn(process.execPath, [join(ROOT, "scripts/generate.mjs"), "--watch"], {
    cwd: dir,
    env: { ...env, SPEC_ROOT: "spec/openapi.yaml", GENERATED_DIR: "watch" },
  });
  let output = "";
  let exited: Error | undefined;
  let wake = () => {};
  proc.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
    wake();
  });
  proc.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
    wake();
  });
  proc.once("exit", (code) => {
    exited = new Error(`the watcher exited (${code}):\n${output}`);
    wake();
  });
  /** Resolves once the output since `from` matches `pattern`. */
  const printed = (pattern: RegExp, from: number) =>
    new Promise<void>((resolve, reject) => {
      wake = () => (exited ? reject(exited) : pattern.test(output.slice(from)) && resolve());
      wake();
    });
  try {
    await printed(/Watching/, 0);
    const times: number[][] = kinds.map(() => []);
    for (let i = 0; i < edits * kinds.length; i++) {
      const from = output.length;
      const start = performance.now();
      const marker = kinds[i % kinds.length]!();
      await printed(/written in/, from);
      times[i % kinds.length]!.push(performance.now() - start);
      if (!readFileSync(join(dir, "watch/openapi.yaml"), "utf8").includes(marker))
        throw new Error(`generated/ lacks ${marker}`);
    }
    return times;
  } finally {
    proc.kill("SIGINT");
  }
}
