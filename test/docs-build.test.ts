// `npm run docs` (scripts/docs.mjs): what it puts into the site, that every link in it leads somewhere, and how
// it fails.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { OPERATIONS, type OperationId, type OperationRow } from "../src/contract.js";
import { bundle, operations, ROOT } from "./helpers/spec.js";
import { typecheck } from "./helpers/typecheck.js";

const work = mkdtempSync(join(tmpdir(), "do-docs-build-"));
const site = join(work, "site");
const pages = new Map<string, string>();
// Built under a sub-path, as GitHub Pages serves a project's site, so that a link that ignores it shows.
const BASE = "/digitalocean-typed/";

function build(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts/docs.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DOCS_BASE: BASE },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A page's text as a reader sees it: tags dropped, entities decoded, spaces collapsed. */
function text(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(
      /&(lt|gt|quot|amp|#39|#x27|#123);/g,
      (_, e) => ({ lt: "<", gt: ">", quot: '"', amp: "&", "#39": "'", "#x27": "'", "#123": "{" })[e as "lt"],
    )
    .replace(/\s+/g, " ");
}

/** The file a link on `page` leads to (`/x/` and `./x/` mean x/index.html); an absolute link must start with BASE. */
function targetOf(page: string, path: string): string {
  if (path.startsWith("/") && !path.startsWith(BASE)) return join(work, "outside the site", path);
  const file = path.startsWith("/") ? join(site, path.slice(BASE.length)) : resolve(site, dirname(page), path);
  return path.endsWith("/") ? join(file, "index.html") : file;
}

const slug = (tag: string) => tag.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** The table's row of an operation. */
const rowOf = (operationId: string) => OPERATIONS[operationId as OperationId] as OperationRow;
/** `text` matched literally in a RegExp. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The start of a resource method's call, its path parameters first: `client.vpcs.patchPeering(vpc_id, vpc_peering_id`. */
const resourceCall = ({ resource, method, pathParams }: OperationRow) =>
  `client.${resource}.${method}(${pathParams.join(", ")}`;

beforeAll(() => {
  const { status, output } = build("--out", site);
  expect(output).toContain("Docs site written");
  expect(status).toBe(0);
  for (const entry of readdirSync(site, { recursive: true, encoding: "utf8" }))
    if (entry.endsWith(".html")) pages.set(entry, readFileSync(join(site, entry), "utf8"));
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npm run docs", () => {
  it("writes one page per guide, per tag of the reference, the reference's index and spec/README.md, which a guide links to", () => {
    const guides = readdirSync(join(ROOT, "docs/guide")).map((f) => `guide/${f.replace(/\.md$/, ".html")}`);
    const tags = (bundle.tags as { name: string }[]).map((t) => `reference/${slug(t.name)}.html`);
    expect([...pages.keys()].sort()).toEqual(
      ["index.html", "404.html", "reference/index.html", "spec/README.html", ...guides, ...tags].sort(),
    );
  });

  it("gives every operation a section on its tag's page, with its resource method, scopes, sample verbatim and path call", () => {
    for (const { operationId, method, path, op } of operations) {
      const html = pages.get(`reference/${slug(op.tags[0])}.html`)!;
      expect(html, operationId).toContain(`id="${operationId}"`);
      const start = html.indexOf(`id="${operationId}"`);
      const next = html.indexOf("<h2", start);
      const section = text(html.slice(start, next === -1 ? undefined : next));
      const row = rowOf(operationId);
      // The resource method leads, before the HTTP method and path; the path call follows the sample.
      const args = row.pathParams.map((name) => `${name}, `).join("");
      const signature = section.search(
        new RegExp(`${literally(`client.${row.resource}.${row.method}(${args}`)}(fields\\??, )?options\\?\\)`),
      );
      expect(signature, operationId).toBeGreaterThan(0);
      expect(signature, operationId).toBeLessThan(section.indexOf(`${method.toUpperCase()} ${path}`));
      const call = `await unwrap\\( ?client\\.${method.toUpperCase()}\\(${literally(`"${path}"`)}`;
      expect(section, operationId).toMatch(new RegExp(call));
      if (row.items) expect(section, operationId).toContain(`paginate(client, "${path}"`);
      const scopes = (op["x-required-scopes"] as string[]).join(", ");
      expect(section, operationId).toContain(`Token scopes: ${scopes}`);
      const sample = readFileSync(join(ROOT, "docs/samples", `${operationId}.ts`), "utf8");
      for (const line of sample.split("\n").filter((l) => l.trim()))
        expect(section, `${operationId}: ${line}`).toContain(line.trim().replace(/\s+/g, " "));
    }
  });

  it("lists every operation on the reference's index, its resource method linked to its section, then its path call", () => {
    const index = pages.get("reference/index.html")!;
    for (const { operationId, method, path, op } of operations) {
      const link = index.match(
        new RegExp(`<a href="\\./${slug(op.tags[0])}\\.html#${operationId}"[^>]*>([\\s\\S]*?)</a>`),
      );
      expect(link, operationId).not.toBeNull();
      expect(text(link![1]!), operationId).toContain(resourceCall(rowOf(operationId)));
      const rowText = text(index.slice(link!.index!, index.indexOf("</tr>", link!.index!)));
      expect(rowText, operationId).toContain(`client.${method.toUpperCase()}("${path}"`);
    }
  });

  it("says `fields` where a resource method's type requires its fields, `fields?` where it may go without", () => {
    const calls = operations.map(({ operationId, op }) => {
      const html = pages.get(`reference/${slug(op.tags[0])}.html`)!;
      const section = text(html.slice(html.indexOf(`id="${operationId}"`)));
      const { resource, method, pathParams } = rowOf(operationId);
      const args = section.match(new RegExp(`client\\.${resource}\\.${method}\\(([^)]*)\\)`))![1]!.split(", ");
      // Each call leaves the fields out: an error where the page says they are required, and only there.
      const call = `void client.${resource}.${method}(${pathParams.map(() => "0 as never").join(", ")});`;
      return args.includes("fields") ? `// @ts-expect-error ${operationId} requires its fields\n${call}` : call;
    });
    const source = [
      'import { createDigitalOceanClient } from "digitalocean-typed";',
      "const client = createDigitalOceanClient();",
    ];
    expect(calls.filter((call) => call.includes("@ts-expect-error")).length).toBeGreaterThan(0);
    expect(typecheck("reference-signatures", [[...source, ...calls].join("\n")])).toBe("");
  }, 120_000);

  it("writes a union type as it reads, with no table escape outside a table", () => {
    for (const [page, html] of pages) expect(text(html), page).not.toContain("\\|");
    expect(text(pages.get("reference/droplets.html")!)).toContain("DropletCreateSingle | DropletCreateMultiple");
  });

  it("has no link that leads nowhere: every page and #anchor a link names exists", () => {
    const broken: string[] = [];
    let links = 0;
    for (const [page, html] of pages) {
      for (const [, href] of html.matchAll(/<a\b[^>]*\bhref="([^"]+)"/g)) {
        if (/^(https?:|mailto:)/.test(href!)) continue;
        links++;
        const [path, anchor] = href!.split("#") as [string, string | undefined];
        const file = path ? targetOf(page, path) : join(site, page);
        if (!existsSync(file)) broken.push(`${page}: ${href} (no ${relative(site, file)})`);
        else if (anchor && file.endsWith(".html") && !readFileSync(file, "utf8").includes(`id="${anchor}"`))
          broken.push(`${page}: ${href} (no #${anchor})`);
      }
    }
    expect(broken).toEqual([]);
    expect(links).toBeGreaterThan(operations.length * 2); // the index's links and the sidebar's, at least
  });

  it("ships generated/openapi.yaml as the download, without samples", () => {
    const generated = readFileSync(join(ROOT, "generated/openapi.yaml"), "utf8");
    expect(generated).not.toContain("x-codeSamples");
    expect(readFileSync(join(site, "openapi.yaml"), "utf8")).toBe(generated);
  });

  it("points at no other host for scripts, styles, images or fonts", () => {
    for (const [page, html] of pages) {
      expect(html, page).not.toMatch(/<script[^>]+src=["']?(https?:)?\/\//i);
      expect(html, page).not.toMatch(/<link[^>]+href=["']?(https?:)?\/\//i);
      expect(html, page).not.toMatch(/fonts\.googleapis|fonts\.gstatic/);
    }
  });

  it("fails naming each operation without a sample and each stray sample, keeping the previous site", () => {
    const samples = join(work, "samples");
    cpSync(join(ROOT, "docs/samples"), samples, { recursive: true });
    rmSync(join(samples, "vpcs_get.ts"));
    rmSync(join(samples, "droplets_list.ts"));
    writeFileSync(join(samples, "droplets_reboot.ts"), "export {};\n");
    const before = readdirSync(site, { recursive: true }).sort();

    const { status, output } = build("--out", site, "--samples", samples);

    expect(status).toBe(1);
    expect(output).toMatch(/no sample for operation vpcs_get: add .*vpcs_get\.ts/);
    expect(output).toMatch(/no sample for operation droplets_list: add .*droplets_list\.ts/);
    expect(output).toMatch(/droplets_reboot\.ts matches no operationId/);
    expect(readdirSync(site, { recursive: true }).sort()).toEqual(before);
    expect(readFileSync(join(site, "index.html"), "utf8")).toBe(pages.get("index.html"));
  });

  it("is what the GitHub Pages workflow runs and publishes, under the repository's sub-path", () => {
    const workflow = parse(readFileSync(join(ROOT, ".github/workflows/docs.yml"), "utf8"));
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    const steps: { run?: string; uses?: string; env?: Record<string, string>; with?: { path?: string } }[] =
      workflow.jobs.build.steps;
    const docsStep = steps.find((s) => s.run === "npm run docs");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JavaScript template
    expect(docsStep?.env?.DOCS_BASE).toBe("/${{ github.event.repository.name }}/");
    for (const name of steps.flatMap((s) => [...(s.run ?? "").matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!)))
      expect(scripts, name).toHaveProperty([name]);
    expect(scripts.docs).toBe("node scripts/docs.mjs");
    expect(scripts.build).toMatch(/&& npm run docs$/);
    expect(steps.find((s) => s.uses?.startsWith("actions/upload-pages-artifact"))?.with?.path).toBe("docs-site");
    expect(workflow.on.push.branches).toEqual(["main"]);
  });
});
