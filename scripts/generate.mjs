// spec/ → generated/openapi.yaml → generated/schema.d.ts, atomically, in one process (scripts/lib/generate.mjs).
//
//   node scripts/generate.mjs          lint, bundle, compile types, then write generated/; prints what changed
//   node scripts/generate.mjs --check  the same without writing: fails if generated/ differs (drift)
//   node scripts/generate.mjs --watch  regenerate on every save under spec/ until Ctrl-C (`npm run dev`)
//   --force                            ignore the record of the last run and redo every step
//
// SPEC_ROOT and GENERATED_DIR point it at another spec and output directory (the tests use temp copies).
// A broken spec leaves generated/ byte-for-byte as it was; the error names the file and line of each problem.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { GenerateError, ROOT, generate, warmUp } from "./lib/generate.mjs";
import { where } from "./lib/problems.mjs";

const FLAGS = ["--check", "--watch", "--force"];
const args = process.argv.slice(2);
const watchMode = args.includes("--watch");
const unknown = args.filter((a) => !FLAGS.includes(a));
if (unknown.length || (args.includes("--check") && watchMode)) {
  console.error(
    `usage: node scripts/generate.mjs [--check | --watch] [--force]${unknown.length ? ` (unknown: ${unknown.join(" ")})` : ""}`,
  );
  process.exit(2);
}
const options = {
  specRoot: process.env.SPEC_ROOT ?? `${ROOT}/spec/openapi.yaml`,
  outDir: process.env.GENERATED_DIR ?? `${ROOT}/generated`,
  check: args.includes("--check"),
  cache: !args.includes("--force"),
};
// Relative to the working directory, or absolute when outside it (never `../../tmp/…`).
const shown = (path) => where(path) || ".";
const out = (file) => `${shown(options.outDir)}/${file}`;

/**
 * The change report (scripts/lib/diff.mjs, as `npm run diff` prints it) between two bundled documents. js-yaml
 * reads a previous openapi.yaml: it is what @redocly/openapi-core writes it with, and 5× faster than yaml.
 */
async function changeReport(before, after) {
  const { diffSpecs, formatReport } = await import("./lib/diff.mjs");
  const { version } = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8"));
  return formatReport(await diffSpecs(before, after), "text", { version });
}

const { load: parseYaml } = (await import("js-yaml")).default;
/** In watch mode, the bundled document generated/openapi.yaml holds, to report what the next save changes. */
let last;

/**
 * One generation with its messages: what was written, then the change report when generated/openapi.yaml
 * changed (in watch mode after every regeneration, so each save says what it did). Never throws: returns false
 * when it failed (and generated/ is untouched).
 */
async function run({ watching = false } = {}) {
  const started = performance.now();
  try {
    const result = await generate(options);
    const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    if (result.warnings) console.warn(result.warnings);
    if (result.status === "stale") {
      console.error(
        `${shown(options.outDir)}/ is out of date with spec/ (${result.changed.join(", ")}). Run \`npm run generate\` and commit the result.`,
      );
      return false;
    }
    if (result.status === "written") console.log(`${result.changed.map(out).join(", ")} written in ${took}.`);
    else
      console.log(
        `${shown(options.outDir)}/ is up to date with spec/ (${result.skipped ? "no input changed since the last run" : "nothing changed"}; ${took}).`,
      );
    const previous = result.previous?.["openapi.yaml"];
    const before = !result.document
      ? undefined
      : watching
        ? last
        : previous !== undefined
          ? parseYaml(previous)
          : undefined;
    if (!options.check && before !== undefined) console.log((await changeReport(before, result.document)).trimEnd());
    if (watchMode) last = result.document ?? last ?? parseYaml(readFileSync(`${options.outDir}/openapi.yaml`, "utf8"));
    return true;
  } catch (err) {
    console.error(err instanceof GenerateError ? err.message : (err?.stack ?? String(err)));
    console.error(`${shown(options.outDir)}/ was left untouched.`);
    return false;
  }
}

if (!watchMode) {
  process.exitCode = (await run()) ? 0 : 1;
} else {
  // The watcher starts first, so that no save is lost: one before it is ready is read by the first run, one
  // after it is queued, and regenerates once the first run and the warm-up (the libraries loaded and run once,
  // so the first save is as fast as the next ones) are done.
  const { watchSpec } = await import("./lib/watch.mjs");
  const specDir = dirname(options.specRoot);
  let started;
  const ready = new Promise((resolve) => (started = resolve));
  const watcher = watchSpec(specDir, async (paths) => {
    await ready;
    console.log(`\n${paths.map(shown).join(", ")} changed; regenerating…`);
    if (!(await run({ watching: true }))) console.error(`Still watching ${shown(specDir)}/.`);
  });
  process.once("SIGINT", async () => {
    await watcher.close();
    console.log("Stopped watching.");
    process.exit(0);
  });
  await watcher.ready;
  await run();
  await Promise.all([warmUp(options), import("./lib/diff.mjs")]);
  started();
  console.log(`Watching ${shown(specDir)}/ for changes (Ctrl-C to stop).`);
}
