// Type-checks Markdown code blocks as modules importing "digitalocean-typed", like the samples are.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./spec.js";

/** The ```ts blocks of a Markdown text, those indented in a list item too (without their indent). */
export function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^( *)```ts\n([\s\S]*?)^\1```/gm)].map(([, indent, code]) =>
    code!.replace(new RegExp(`^${indent}`, "gm"), ""),
  );
}

/**
 * Compiles each source as its own module (block-1.ts, …) under test-output/NAME with the project's compiler
 * options, the package names mapped to src/. Returns tsc's output, or "" when everything compiles.
 */
export function typecheck(name: string, sources: string[]): string {
  const dir = join(ROOT, "test-output", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [i, code] of sources.entries()) writeFileSync(join(dir, `block-${i + 1}.ts`), `${code}\nexport {};\n`);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.json",
      compilerOptions: {
        noUnusedLocals: false,
        paths: {
          "digitalocean-typed": ["../../src/index.ts"],
          "digitalocean-typed/conformance": ["../../src/conformance/index.ts"],
          "digitalocean-typed/testing": ["../../src/testing/index.ts"],
          "digitalocean-typed/redis": ["../../src/redis.ts"],
          "digitalocean-typed/mcp": ["../../src/mcp/index.ts"],
        },
      },
      include: ["*.ts"],
    }),
  );
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], {
    encoding: "utf8",
  });
  return r.status === 0 ? "" : `${r.stdout}${r.stderr}`;
}
