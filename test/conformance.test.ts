// The conformance checks (src/conformance/) and the middleware: every example of the spec passes without a
// single problem, known breakages come back with the exact kind, pointer and spec file, and the middleware
// reports live traffic (once per distinct problem) or fails the call with `throw: true`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  checkRequest,
  checkResponse,
  ConformanceError,
  conformance,
  findOperation,
  NOT_JSON,
  type Problem,
} from "../src/conformance/index.js";
import { unwrap } from "../src/index.js";
import { files, nodes, operations as entries } from "../generated/validators.js";
import { resolve } from "./helpers/contract.js";
import { type Handler, useServers } from "./helpers/server.js";
import { bundle, operations, ROOT } from "./helpers/spec.js";

const servers = useServers({ retry: false });
/** The rate-limit headers the API sends on every answer. */
const RATE_LIMIT = { "ratelimit-limit": "5000", "ratelimit-remaining": "4999", "ratelimit-reset": "1796118840" };
/** A stub of the API: its answers carry the rate-limit headers, under any the test gives. */
const serve = (handler: Handler) =>
  servers.serve(async (req, index) => {
    const reply = await handler(req, index);
    return "status" in reply ? { ...reply, headers: { ...RATE_LIMIT, ...reply.headers } } : reply;
  });
afterEach(() => vi.restoreAllMocks());

const droplet = () =>
  structuredClone(
    resolve(bundle.paths["/v2/droplets/{droplet_id}"].get.responses["200"]).content["application/json"].example,
  );
const brief = (problems: Problem[]) => problems.map(({ kind, pointer, specFile }) => ({ kind, pointer, specFile }));
/** The headers a response documents, with their examples, and its content type: an answer's headers as the spec shows them. */
const headersOf = (response: any): Record<string, string> => ({
  ...Object.fromEntries(
    Object.entries(response.headers ?? {}).map(([name, header]) => [name, String(resolve(header).example)]),
  ),
  ...(response.content ? { "Content-Type": `${Object.keys(response.content)[0]}; charset=utf-8` } : {}),
});
/** The line of `text` in a spec file, 1-based. */
const lineOf = (file: string, text: string) => readFileSync(join(ROOT, file), "utf8").split("\n").indexOf(text) + 1;

describe("every example of the spec conforms", () => {
  const cases = operations.flatMap((operation) => {
    const key = `${operation.method.toUpperCase()} ${operation.path}`;
    const responses = Object.entries(operation.op.responses as Record<string, unknown>).map(([status, raw]) => {
      const response = resolve(raw);
      return { status, example: response.content?.["application/json"]?.example, headers: headersOf(response) };
    });
    return [{ key, operation, responses }];
  });

  it.each(cases)("$key", ({ key, operation, responses }) => {
    const params: Record<string, Record<string, unknown>> = { path: {}, query: {}, header: {} };
    for (const p of operation.parameters) if (p.example !== undefined) params[p.in]![p.name] = p.example;
    const body = resolve(operation.op.requestBody)?.content?.["application/json"]?.example;
    expect(checkRequest(key, params, body)).toEqual([]);
    for (const { status, example, headers } of responses) {
      const code = status === "default" ? 599 : Number(status);
      expect(checkResponse(key, code, example, headers), `${key} → ${status}`).toEqual([]);
    }
  });

  it("covers every operation and gives each problem a spec file that exists", () => {
    expect(cases.map((c) => c.key).sort()).toEqual(Object.keys(entries).sort());
    const problems = checkResponse("GET /v2/droplets/{droplet_id}", 200, { droplet: { id: "x" }, extra: 1 });
    expect(problems.length).toBeGreaterThan(10);
    for (const p of problems) expect(existsSync(join(ROOT, p.specFile)), p.specFile).toBe(true);
  });
});

