// The docs samples (docs/samples/<operationId>.ts): one per operation, and each one really runs and calls
// its operation. `npm run typecheck` compiles them against the client; here they run against a fake API
// that answers every documented route with the spec's example response.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OPERATIONS, type OperationId, type OperationRow } from "../src/contract.js";
import { bundle, operations, ROOT } from "./helpers/spec.js";

// The samples import the package by name, as users do; here that name is the source.
vi.mock("digitalocean-typed", () => import("../src/index.js"));

const SAMPLES = join(ROOT, "docs/samples");
const TOKEN = `dop_v1_${"0123456789abcdef".repeat(4)}`;
const sampleIds = readdirSync(SAMPLES)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.slice(0, -3));

/** Follows local `$ref`s (`#/components/...`) in the bundle. */
function deref(node: any): any {
  while (node?.$ref)
    node = node.$ref
      .slice(2)
      .split("/")
      .reduce((o: any, key: string) => o[key], bundle);
  return node;
}

interface Call {
  operationId: string | undefined;
  method: string;
  url: string;
  authorization: string | null;
}

/** The operation whose method and path template match a request, if any. */
function match(method: string, pathname: string) {
  return operations.find(
    (o) => o.method === method.toLowerCase() && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(pathname),
  );
}

/** A fetch that answers documented routes with their first 2xx example; later pages of a list come back empty. */
function fakeApi(calls: Call[]) {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const operation = match(request.method, decodeURIComponent(url.pathname));
    calls.push({
      operationId: operation?.operationId,
      method: request.method,
      url: request.url,
      authorization: request.headers.get("authorization"),
    });
    const headers = {
      "content-type": "application/json",
      "ratelimit-limit": "5000",
      "ratelimit-remaining": "4999",
      "ratelimit-reset": "1444931833",
    };
    if (!operation)
      return new Response(JSON.stringify({ id: "not_found", message: "undocumented route" }), { status: 404, headers });
    const [status, response] = Object.entries(operation.op.responses as Record<string, unknown>).find(([code]) =>
      code.startsWith("2"),
    )!;
    const media = deref(response)?.content?.["application/json"];
    let body = media?.example ?? (Object.values(media?.examples ?? {})[0] as { value?: unknown } | undefined)?.value;
    if (body && Number(url.searchParams.get("page") ?? 1) > 1) {
      body = Object.fromEntries(
        Object.entries(body)
          .filter(([k]) => k !== "links")
          .map(([k, v]) => [k, Array.isArray(v) ? [] : v]),
      );
    }
    return new Response(status === "204" || body === undefined ? null : JSON.stringify(body), {
      status: Number(status),
      headers,
    });
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("docs samples", () => {
  it("exist for every operation and for nothing else", () => {
    expect(operations.length).toBeGreaterThan(0);
    expect([...sampleIds].sort()).toEqual(operations.map((o) => o.operationId).sort());
  });

  it.each(sampleIds.filter((id) => operations.some((o) => o.operationId === id)))(
    "%s imports the package by name, uses no real token and fits the code panel",
    (id) => {
      const source = readFileSync(join(SAMPLES, `${id}.ts`), "utf8");
      expect(source).toMatch(/from "digitalocean-typed";/);
      expect(source).not.toMatch(/from "\.|do[por]_v1_[0-9a-f]{8}/);
      // The docs' code panel shows about 76 columns at 1440 px; only a long API path may run past that.
      expect(source.split("\n").filter((line) => line.length > 76 && !line.includes('"/v2/'))).toEqual([]);
    },
  );

  it.each(sampleIds.filter((id) => id in OPERATIONS))("%s calls its resource method, not a path", (id) => {
    const { resource, method } = OPERATIONS[id as OperationId] as OperationRow;
    const source = readFileSync(join(SAMPLES, `${id}.ts`), "utf8");
    // The method may follow its resource on the next line, as a formatter wraps a long call.
    expect(source).toMatch(new RegExp(`client\\.${resource}\\s*\\.${method}\\(`));
    expect(source).not.toMatch(/client\.(GET|POST|PUT|PATCH|DELETE)\(|\b(unwrap|paginate|collect)\(/);
  });

  it.each(operations.map((o) => o.operationId).filter((id) => sampleIds.includes(id)))(
    "%s runs and calls its operation",
    async (id) => {
      const calls: Call[] = [];
      vi.stubGlobal("fetch", fakeApi(calls));
      vi.stubEnv("DIGITALOCEAN_TOKEN", TOKEN);
      const printed: string[] = [];
      vi.spyOn(console, "log").mockImplementation(
        (...args: unknown[]) => void printed.push(args.map(String).join(" ")),
      );

      await import(pathToFileURL(join(SAMPLES, `${id}.ts`)).href);

      expect(calls.map((c) => c.operationId)).toContain(id);
      expect(calls.filter((c) => !c.operationId).map((c) => `${c.method} ${c.url}`)).toEqual([]);
      expect(calls.every((c) => c.authorization === `Bearer ${TOKEN}`)).toBe(true);
      expect(printed.length).toBeGreaterThan(0);
      expect(printed.join("\n")).not.toContain(TOKEN);
    },
  );
});
