// spec/ → generated/, in one process: lint and bundle with @redocly/openapi-core 2.x, types with openapi-typescript.
//
// Atomic: every output is computed in memory first; outDir is only touched after lint, bundle and every output
// succeeded. Skips the work when nothing it reads changed since the last successful run (see `fingerprint`).
// The heavy libraries are imported only when there is work to do.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { located } from "./problems.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(import.meta.url);

/**
 * What generation writes into outDir, in this order. `build` gets the bundle as `yaml` (the text `redocly
 * bundle` writes) and as `document` (a private copy it may change), `specRoot` and `cacheDir`; it returns the file's
 * text. `prepare`, if given, loads what build needs while the worker is still bundling. `inputs` (files,
 * relative to the repo) and `packages` feed the skip check: a change to any reruns everything. Adding a
 * generated file is one entry here.
 */
export const OUTPUTS = [
  { file: "openapi.yaml", packages: ["@redocly/openapi-core"], build: ({ yaml }) => yaml },
  {
    file: "schema.d.ts",
    packages: ["openapi-typescript"],
    inputs: ["scripts/openapi-ts.redocly.yaml"],
    // Loaded with require, as CommonJS, like its @redocly/openapi-core 1.x below: importing its ESM build sends
    // the 9 MB typescript.js through Node's CommonJS-from-ESM path, which first scans it for exports and ES
    // syntax first (bench/results.md, Notes).
    prepare: () => {
      require("openapi-typescript");
      return typesConfig();
    },
    build: async ({ document }) => {
      const { default: openapiTS, astToString, COMMENT_HEADER } = require("openapi-typescript");
      const redocly = await typesConfig();
      const ast = await openapiTS(document, {
        redocly,
        silent: true,
        readWriteMarkers: true,
        defaultNonNullable: false,
        rootTypes: true,
        alphabetize: true,
      });
      return COMMENT_HEADER + astToString(ast);
    },
  },
  // The bundle as JSON, for the fake: it reads its examples at run time without a YAML parser.
  { file: "openapi.json", build: ({ document }) => `${JSON.stringify(document)}\n` },
  {
    file: "validators.js",
    packages: ["ajv", "ajv-formats", "esbuild", "yaml"],
    inputs: ["scripts/validators.mjs"],
    prepare: () => import("../validators.mjs"),
    build: async ({ document, specRoot, cacheDir }) =>
      (await import("../validators.mjs")).validatorsSource(document, specRoot, ROOT, cacheDir),
  },
  // The operation table the client, the fake and the docs call operations by (src/contract.ts reads it).
  {
    file: "contract.js",
    inputs: ["scripts/contract.mjs"],
    build: async ({ document }) => (await import("../contract.mjs")).contractSource(document),
  },
  {
    file: "contract.d.ts",
    inputs: ["scripts/contract.mjs"],
    build: async ({ document }) => (await import("../contract.mjs")).contractTypes(document),
  },
  {
    file: "bodies.d.ts",
    inputs: ["scripts/contract.mjs"],
    build: async ({ document }) => (await import("../contract.mjs")).bodyTypes(document),
  },
  {
    file: "validators.d.ts",
    inputs: ["scripts/validators.mjs"],
    build: async () => (await import("../validators.mjs")).VALIDATORS_DTS,
  },
];

let typesConfigLoaded;
/**
 * scripts/openapi-ts.redocly.yaml, loaded once per process by openapi-typescript's own @redocly/openapi-core
 * (1.x): openapiTS takes no other Config.
 */
function typesConfig() {
  const core1 = createRequire(require.resolve("openapi-typescript")).resolve("@redocly/openapi-core");
  typesConfigLoaded ??= require(core1).loadConfig({ configPath: join(ROOT, "scripts/openapi-ts.redocly.yaml") });
  return typesConfigLoaded;
}

/** Inputs besides the spec and the outputs' own: the lint and bundle config, its plugin, and this generator. */
const INPUTS = [
  "redocly.yaml",
  "scripts/redocly-plugin.mjs",
  "scripts/lib/generate.mjs",
  "scripts/lib/redocly-worker.mjs",
  "scripts/lib/problems.mjs",
  "src/spec.js",
];