describe("the map of spec/ in generated/validators.js", () => {
  const lines = files.map((f) => (existsSync(join(ROOT, f)) ? readFileSync(join(ROOT, f), "utf8").split("\n") : []));

  it("points every schema, parameter, operation and response at a line of a file that exists", () => {
    for (const f of files) expect(existsSync(join(ROOT, f)), f).toBe(true);
    const places = [
      ...nodes,
      ...Object.values(entries),
      ...Object.values(entries).flatMap((op) => Object.values(op.responses)),
    ];
    for (const { file, line } of places) {
      expect(line, files[file]).toBeGreaterThanOrEqual(1);
      expect(line!, files[file]).toBeLessThanOrEqual(lines[file]!.length);
    }
  });

  it("has the ratelimit-* headers of every response of every operation, so every answer's are checked", () => {
    const responses = Object.entries(entries).flatMap(([key, op]) =>
      Object.entries(op.responses).map(([status, r]) => ({ at: `${key} → ${status}`, r })),
    );
    expect(responses.length).toBeGreaterThan(Object.keys(entries).length);
    for (const { at, r } of responses) {
      expect(r.headersCheck, at).toBeDefined();
      expect(Object.keys(nodes[r.headers!]!.properties!), at).toEqual(
        expect.arrayContaining(["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"]),
      );
    }
  });

  it("puts each property at its own key in its own file, and each operation at its method", () => {
    const size = nodes.find(
      (n) =>
        files[n.file] === "spec/components/schemas/droplets/Size.yaml" && n.properties?.price_monthly !== undefined,
    )!;
    const price = nodes[size.properties!.price_monthly!]!;
    expect(lines[price.file]![price.line! - 1]).toMatch(/^\s+price_monthly:/);
    const op = entries["GET /v2/droplets/{droplet_id}"]!;
    expect(files[op.file]).toBe("spec/paths/droplets/droplets@{droplet_id}.yaml");
    expect(lines[op.file]![op.line! - 1]).toBe("get:");
    expect(lines[op.file]![op.responsesLine! - 1]).toMatch(/^\s+responses:/);
    expect(files[op.responses["404"]!.file]).toBe("spec/components/responses/not_found.yaml");
  });
});

