// The published artifact works, not just the source tree: `npm pack` (its prepack compiles src/ to dist/),
// the tarball holds only what users need, publint and attw find no problem, and a fresh consumer project that
// installs the tarball offline type-checks and runs a program against a local server.
//
// The tarball's dependencies (openapi-fetch, openapi-typescript-helpers: nothing else runs) are packed from the project's own
// node_modules (what the lockfile installed) and installed beside it with `npm install --offline` into a new,
// empty npm cache: no network and nothing from whatever the machine's cache happens to hold. npm still checks
// them against the package's declared dependencies, so a version that no longer matches fails the install.
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDigitalOcean } from "../src/testing/index.js";
import { ROOT } from "./helpers/spec.js";

const TOKEN = `dop_v1_${"0123456789abcdef".repeat(4)}`;
const work = mkdtempSync(join(tmpdir(), "do-package-test-"));
const consumer = join(work, "consumer");
const bin = (name: string) => join(ROOT, "node_modules/.bin", name);

interface Run {
  code: number;
  output: string;
  stdout: string;
}

/** Runs a command without blocking the event loop (the local server must keep answering). */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, output: `${stdout}${stderr}` });
    });
  });
}

let tarball = "";
let packed: string[] = [];
/** Tarballs of the package's runtime dependencies, packed from this project's node_modules. */
let dependencies: string[] = [];

beforeAll(async () => {
  const pack = await run("npm", ["pack", "--json", "--pack-destination", work], ROOT);
  expect(pack.code, pack.output).toBe(0);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(work, info!.filename);
  packed = info!.files.map((f) => f.path).sort();
  // Every package a production install needs, the dependencies and theirs, as the lockfile installed them.
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
  };
  const paths = Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith("node_modules/") && !p.dev && !p.devOptional)
    .map(([path]) => join(ROOT, path));
  const deps = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work, ...paths], ROOT);
  expect(deps.code, deps.output).toBe(0);
  dependencies = (JSON.parse(deps.stdout.slice(deps.stdout.indexOf("["))) as { filename: string }[]).map((d) =>
    join(work, d.filename),
  );
  expect(dependencies).toHaveLength(paths.length);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npm pack", () => {
  it("ships the compiled client, its declarations and the generated spec and types, nothing else", () => {
    const modules = readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" })
      .filter((f) => /\.(ts|js)$/.test(f))
      .map((f) => f.slice(0, -3).split("\\").join("/"));
    const expected = [
      ...modules.flatMap((m) => [`dist/${m}.js`, `dist/${m}.d.ts`]),
      "generated/openapi.yaml",
      "generated/openapi.json",
      "generated/schema.d.ts",
      "generated/validators.js",
      "generated/validators.d.ts",
      "generated/contract.js",
      "generated/contract.d.ts",
      "generated/bodies.d.ts",
      "package.json",
      "README.md",
      "LICENSE",
    ].sort();
    expect(packed).toEqual(expected);
  });

  it("passes publint --strict", async () => {
    const { code, output } = await run(bin("publint"), ["run", "--strict", tarball], ROOT);
    expect(output).toContain("All good");
    expect(code, output).toBe(0);
  }, 60_000);

  // ESM-only package: the esm-only profile skips node10 and require() resolution (Node ≥ 20.19, our engines
  // floor, can require() it anyway). ./openapi.yaml is a data file users read via import.meta.resolve, not a module.
  it("passes @arethetypeswrong/cli (esm-only profile)", async () => {
    const { code, output } = await run(
      bin("attw"),
      [tarball, "--profile", "esm-only", "--exclude-entrypoints", "./openapi.yaml", "--format", "json"],
      ROOT,
    );
    expect(code, output).toBe(0);
    const report = JSON.parse(output.slice(output.indexOf("{"))) as {
      analysis: { problems: unknown[]; entrypoints: Record<string, unknown> };
    };
    expect(Object.keys(report.analysis.entrypoints)).toContain(".");
    expect(
      report.analysis.problems.filter(
        (p) => !["node10", "node16-cjs"].includes((p as { resolutionKind?: string }).resolutionKind ?? ""),
      ),
    ).toEqual([]);
  }, 60_000);
});

// The consumer: strict NodeNext TypeScript with only Node's types (no DOM lib) and skipLibCheck off, so the
// shipped .d.ts files are checked too. The @ts-expect-error lines fail the build if the types were `any`.
const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2022"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    outDir: "out",
    types: ["node"],
    typeRoots: [join(ROOT, "node_modules/@types")],
  },
  files: ["main.ts"],
};

