// README.md is the front door: short, the two repository commands at the top, the install line, links that
// lead to files; and every ```ts block in it type-checks against the client, so the docs cannot rot.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/spec.js";
import { tsBlocks, typecheck } from "./helpers/typecheck.js";

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const blocks = tsBlocks(readme);

describe("README", () => {
  it("is at most 250 lines", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(250);
  });

  it("opens with the two commands a contributor runs on a fresh machine, as CI runs the second", () => {
    const first = /```\n([\s\S]*?)```/.exec(readme)!;
    expect(readme.slice(0, first.index).trim()).toBe("# digitalocean-typed");
    const commands = first[1]!.split("\n").map((line) => line.split("#")[0]!.trim());
    expect(commands.filter(Boolean)).toEqual(["npm ci && npm run build", "npm test"]);
    expect(readFileSync(join(ROOT, ".ci/run"), "utf8")).toMatch(/^npm test$/m);
  });

  it("has the install line before any other code and a first call right after it", () => {
    expect(readme.indexOf("npm install digitalocean-typed")).toBeLessThan(readme.indexOf("```ts"));
    expect(blocks[0]).toContain("createDigitalOceanClient()");
  });

  it("links only to files that exist, among them every guide", () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]!);
    for (const link of links) expect(existsSync(join(ROOT, link)), link).toBe(true);
    const guides = readFileSync(join(ROOT, "docs/.vitepress/config.mjs"), "utf8").matchAll(
      /link: "\/guide\/([\w-]+)"/g,
    );
    for (const [, guide] of guides) expect(links, guide).toContain(`docs/guide/${guide}.md`);
  });

  it("names each client the testing guide knows to work with the fake, at its version, and links that section", () => {
    const guide = readFileSync(join(ROOT, "docs/guide/testing.md"), "utf8");
    const heading = guide.indexOf("\n## Known to work with the fake\n");
    expect(heading).toBeGreaterThan(0);
    const clients = [...guide.slice(heading).matchAll(/^\| \[([^\]]+)\]\([^)]*\)[^|]*\| ([\d.]+) \|/gm)];
    expect(clients.length).toBeGreaterThan(0);
    const start = readme.indexOf("## Testing your code");
    const testing = readme.slice(start, readme.indexOf("\n## ", start));
    for (const [, name, version] of clients) {
      expect(testing).toContain(`[${name}](`);
      expect(testing).toContain(` ${version}`);
    }
    expect(testing).toContain("(docs/guide/testing.md#known-to-work-with-the-fake)");
  });

  it("counts no operations in prose: the list is the reference's", () => {
    expect(readme).not.toMatch(/\b\d+ operations\b/);
  });
});

describe("README code blocks", () => {
  it("has TypeScript examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  it("type-check against the client", { timeout: 60_000 }, () => {
    expect(typecheck("readme-blocks", blocks)).toBe("");
  });

  it("would fail on a block that misuses the client", { timeout: 60_000 }, () => {
    const broken = `import { createDigitalOceanClient } from "digitalocean-typed";\nawait createDigitalOceanClient().GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: "x" } } });`;
    expect(typecheck("readme-blocks-broken", [broken])).toMatch(/block-1\.ts.*error TS2322/);
  });
});
