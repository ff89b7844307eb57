// What changed in the API between two versions of the spec, and whether it breaks client users.
//
//   npm run diff -- <base> [<head>] [--json | --markdown] [--fail-on-breaking]
//   npm run diff -- last-release            since the last release (its tag vX.Y.Z, else CHANGELOG.md)
//
// base and head are each a git ref (spec/ at the top of that commit) or a path to an OpenAPI file or a
// spec directory; head defaults to the working tree's spec/. Refs and paths are the caller's (INIT_CWD).
// Exit codes: 0 done, 1 breaking changes with --fail-on-breaking, 2 usage error (bad flag, unknown ref,
// unreadable or invalid spec).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { diffSpecs, formatReport } from "./lib/diff.mjs";
import { lastRelease } from "./lib/release.mjs";

const USAGE = "usage: npm run diff -- <base> [<head>] [--json | --markdown] [--fail-on-breaking]";
const cwd = process.env.INIT_CWD ?? process.cwd(); // npm run moves to the package root; paths are the caller's

class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { format: "text", failOnBreaking: false, inputs: [] };
  for (const arg of argv) {
    if (arg === "--json" || arg === "--markdown") {
      if (opts.format !== "text") throw new UsageError("--json and --markdown exclude each other.");
      opts.format = arg.slice(2);
    } else if (arg === "--fail-on-breaking") opts.failOnBreaking = true;
    else if (arg === "--help" || arg === "-h") opts.help = true;
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}.`);
    else opts.inputs.push(arg);
  }
  if (!opts.help && (opts.inputs.length < 1 || opts.inputs.length > 2))
    throw new UsageError("give a base (and optionally a head) to compare.");
  return opts;
}

function git(args, options = {}) {
  return spawnSync("git", args, { cwd, maxBuffer: 256 * 1024 * 1024, ...options });
}

/** The file to bundle for an input: a file as is, a directory's openapi.yaml, or spec/ of a git ref materialised in `tmp`. */
function entryFile(input, tmp) {
  const path = resolve(cwd, input);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) return path;
    const entry = join(path, "openapi.yaml");
    if (!existsSync(entry)) throw new UsageError(`${input} is a directory without an openapi.yaml.`);
    return entry;
  }
  const commit = git(["rev-parse", "--verify", "--quiet", `${input}^{commit}`], { encoding: "utf8" });
  if (commit.status !== 0)
    throw new UsageError(
      `${input} is neither a file, a directory nor a git ref${commit.error ? ` (git: ${commit.error.message})` : ""}.`,
    );
  const sha = commit.stdout.trim();
  const archive = git(["archive", "--format=tar", `${sha}:spec`]); // spec/ at the top of the repository
  if (archive.status !== 0) throw new UsageError(`${input} (${sha.slice(0, 12)}) has no spec/ directory.`);
  const dir = mkdtempSync(join(tmp, "ref-"));
  const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
  if (untar.status !== 0) throw new UsageError(`could not unpack spec/ of ${input}: ${String(untar.stderr).trim()}`);
  const entry = join(dir, "openapi.yaml");
  if (!existsSync(entry)) throw new UsageError(`${input} (${sha.slice(0, 12)}) has no spec/openapi.yaml.`);
  return entry;
}

/** Bundles an input into one document (internal $refs only), or says clearly why it cannot. */
async function load(input, tmp) {
  const file = entryFile(input, tmp);
  const { bundle, createConfig, getLineColLocation } = await import("@redocly/openapi-core");
  const shown = (message) =>
    file.startsWith(tmp) ? message.replaceAll(`${dirname(file)}/`, `${input}:spec/`) : message;
  let result;
  try {
    result = await bundle({ ref: file, config: await createConfig({}) });
  } catch (err) {
    const reason = err.message.split("\n")[0];
    throw new UsageError(
      /unsupported specification/i.test(reason)
        ? `${input} is not an OpenAPI 3 document.`
        : shown(`cannot read ${input}: ${reason}`),
    );
  }
  const problem = result.problems.find((p) => p.severity === "error");
  if (problem) {
    const at = problem.location?.[0];
    const line = at?.source ? `:${getLineColLocation(at).start.line}` : "";
    const message = `cannot bundle ${at?.source?.absoluteRef ?? input}${line}: ${problem.message}`;
    throw new UsageError(shown(message));
  }
  const doc = result.bundle.parsed;
  if (typeof doc?.openapi !== "string" || !doc.openapi.startsWith("3."))
    throw new UsageError(`${input} is not an OpenAPI 3 document.`);
  return doc;
}

/** spec/ in the working tree of the repository the refs come from (this package's own outside of one). */
function workingSpec() {
  const top = git(["rev-parse", "--show-toplevel"], { encoding: "utf8" });
  return top.status === 0 ? join(top.stdout.trim(), "spec") : join(import.meta.dirname, "../spec");
}

/** The commit of the last release (its tag, else CHANGELOG.md), said on stderr so that stdout stays the report. */
function lastReleaseCommit() {
  try {
    const last = lastRelease(import.meta.dirname, readFileSync(join(import.meta.dirname, "../CHANGELOG.md"), "utf8"));
    console.error(`last-release: v${last.version}, ${last.commit.slice(0, 12)} (from ${last.from})`);
    return last.commit;
  } catch (err) {
    throw new UsageError(`last-release: ${err.message}`);
  }
}

function version() {
  try {
    return JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

const tmp = mkdtempSync(join(tmpdir(), "do-diff-"));
try {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    console.log(USAGE);
  } else {
    const [given, headInput = workingSpec()] = opts.inputs;
    const baseInput = given === "last-release" ? lastReleaseCommit() : given;
    const report = await diffSpecs(await load(baseInput, tmp), await load(headInput, tmp));
    process.stdout.write(
      opts.format === "json"
        ? `${JSON.stringify(report, null, 2)}\n`
        : formatReport(report, opts.format, { version: version() }),
    );
    if (opts.failOnBreaking && report.breaking > 0) process.exitCode = 1;
  }
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`diff: ${err.message}\n${USAGE}`);
  process.exitCode = 2;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
