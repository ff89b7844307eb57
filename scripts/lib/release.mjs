// Releases: which one was last, and the CHANGELOG.md section of the next one.
//
// A release is a tag vX.Y.Z on its release commit and a section `## X.Y.Z — date` in CHANGELOG.md that names a
// commit whose spec/ is the release's, so the release can be found where tags did not travel (a plain clone of
// a mirror, a CI checkout without tags).
import { spawnSync } from "node:child_process";

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

function git(cwd, args) {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** `a` minus `b` in version order (negative when `a` is older). */
export function compareVersions(a, b) {
  const [x, y] = [a, b].map((v) => SEMVER.exec(v).slice(1).map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** The version after `version` for a patch, minor or major release. */
export function bump(version, kind) {
  const [major, minor, patch] = SEMVER.exec(version).slice(1).map(Number);
  if (kind === "major") return `${major + 1}.0.0`;
  if (kind === "minor") return `${major}.${minor + 1}.0`;
  if (kind === "patch") return `${major}.${minor}.${patch + 1}`;
  throw new Error(`unknown release kind ${kind}: patch, minor or major.`);
}

/** The releases CHANGELOG.md records, newest first: each section's version and the first commit hash it names. */
export function changelogReleases(changelog) {
  return [...changelog.matchAll(/^## (\d+\.\d+\.\d+)\b.*\n([\s\S]*?)(?=^## |(?![\s\S]))/gm)].map(
    ([, version, body]) => ({
      version,
      commit: /`([0-9a-f]{40})`/.exec(body)?.[1],
    }),
  );
}

/**
 * The last release: the highest version among the tags vX.Y.Z and CHANGELOG's sections, at the commit its tag
 * points to, else the one its section names. Throws saying what is missing when there is none.
 */
export function lastRelease(cwd, changelog) {
  const tags = (git(cwd, ["tag", "--list", "v*"]) ?? "")
    .split("\n")
    .map((tag) => tag.slice(1))
    .filter((version) => SEMVER.test(version));
  const recorded = changelogReleases(changelog);
  const versions = [...new Set([...tags, ...recorded.map((r) => r.version)])].sort(compareVersions);
  const version = versions.at(-1);
  if (!version) throw new Error("no release yet: no tag vX.Y.Z and no `## X.Y.Z` section in CHANGELOG.md.");
  if (tags.includes(version)) return { version, commit: git(cwd, ["rev-parse", `v${version}^{commit}`]), from: "tag" };
  const { commit } = recorded.find((r) => r.version === version);
  if (!commit) throw new Error(`CHANGELOG.md's section ${version} names no commit, and there is no tag v${version}.`);
  if (git(cwd, ["cat-file", "-e", `${commit}^{commit}`]) === undefined)
    throw new Error(`CHANGELOG.md's release ${version} names commit ${commit}, which this clone does not have.`);
  return { version, commit, from: "CHANGELOG.md" };
}

/**
 * CHANGELOG.md with the Unreleased notes turned into the section of `version`: a line naming the commit it is cut
 * from, the notes, and the change report (`### API changes…`, which replaces any such part the notes had).
 * An empty Unreleased section stays on top for the next release. Returns the new text and the new section.
 */
export function withRelease(changelog, { version, date, commit, report }) {
  const start = changelog.indexOf("## Unreleased");
  if (start === -1) throw new Error("CHANGELOG.md has no `## Unreleased` section.");
  const end = changelog.slice(start + 1).search(/^## /m);
  const stop = end === -1 ? changelog.length : start + 1 + end;
  const notes = changelog
    .slice(start + "## Unreleased".length, stop)
    .split(/^(?=### )/m)
    .filter((part) => !part.startsWith("### API changes"))
    .join("")
    .trim();
  const section = [
    `## ${version} — ${date}`,
    "",
    `Tag \`v${version}\`: the release commit on top of \`${commit}\`, whose spec/ it is.`,
    "",
    ...(notes ? [notes, ""] : []),
    report.trim(),
    "",
    "",
  ].join("\n");
  return { changelog: `${changelog.slice(0, start)}## Unreleased\n\n${section}${changelog.slice(stop)}`, section };
}