/** A failed generation: `message` names the step and, for spec problems, file:line:col of each. */
export class GenerateError extends Error {
  name = "GenerateError";
}

const sha256 = (data) => createHash("sha256").update(data).digest("hex");

/** Every spec file (YAML or JSON) under `dir`, sorted, as absolute paths. */
function specFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/.test(e.name))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** The installed version of a package, found from its entry point (2.x does not export its package.json). */
function packageVersion(name, from = require) {
  let dir = dirname(from.resolve(name));
  while (
    !existsSync(join(dir, "package.json")) ||
    JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name !== name
  ) {
    if (dir === dirname(dir)) return "unknown";
    dir = dirname(dir);
  }
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
}

/**
 * A hash of everything generation reads: every spec file (path and bytes), the lint config and plugin, each
 * output's own inputs, the generator's source, and the versions of Node and the libraries doing the work.
 */
function fingerprint(specRoot) {
  const hash = createHash("sha256");
  const files = [
    ...specFiles(dirname(specRoot)),
    ...[...INPUTS, ...OUTPUTS.flatMap((o) => o.inputs ?? [])].map((f) => join(ROOT, f)),
  ];
  for (const f of files) hash.update(`${f}\0${sha256(readFileSync(f))}\n`);
  const ts1 = createRequire(require.resolve("openapi-typescript"));
  const versions = [...new Set(OUTPUTS.flatMap((o) => o.packages ?? []))].map((p) => `${p}@${packageVersion(p)}`);
  hash.update(
    [
      specRoot,
      process.version,
      ...versions,
      `openapi-typescript's core@${packageVersion("@redocly/openapi-core", ts1)}`,
    ].join("\n"),
  );
  return hash.digest("hex");
}

const cachePath = (cacheDir, specRoot, outDir) =>
  join(cacheDir, `generate-${sha256(`${specRoot}\0${outDir}`).slice(0, 16)}.json`);

function readCache(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/** Hashes of the outputs as they are in outDir now (undefined for a missing file). */
const outputHashes = (outDir) =>
  Object.fromEntries(
    OUTPUTS.map(({ file }) => [
      file,
      existsSync(join(outDir, file)) ? sha256(readFileSync(join(outDir, file))) : undefined,
    ]),
  );

/** Runs `fn`; a throw becomes a GenerateError naming the step, with file:line:col when the error carries them. */
async function step(name, fn) {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GenerateError) throw err;
    throw new GenerateError(`${name} failed:\n${located(err)}`);
  }
}

let lastId = 0;
/**
 * The worker threads running ./redocly-worker.mjs, by name: "redocly" bundles, and lints too unless there is a
 * "lint" worker. warmUp (watch mode) starts that second one, so lint runs beside bundle rather than after it; a
 * one-shot run keeps one worker and loads @redocly/openapi-core, which is slow to load, only once.
 */
const workers = new Map();

/** Starts worker `name`; it keeps the process alive only while a task of it is pending. */
function startWorker(name) {
  const worker = new Worker(new URL("./redocly-worker.mjs", import.meta.url));
  const waiting = new Map();
  worker.on("message", ({ id, ...result }) => {
    waiting.get(id)?.(result);
    waiting.delete(id);
    if (!waiting.size) worker.unref();
  });
  worker.on("error", (err) => {
    for (const settle of waiting.values()) settle({ failure: `${located(err)}` });
    workers.delete(name);
  });
  workers.set(name, { worker, waiting });
  return workers.get(name);
}

/**
 * Runs a task of ./redocly-worker.mjs ("load", "bundle" or "lint") on `specRoot` in a worker thread, started
 * once and reused (watch mode, tests).
 */
function redocly(task, specRoot, name = task === "lint" && workers.has("lint") ? "lint" : "redocly") {
  const { worker, waiting } = workers.get(name) ?? startWorker(name);
  worker.ref();
  const id = ++lastId;
  return new Promise((settle) => {
    waiting.set(id, settle);
    worker.postMessage({ id, task, specRoot, configPath: join(ROOT, "redocly.yaml") });
  });
}

/**
 * Readies this process for regenerating on every save (watch mode): loads every library generation uses, in two
 * workers (lint then runs beside bundle) and here, then generates from `options.specRoot` `rounds` times without
 * writing anything, so that the code the first saves run is already compiled by V8 and the validators already
 * built. A spec that does not generate ends the rounds early; the watcher reports it on the next save.
 */
