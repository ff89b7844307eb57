// README, the guides, the spec's getting-started text (info.description) and the tour call the API as issue 27
// asks: through resource methods, path style only in the sections that present it, and every body built in a
// variable typed with `satisfies` (or a type annotation), so a misspelt field in it is a compile error as inline.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { bundle, ROOT } from "./helpers/spec.js";
import { tsBlocks } from "./helpers/typecheck.js";

const markdown = [
  "README.md",
  ...readdirSync(join(ROOT, "docs/guide"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/guide/${f}`),
].map((file) => ({ file, text: readFileSync(join(ROOT, file), "utf8") }));
markdown.push({ file: "info.description", text: bundle.info.description });

/** Each ```ts block with the file and `## ` section it is in. */
const blocks = [
  ...markdown.flatMap(({ file, text }) =>
    text
      .split(/^(?=## )/m)
      .flatMap((section) =>
        tsBlocks(section).map((code) => ({ where: `${file} § ${/^## (.*)/.exec(section)?.[1] ?? "top"}`, code })),
      ),
  ),
  { where: "examples/tour.ts", code: readFileSync(join(ROOT, "examples/tour.ts"), "utf8") },
];

const PATH_STYLE = /\.(GET|POST|PUT|PATCH|DELETE)\(|\b(unwrap|paginate|collect)\(/;

/** The variables of `code` initialised with a bare object literal and then passed to a call, as is or as a field. */
function untypedObjectsPassed(code: string): string[] {
  const file = ts.createSourceFile("block.ts", code, ts.ScriptTarget.Latest, true);
  const bare = new Set<string>();
  const passed = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && !node.type && node.initializer) {
      if (ts.isObjectLiteralExpression(node.initializer)) bare.add(node.name.text);
    }
    if (ts.isCallExpression(node)) {
      for (const arg of node.arguments) {
        if (ts.isIdentifier(arg)) passed.add(arg.text);
        if (!ts.isObjectLiteralExpression(arg)) continue;
        for (const field of arg.properties) {
          if (ts.isShorthandPropertyAssignment(field)) passed.add(field.name.text);
          if (ts.isPropertyAssignment(field) && ts.isIdentifier(field.initializer)) passed.add(field.initializer.text);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return [...bare].filter((name) => passed.has(name));
}

describe("README, the guides, info.description and the tour", () => {
  it("have every ```ts block read by the doc checks, those indented in a list item too", () => {
    for (const { file, text } of markdown)
      expect(tsBlocks(text).length, file).toBe(text.match(/^ *```ts$/gm)?.length ?? 0);
  });

  it("call the API through resource methods, path style only in the sections that present it", () => {
    const pathStyle = blocks.filter(({ code }) => PATH_STYLE.test(code)).map(({ where }) => where);
    expect(pathStyle.length).toBeGreaterThan(0);
    expect(pathStyle.filter((where) => !/§ Path style/.test(where))).toEqual([]);
  });

  it("type every object they build in a variable and pass to a call", () => {
    const untyped = blocks.flatMap(({ where, code }) => untypedObjectsPassed(code).map((name) => `${where}: ${name}`));
    expect(untyped).toEqual([]);
  });

  it("would see an untyped body, passed as is or as a field", () => {
    const code = `const body = { name: "a" };\nawait client.vpcs.create(body);\nconst b = { name: "b" };\nawait client.POST("/v2/vpcs", { body: b });\nconst typed = { name: "c" } satisfies VpcCreate;\nawait client.vpcs.create(typed);`;
    expect(untypedObjectsPassed(code)).toEqual(["body", "b"]);
  });
});
