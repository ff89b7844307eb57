// Contract tests: every operation of generated/openapi.yaml, called through the client against a Prism mock
// of that same file, with requests built from the spec's examples and responses checked against its schemas.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type Mock } from "../scripts/mock.js";
import { conformance, type Problem } from "../src/conformance/index.js";
import { ApiError, createDigitalOceanClient, unwrap, type DigitalOceanClient } from "../src/index.js";
import {
  call,
  exampleRequest,
  FAKE_TOKEN,
  bodyProblems,
  callResource,
  resolve,
  responseProblems,
  type CallInit,
} from "./helpers/contract.js";
import { operations, type Operation } from "./helpers/spec.js";

let mock: Mock;
let client: DigitalOceanClient;
/** For the requests below that break the spec on purpose: only its answers are checked. */
let invalidClient: DigitalOceanClient;
/** Fields of Prism's answers that the spec does not describe (conformance never fails a call for those), by kind of answer. */
const undocumented = { examples: [] as Problem[], generated: [] as Problem[] };
let generating = false;
// Every request and answer goes through the conformance middleware: a mismatch fails the call.
const checks = conformance({
  throw: true,
  onProblem: (p) => p.kind === "undocumented-field" && undocumented[generating ? "generated" : "examples"].push(p),
});
/** URLs the client sent, to check how parameters are serialised. */
const sent: string[] = [];
/** `static`/`dynamic` → operationIds that got a valid 2xx, for the coverage guard. */
const passed = { static: new Set<string>(), dynamic: new Set<string>(), resource: new Set<string>() };
/** The 2xx an operation documents first: what static Prism answers. */
const successStatus = (operation: Operation) => Object.keys(operation.op.responses).find((s) => s.startsWith("2"))!;

beforeAll(async () => {
  mock = await startMock();
  const fetch = (request: Request) => {
    sent.push(request.url);
    return globalThis.fetch(request);
  };
  // No pacing: Prism sets no limit, and this file sends more than the 250 requests a minute the client paces to.
  client = createDigitalOceanClient({ token: FAKE_TOKEN, baseUrl: mock.url, retry: false, pacing: false, fetch });
  invalidClient = createDigitalOceanClient({ token: FAKE_TOKEN, baseUrl: mock.url, retry: false, fetch });
  client.use(checks);
  invalidClient.use({ onResponse: checks.onResponse! });
}, 60_000);
afterAll(() => mock?.stop());

const requests = operations.map((operation) => [operation.operationId, operation, exampleRequest(operation)] as const);
const buildable = requests.filter((r): r is readonly [string, Operation, CallInit] => typeof r[2] !== "string");
const listOperations = operations.filter((o) => o.parameters.some((p) => p.name === "per_page"));
/** Seeds for Prism's json-schema-faker: fixed, so a failure reproduces. */
const SEEDS = ["1", "2", "3"];

const mockTail = () => mock.log().split("\n").slice(-10).join("\n");

/** Calls `operation` and asserts a documented 2xx whose body and headers match the spec; returns the result. */
async function expectValid2xx(operation: Operation, init: CallInit) {
  const result = await call(client, operation, init).catch((error: Error) => {
    throw new Error(`${error.message}\nPrism's last output:\n${mockTail()}`, { cause: error });
  });
  const { status } = result.response;
  const documented2xx = Object.keys(operation.op.responses).filter((code) => code.startsWith("2"));
  expect(documented2xx, `${status} ${JSON.stringify(result.error)}\n${mockTail()}`).toContain(String(status));
  expect(responseProblems(operation, result)).toEqual([]);
  return result;
}