export async function warmUp(options = {}, rounds = 1) {
  await Promise.all([
    redocly("load", undefined, "redocly"),
    redocly("load", undefined, "lint"),
    ...OUTPUTS.map((o) => o.prepare?.()),
  ]);
  for (let i = 0; i < rounds; i++) {
    if (!(await generate({ ...options, check: true, cache: false }).catch(() => undefined))) break;
  }
}

/** Every output's text, built from the bundle: { file: text }. */
async function build({ document, yaml }, specRoot, cacheDir) {
  const text = {};
  for (const output of OUTPUTS) {
    text[output.file] = await step(output.file, () =>
      output.build({ document: structuredClone(document), yaml, specRoot, cacheDir }),
    );
  }
  return text;
}

/**
 * Lints and bundles `specRoot`, builds every entry of OUTPUTS and writes them into `outDir` — or, with `check`,
 * compares them with outDir instead. Nothing is written unless every step succeeded. Throws a GenerateError
 * whose message names file:line:col of each problem.
 *
 * Skips lint, bundle and build when the fingerprint of the inputs equals the one recorded after the last
 * successful run for this specRoot and outDir, and outDir still holds exactly what that run produced.
 */
export async function generate({
  specRoot = join(ROOT, "spec/openapi.yaml"),
  outDir = join(ROOT, "generated"),
  check = false,
  cache = true,
  cacheDir = join(ROOT, "node_modules/.cache/digitalocean-typed"),
} = {}) {
  specRoot = resolve(specRoot);
  outDir = resolve(outDir);
  const files = OUTPUTS.map((o) => o.file);
  const cacheFile = cachePath(cacheDir, specRoot, outDir);
  const inputs = await step("reading spec/", () => fingerprint(specRoot));
  const current = outputHashes(outDir);
  const recorded = cache ? readCache(cacheFile) : undefined;
  if (recorded?.inputs === inputs && files.every((f) => current[f] && recorded.outputs?.[f] === current[f])) {
    return { status: check ? "up-to-date" : "unchanged", skipped: true, changed: [], files };
  }

  // The worker bundles, then lints; the outputs are built here from the bundle while it lints. Lint's verdict
  // counts first, and nothing is written unless bundle, lint and every output succeeded.
  const bundled = redocly("bundle", specRoot);
  const linted = redocly("lint", specRoot);
  const prepared = Promise.all(OUTPUTS.map((o) => o.prepare?.()));
  const built = Promise.all([bundled, prepared])
    .then(([b]) => (b.failure ? undefined : build(b, specRoot, cacheDir)))
    .catch((err) => err);
  const { errors, report, failure } = await linted;
  if (failure) throw new GenerateError(failure);
  if (errors) throw new GenerateError(`lint failed: ${errors} error${errors === 1 ? "" : "s"}\n\n${report}`);
  if ((await bundled).failure) throw new GenerateError((await bundled).failure);
  const text = await built;
  if (text instanceof Error) throw text;
  const hashes = Object.fromEntries(files.map((f) => [f, sha256(text[f])]));
  const changed = files.filter((f) => current[f] !== hashes[f]);
  const previous = Object.fromEntries(
    changed.filter((f) => current[f]).map((f) => [f, readFileSync(join(outDir, f), "utf8")]),
  );

  if (!check) {
    mkdirSync(outDir, { recursive: true });
    // Write next to the target, then rename: each file is replaced in one step, and only after all were built.
    for (const f of changed) writeFileSync(join(outDir, `.${f}.tmp`), text[f]);
    for (const f of changed) renameSync(join(outDir, `.${f}.tmp`), join(outDir, f));
  }
  if (cache && (!check || changed.length === 0)) {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(`${cacheFile}.tmp`, JSON.stringify({ inputs, outputs: hashes }));
    renameSync(`${cacheFile}.tmp`, cacheFile);
  }
  const status = check ? (changed.length ? "stale" : "up-to-date") : changed.length ? "written" : "unchanged";
  return {
    status,
    skipped: false,
    changed,
    files,
    previous,
    outputs: text,
    document: (await bundled).document,
    warnings: report,
  };
}
