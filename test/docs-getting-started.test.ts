// Getting started, twice: the site's guide (docs/guide/getting-started.md) and the spec's info.description
// (what other renderers of the shipped openapi.yaml show) each cover what a new user needs, and every
// TypeScript snippet in the latter compiles against the client (the guides' are compiled by docs-guides).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { bundle, ROOT } from "./helpers/spec.js";

const description: string = bundle.info.description;
const work = mkdtempSync(join(tmpdir(), "do-getting-started-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Each ```ts block with the heading it sits under. */
const snippets = [...description.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => {
  const heading = [...description.slice(0, m.index).matchAll(/^## (.+)$/gm)].at(-1)?.[1] ?? "intro";
  return { heading, code: m[1]! };
});

/** Type errors of each snippet, compiled together as separate ES modules with the project's compiler options. */
const typeErrors = (() => {
  let cached: Map<string, string[]> | undefined;
  return (heading: string): string[] => {
    if (!cached) {
      const config = ts.getParsedCommandLineOfConfigFile(
        join(ROOT, "tsconfig.json"),
        {},
        { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
      )!;
      const files = snippets.map(({ heading, code }) => {
        const file = join(work, `${heading.replace(/\W+/g, "-")}.mts`);
        writeFileSync(file, code);
        return [heading, file] as const;
      });
      const program = ts.createProgram(
        files.map(([, file]) => file),
        config.options,
      );
      cached = new Map(
        files.map(([name, file]) => [
          name,
          ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => {
            const line =
              d.start === undefined ? "" : `line ${d.file!.getLineAndCharacterOfPosition(d.start).line + 1}: `;
            return `${line}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
          }),
        ]),
      );
    }
    return cached.get(heading) ?? [`no snippet under ${heading}`];
  };
})();

describe("the Getting started guide", () => {
  const guide = readFileSync(join(ROOT, "docs/guide/getting-started.md"), "utf8");

  it("takes a newcomer from install to a first call, then to the other guides", () => {
    const headings = [...guide.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings.slice(0, 3)).toEqual(["Install", "Token and scopes", "A first call"]);
    expect(guide).toContain("npm install digitalocean-typed");
    expect(guide).toContain("DIGITALOCEAN_TOKEN");
    const firstCall = guide.slice(guide.indexOf("## A first call"));
    expect(/```ts\n([\s\S]*?)```/.exec(firstCall)?.[1]).toContain("createDigitalOceanClient()");
    for (const other of ["calling-the-api", "lists-and-waiting", "testing", "many-processes", "conformance"])
      expect(guide, other).toContain(`(./${other}.md)`);
  });
});

describe("getting-started page (info.description)", () => {
  it("covers install, token and scopes, a first call, pagination, errors and rate limits, retries", () => {
    const headings = [...description.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      "Install",
      "Token and scopes",
      "A first call",
      "Pagination",
      "Errors and rate limits",
      "Retries and timeouts",
    ]);
    expect(description).toContain("npm install digitalocean-typed");
    expect(description).toContain("DIGITALOCEAN_TOKEN");
    expect(description).toMatch(/5,000 requests per hour and 250 per minute/);
    expect(snippets.map((s) => s.heading)).toEqual([
      "A first call",
      "Pagination",
      "Errors and rate limits",
      "Retries and timeouts",
    ]);
  });

  it.each(snippets.map((s) => [s.heading, s.code]))(
    "the snippet under %s compiles",
    (heading, code) => {
      expect(code).toContain('from "digitalocean-typed"');
      expect(typeErrors(heading!)).toEqual([]);
    },
    30_000,
  );
});
