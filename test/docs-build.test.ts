// `npm run docs` (scripts/docs.mjs): what it puts into the site, and how it fails.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./helpers/spec.js";

const work = mkdtempSync(join(tmpdir(), "do-docs-build-"));
const site = join(work, "site");
let html = "";
let definition: any;

function build(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts/docs.mjs"), ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  const { status, output } = build("--out", site);
  expect(output).toContain("Docs site written");
  expect(status).toBe(0);
  html = readFileSync(join(site, "index.html"), "utf8");
  // The page embeds the API description it renders as `const __redoc_definition = {...};`.
  const json = /const __redoc_definition = (\{.*\});\n/.exec(html)?.[1];
  definition = JSON.parse(json ?? "null");
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const operationsOf = (doc: any) =>
  Object.values(doc.paths as Record<string, Record<string, any>>).flatMap((item) =>
    Object.values(item).filter((op) => op?.operationId),
  );

describe("npm run docs", () => {
  it("embeds every sample file, verbatim, as the TypeScript code sample of its operation", () => {
    const ops = operationsOf(definition);
    expect(ops).toHaveLength(51);
    for (const op of ops) {
      const source = readFileSync(join(ROOT, "docs/samples", `${op.operationId}.ts`), "utf8").trimEnd();
      expect(op["x-codeSamples"], op.operationId).toEqual([{ lang: "TypeScript", label: "TypeScript", source }]);
    }
  });

  it("spells out each operation's token scopes in its description", () => {
    for (const op of operationsOf(definition)) {
      const scopes = op["x-required-scopes"].map((s: string) => `\`${s}\``).join(", ");
      expect(op.description, op.operationId).toContain(`**Token scopes:** ${scopes}`);
    }
  });

  it("leaves generated/openapi.yaml without samples and ships it as the download", () => {
    const generated = readFileSync(join(ROOT, "generated/openapi.yaml"), "utf8");
    expect(generated).not.toContain("x-codeSamples");
    expect(readFileSync(join(site, "openapi.yaml"), "utf8")).toBe(generated);
  });

  it("inlines Redoc and points at no other host for scripts, styles, images or fonts", () => {
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/cdn\.redoc\.ly|cdn\.redocly\.com\/redoc|fonts\.googleapis|fonts\.gstatic/);
    for (const asset of html.matchAll(/["'(](assets\/[\w.-]+)/g))
      expect(existsSync(join(site, asset[1]!)), asset[1]).toBe(true);
  });

  it("fails naming each operation without a sample and each stray sample, keeping the previous site", () => {
    const samples = join(work, "samples");
    cpSync(join(ROOT, "docs/samples"), samples, { recursive: true });
    rmSync(join(samples, "vpcs_get.ts"));
    rmSync(join(samples, "droplets_list.ts"));
    writeFileSync(join(samples, "droplets_reboot.ts"), "export {};\n");
    const before = readdirSync(site).sort();

    const { status, output } = build("--out", site, "--samples", samples);

    expect(status).toBe(1);
    expect(output).toMatch(/no sample for operation vpcs_get: add .*vpcs_get\.ts/);
    expect(output).toMatch(/no sample for operation droplets_list: add .*droplets_list\.ts/);
    expect(output).toMatch(/droplets_reboot\.ts matches no operationId/);
    expect(readdirSync(site).sort()).toEqual(before);
    expect(readFileSync(join(site, "index.html"), "utf8")).toBe(html);
  });

  it("is what the GitHub Pages workflow runs and publishes", () => {
    const workflow = parse(readFileSync(join(ROOT, ".github/workflows/docs.yml"), "utf8"));
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    const steps: { run?: string; uses?: string; with?: { path?: string } }[] = workflow.jobs.build.steps;
    const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs).toContain("npm run docs");
    for (const name of runs.flatMap((r) => [...r.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!)))
      expect(scripts, name).toHaveProperty([name]);
    expect(scripts.docs).toBe("node scripts/docs.mjs");
    expect(scripts.build).toMatch(/&& npm run docs$/);
    expect(steps.find((s) => s.uses?.startsWith("actions/upload-pages-artifact"))?.with?.path).toBe("docs-site");
    expect(workflow.on.push.branches).toEqual(["main"]);
  });
});