describe("problems point at the spec file to edit", () => {
  it("wrong type, missing required, enum, format, null where no null is allowed, undocumented field", () => {
    const body = droplet();
    body.droplet.size.price_monthly = "6.00";
    delete body.droplet.memory;
    body.droplet.status = "sleeping";
    body.droplet.created_at = "yesterday";
    body.droplet.next_backup_window = "soon";
    body.droplet.kernel = { id: "x", name: "k", version: "1" };
    body.droplet.gpu_count = 1;
    const problems = checkResponse("GET /v2/droplets/{droplet_id}", 200, body);
    expect(brief(problems)).toEqual(
      expect.arrayContaining([
        {
          kind: "type",
          pointer: "/droplet/size/price_monthly",
          specFile: "spec/components/schemas/droplets/Size.yaml",
        },
        { kind: "required", pointer: "/droplet/memory", specFile: "spec/components/schemas/droplets/Droplet.yaml" },
        { kind: "enum", pointer: "/droplet/status", specFile: "spec/components/schemas/droplets/Droplet.yaml" },
        { kind: "format", pointer: "/droplet/created_at", specFile: "spec/components/schemas/droplets/Droplet.yaml" },
        {
          kind: "type",
          pointer: "/droplet/next_backup_window",
          specFile: "spec/components/schemas/droplets/Droplet.yaml",
        },
        { kind: "type", pointer: "/droplet/kernel/id", specFile: "spec/components/schemas/droplets/Kernel.yaml" },
        {
          kind: "undocumented-field",
          pointer: "/droplet/gpu_count",
          specFile: "spec/components/schemas/droplets/Droplet.yaml",
        },
      ]),
    );
    // Only these: the branches of `kernel: oneOf [Kernel, null]` the value was not meant to match say nothing.
    expect(problems).toHaveLength(7);
    const price = problems.find((p) => p.pointer === "/droplet/size/price_monthly")!;
    expect(price).toMatchObject({
      operation: "GET /v2/droplets/{droplet_id}",
      status: 200,
      in: "response",
      message: "must be number, got string",
    });
    expect(price.line).toBeGreaterThan(1);
  });

  it("an undocumented field inside a oneOf branch is only that, even where additionalProperties is not false", () => {
    const body = droplet();
    body.droplet.kernel = {
      id: 7515,
      name: "DigitalOcean GrubLoader v0.2 (20160714)",
      version: "2016.07.13",
      loader: true,
    };
    expect(brief(checkResponse("GET /v2/droplets/{droplet_id}", 200, body))).toEqual([
      {
        kind: "undocumented-field",
        pointer: "/droplet/kernel/loader",
        specFile: "spec/components/schemas/droplets/Kernel.yaml",
      },
    ]);
    // DropletCreateSingle is meant (`name`); DropletCreateMultiple's objections to `name` are not reported.
    expect(
      brief(
        checkRequest(
          "POST /v2/droplets",
          {},
          { name: "web-1", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", gpu: true },
        ),
      ),
    ).toEqual([
      {
        kind: "undocumented-field",
        pointer: "/gpu",
        specFile: "spec/components/schemas/droplets/DropletCreateSingle.yaml",
      },
    ]);
  });

  it("a status the operation does not list: an unlisted 2xx is undocumented, an error falls to `default`", () => {
    expect(brief(checkResponse("GET /v2/droplets/{droplet_id}", 202, {}))).toEqual([
      { kind: "undocumented-status", pointer: "", specFile: "spec/paths/droplets/droplets@{droplet_id}.yaml" },
    ]);
    expect(checkResponse("GET /v2/droplets/{droplet_id}", 418, { id: "teapot", message: "no" })).toEqual([]);
    expect(brief(checkResponse("GET /v2/droplets/{droplet_id}", 404, { id: "not_found" }))).toEqual([
      { kind: "required", pointer: "/message", specFile: "spec/components/schemas/Error.yaml" },
    ]);
    expect(brief(checkResponse("GET /v2/droplets/{droplet_id}", 200, NOT_JSON))).toEqual([
      { kind: "type", pointer: "", specFile: "spec/paths/droplets/droplets@{droplet_id}.yaml" },
    ]);
  });

  it("requests: parameters as sent in a URL, bodies, and a oneOf body reported once", () => {
    expect(brief(checkRequest("GET /v2/droplets", { query: { per_page: "201", sort: "x" } }, undefined))).toEqual([
      { kind: "format", pointer: "/query/per_page", specFile: "spec/components/parameters/per_page.yaml" },
      { kind: "undocumented-field", pointer: "/query/sort", specFile: "spec/paths/droplets/droplets.yaml" },
    ]);
    expect(checkRequest("GET /v2/droplets/{droplet_id}", { path: { droplet_id: "3164444" } }, undefined)).toEqual([]);
    expect(brief(checkRequest("GET /v2/droplets/{droplet_id}", { path: { droplet_id: "abc" } }, undefined))).toEqual([
      { kind: "type", pointer: "/path/droplet_id", specFile: "spec/components/parameters/droplet_id.yaml" },
    ]);
    // Text JavaScript would read as a number, where the spec's integer is decimal digits; so in a response header.
    for (const id of ["0x10", "Infinity", "1e400", "+16", "16.0"]) {
      const problems = checkRequest("GET /v2/droplets/{droplet_id}", { path: { droplet_id: id } }, undefined);
      expect(problems, id).toMatchObject([
        {
          kind: "type",
          pointer: "/path/droplet_id",
          message: `${JSON.stringify(id)} is not an integer in decimal digits`,
        },
      ]);
    }
    expect(
      brief(checkResponse("GET /v2/droplets", 200, undefined, { ...RATE_LIMIT, "ratelimit-reset": "0x6B0E1A38" })),
    ).toEqual([
      { kind: "type", pointer: "/header/ratelimit-reset", specFile: "spec/components/headers/ratelimit-reset.yaml" },
    ]);
    // DropletCreateSingle or DropletCreateMultiple: `name` says which one was meant.
    expect(brief(checkRequest("POST /v2/droplets", {}, { name: "web-1" }))).toEqual([
      { kind: "required", pointer: "/size", specFile: "spec/components/schemas/droplets/DropletCreateSingle.yaml" },
      { kind: "required", pointer: "/image", specFile: "spec/components/schemas/droplets/DropletCreateSingle.yaml" },
    ]);
    expect(brief(checkRequest("POST /v2/vpcs", {}, undefined))).toEqual([
      { kind: "required", pointer: "", specFile: "spec/components/schemas/vpcs/VpcCreate.yaml" },
    ]);
  });

  it("matches paths to operations, literal segments first, and says when none matches", () => {
    expect(findOperation("GET", "/v2/projects/default")).toEqual({ key: "GET /v2/projects/default", path: {} });
    expect(findOperation("get", "/v2/projects/4de7ac8b-495b-4884-9a69-1050c6793cd6")?.key).toBe(
      "GET /v2/projects/{project_id}",
    );
    expect(findOperation("DELETE", "/v2/reserved_ipv6/2409:40d0:f7:1017::")).toEqual({
      key: "DELETE /v2/reserved_ipv6/{reserved_ipv6}",
      path: { reserved_ipv6: "2409:40d0:f7:1017::" },
    });
    expect(findOperation("PUT", "/v2/droplets")).toBeUndefined();
    expect(findOperation("GET", "/v2/images")).toBeUndefined();
    expect(brief(checkResponse("GET /v2/images", 200, {}))).toEqual([
      { kind: "unknown-operation", pointer: "", specFile: "spec/openapi.yaml" },
    ]);
  });
});

describe("response headers", () => {
  const list = { projects: [], links: {}, meta: { total: 0 } };
  const sent = {
    "Content-Type": "application/json; charset=utf-8",
    "RateLimit-Limit": "5000",
    "RateLimit-Remaining": "4999",
    "RateLimit-Reset": "1796118840",
    "x-request-id": "a1",
  };

  it("checks the headers the response documents (names in any case) and leaves the others alone", () => {
    expect(checkResponse("GET /v2/projects", 200, list, { ...sent, constructor: "x" })).toEqual([]);
    const problems = checkResponse("GET /v2/projects", 200, list, {
      ...sent,
      "ratelimit-reset": "Tue, 01 Dec 2026 10:14:00 GMT",
    });
    expect(brief(problems)).toEqual([
      { kind: "type", pointer: "/header/ratelimit-reset", specFile: "spec/components/headers/ratelimit-reset.yaml" },
    ]);
    expect(problems[0]).toMatchObject({ status: 200, in: "response", message: "must be integer, got string" });
    expect(problems[0]!.line).toBe(lineOf("spec/components/headers/ratelimit-reset.yaml", "schema:"));
    // An error answer documents them too, through its shared response.
    expect(
      brief(
        checkResponse(
          "GET /v2/projects",
          429,
          { id: "too_many_requests", message: "slow down" },
          { ...RATE_LIMIT, "content-type": "application/json", "ratelimit-remaining": "none" },
        ),
      ),
    ).toEqual([
      {
        kind: "type",
        pointer: "/header/ratelimit-remaining",
        specFile: "spec/components/headers/ratelimit-remaining.yaml",
      },
    ]);
  });

  it("every answer must carry the rate-limit headers: a missing one is reported where the response lists it", () => {
    const { "RateLimit-Remaining": _, ...without } = sent;
    const problems = checkResponse("GET /v2/projects", 200, list, without);
    expect(brief(problems)).toEqual([
      { kind: "required", pointer: "/header/ratelimit-remaining", specFile: "spec/paths/projects/projects.yaml" },
    ]);
    expect(problems[0]).toMatchObject({ status: 200, message: 'required property "ratelimit-remaining" is missing' });
    expect(problems[0]!.line).toBe(lineOf("spec/paths/projects/projects.yaml", "        ratelimit-remaining:"));
    // An error answer too, at the shared response it is.
    const error = { id: "not_found", message: "gone" };
    const { "ratelimit-reset": __, ...noReset } = { ...RATE_LIMIT, "content-type": "application/json" };
    expect(brief(checkResponse("GET /v2/projects/{project_id}", 404, error, noReset))).toEqual([
      { kind: "required", pointer: "/header/ratelimit-reset", specFile: "spec/components/responses/not_found.yaml" },
    ]);
  });

  it("content-type must be one the response documents, and is only expected with a body", () => {
    const at = "spec/paths/projects/projects.yaml";
    const wrong = checkResponse("GET /v2/projects", 200, list, { ...sent, "Content-Type": "text/html" });
    expect(brief(wrong)).toEqual([{ kind: "enum", pointer: "/header/content-type", specFile: at }]);
    expect(wrong[0]!.message).toBe('"text/html" is not one of "application/json"');
    expect(brief(checkResponse("GET /v2/projects", 200, list, RATE_LIMIT))).toEqual([
      { kind: "required", pointer: "/header/content-type", specFile: at },
    ]);
    expect(checkResponse("DELETE /v2/projects/{project_id}", 204, undefined, RATE_LIMIT)).toEqual([]);
    expect(brief(checkResponse("DELETE /v2/projects/{project_id}", 204, {}, sent))).toEqual([
      { kind: "type", pointer: "/header/content-type", specFile: "spec/components/responses/no_content.yaml" },
    ]);
    // Without headers, as before: the body alone.
    expect(checkResponse("GET /v2/projects", 200, list)).toEqual([]);
  });
});

describe("repeats, oneOf branches and references", () => {
  it("a problem's pattern has array indexes and map keys as *, property names as written", () => {
    const { droplet: d } = droplet();
    const page = { droplets: [1, 2].map((id) => ({ ...d, id, status: "sleeping" })), links: {}, meta: { total: 2 } };
    expect(checkResponse("GET /v2/droplets", 200, page).map((p) => [p.pointer, p.pattern])).toEqual([
      ["/droplets/0/status", "/droplets/*/status"],
      ["/droplets/1/status", "/droplets/*/status"],
    ]);
    const record = { droplet_id: 1, backup_enabled: "true" };
    const policies = { policies: { "1": record, "2": { ...record, droplet_id: 2 } }, links: {}, meta: { total: 2 } };
    const problems = checkResponse("GET /v2/droplets/backups/policies", 200, policies);
    expect(problems.map((p) => p.pattern)).toEqual(["/policies/*/backup_enabled", "/policies/*/backup_enabled"]);
    expect(problems[0]).toMatchObject({ pointer: "/policies/1/backup_enabled", kind: "type" });
  });

  it("the same problem found in two oneOf branches is reported once", () => {
    const body = { name: "web-1", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", tags: "web" };
    expect(brief(checkRequest("POST /v2/droplets", {}, body))).toEqual([
      { kind: "type", pointer: "/tags", specFile: "spec/components/schemas/droplets/DropletCreateSingle.yaml" },
    ]);
    expect(checkRequest("POST /v2/droplets", {}, body)[0]!.message).toBe("must be array or null, got string");
  });

  it("a null the schema does not allow points at the property that refers to it; other values at the schema", () => {
    const file = "spec/components/schemas/droplets/Droplet.yaml";
    const nulled = droplet();
    nulled.droplet.image = null;
    const [problem, ...rest] = checkResponse("GET /v2/droplets/{droplet_id}", 200, nulled);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      kind: "type",
      pointer: "/droplet/image",
      specFile: file,
      message: "must be object, got null",
    });
    expect(problem!.line).toBe(lineOf(file, "  image:"));
    const wrong = droplet();
    wrong.droplet.image = "ubuntu-24-04-x64";
    expect(brief(checkResponse("GET /v2/droplets/{droplet_id}", 200, wrong))).toEqual([
      { kind: "type", pointer: "/droplet/image", specFile: "spec/components/schemas/droplets/Image.yaml" },
    ]);
  });
});

