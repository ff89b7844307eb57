// Generation (scripts/lib/generate.mjs, in this process; the CLI once for its messages): atomic, reports where a
// broken spec is broken, skips only when no input changed, and the committed generated/ is current.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GenerateError, OUTPUTS, generate, warmUp } from "../scripts/lib/generate.mjs";
import { ROOT } from "./helpers/spec.js";

const work = mkdtempSync(join(tmpdir(), "do-generate-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts/generate.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A temp copy of spec/ and generated/, with a record of runs of its own. */
function copy() {
  const dir = mkdtempSync(join(work, "case-"));
  cpSync(join(ROOT, "spec"), join(dir, "spec"), { recursive: true });
  cpSync(join(ROOT, "generated"), join(dir, "generated"), { recursive: true });
  const options = {
    specRoot: join(dir, "spec/openapi.yaml"),
    outDir: join(dir, "generated"),
    cacheDir: join(dir, "cache"),
  };
  const edit = (file: string, change: (s: string) => string) => {
    const path = join(dir, "spec", file);
    const before = readFileSync(path, "utf8");
    const after = change(before);
    expect(after, `the edit of ${file} changes it`).not.toBe(before);
    writeFileSync(path, after);
  };
  return { dir, options, edit };
}

const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
const TIMEOUT = { timeout: 120_000 };

describe("generate", () => {
  it("reproduces the committed generated/ exactly (drift check, no record of earlier runs)", TIMEOUT, async () => {
    const result = await generate({ check: true, cache: false });
    expect(result).toMatchObject({ status: "up-to-date", skipped: false, changed: [] });
    for (const { file } of OUTPUTS)
      expect(result.outputs![file], file).toBe(readFileSync(join(ROOT, "generated", file), "utf8"));
  });

  it("reports drift, and the CLI says how to fix it", TIMEOUT, async () => {
    const { dir } = copy();
    const out = join(dir, "generated");
    writeFileSync(join(out, "schema.d.ts"), `${readFileSync(join(out, "schema.d.ts"), "utf8")}\n// edited by hand\n`);
    expect(await generate({ outDir: out, check: true, cache: false })).toMatchObject({
      status: "stale",
      changed: ["schema.d.ts"],
    });
    const { status, output } = cli({ GENERATED_DIR: out }, "--check", "--force");
    expect(status).toBe(1);
    expect(output).toMatch(/out of date.*schema\.d\.ts.*npm run generate/s);
  });

  // Each breakage: the file to change, how, and what the error must point at.
  const breakages: [string, string, (s: string) => string, RegExp][] = [
    [
      "bad YAML",
      "paths/vpcs/vpcs.yaml",
      (s) => s.replace("get:", "get:\n  - [unclosed"),
      /spec\/paths\/vpcs\/vpcs\.yaml:\d+:\d+/,
    ],
    [
      "bad YAML in the root file",
      "openapi.yaml",
      (s) => s.replace("info:", "info: [\n"),
      /spec\/openapi\.yaml:\d+:\d+/,
    ],
    [
      "a dangling $ref",
      "paths/projects/projects.yaml",
      (s) => s.replace("Meta.yaml", "Nope.yaml"),
      /projects\.yaml:\d+:\d+[\s\S]*Nope\.yaml/,
    ],
    [
      "a lint error",
      "paths/reserved_ipv6/reserved_ipv6.yaml",
      (s) => s.replace("operationId: reserved_ipv6_list", "operationId: listReservedIpv6"),
      /reserved_ipv6\.yaml:\d+:\d+ error [\s\S]*\(rule\/operation-id-scheme\)/,
    ],
  ];

  it.each(breakages)(
    "fails on %s with file and line, leaving generated/ byte-for-byte untouched",
    TIMEOUT,
    async (_what, file, change, where) => {
      const { dir, options, edit } = copy();
      edit(file, change);
      const before = snapshot(options.outDir);
      const failed = await generate(options).catch((err: unknown) => err);
      expect(failed).toBeInstanceOf(GenerateError);
      expect((failed as Error).message).toMatch(where);
      expect(snapshot(options.outDir)).toEqual(before);
      expect(readdirSync(dir)).not.toContain("cache"); // a failure records nothing
    },
  );

  it("the CLI prints the problem with file:line and says generated/ was left untouched", TIMEOUT, () => {
    const { dir, options, edit } = copy();
    edit("paths/reserved_ipv6/reserved_ipv6.yaml", (s) =>
      s.replace("operationId: reserved_ipv6_list", "operationId: listReservedIpv6"),
    );
    const before = snapshot(options.outDir);
    const { status, output } = cli({ SPEC_ROOT: options.specRoot, GENERATED_DIR: options.outDir });
    expect(status).toBe(1);
    expect(output).toMatch(/reserved_ipv6\.yaml:\d+:\d+ error operationId must be/);
    expect(output).toContain(`${join(dir, "generated")}/ was left untouched.`);
    expect(snapshot(options.outDir)).toEqual(before);
  });

  it("the CLI prints the change report when generated/openapi.yaml changed, and only then", TIMEOUT, () => {
    const { options, edit } = copy();
    const env = { SPEC_ROOT: options.specRoot, GENERATED_DIR: options.outDir };
    edit("paths/vpcs/vpcs.yaml", (s) => s.replace("Lists the VPCs on the account", "Lists every VPC on the account"));
    const changed = cli(env);
    expect(changed.status).toBe(0);
    expect(changed.output).toMatch(/generated\/openapi\.yaml.* written in/);
    expect(changed.output).toMatch(/API changes: 0 breaking, 1 not breaking[\s\S]*GET \/v2\/vpcs[\s\S]*description/);
    const again = cli(env, "--force");
    expect(again.status).toBe(0);
    expect(again.output).toContain("is up to date with spec/ (nothing changed");
    expect(again.output).not.toContain("API changes");
  });

  it("skips the work only while no input changed, and never skips lint after an edit", TIMEOUT, async () => {
    const { options, edit } = copy();
    expect(await generate(options)).toMatchObject({ skipped: false });
    expect(await generate(options)).toMatchObject({ status: "unchanged", skipped: true });
    expect(await generate({ ...options, check: true })).toMatchObject({ status: "up-to-date", skipped: true });

    // An edit: regenerated, written, and the old text handed back for the change report.
    edit("paths/vpcs/vpcs.yaml", (s) => s.replace("Lists the VPCs on the account", "Lists every VPC on the account"));
    const edited = await generate(options);
    expect(edited).toMatchObject({ status: "written", skipped: false });
    expect(edited.changed).toEqual(expect.arrayContaining(["openapi.yaml", "schema.d.ts"]));
    expect(edited.previous!["openapi.yaml"]).toBe(readFileSync(join(ROOT, "generated/openapi.yaml"), "utf8"));
    expect(readFileSync(join(options.outDir, "openapi.yaml"), "utf8")).toContain("Lists every VPC on the account");
    expect(await generate(options)).toMatchObject({ skipped: true });

    // A lint error after a successful run is found, not skipped; a file outside the spec's formats is no input.
    edit("paths/reserved_ipv6/reserved_ipv6.yaml", (s) =>
      s.replace("operationId: reserved_ipv6_list", "operationId: listReservedIpv6"),
    );
    await expect(generate(options)).rejects.toThrow(/operation-id-scheme/);
    edit("paths/reserved_ipv6/reserved_ipv6.yaml", (s) =>
      s.replace("operationId: listReservedIpv6", "operationId: reserved_ipv6_list"),
    );
    expect(await generate(options)).toMatchObject({ skipped: true });
    writeFileSync(join(options.specRoot, "../notes.txt"), "not a spec file");
    expect(await generate(options)).toMatchObject({ skipped: true });

    // generated/ changed behind its back: regenerated and repaired.
    writeFileSync(join(options.outDir, "schema.d.ts"), "// edited by hand\n");
    expect(await generate(options)).toMatchObject({ status: "written", skipped: false, changed: ["schema.d.ts"] });
    expect(await generate(options)).toMatchObject({ skipped: true });
  });
});

describe("warmUp (watch mode)", () => {
  it("generates without writing anything, and a spec that does not generate is no error", TIMEOUT, async () => {
    const { dir, options, edit } = copy();
    edit("paths/vpcs/vpcs.yaml", (s) => s.replace("Lists the VPCs on the account", "Lists every VPC on the account"));
    const before = snapshot(options.outDir);
    await warmUp(options, 2);
    expect(snapshot(options.outDir)).toEqual(before);
    expect(readdirSync(dir)).not.toContain("cache");
    // The next run still does the work and writes the edit.
    expect(await generate(options)).toMatchObject({ status: "written", skipped: false });

    edit("paths/vpcs/vpcs.yaml", (s) => s.replace("get:", "get:\n  - [unclosed"));
    await expect(warmUp(options)).resolves.toBeUndefined();
  });
});

describe("validators.js in one process (watch mode)", () => {
  /** validators.js in its two parts: the compiled code, and the map of spec/ appended after it. */
  const parts = (text: string) => {
    const at = text.indexOf("export const files");
    return { code: text.slice(0, at), map: text.slice(at) };
  };
  const fileLines = (map: string, file: string) => {
    const files: string[] = JSON.parse(/export const files = (.*);/.exec(map)![1]!);
    const nodes: { file: number; line?: number }[] = JSON.parse(/export const nodes = (.*);/.exec(map)![1]!);
    return nodes.filter((n) => files[n.file]!.endsWith(file)).map((n) => n.line);
  };

  it("reuses compiled code only when ajv would compile the same, and always redraws the map", TIMEOUT, async () => {
    const { options, edit } = copy();
    const file = "components/schemas/vpcs/VpcCreate.yaml";
    const validators = async () => parts((await generate({ ...options, cache: false })).outputs!["validators.js"]!);
    const original = await validators();

    // A description edit compiles the same schemas: the same code, however it was obtained.
    edit(file, (s) => s.replace("Attributes of a new VPC.", "What a new VPC is made of."));
    const described = await validators();
    expect(described.code).toBe(original.code);

    // A constraint edit is compiled anew.
    edit(file, (s) => s.replace("maxLength: 255", "maxLength: 100"));
    const constrained = await validators();
    expect(constrained.code).not.toBe(original.code);

    // Undone, with a line added on top: compiled fresh (the last code was the constrained one), it equals the
    // code reused for the description edit, while the map follows the moved lines.
    edit(file, (s) => `# A comment line.\n${s.replace("maxLength: 100", "maxLength: 255")}`);
    const moved = await validators();
    expect(moved.code).toBe(described.code);
    const [before, after] = [fileLines(described.map, file), fileLines(moved.map, file)];
    expect(before.length).toBeGreaterThan(0);
    expect(after).toEqual(before.map((l) => l! + 1));
  });
});

describe("validators.js across processes (a cold npm run generate)", () => {
  /** One generation in a fresh node process, as `npm run generate` runs; its validators cache in `cacheDir`. */
  const coldRun = (options: { specRoot: string; outDir: string; cacheDir: string }) => {
    // A file, not --eval: generation's worker threads inherit the process's flags.
    const script = join(options.cacheDir, "..", "cold-run.mjs");
    writeFileSync(
      script,
      `const { generate } = await import(${JSON.stringify(join(ROOT, "scripts/lib/generate.mjs"))});
      await generate(${JSON.stringify(options)});`,
    );
    const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  };
  /** The compiled code kept in the cache, by file name, with when it was written. */
  const kept = (cacheDir: string) =>
    Object.fromEntries(
      readdirSync(cacheDir)
        .filter((f) => f.startsWith("validators-"))
        .map((f) => [f, statSync(join(cacheDir, f)).mtimeMs]),
    );

  it("compiles nothing after a description edit, and compiles a constraint edit anew", TIMEOUT, () => {
    const { options, edit } = copy();
    const file = "components/schemas/vpcs/VpcCreate.yaml";
    coldRun(options);
    const first = kept(options.cacheDir);
    expect(Object.keys(first)).toHaveLength(1);
    const code = () => readFileSync(join(options.outDir, "validators.js"), "utf8").split("export const files")[0];
    const compiled = code();

    edit(file, (s) => s.replace("Attributes of a new VPC.", "What a new VPC is made of."));
    coldRun(options);
    expect(kept(options.cacheDir), "the kept code was read, not compiled and written again").toEqual(first);
    expect(code()).toBe(compiled);

    edit(file, (s) => s.replace("maxLength: 255", "maxLength: 100"));
    coldRun(options);
    expect(Object.keys(kept(options.cacheDir))).toHaveLength(2);
    expect(code()).not.toBe(compiled);
  });
});