const CONSUMER_MAIN = `
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { collect, createDigitalOceanClient, isApiError, unwrap, type components, type paths, type Schema } from "digitalocean-typed";
import { startFakeDigitalOcean } from "digitalocean-typed/testing";
import { checkHar, conformance, readHar, type Har, type HarReport, type Problem } from "digitalocean-typed/conformance";

type Droplet = Schema<"Droplet">;
const listPath: keyof paths = "/v2/droplets";
const status: components["schemas"]["Droplet"]["status"] = "active";

export function typeErrors(client: ReturnType<typeof createDigitalOceanClient>) {
  // @ts-expect-error not an API path
  const wrongPath: keyof paths = "/v2/nope";
  // @ts-expect-error droplet_id is a number
  void client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: "2" } } });
  return wrongPath;
}

const client = createDigitalOceanClient({ baseUrl: process.argv[2], retry: false });
const droplets: Droplet[] = await collect(client, listPath, { params: { query: { per_page: 2 } } });
const { droplet } = await unwrap(client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 2 } } }));
let notFound = "";
try {
  await unwrap(client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 404 } } }));
} catch (error) {
  if (isApiError(error)) notFound = \`\${error.status} \${error.id}\`;
}
const spec = readFileSync(fileURLToPath(import.meta.resolve("digitalocean-typed/openapi.yaml")), "utf8");
// The fake ships under ./testing and reads the shipped spec.
const fake = await startFakeDigitalOcean();
const faked = createDigitalOceanClient({ baseUrl: fake.url, token: fake.token, retry: false });
const { vpc } = await unwrap(faked.POST("/v2/vpcs", { body: { name: "from-the-package", region: "nyc1" } }));
const fakeVpcs = (await unwrap(faked.GET("/v2/vpcs"))).vpcs?.map((v) => v.name);
await fake.close();
// The stand-in's droplets are far from complete: the conformance middleware says what is missing, and where.
const problems: Problem[] = [];
const checked = createDigitalOceanClient({ baseUrl: process.argv[2], retry: false });
checked.use(conformance({ onProblem: (p) => problems.push(p) }));
await unwrap(checked.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 2 } } }));
const memory = problems.find((p) => p.pointer === "/droplet/memory");
// Recorded traffic, checked from code as the command checks it.
const har: Har | string = readHar(JSON.parse(readFileSync(${JSON.stringify(join(ROOT, "test/fixtures/conformance/problems.har"))}, "utf8")));
const recorded: HarReport | undefined = typeof har === "string" ? undefined : checkHar([har]);
console.log(JSON.stringify({
  names: droplets.map((d) => d.name),
  droplet: droplet?.name,
  active: droplet?.status === status,
  notFound,
  remaining: client.rateLimit?.remaining,
  specHasDroplets: spec.includes("\\n  /v2/droplets:\\n"),
  fakeVpcs,
  fakeDefault: vpc?.default,
  conformance: memory && [memory.kind, memory.specFile],
  har: recorded && [recorded.entries, recorded.problems[0]?.pointer],
}));
`;

const DROPLETS = ["web-1", "web-2", "web-3", "db-1", "db-2"].map((name, i) => ({ id: i + 1, name, status: "active" }));

/** A tiny stand-in for the API: a paginated droplet list, one droplet by ID, and 404s. */
function fakeApi(seen: { url: string; authorization: string | undefined }[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ url: req.url ?? "", authorization: req.headers.authorization });
    // As the API does: links at the origin the request was sent to.
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, {
        "content-type": "application/json",
        "ratelimit-limit": "5000",
        "ratelimit-remaining": "4990",
        "ratelimit-reset": "1700000000",
      });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/v2/droplets") {
      const page = Number(url.searchParams.get("page") ?? 1);
      const perPage = Number(url.searchParams.get("per_page") ?? 20);
      const last = Math.ceil(DROPLETS.length / perPage);
      const next = page < last ? { next: `${url.origin}/v2/droplets?page=${page + 1}&per_page=${perPage}` } : {};
      return send(200, {
        droplets: DROPLETS.slice((page - 1) * perPage, page * perPage),
        links: { pages: next },
        meta: { total: DROPLETS.length },
      });
    }
    const droplet = DROPLETS.find((d) => url.pathname === `/v2/droplets/${d.id}`);
    if (droplet) return send(200, { droplet });
    send(404, { id: "not_found", message: "The resource you were accessing could not be found." });
  };
}

