// Benchmark 4: what the types cost a user. A consumer file that calls every operation of the spec (path parameters,
// required query/header parameters, and the spec's documented request-body examples) is type-checked with
// `tsc --noEmit` against the shipped declarations (dist/*.d.ts + generated/*.d.ts, as npm installs them), once in
// path style (`client.GET(path, init)`) and once through resource methods (`client.droplets.get(id)`), next to a
// baseline file that only creates a client. Reports wall time, tsc's check time and memory.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OPERATIONS } from "../src/contract.js";
import { operations } from "../test/helpers/spec.js";
import { FAKE_TOKEN, ROOT, median } from "./lib.js";

/** Median measurements of one consumer file. */
export interface TypecheckRow {
  name: string;
  calls: number;
  wallMs: number;
  checkMs: number;
  memoryMB: number;
}

type Param = {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  schema?: { type?: string; enum?: unknown[] };
};

/** A value of the parameter's type: its example, else its first enum value, else a placeholder. */
function sampleValue(p: Param): unknown {
  if (p.example !== undefined) return p.example;
  if (p.schema?.enum?.length) return p.schema.enum[0];
  return p.schema?.type === "integer" || p.schema?.type === "number" ? 1 : p.schema?.type === "boolean" ? true : "x";
}

/** What a call of one operation passes: path parameters, required query/header parameters, the body's example. */
function callOf({ operationId, method, path, parameters, requestBody }: (typeof operations)[number]) {
  const params = (parameters as Param[]).filter((p) => p.required || p.in === "path");
  const groups: Record<string, Record<string, unknown>> = {};
  for (const p of params) groups[p.in] = { ...groups[p.in], [p.name]: sampleValue(p) };
  const body = requestBody?.content?.["application/json"]?.example as Record<string, unknown> | undefined;
  return { operationId: operationId as keyof typeof OPERATIONS, method, path, groups, body };
}

/** One `await client.METHOD(path, init)` line per operation of the bundled spec. */
export function pathStyleCalls(): string[] {
  return operations.map(callOf).map(({ method, path, groups, body }) => {
    const init: Record<string, unknown> = {};
    if (Object.keys(groups).length) init.params = groups;
    if (body !== undefined) init.body = body;
    const args = Object.keys(init).length ? `, ${JSON.stringify(init)}` : "";
    return `  await client.${method.toUpperCase()}(${JSON.stringify(path)}${args});`;
  });
}

/** One `await client.resource.method(...pathParams, fields)` line per operation of the bundled spec. */
export function resourceCalls(): string[] {
  return operations.map(callOf).map(({ operationId, groups, body }) => {
    const { resource, method, pathParams } = OPERATIONS[operationId];
    const fields = { ...groups.query, ...groups.header, ...body };
    const args = [
      ...pathParams.map((name) => JSON.stringify(groups.path?.[name])),
      ...(Object.keys(fields).length ? [JSON.stringify(fields)] : []),
    ];
    return `  await client.${resource}.${method}(${args.join(", ")});`;
  });
}

/** Lays out the package as npm would install it, under `dir/node_modules/digitalocean-typed`. */
function installShippedTypes(dir: string): void {
  const pkg = join(dir, "pkg");
  const build = spawnSync(
    process.execPath,
    [
      join(ROOT, "node_modules/typescript/bin/tsc"),
      "-p",
      join(ROOT, "tsconfig.build.json"),
      "--outDir",
      join(pkg, "dist"),
    ],
    { encoding: "utf8" },
  );
  if (build.status !== 0) throw new Error(`compiling src/ failed:\n${build.stdout}${build.stderr}`);
  mkdirSync(join(pkg, "generated"));
  const shipped: string[] = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).files;
  for (const file of shipped.filter((f) => f.startsWith("generated/") && f.endsWith(".d.ts")))
    copyFileSync(join(ROOT, file), join(pkg, file));
  copyFileSync(join(ROOT, "package.json"), join(pkg, "package.json"));
  symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
  mkdirSync(join(dir, "consumer/node_modules"), { recursive: true });
  symlinkSync(pkg, join(dir, "consumer/node_modules/digitalocean-typed"));
}

function tsc(project: string): { wallMs: number; checkMs: number; memoryMB: number } {
  const start = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "--extendedDiagnostics", "-p", project],
    { encoding: "utf8" },
  );
  const wallMs = performance.now() - start;
  const stat = (label: string) => Number(new RegExp(`^${label}:\\s+([\\d.]+)`, "m").exec(r.stdout)?.[1]);
  if (r.status !== 0) throw new Error(`the consumer does not type-check:\n${r.stdout.split("\nFiles:")[0]}${r.stderr}`);
  return { wallMs, checkMs: stat("Check time") * 1000, memoryMB: stat("Memory used") / 1024 };
}

export function benchTypecheck(rounds = 3): TypecheckRow[] {
  const dir = mkdtempSync(join(tmpdir(), "do-bench-tsc-"));
  try {
    installShippedTypes(dir);
    const paths = pathStyleCalls();
    const head = `import { createDigitalOceanClient } from "digitalocean-typed";\nconst client = createDigitalOceanClient({ token: "${FAKE_TOKEN}" });\n`;
    const files = {
      "baseline: create a client, no calls": [],
      [`all ${paths.length} operations, path style`]: paths,
      [`all ${paths.length} operations, resource methods`]: resourceCalls(),
    };
    const rows: TypecheckRow[] = [];
    for (const [name, lines] of Object.entries(files)) {
      const project = join(dir, "consumer", `p${rows.length}`);
      mkdirSync(project);
      writeFileSync(
        join(project, "main.ts"),
        `${head}export async function main() {\n${lines.join("\n")}\n  return client;\n}\n`,
      );
      const compilerOptions = {
        target: "ES2022",
        module: "NodeNext",
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        types: ["node"],
        typeRoots: [join(ROOT, "node_modules/@types")],
      };
      writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["main.ts"] }));
      const runs = Array.from({ length: rounds }, () => tsc(project));
      rows.push({
        name,
        calls: lines.length,
        wallMs: median(runs.map((r) => r.wallMs)),
        checkMs: median(runs.map((r) => r.checkMs)),
        memoryMB: median(runs.map((r) => r.memoryMB)),
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
