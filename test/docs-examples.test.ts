// The test examples in README.md and the guides (```ts blocks that import vitest) really pass against the fake:
// each runs as a test file of its own (test/helpers/examples.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runExample } from "./helpers/examples.js";
import { ROOT } from "./helpers/spec.js";
import { tsBlocks } from "./helpers/typecheck.js";

const sources = [
  "README.md",
  ...readdirSync(join(ROOT, "docs/guide"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/guide/${f}`),
];
const examples = sources.flatMap((file) =>
  tsBlocks(readFileSync(join(ROOT, file), "utf8"))
    .filter((code) => code.includes('from "vitest"'))
    .map((code, i) => ({ name: `${file.replace(/\W+/g, "-")}-${i + 1}`, code })),
);

describe("test examples in README and the guides", () => {
  it("exist: README's and the testing guide's", () => {
    expect(examples.map((e) => e.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^README/), expect.stringMatching(/^docs-guide-testing/)]),
    );
  });

  it.each(examples.map((e) => [e.name, e.code]))("%s passes against the fake", { timeout: 120_000 }, (name, code) => {
    const { status, output } = runExample(name!, code!);
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(status).toBe(0);
  });
});