describe("the packed tarball in a fresh consumer project", () => {
  const seen: { url: string; authorization: string | undefined }[] = [];
  let server: Server;
  beforeAll(async () => {
    mkdirSync(consumer);
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
    writeFileSync(join(consumer, "main.ts"), CONSUMER_MAIN);
    server = createServer(fakeApi(seen));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("installs offline with its dependencies, from an empty npm cache", async () => {
    const cache = join(work, "npm-cache");
    const { code, output } = await run(
      "npm",
      ["install", "--offline", "--no-audit", "--no-fund", tarball, ...dependencies],
      consumer,
      { npm_config_cache: cache },
    );
    expect(
      code,
      `npm install of the tarball and its dependencies (packed from node_modules; run npm ci) failed:\n${output}`,
    ).toBe(0);
    // The fake and conformance run on code generated at build time: no validator, router or YAML parser installed.
    const installed = readdirSync(join(consumer, "node_modules")).filter((name) => !name.startsWith("."));
    expect(installed.sort()).toEqual(["digitalocean-typed", "openapi-fetch", "openapi-typescript-helpers"]);
  }, 120_000);

  it("type-checks a strict consumer against the shipped declarations", async () => {
    const { code, output } = await run(
      process.execPath,
      [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "."],
      consumer,
    );
    expect(output).toBe("");
    expect(code).toBe(0);
  }, 120_000);

  it("runs against a local server: lists every page, gets one, maps a 404, reads the shipped spec, runs the shipped fake", async () => {
    const { port } = server.address() as AddressInfo;
    const { code, output, stdout } = await run(
      process.execPath,
      ["out/main.js", `http://127.0.0.1:${port}`],
      consumer,
      { DIGITALOCEAN_TOKEN: TOKEN },
    );
    expect(code, output).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      names: DROPLETS.map((d) => d.name),
      droplet: "web-2",
      active: true,
      notFound: "404 not_found",
      remaining: 4990,
      specHasDroplets: true,
      fakeVpcs: ["from-the-package"],
      fakeDefault: true,
      conformance: ["required", "spec/components/schemas/droplets/Droplet.yaml"],
      har: [4, "/droplet/memory"],
    });
    const requests = seen
      .map((r) => new URL(r.url, "http://localhost"))
      .map((u) => [u.pathname, u.searchParams.get("page"), u.searchParams.get("per_page")]);
    expect(requests).toEqual([
      ["/v2/droplets", "1", "2"],
      ["/v2/droplets", "2", "2"],
      ["/v2/droplets", "3", "2"],
      ["/v2/droplets/2", null, null],
      ["/v2/droplets/404", null, null],
      ["/v2/droplets/2", null, null],
    ]);
    expect(new Set(seen.map((r) => r.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
    expect(output).not.toContain(TOKEN);
  }, 60_000);

  it("installs the fake command, which serves with the token given and prints its URL", async () => {
    const child = spawn(
      join(consumer, "node_modules/.bin/digitalocean-typed-fake"),
      ["--port", "0", "--token", TOKEN, "--provision-ms", "0"],
      { cwd: consumer, stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise((resolve) => child.once("close", resolve));
    try {
      let output = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk;
          const found = /: (http:\/\/127\.0\.0\.1:\d+)\n[\s\S]*Ctrl-C stops it/.exec(output);
          if (found) resolve(found[1]!);
        });
        child.once("close", () => reject(new Error(`the fake exited before serving:\n${output}`)));
      });
      expect(output).toContain(`Token: ${TOKEN}`);
      const answer = await fetch(`${url}/v2/projects/default`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(answer.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    await exited;
  }, 60_000);

  it("installs the conformance command, which checks a HAR file", async () => {
    const har = join(ROOT, "test/fixtures/conformance/problems.har");
    const { code, stdout } = await run(
      join(consumer, "node_modules/.bin/digitalocean-typed-conformance"),
      [har, "--json"],
      consumer,
    );
    const report = JSON.parse(stdout) as { entries: number; problems: { kind: string }[] };
    expect(report.entries).toBe(4);
    expect(report.problems.map((p) => p.kind)).toContain("undocumented-status");
    expect(code).toBe(1);
  }, 60_000);
  it("installs the MCP command, which without its optional peer says what to install, no stack", async () => {
    const { code, output } = await run(join(consumer, "node_modules/.bin/digitalocean-typed-mcp"), [], consumer, {
      DIGITALOCEAN_TOKEN: TOKEN,
    });
    expect(code).toBe(1);
    expect(output).toContain("npm install @modelcontextprotocol/server");
    expect(output).not.toMatch(/^\s+at /m);
  }, 60_000);

  it("serves the MCP tools once the peer is installed (offline, packed from node_modules)", async () => {
    const peer = ["@modelcontextprotocol/server", "@modelcontextprotocol/core", "zod"].map((name) =>
      join(ROOT, "node_modules", name),
    );
    const packedPeer = await run(
      "npm",
      ["pack", "--json", "--ignore-scripts", "--pack-destination", work, ...peer],
      ROOT,
    );
    expect(packedPeer.code, packedPeer.output).toBe(0);
    const files = (JSON.parse(packedPeer.stdout.slice(packedPeer.stdout.indexOf("["))) as { filename: string }[]).map(
      (d) => join(work, d.filename),
    );
    const install = await run("npm", ["install", "--offline", "--no-audit", "--no-fund", ...files], consumer, {
      npm_config_cache: join(work, "npm-cache"),
    });
    expect(install.code, install.output).toBe(0);
    // Its answers are checked against the output schemas: the fake gives whole ones.
    const fake = await startFakeDigitalOcean({ token: TOKEN });
    const host = new Client({ name: "package-test", version: "1.0.0" });
    try {
      await host.connect(
        new StdioClientTransport({
          command: join(consumer, "node_modules/.bin/digitalocean-typed-mcp"),
          cwd: consumer,
          env: { PATH: process.env.PATH!, DIGITALOCEAN_TOKEN: TOKEN, DIGITALOCEAN_API_URL: fake.url },
        }),
      );
      const result = await host.callTool({ name: "projects_list", arguments: { limit: 1 } });
      expect(result.structuredContent).toMatchObject({ projects: [{ is_default: true }], meta: { total: 1 } });
    } finally {
      await host.close();
      await fake.close();
    }
  }, 120_000);
});