describe("every operation against the mock", () => {
  it.each(buildable)(
    "%s: the spec's example request gets a documented 2xx that matches the spec",
    async (id, operation, init) => {
      const { data, response } = await expectValid2xx(operation, init);
      // Static Prism returns the documented example, so this also shows the request reached the right operation.
      expect(data).toEqual(resolve(operation.op.responses[response.status]).content?.["application/json"]?.example);
      expect(client.rateLimit?.limit).toBeGreaterThan(0);
      passed.static.add(id);
    },
    30_000,
  );

  it.each(buildable)(
    "%s: generated (dynamic) responses match the spec",
    async (id, operation, init) => {
      generating = true;
      try {
        for (const seed of SEEDS)
          await expectValid2xx(operation, { ...init, headers: { Prefer: `dynamic=true, seed=${seed}` } });
      } finally {
        generating = false;
      }
      passed.dynamic.add(id);
    },
    30_000,
  );

  it.each(buildable)(
    "%s: through its resource method, the same request gets the example's body",
    async (id, operation, init) => {
      const before = sent.length;
      const data = await callResource(client, operation, init);
      expect(sent.slice(before)).toHaveLength(1);
      expect(data).toEqual(
        resolve(operation.op.responses[successStatus(operation)]).content?.["application/json"]?.example,
      );
      passed.resource.add(id);
    },
    30_000,
  );

  it("sends IPv6 path parameters with raw colons, and Prism routes them", async () => {
    const operation = operations.find((o) => o.operationId === "reserved_ipv6_get")!;
    const init = exampleRequest(operation) as CallInit;
    const { data } = await expectValid2xx(operation, init);
    const ip = String(init.params.path.reserved_ipv6);
    expect(ip).toContain(":");
    expect(sent.at(-1)).toBe(`${mock.url}/v2/reserved_ipv6/${ip}`);
    expect((data as { reserved_ipv6: { ip: string } }).reserved_ipv6.ip).toBe(ip);
  });
});

/** Runs `request` and returns the ApiError it must throw; checks the body against the documented error schema. */
async function apiError(operation: string, request: () => Promise<unknown>): Promise<ApiError> {
  const error = await request().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  const apiError = error as ApiError;
  // Prism answers an invalid request with the documented 422, else 400, else the `default` response as a 422.
  expect(bodyProblems(operations.find((o) => o.operationId === operation)!, apiError.status, apiError.body)).toEqual(
    [],
  );
  expect(JSON.stringify(apiError) + apiError.message).not.toContain(FAKE_TOKEN);
  return apiError;
}

describe("constraints the mock enforces", () => {
  it("rejects a create without a required body field with the documented 422", async () => {
    const error = await apiError("partner_network_connect_create", () =>
      unwrap(
        invalidClient.POST("/v2/partner_network_connect/attachments", {
          // @ts-expect-error `name` is required, and the types know it too
          body: {
            connection_bandwidth_in_mbps: 1000,
            region: "nyc",
            naas_provider: "MEGAPORT",
            vpc_ids: ["c5537207-ebf0-47cb-bc10-6fac717cd672"],
          },
        }),
      ),
    );
    expect(error.status).toBe(422);
    expect(error.method).toBe("POST");
  });

  it("rejects a reserved IPv6 create without region_slug with a 422 (the `default` response)", async () => {
    const error = await apiError("reserved_ipv6_create", () =>
      // @ts-expect-error region_slug is required
      unwrap(invalidClient.POST("/v2/reserved_ipv6", { body: {} })),
    );
    expect(error.status).toBe(422);
  });

  it.each(listOperations.flatMap((o) => [0, 201].map((perPage) => [o.operationId, perPage, o] as const)))(
    "%s rejects per_page=%i with a 422",
    async (id, perPage, operation) => {
      const init = exampleRequest(operation) as CallInit;
      const error = await apiError(id, () =>
        unwrap(
          call(invalidClient, operation, {
            ...init,
            params: { ...init.params, query: { ...init.params.query, per_page: perPage } },
          }),
        ),
      );
      expect(error.status).toBe(422);
    },
    30_000,
  );

  it.each(listOperations.map((o) => [o.operationId, o] as const))(
    "%s accepts the per_page bounds 1 and 200",
    async (_id, operation) => {
      const init = exampleRequest(operation) as CallInit;
      for (const perPage of [1, 200])
        await expectValid2xx(operation, {
          ...init,
          params: { ...init.params, query: { ...init.params.query, per_page: perPage } },
        });
    },
    30_000,
  );

  it.each([
    ["droplets_get", "/v2/droplets/{droplet_id}", { droplet_id: "abc" }],
    ["vpcs_get", "/v2/vpcs/{vpc_id}", { vpc_id: "not-a-uuid" }],
    ["reserved_ipv6_get", "/v2/reserved_ipv6/{reserved_ipv6}", { reserved_ipv6: "192.0.2.1" }],
  ] as const)("%s rejects a path parameter of the wrong type or format with a 422", async (id, path, pathParams) => {
    const operation = operations.find((o) => o.operationId === id)!;
    const error = await apiError(id, () =>
      unwrap(call(invalidClient, operation, { params: { path: pathParams, query: {}, header: {} } })),
    );
    expect(error.status).toBe(422);
    expect(error.url).toContain(path.split("{")[0]!);
  });

  it("refuses to create a client without a token, before any request", () => {
    const saved = process.env.DIGITALOCEAN_TOKEN;
    delete process.env.DIGITALOCEAN_TOKEN;
    try {
      expect(() => createDigitalOceanClient({ baseUrl: mock.url })).toThrow(
        /No DigitalOcean .*token.*DIGITALOCEAN_TOKEN/,
      );
      expect(() => createDigitalOceanClient({ baseUrl: mock.url, token: "" })).toThrow(TypeError);
    } finally {
      if (saved !== undefined) process.env.DIGITALOCEAN_TOKEN = saved;
    }
  });

  it("gets the documented 401 when a request reaches the API without a token", async () => {
    // The client always sends the token, so strip it on the way out, as a broken proxy would.
    const withoutAuth = (request: Request) => {
      const headers = new Headers(request.headers);
      headers.delete("authorization");
      return globalThis.fetch(new Request(request, { headers }));
    };
    const anonymous = createDigitalOceanClient({
      token: FAKE_TOKEN,
      baseUrl: mock.url,
      retry: false,
      fetch: withoutAuth,
    });
    anonymous.use(checks);
    const error = await apiError("droplets_get", () =>
      unwrap(anonymous.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 3164444 } } })),
    );
    expect(error.status).toBe(401);
    expect(error.id).toBe("unauthorized");
    expect(error.message).toMatch(/Check the token and its scopes\./);
  });
});

