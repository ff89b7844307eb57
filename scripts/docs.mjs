// generated/openapi.yaml + docs/ → docs-site/, a static API reference that works offline.
//
//   node scripts/docs.mjs                 build docs-site/ from docs/samples/
//   node scripts/docs.mjs --out DIR       build into DIR instead (tests build into a temp dir)
//   node scripts/docs.mjs --samples DIR   take the samples from DIR instead
//
// Each operation gets the TypeScript sample docs/samples/<operationId>.ts as `x-codeSamples` and its token
// scopes in its description, in a copy of the bundle (generated/ is never touched). Redocly `build-docs`
// renders the page with the Redoc bundle inlined; the one remote asset it still points at (the "API docs
// by Redocly" logo on cdn.redoc.ly) is swapped for a local copy, and the build fails if any other remote
// reference remains. The output directory is replaced in one step, only after everything succeeded.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const docs = join(root, "docs");
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** The directory given as `--name DIR` on the command line, else `fallback`. */
function dirOption(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  if (process.argv[i + 1]) return resolve(process.argv[i + 1]);
  console.error(`--${name} needs a directory.`);
  process.exit(1);
}

/**
 * Prepares the docs copy of the bundle: each operation gets its sample as `x-codeSamples` and its token
 * scopes (`x-required-scopes`) spelt out in its description. Fails naming every operation without a sample
 * and every sample without an operation.
 */
function prepare(bundle, samplesDir) {
  const samples = new Map(
    readdirSync(samplesDir)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => [basename(f, ".ts"), readFileSync(join(samplesDir, f), "utf8").trimEnd()]),
  );
  const missing = [];
  for (const item of Object.values(bundle.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const source = samples.get(op.operationId);
      if (source === undefined) missing.push(op.operationId);
      else op["x-codeSamples"] = [{ lang: "TypeScript", label: "TypeScript", source }];
      samples.delete(op.operationId);
      const scopes = op["x-required-scopes"] ?? [];
      if (scopes.length)
        op.description =
          `${op.description ?? ""}\n\n**Token scopes:** ${scopes.map((scope) => `\`${scope}\``).join(", ")}`.trim();
    }
  }
  const problems = [
    ...missing.map((id) => `no sample for operation ${id}: add ${relative(root, join(samplesDir, `${id}.ts`))}`),
    ...[...samples.keys()].map(
      (id) => `${relative(root, join(samplesDir, `${id}.ts`))} matches no operationId in generated/openapi.yaml`,
    ),
  ];
  if (problems.length) throw new Error(problems.join("\n"));
}

/** Remote URLs the page would load (scripts, styles, images, fonts, preloads), as opposed to mere links. */
function remoteLoads(html) {
  const patterns = [
    /<(?:script|img|iframe|source|embed)\b[^>]*\bsrc=["']?((?:https?:)?\/\/[^"'\s>]+)/gi,
    /<link\b[^>]*\bhref=["']?((?:https?:)?\/\/[^"'\s>]+)/gi,
    /url\(\s*["']?((?:https?:)?\/\/[^"')\s]+)/gi,
    /@import\s+["']((?:https?:)?\/\/[^"']+)/gi,
    /\bimport\s*(?:\(\s*)?["']((?:https?:)?\/\/[^"']+)/g,
    /(https?:\/\/(?:cdn\.redoc\.ly|fonts\.(?:googleapis|gstatic)\.com)[^"'`\s)]*)/g,
  ];
  return [...new Set(patterns.flatMap((re) => [...html.matchAll(re)].map((m) => m[1])))];
}

function run(step, cmd, args) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", REDOCLY_TELEMETRY: "off" },
  });
  if (r.status !== 0) throw new Error(`${step} failed:\n${`${r.stdout ?? ""}${r.stderr ?? ""}`.trim()}`);
}

const started = performance.now();
const out = dirOption("out", join(root, "docs-site"));
const samplesDir = dirOption("samples", join(docs, "samples"));
const work = mkdtempSync(join(tmpdir(), "do-docs-"));
const staging = `${out}.tmp-${process.pid}`;
try {
  const bundle = parse(readFileSync(join(root, "generated/openapi.yaml"), "utf8"));
  prepare(bundle, samplesDir);
  bundle.info["x-logo"] = { url: "assets/logo.svg", altText: "digitalocean-typed" };
  writeFileSync(join(work, "openapi.json"), JSON.stringify(bundle));

  run("redocly build-docs", join(root, "node_modules/.bin/redocly"), [
    "build-docs",
    join(work, "openapi.json"),
    "--output",
    join(work, "index.html"),
    "--inlineBundle",
    "--template",
    join(docs, "template.hbs"),
    "--openapi",
    join(docs, "redoc-options.json"),
  ]);

  const html = readFileSync(join(work, "index.html"), "utf8").replace(
    /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg/g,
    (_, full) => `assets/redocly${full ?? ""}.svg`,
  );
  const remote = remoteLoads(html);
  if (remote.length)
    throw new Error(`the page would load from other hosts, so it would not work offline:\n  ${remote.join("\n  ")}`);

  rmSync(staging, { recursive: true, force: true });
  cpSync(join(docs, "assets"), join(staging, "assets"), { recursive: true });
  writeFileSync(join(staging, "index.html"), html);
  cpSync(join(root, "generated/openapi.yaml"), join(staging, "openapi.yaml"));
  writeFileSync(join(staging, ".nojekyll"), "");
  if (existsSync(out)) rmSync(out, { recursive: true });
  renameSync(staging, out);
  console.log(
    `Docs site written to ${out}/ in ${((performance.now() - started) / 1000).toFixed(1)} s (index.html ${Math.round(html.length / 1024)} KiB).`,
  );
} catch (err) {
  console.error(`Docs build failed: ${err.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
}
