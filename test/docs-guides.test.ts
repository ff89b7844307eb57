// The guides (docs/guide/*.md): each is in the site's sidebar, and every ```ts block in them compiles against
// the client, as the samples do.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/spec.js";
import { tsBlocks, typecheck } from "./helpers/typecheck.js";

const GUIDES = join(ROOT, "docs/guide");
const guides = readdirSync(GUIDES)
  .filter((f) => f.endsWith(".md"))
  .map((file) => ({ file, text: readFileSync(join(GUIDES, file), "utf8") }));
const blocks = guides.flatMap(({ file, text }) =>
  tsBlocks(text).map((code, i) => ({ label: `${file} block ${i + 1}`, code })),
);

describe("guides", () => {
  it("are each linked from the sidebar, which links no missing guide", () => {
    const config = readFileSync(join(ROOT, "docs/.vitepress/config.mjs"), "utf8");
    const linked = [...config.matchAll(/link: "\/guide\/([\w-]+)"/g)].map((m) => `${m[1]}.md`);
    expect(new Set(linked)).toEqual(new Set(guides.map((g) => g.file)));
  });

  it("link only with relative paths to files of the repository, so each link works there and on the site", () => {
    const broken: string[] = [];
    for (const { file, text } of guides) {
      const prose = text.replace(/```[\s\S]*?```/g, "");
      for (const [, href] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^https?:/.test(href!) || href!.startsWith("#")) continue;
        const target = resolve(GUIDES, href!.split("#")[0]!);
        if (href!.startsWith("/") || !existsSync(target) || !/\.md$|\/$/.test(href!.split("#")[0]!))
          broken.push(`${file}: ${href}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("each start with a title", () => {
    for (const { file, text } of guides) expect(text, file).toMatch(/^# \S/);
  });

  it("have TypeScript blocks that compile against the client", { timeout: 120_000 }, () => {
    expect(blocks.length).toBeGreaterThanOrEqual(guides.length);
    const output = typecheck(
      "guide-blocks",
      blocks.map((b) => b.code),
    );
    // tsc names block-N.ts; say which guide's block that is.
    expect(output.replace(/block-(\d+)\.ts/g, (_, n) => blocks[Number(n) - 1]!.label)).toBe("");
  });
});
