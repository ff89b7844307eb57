// `npm run release` and `npm run diff -- last-release`, in a temporary git repository made from this working
// tree (what the release command reads and writes: spec/, generated/, scripts/, package files, CHANGELOG.md).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./helpers/spec.js";

const repo = mkdtempSync(join(tmpdir(), "do-release-"));
const EDITED = "spec/components/schemas/vpcs/VpcCreate.yaml";

function git(...args: string[]): string {
  const r = spawnSync("git", args, { cwd: repo, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

function node(script: string, ...args: string[]) {
  const env = { ...process.env, INIT_CWD: repo }; // as `npm run` in the repository sets it
  const r = spawnSync(process.execPath, [join(repo, "scripts", script), ...args], { cwd: repo, env, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const read = (file: string) => readFileSync(join(repo, file), "utf8");
const version = () => JSON.parse(read("package.json")).version as string;

beforeAll(() => {
  // Every file git would commit here, uncommitted changes included; node_modules is this project's.
  const files = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .stdout.split("\n")
    .filter((f) =>
      /^(spec|generated|scripts|src)\/|^(package\.json|package-lock\.json|CHANGELOG\.md|redocly\.yaml)$/.test(f),
    );
  for (const file of files) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    cpSync(join(ROOT, file), join(repo, file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"));
  writeFileSync(join(repo, ".gitignore"), "node_modules\n");
  git("init", "--quiet", "--initial-branch=main");
  git("config", "user.name", "Release Test");
  git("config", "user.email", "release-test@example.invalid");
  git("add", "--all");
  git("commit", "--quiet", "-m", "base");
}, 60_000);

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("npm run release", { timeout: 120_000 }, () => {
  it("finds no base where neither a tag nor a commit CHANGELOG names is in the clone", () => {
    const r = node("diff.mjs", "last-release");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /last-release: CHANGELOG\.md's release \d+\.\d+\.\d+ names commit [0-9a-f]{40}, which this clone does not have/,
    );
  });

  it("auto: releases the bump the change report implies, with its CHANGELOG section, version and tag", () => {
    git("tag", "-a", `v${version()}`, "-m", "the release before");
    const before = version();
    const spec = read(EDITED);
    expect(spec, `${EDITED} is the file this test narrows`).toContain("maxLength: 255");
    writeFileSync(join(repo, EDITED), spec.replace("maxLength: 255", "maxLength: 100"));
    expect(node("generate.mjs").status).toBe(0);
    git("commit", "--quiet", "--all", "-m", "narrow a VPC's name");
    const cutFrom = git("rev-parse", "HEAD");

    const r = node("release.mjs", "auto");

    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const next = before.startsWith("0.") ? before.replace(/^0\.(\d+)\.\d+$/, (_, m) => `0.${Number(m) + 1}.0`) : "";
    expect(version()).toBe(next); // 0.x: minor on a breaking change
    expect(JSON.parse(read("package-lock.json")).version).toBe(next);
    expect(read("src/version.ts")).toContain(`export const VERSION = "${next}";`);
    const changelog = read("CHANGELOG.md");
    const section = changelog.slice(changelog.indexOf(`## ${next} — `), changelog.indexOf(`## ${before}`));
    expect(changelog.indexOf("## Unreleased")).toBeLessThan(changelog.indexOf(`## ${next}`));
    expect(section).toContain(`\`${cutFrom}\``);
    expect(section).toContain("### API changes: 1 breaking");
    expect(section).toMatch(/- \*\*`POST \/v2\/vpcs`\*\*\n {2}- `maxLength` of .* 255 → 100/);
    expect(changelog.slice(changelog.indexOf("## Unreleased"), changelog.indexOf(`## ${next}`))).not.toContain("### ");
    expect(section, "the Unreleased notes move into the release").toContain("### Other");
    expect(git("rev-parse", `v${next}^{commit}`)).toBe(git("rev-parse", "HEAD"));
    expect(git("rev-parse", "HEAD^")).toBe(cutFrom);
    expect(git("log", "-1", "--format=%s")).toBe(`Release v${next}`);
    expect(git("status", "--porcelain")).toBe("");
    expect(r.stdout).toContain(`git push origin HEAD v${next}`);
  });

  it("diff -- last-release: compares with the tag, and without tags with the commit CHANGELOG names", () => {
    const tagged = node("diff.mjs", "last-release", "--json");
    expect(tagged.stderr).toMatch(new RegExp(`last-release: v${version()}, [0-9a-f]{12} \\(from tag\\)`));
    expect(JSON.parse(tagged.stdout)).toEqual({ breaking: 0, changes: [] });

    git("tag", "-d", `v${version()}`);
    const recorded = node("diff.mjs", "last-release", "--json");
    expect(recorded.stderr).toContain("(from CHANGELOG.md)");
    expect(JSON.parse(recorded.stdout)).toEqual({ breaking: 0, changes: [] });
    git("tag", "-a", `v${version()}`, "-m", "again");
  });

  it("--dry-run prints the next section and changes nothing", () => {
    const head = git("rev-parse", "HEAD");
    const r = node("release.mjs", "patch", "--dry-run");
    expect(r.status).toBe(0);
    const next = version().replace(/\d+$/, (p) => String(Number(p) + 1));
    expect(r.stdout).toContain(`→ v${next}`);
    expect(r.stdout).toContain(`## ${next} — `);
    expect(r.stdout).toContain("--dry-run: nothing changed.");
    expect(git("rev-parse", "HEAD")).toBe(head);
    expect(git("status", "--porcelain")).toBe("");
    expect(git("tag", "--list", `v${next}`)).toBe("");
  });

  it("refuses a dirty working tree, a generated/ that does not match spec/, and an unknown kind", () => {
    writeFileSync(join(repo, "CHANGELOG.md"), `${read("CHANGELOG.md")}\nstray\n`);
    const dirty = node("release.mjs", "patch");
    expect(dirty.status).toBe(2);
    expect(dirty.stderr).toContain("uncommitted changes");
    git("checkout", "--", "CHANGELOG.md");

    writeFileSync(join(repo, EDITED), read(EDITED).replace("maxLength: 100", "maxLength: 90"));
    git("commit", "--quiet", "--all", "-m", "spec without generate");
    const drift = node("release.mjs", "patch");
    expect(drift.status).toBe(2);
    expect(drift.stderr).toContain("generated/ does not match spec/");
    git("reset", "--quiet", "--hard", "HEAD^");

    const unknown = node("release.mjs", "sideways");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown release kind sideways");
    expect(git("status", "--porcelain")).toBe("");
  });
});

describe("the version", () => {
  it("of the User-Agent, src/version.ts, is package.json's", async () => {
    const { VERSION } = await import("../src/version.js");
    expect(VERSION).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  });
});

describe("the publish workflow", () => {
  const workflow = parse(readFileSync(join(ROOT, ".github/workflows/publish.yml"), "utf8"));
  const steps: { run?: string; uses?: string }[] = workflow.jobs.publish.steps;

  it("publishes with provenance on a pushed release tag, after CI's checks, when the tag is the version", () => {
    expect(workflow.on.push.tags).toEqual(["v*.*.*"]);
    expect(workflow.permissions["id-token"]).toBe("write");
    const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
    const at = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
    expect(at(/GITHUB_REF_NAME/)).toBeGreaterThanOrEqual(0);
    expect(at(/\.ci\/run/)).toBeGreaterThan(at(/GITHUB_REF_NAME/));
    expect(at(/^npm publish --provenance/)).toBeGreaterThan(at(/\.ci\/run/));
  });
});