describe("conformance() middleware", () => {
  const page = (extra: Record<string, unknown>) => {
    const { droplet: d } = droplet();
    return { droplets: [1, 2, 3].map((id) => ({ ...d, id, ...extra })), links: {}, meta: { total: 3 } };
  };

  it("warns once per distinct problem by default, and lets the call succeed", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { client } = await serve(() => ({ status: 200, body: page({ gpu_count: 0 }) }));
    client.use(conformance());
    const first = await unwrap(client.GET("/v2/droplets"));
    await unwrap(client.GET("/v2/droplets"));
    expect(first.droplets).toHaveLength(3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain("undocumented-field at /droplets/0/gpu_count");
    expect(warn.mock.calls[0]![0]).toContain("spec/components/schemas/droplets/Droplet.yaml");
  });

  it("with throw: true a response that breaks the spec fails the call; undocumented fields only go to onProblem", async () => {
    const problems: Problem[] = [];
    const { client } = await serve((req) => ({
      status: 200,
      body: page(req.url.includes("page=2") ? { status: "sleeping" } : { gpu_count: 0 }),
    }));
    client.use(conformance({ throw: true, onProblem: (p) => problems.push(p) }));
    await expect(unwrap(client.GET("/v2/droplets"))).resolves.toBeDefined();
    const error = await client.GET("/v2/droplets", { params: { query: { page: 2 } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConformanceError);
    expect(brief((error as ConformanceError).problems)).toEqual(
      [0, 1, 2].map((i) => ({
        kind: "enum",
        pointer: `/droplets/${i}/status`,
        specFile: "spec/components/schemas/droplets/Droplet.yaml",
      })),
    );
    expect((error as Error).message).toContain("enum at /droplets/0/status");
    expect(problems.map((p) => p.kind)).toEqual(["undocumented-field", "enum"]);
  });

  it("checks the headers the API sent, and reports a problem in every value of a map once", async () => {
    const problems: Problem[] = [];
    const record = { droplet_id: 1, backup_enabled: "true" };
    const { client } = await serve(() => ({
      status: 200,
      headers: { "ratelimit-reset": "soon" },
      body: { policies: { "1": record, "2": { ...record, droplet_id: 2 } }, links: {}, meta: { total: 2 } },
    }));
    client.use(conformance({ onProblem: (p) => problems.push(p) }));
    await unwrap(client.GET("/v2/droplets/backups/policies"));
    expect(problems.map((p) => [p.kind, p.pattern])).toEqual([
      ["type", "/policies/*/backup_enabled"],
      ["type", "/header/ratelimit-reset"],
    ]);
  });

  it("reports a request's problems with the status of the answer it got, once per status", async () => {
    const problems: Problem[] = [];
    const { client } = await serve((req) =>
      req.url.includes("page=2")
        ? { status: 422, body: { id: "unprocessable_entity", message: "no sort" } }
        : { status: 200, body: { droplets: [], links: {}, meta: { total: 0 } } },
    );
    client.use(conformance({ onProblem: (p) => problems.push(p) }));
    const query = { per_page: 500, sort: "name" } as never;
    await client.GET("/v2/droplets", { params: { query } });
    await client.GET("/v2/droplets", { params: { query } });
    await client.GET("/v2/droplets", { params: { query: { ...(query as object), page: 2 } as never } });
    expect(problems.map((p) => [p.in, p.kind, p.pointer, p.status])).toEqual([
      ["request", "format", "/query/per_page", 200],
      ["request", "undocumented-field", "/query/sort", 200],
      ["request", "format", "/query/per_page", 422],
      ["request", "undocumented-field", "/query/sort", 422],
    ]);
  });

  it("reports a request's problems without a status when it gets no answer", async () => {
    const problems: Problem[] = [];
    const { client } = await serve(() => ({ reset: true }));
    client.use(conformance({ onProblem: (p) => problems.push(p) }));
    await expect(client.GET("/v2/droplets", { params: { query: { per_page: 500 } } })).rejects.toThrow();
    expect(problems.map((p) => [p.kind, p.pointer, p.status])).toEqual([["format", "/query/per_page", undefined]]);
  });

  it("checks the request before it is sent, and error bodies as the API sent them", async () => {
    const { client, server } = await serve(() => ({ status: 404, body: { message: "gone" } }));
    client.use(conformance({ throw: true, onProblem: () => {} }));
    const bad = await client.GET("/v2/droplets", { params: { query: { per_page: 500 } } }).catch((e: unknown) => e);
    expect(brief((bad as ConformanceError).problems)).toEqual([
      { kind: "format", pointer: "/query/per_page", specFile: "spec/components/parameters/per_page.yaml" },
    ]);
    expect(server.seen).toHaveLength(0);
    const missing = await client
      .GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } })
      .catch((e: unknown) => e);
    expect(brief((missing as ConformanceError).problems)).toEqual([
      { kind: "required", pointer: "/id", specFile: "spec/components/schemas/Error.yaml" },
    ]);
  });
});
