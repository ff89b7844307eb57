// spec/ → generated/openapi.yaml → generated/schema.d.ts, atomically.
//
//   node scripts/generate.mjs          lint, bundle, compile types and validators, then move them into generated/
//   node scripts/generate.mjs --check  do the same in a temp dir and fail if generated/ differs (drift)
//
// Every step writes into a fresh temp directory; generated/ is only touched after all steps succeeded,
// so a broken spec leaves it byte-for-byte as it was. Lint output names the file and line of a problem.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, copyFileSync, rmSync, mkdirSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { VALIDATORS_DTS, validatorsSource } from "./validators.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const spec = process.env.SPEC_ROOT ?? join(root, "spec/openapi.yaml");
const outDir = process.env.GENERATED_DIR ?? join(root, "generated");
const bin = (name) => join(root, "node_modules/.bin", name);
const OUTPUTS = ["openapi.yaml", "schema.d.ts", "validators.js", "validators.d.ts"];

function run(step, cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", env: { ...process.env, REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", REDOCLY_TELEMETRY: "off" } });
  if (r.status !== 0) {
    const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.replace(/\n{3,}/g, "\n\n").trim();
    throw new Error(`${step} failed${output ? `:\n${output}` : ""}`);
  }
  return r;
}

const tmp = mkdtempSync(join(tmpdir(), "do-generate-"));
const check = process.argv.includes("--check");
const started = performance.now();
try {
  run("lint (redocly lint)", bin("redocly"), ["lint", spec, "--format", "codeframe", "--max-problems", "50"]);
  run("bundle (redocly bundle)", bin("redocly"), ["bundle", spec, "--output", join(tmp, "openapi.yaml")]);
  run("types (openapi-typescript)", bin("openapi-typescript"), [
    join(tmp, "openapi.yaml"),
    "--output", join(tmp, "schema.d.ts"),
    "--redocly", join(root, "scripts/openapi-ts.redocly.yaml"),
    "--read-write-markers", "--default-non-nullable", "false", "--root-types", "--alphabetize",
  ]);
  try {
    const doc = parse(readFileSync(join(tmp, "openapi.yaml"), "utf8"));
    writeFileSync(join(tmp, "validators.js"), await validatorsSource(doc, spec, root));
    writeFileSync(join(tmp, "validators.d.ts"), VALIDATORS_DTS);
  } catch (err) {
    throw new Error(`validators (scripts/validators.mjs) failed: ${err.message}`);
  }
  if (check) {
    const stale = OUTPUTS.filter((f) => !existsSync(join(outDir, f)) || readFileSync(join(outDir, f), "utf8") !== readFileSync(join(tmp, f), "utf8"));
    if (stale.length) {
      console.error(`generated/ is out of date with spec/ (${stale.join(", ")}). Run \`npm run generate\` and commit the result.`);
      process.exitCode = 1;
    } else {
      console.log("generated/ is up to date with spec/.");
    }
  } else {
    mkdirSync(outDir, { recursive: true });
    // Copy next to the target first, then rename: each file is replaced in one step.
    for (const f of OUTPUTS) copyFileSync(join(tmp, f), join(outDir, `.${f}.tmp`));
    for (const f of OUTPUTS) renameSync(join(outDir, `.${f}.tmp`), join(outDir, f));
    console.log(`generated/${OUTPUTS.join(", generated/")} written in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  }
} catch (err) {
  console.error(err.message);
  console.error("generated/ was left untouched.");
  process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
