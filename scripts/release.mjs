// Cuts a release: the change report since the last release becomes its CHANGELOG.md section, package.json
// (and the User-Agent, src/version.ts) get the new version, and the release commit is tagged vX.Y.Z.
//
//   npm run release -- patch|minor|major|auto [--dry-run]
//
// `auto` is the bump the change report implies (while 0.x: minor on a breaking change, else patch). The working
// tree must be clean and generated/ must match spec/. Nothing is pushed: the command says what to push, and the
// publish workflow publishes the tag. --dry-run prints the new section and changes nothing.
// Exit codes: 0 released, 1 a step failed (nothing is committed or tagged), 2 usage error or not releasable.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatReport, impliedBump } from "./lib/diff.mjs";
import { bump, lastRelease, withRelease } from "./lib/release.mjs";

const USAGE = "usage: npm run release -- patch|minor|major|auto [--dry-run]";
const root = resolve(import.meta.dirname, "..");
const KINDS = ["patch", "minor", "major", "auto"];

class UsageError extends Error {}

/** Runs a command in the package root; its output, or an error naming the command and what it printed. */
function run(cmd, args) {
  // INIT_CWD: where diff.mjs takes refs from, as under `npm run` (an outer npm run may have set another).
  const env = { ...process.env, INIT_CWD: root };
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0)
    throw new Error(`${[cmd, ...args].join(" ")} failed:\n${`${r.stdout ?? ""}${r.stderr ?? ""}`.trim()}`);
  return r.stdout.trim();
}

function parseArgs(argv) {
  const kind = argv.find((arg) => !arg.startsWith("-"));
  const unknown = argv.filter((arg) => arg.startsWith("-") && arg !== "--dry-run");
  if (unknown.length) throw new UsageError(`unknown option ${unknown[0]}.`);
  if (!KINDS.includes(kind)) throw new UsageError(kind ? `unknown release kind ${kind}.` : "say which release.");
  return { kind, dryRun: argv.includes("--dry-run") };
}

/** Refuses to release what is not committed, or a generated/ that does not match spec/. */
function checkReleasable(version) {
  const dirty = run("git", ["status", "--porcelain"]);
  if (dirty) throw new UsageError(`the working tree has uncommitted changes; commit or stash them first:\n${dirty}`);
  if (run("git", ["tag", "--list", `v${version}`])) throw new UsageError(`tag v${version} already exists.`);
  const check = spawnSync(process.execPath, [join(root, "scripts/generate.mjs"), "--check"], {
    cwd: root,
    encoding: "utf8",
  });
  if (check.status !== 0)
    throw new UsageError(`generated/ does not match spec/: run npm run generate and commit.\n${check.stderr.trim()}`);
}

const RELEASE_FILES = ["CHANGELOG.md", "package.json", "package-lock.json", "src/version.ts"];

/** Writes the release's files, commits them and tags the commit; on a failure before the commit, undoes the writes. */
function cut(version, changelog) {
  try {
    writeFileSync(join(root, "CHANGELOG.md"), changelog);
    run("npm", ["version", version, "--no-git-tag-version"]);
    writeFileSync(
      join(root, "src/version.ts"),
      `// Written by npm run release from package.json (test/release.test.ts checks that they agree).\nexport const VERSION = "${version}";\n`,
    );
    run("git", ["add", ...RELEASE_FILES]);
    run("git", ["commit", "--quiet", "-m", `Release v${version}`]);
  } catch (err) {
    spawnSync("git", ["reset", "--quiet", "--", ...RELEASE_FILES], { cwd: root });
    spawnSync("git", ["checkout", "--", ...RELEASE_FILES], { cwd: root });
    throw err;
  }
  run("git", ["tag", "-a", `v${version}`, "-m", `v${version}`]);
}

try {
  const { kind, dryRun } = parseArgs(process.argv.slice(2));
  const changelog = readFileSync(join(root, "CHANGELOG.md"), "utf8");
  const current = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  let last;
  try {
    last = lastRelease(root, changelog);
  } catch (err) {
    throw new UsageError(err.message);
  }
  const report = JSON.parse(run(process.execPath, [join(root, "scripts/diff.mjs"), last.commit, "--json"]));
  const implied = impliedBump(report, current);
  const version = bump(current, kind === "auto" ? (implied === "none" ? "patch" : implied) : kind);
  if (!dryRun) checkReleasable(version);

  const head = run("git", ["rev-parse", "HEAD"]);
  const date = new Date().toISOString().slice(0, 10);
  const markdown = formatReport(report, "markdown", { version: current });
  const next = withRelease(changelog, { version, date, commit: head, report: markdown });
  console.log(`v${last.version} (${last.commit.slice(0, 12)}, from ${last.from}) → v${version}\n\n${next.section}`);
  if (dryRun) console.log("--dry-run: nothing changed.");
  else {
    cut(version, next.changelog);
    console.log(`Committed and tagged v${version}. Publish with: git push origin HEAD v${version}`);
  }
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`release: ${err.message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`release: ${err.message}`);
    process.exitCode = 1;
  }
}