describe("the response check itself", () => {
  const operation = operations.find((o) => o.operationId === "droplets_get")!;
  const { example } = resolve(operation.op.responses["200"]).content["application/json"];
  const headers = {
    "content-type": "application/json",
    "ratelimit-limit": "5000",
    "ratelimit-remaining": "4816",
    "ratelimit-reset": "1444931833",
  };

  it("accepts the documented example and rejects a wrong body, a wrong or missing header and an undocumented status", () => {
    expect(
      responseProblems(operation, { data: example, response: new Response(null, { status: 200, headers }) }),
    ).toEqual([]);
    const broken = { droplet: { ...example.droplet, id: "not-a-number" } };
    expect(
      responseProblems(operation, { data: broken, response: new Response(null, { status: 200, headers }) }),
    ).toEqual([expect.stringMatching(/^type at \/droplet\/id: must be integer, got string \(spec\//)]);
    const wrong = { ...headers, "ratelimit-remaining": "many" };
    expect(
      responseProblems(operation, { data: example, response: new Response(null, { status: 200, headers: wrong }) }),
    ).toEqual([expect.stringMatching(/^type at \/header\/ratelimit-remaining: must be integer, got string/)]);
    const { "ratelimit-reset": _, ...missing } = headers;
    expect(
      responseProblems(operation, { data: example, response: new Response(null, { status: 200, headers: missing }) }),
    ).toEqual([expect.stringMatching(/^required at \/header\/ratelimit-reset: required property "ratelimit-reset"/)]);
    // `default` covers errors, never an undocumented success.
    expect(
      responseProblems(operation, { data: example, response: new Response(null, { status: 201, headers }) }),
    ).toEqual([expect.stringMatching(/^undocumented-status at \/: status 201 is not documented/)]);
  });
});

describe("coverage guard", () => {
  it("can build a request from the spec's examples for every operation", () => {
    const missing = requests.filter(([, , init]) => typeof init === "string").map(([id, , why]) => `${id}: ${why}`);
    expect(missing).toEqual([]);
  });

  // Runs last (vitest runs a file's tests in order): a skipped, filtered or failing case shows up here.
  it("got a valid static and dynamic response for every operation in generated/openapi.yaml", () => {
    const all = operations.map((o) => o.operationId).sort();
    expect(all.length).toBeGreaterThan(0);
    expect([...passed.static].sort()).toEqual(all);
    expect([...passed.dynamic].sort()).toEqual(all);
    expect([...passed.resource].sort()).toEqual(all);
    // The conformance middleware saw every answer above. The examples hold no field the spec does not describe;
    // generated answers do, since json-schema-faker invents properties wherever a schema allows more.
    expect(undocumented.examples).toEqual([]);
    expect(undocumented.generated.length).toBeGreaterThan(0);
  });
});
