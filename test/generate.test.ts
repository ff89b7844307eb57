// `npm run generate` is atomic and reports where a broken spec is broken; the committed generated/ is current.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./helpers/spec.js";

const work = mkdtempSync(join(tmpdir(), "do-generate-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function generate(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts/generate.mjs"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));

describe("npm run generate", () => {
  it("reproduces the committed generated/ exactly (drift check)", { timeout: 60_000 }, () => {
    const { status, output } = generate({}, "--check");
    expect(output).toContain("up to date");
    expect(status).toBe(0);
  });

  it("reports drift and says how to fix it", { timeout: 60_000 }, () => {
    const out = join(work, "drift");
    cpSync(join(ROOT, "generated"), out, { recursive: true });
    writeFileSync(join(out, "schema.d.ts"), `${readFileSync(join(out, "schema.d.ts"), "utf8")}\n// edited by hand\n`);
    const { status, output } = generate({ GENERATED_DIR: out }, "--check");
    expect(status).toBe(1);
    expect(output).toMatch(/out of date.*schema\.d\.ts.*npm run generate/s);
  });

  // Each breakage: the file to change, how, and what the error must point at.
  const breakages: [string, string, (s: string) => string, RegExp][] = [
    ["bad YAML", "paths/vpcs/vpcs.yaml", (s) => s.replace("get:", "get:\n  - [unclosed"), /vpcs\.yaml:\d+:\d+/],
    ["a dangling $ref", "paths/projects/projects.yaml", (s) => s.replace("Meta.yaml", "Nope.yaml"), /projects\.yaml:\d+:\d+[\s\S]*Nope\.yaml/],
    ["a lint error", "paths/reserved_ipv6/reserved_ipv6.yaml", (s) => s.replace("operationId: reserved_ipv6_list", "operationId: listReservedIpv6"), /reserved_ipv6\.yaml:\d+:\d+[\s\S]*operation-id-scheme/],
  ];

  it.each(breakages)("fails on %s with file and line, leaving generated/ byte-for-byte untouched", { timeout: 60_000 }, (_what, file, edit, where) => {
    const dir = mkdtempSync(join(work, "case-"));
    cpSync(join(ROOT, "spec"), join(dir, "spec"), { recursive: true });
    cpSync(join(ROOT, "generated"), join(dir, "generated"), { recursive: true });
    const target = join(dir, "spec", file);
    writeFileSync(target, edit(readFileSync(target, "utf8")));
    const before = snapshot(join(dir, "generated"));

    const { status, output } = generate({ SPEC_ROOT: join(dir, "spec/openapi.yaml"), GENERATED_DIR: join(dir, "generated") });

    expect(status).not.toBe(0);
    expect(output).toMatch(where);
    expect(output).toContain("generated/ was left untouched");
    expect(snapshot(join(dir, "generated"))).toEqual(before);
  });
});
