// The client against a hostile or broken server on loopback. Every case asserts three things: the kind of error
// (or the success) the caller gets; that the token appears nowhere (message, cause chain, JSON.stringify,
// util.inspect, every log line), though the server echoes it in every answer; and that the client still paces
// afterwards. Every wait is for an event (an answer, an abort, a log line), never for a guessed time.
import { inspect } from "node:util";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  createDigitalOceanClient,
  memoryPacing,
  collect,
  type DigitalOceanClient,
  type DigitalOceanClientOptions,
  paginate,
  RequestError,
  unwrap,
} from "../src/index.js";
import { type Handler, type Reply, type SeenRequest, TOKEN, useServers } from "./helpers/server.js";

/** Places in the pacing window: more than any attack's attempts, so only the probe runs into the limit. */
const PLACES = 8;
/** Under this path the server never answers: the probe's requests (see {@link expectStillPaces}). */
const PROBE = "/v2/droplets/backups/supported_policies";

const { start } = useServers();

/** What the server echoes: the Authorization header it was sent. */
const echo = (req: SeenRequest) => `you sent ${String(req.headers.authorization)}`;

/** A client for `handler` that records every log line; the probe's requests never reach `handler`. */
async function hostile(handler: Handler, options: DigitalOceanClientOptions = {}) {
  const lines: string[] = [];
  const watchers: { words: string; resolve: () => void }[] = [];
  const record = (message: string) => {
    lines.push(message);
    for (const watcher of watchers.filter(({ words }) => message.includes(words))) {
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.resolve();
    }
  };
  const server = await start((req, index) => (req.url.startsWith(PROBE) ? { hang: true } : handler(req, index)));
  const client = createDigitalOceanClient({
    token: TOKEN,
    baseUrl: server.url,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
    pacing: { requests: PLACES, windowMs: 60_000, hourly: false },
    logger: { debug: record, info: record, warn: record },
    ...options,
  });
  /** Resolves at the next log line that holds `words`. */
  const logSays = (words: string) => new Promise<void>((resolve) => watchers.push({ words, resolve }));
  /** Resolves at the next log line that says a request waits for a place. */
  const aRequestWaits = () => logSays("waiting for a place");
  return { server, client, lines, logSays, aRequestWaits };
}

type Hostile = Awaited<ReturnType<typeof hostile>>;

/** The token, and its secret part alone. */
const SECRETS = [TOKEN, TOKEN.slice("dop_v1_".length)];

/** Every way a caller might print `value`: String, message, JSON, util.inspect (which shows the cause chain). */
function printed(value: unknown): string {
  const forms = [String(value), inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true })];
  for (let error = value; error instanceof Error; error = error.cause) forms.push(error.message, String(error.stack));
  forms.push(JSON.stringify(value) ?? "");
  return forms.join("\n");
}

/** Asserts that neither `values` nor the log say the token. */
function expectNoToken({ lines }: Hostile, ...values: unknown[]) {
  const text = [...values.map(printed), ...lines].join("\n");
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

/**
 * Asserts the client still paces: PLACES + 1 requests that the server never answers, and one of them waits for a
 * place (the log says so) while the server has seen no more than PLACES requests in all. Then all are aborted.
 */
async function expectStillPaces({ server, client, aRequestWaits }: Hostile) {
  const controller = new AbortController();
  const waits = aRequestWaits();
  const probes = Array.from({ length: PLACES + 1 }, () =>
    client.GET(PROBE, { signal: controller.signal }).then(
      () => "answered",
      (error: unknown) => error,
    ),
  );
  // If pacing were off, every probe would be sent; they hang, so nothing but the log line could settle this race.
  const allSent = server.received(PLACES + 1).then(() => "all sent");
  expect(await Promise.race([waits.then(() => "waited"), allSent])).toBe("waited");
  controller.abort();
  for (const probe of await Promise.all(probes)) expect(probe).toMatchObject({ reason: "aborted" });
  expect(server.seen.length).toBeLessThanOrEqual(PLACES);
}

/** The settled outcome of `call`: its value, or what it threw. */
const outcome = (call: Promise<unknown>) =>
  call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

const createVpc = (client: DigitalOceanClient) =>
  unwrap(client.POST("/v2/vpcs", { body: { name: "web", region: "nyc1" } }));

describe("hostile server: rate-limit headers", () => {
  const vpc = { vpc: { id: "5a4981aa-9653-4bd1-bef5-d6bff52042e4", name: "web" } };
  const headers = (reset: string, remaining = "0") => ({
    "ratelimit-limit": "5000",
    "ratelimit-remaining": remaining,
    "ratelimit-reset": reset,
  });

  it.each([
    ["1e20", "0"],
    ["8640000000001", "0"],
    ["NaN", "0"],
    ["-5", "0"],
    ["soon", "0"],
    ["1700000000", "many"],
    ["1700000000", "-1"],
  ])(
    "ratelimit-reset %s, ratelimit-remaining %s: the call succeeds, one warning, pacing goes on",
    async (reset, remaining) => {
      const attack = await hostile(() => ({ status: 201, body: vpc, headers: headers(reset, remaining) }));
      const first = await outcome(createVpc(attack.client));
      const second = await outcome(createVpc(attack.client));
      expect(first).toMatchObject({ value: vpc });
      expect(second).toMatchObject({ value: vpc });
      expect(attack.lines.filter((line) => line.includes("ratelimit"))).toEqual([
        expect.stringMatching(/ratelimit-(reset|remaining) .* not a usable number.*ignored/),
      ]);
      expectNoToken(attack, first, second);
      await expectStillPaces(attack);
    },
  );
});

describe("hostile server: a token function that fails", () => {
  /** A token function that gives the token once `behave` is set, and until then does what `misbehave` says. */
  function tokenFunction(misbehave: () => Promise<string>) {
    let calls = 0;
    let called!: () => void;
    const firstCall = new Promise<void>((resolve) => (called = resolve));
    const state = { behave: false };
    const token = () => {
      calls++;
      called();
      return state.behave ? TOKEN : misbehave();
    };
    return { token, firstCall, state, calls: () => calls };
  }
  const never = () => new Promise<string>(() => {});
  const ok = () => ({ status: 200, body: { vpcs: [], links: {}, meta: { total: 0 } } });

  it("that never settles: the call's signal ends the call, as a RequestError aborted", async () => {
    const fn = tokenFunction(never);
    const attack = await hostile(ok, { token: fn.token });
    const controller = new AbortController();
    const call = outcome(attack.client.GET("/v2/vpcs", { signal: controller.signal }));
    await fn.firstCall;
    controller.abort();
    const { error } = (await call) as { error: RequestError };
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ reason: "aborted", attempts: 0 });
    expect(error.message).toMatch(/waiting for the token function/);
    expect(attack.server.seen).toHaveLength(0);
    fn.state.behave = true;
    expectNoToken(attack, error);
    await expectStillPaces(attack);
  });

  it("that never settles: the client's signal ends the call", async () => {
    const fn = tokenFunction(never);
    const controller = new AbortController();
    const attack = await hostile(ok, { token: fn.token, signal: controller.signal });
    const call = outcome(attack.client.GET("/v2/vpcs"));
    await fn.firstCall;
    controller.abort();
    expect(await call).toMatchObject({ error: { name: "RequestError", reason: "aborted", attempts: 0 } });
    expect(attack.server.seen).toHaveLength(0);
  });

  it("that never settles: timeoutMs ends the call, as a RequestError timeout that names the function", async () => {
    const fn = tokenFunction(never);
    const attack = await hostile(ok, { token: fn.token, timeoutMs: 50 });
    const { error } = (await outcome(attack.client.GET("/v2/vpcs"))) as { error: RequestError };
    expect(error).toMatchObject({ name: "RequestError", reason: "timeout", attempts: 0 });
    expect(error.message).toMatch(/timed out after 50 ms waiting for the token function/);
    fn.state.behave = true;
    expectNoToken(attack, error);
    await expectStillPaces(attack);
  });

  it.each([
    ["throws", () => Promise.reject(new Error("vault sealed"))],
    ["gives a malformed token", () => Promise.resolve("Bearer oops")],
  ])("that %s: a RequestError token, with the cause", async (_, misbehave) => {
    const fn = tokenFunction(misbehave);
    const attack = await hostile(ok, { token: fn.token });
    const { error } = (await outcome(attack.client.GET("/v2/vpcs"))) as { error: RequestError };
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ reason: "token", attempts: 0 });
    expect(error.message).toMatch(/the token function failed/);
    expect(error.cause).toBeInstanceOf(Error);
    expect(attack.server.seen).toHaveLength(0);
    fn.state.behave = true;
    expectNoToken(attack, error);
    await expectStillPaces(attack);
  });
});

describe("hostile server: the token echoed in error bodies", () => {
  const secret = TOKEN.slice("dop_v1_".length);
  const proxyPage = (req: SeenRequest) =>
    `<html><body><h1>502 Bad Gateway</h1><pre>GET ${req.url}\nAuthorization: ${String(req.headers.authorization)}</pre></body></html>`;
  const cases: [string, (req: SeenRequest) => Reply, string, number][] = [
    [
      "a 502 page that prints the request's headers",
      (req) => ({ status: 502, body: proxyPage(req), headers: { "content-type": "text/html" } }),
      "http_502",
      502,
    ],
    [
      "a 401 in DigitalOcean's format",
      (req) => ({
        status: 401,
        body: {
          id: "unauthorized",
          message: `Unable to authenticate you: ${String(req.headers.authorization)}`,
          request_id: "r1",
          echoed: { header: String(req.headers.authorization) },
        },
      }),
      "unauthorized",
      401,
    ],
    [
      "a plain-text 400",
      (req) => ({
        status: 400,
        body: `bad request from ${String(req.headers.authorization)}`,
        headers: { "content-type": "text/plain" },
      }),
      "http_400",
      400,
    ],
    [
      "an invalid-JSON 200",
      (req) => ({ status: 200, body: `{"vpcs": [${String(req.headers.authorization)}` }),
      "invalid_json",
      200,
    ],
    [
      "the token inside longer words",
      () => ({ status: 422, body: { id: "unprocessable_entity", message: `x${TOKEN}x and key=x${secret}y` } }),
      "unprocessable_entity",
      422,
    ],
    [
      "the token as a key",
      () => ({ status: 400, body: { id: "bad_request", message: "see details", [TOKEN]: true } }),
      "bad_request",
      400,
    ],
  ];

  for (const [token, how] of [
    [TOKEN, "a string"],
    [async () => TOKEN, "a function"],
  ] as const) {
    it.each(cases)(`%s (token given as ${how}): an ApiError that carries no token`, async (_, reply, id, status) => {
      const attack = await hostile(reply, { token, retry: false });
      const result = await attack.client.GET("/v2/vpcs").catch((error: unknown) => ({ error, response: undefined }));
      const { error } = (await outcome(unwrap(attack.client.GET("/v2/vpcs")))) as { error: ApiError };
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status, id });
      expect(attack.lines.join("\n")).toContain("[redacted]"); // the debug log saw the echo, and hid it
      expectNoToken(attack, error, result.error, error.body);
      await expectStillPaces(attack);
    });
  }
});

describe("hostile server: redirects are never followed", () => {
  it.each([301, 302, 303, 307, 308])(
    "a %i to another server: an ApiError naming the location, nothing sent there",
    async (status) => {
      const elsewhere = await start(() => ({
        status: 200,
        body: { vpcs: [{ id: "not the API's" }], links: {}, meta: { total: 1 } },
      }));
      const attack = await hostile(() => ({
        status,
        headers: { location: `${elsewhere.url}/v2/vpcs?token=${TOKEN}` },
      }));
      const { error } = (await outcome(unwrap(attack.client.GET("/v2/vpcs")))) as { error: ApiError };
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status, id: "redirect" });
      expect(error.message).toContain(`redirected to "${elsewhere.url}/v2/vpcs?token=[redacted]"`);
      expect(elsewhere.seen).toHaveLength(0);
      expect(attack.server.seen).toHaveLength(1); // not retried
      expectNoToken(attack, error);
      await expectStillPaces(attack);
    },
  );

  it("a 307 on a POST: an ApiError, sent once, the body not sent again", async () => {
    const attack = await hostile((req) => ({ status: 307, headers: { location: req.url } }));
    const { error } = (await outcome(createVpc(attack.client))) as { error: ApiError };
    expect(error).toMatchObject({ name: "ApiError", status: 307, id: "redirect" });
    expect(attack.server.seen).toHaveLength(1);
    expectNoToken(attack, error);
    await expectStillPaces(attack);
  });

  it("a redirect without a location says so", async () => {
    const attack = await hostile(() => ({ status: 302 }));
    const { error } = (await outcome(unwrap(attack.client.GET("/v2/vpcs")))) as { error: ApiError };
    expect(error).toMatchObject({ id: "redirect" });
    expect(error.message).toContain("redirected without a location");
  });
});

describe("hostile server: lists that do not end", () => {
  /** A list page: `items`, `next` as the link, `total` as meta.total. */
  const listPage = (items: number[], next: string | undefined, total = 1_000_000): Reply => ({
    status: 200,
    body: {
      droplets: items.map((id) => ({ id, name: `web-${id}` })),
      links: next ? { pages: { next } } : {},
      meta: { total },
    },
  });
  const pageOf = (req: SeenRequest) => Number(new URL(req.url, "http://x").searchParams.get("page"));
  /** Reads at most `most` items, so that a walk that does not stop still ends the test. */
  async function read(client: DigitalOceanClient, most = 50, options = {}) {
    const ids: number[] = [];
    for await (const droplet of paginate(client, "/v2/droplets", { params: { query: { per_page: 2 } } }, options))
      if (ids.push(droplet.id) >= most) break;
    return ids;
  }

  it("a next link to page 1 on every page: stops at the page seen already", async () => {
    const attack = await hostile((req) => {
      const n = pageOf(req);
      return listPage([2 * n - 1, 2 * n], "https://api.digitalocean.com/v2/droplets?page=1&per_page=2");
    });
    expect(await read(attack.client)).toEqual([1, 2]);
    expect(attack.server.seen).toHaveLength(1);
    await expectStillPaces(attack);
  });

  it("a server that ignores page: stops when a page repeats", async () => {
    const attack = await hostile((req) => listPage([1, 2], `/v2/droplets?page=${pageOf(req) + 1}&per_page=2`));
    expect(await read(attack.client)).toEqual([1, 2]);
    expect(attack.server.seen).toHaveLength(2);
    await expectStillPaces(attack);
  });

  it("a next link to another origin: stops there", async () => {
    const attack = await hostile((req) => {
      const n = pageOf(req);
      return listPage([2 * n - 1, 2 * n], `https://evil.example/v2/droplets?page=${n + 1}&per_page=2`);
    });
    expect(await read(attack.client)).toEqual([1, 2]);
    expect(attack.server.seen).toHaveLength(1);
    await expectStillPaces(attack);
  });

  it("a list that never ends: collect rejects past its limit", async () => {
    const attack = await hostile((req) => {
      const n = pageOf(req);
      return listPage(
        [1, 2, 3, 4, 5].map((i) => 5 * (n - 1) + i),
        `/v2/droplets?page=${n + 1}&per_page=5`,
      );
    });
    const fives = { params: { query: { per_page: 5 } } };
    const { error } = (await outcome(collect(attack.client, "/v2/droplets", fives, { limit: 9 }))) as { error: Error };
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toMatch(/^collect: the list has more than 9 items \(limit\)/);
    expect(attack.server.seen).toHaveLength(2); // 10 items: one past the limit, no more
    expect(await collect(attack.client, "/v2/droplets", fives, { limit: 9, maxItems: 9 })).toHaveLength(9);
    await expectStillPaces(attack);
  });

  it("with concurrency, a meta.total lower than the list: the rest is read through the links, nothing dropped", async () => {
    const ids = Array.from({ length: 15 }, (_, i) => i + 1);
    const attack = await hostile((req) => {
      const n = pageOf(req);
      const next = n < 8 ? `/v2/droplets?page=${n + 1}&per_page=2` : undefined;
      return listPage(ids.slice(2 * n - 2, 2 * n), next, 5);
    });
    expect(await read(attack.client, 100, { concurrency: 4 })).toEqual(ids);
    expect(new Set(attack.server.seen.map(pageOf)).size).toBe(attack.server.seen.length); // no page asked twice
    await expectStillPaces(attack);
  });

  it("with concurrency, a meta.total far higher than the list: stops at the first empty page", async () => {
    const attack = await hostile((req) =>
      listPage(pageOf(req) <= 2 ? [2 * pageOf(req) - 1, 2 * pageOf(req)] : [], undefined, 1e20),
    );
    expect(await read(attack.client, 100, { concurrency: 2 })).toEqual([1, 2, 3, 4]);
    await expectStillPaces(attack);
  });
});

describe("hostile server: broken answers", () => {
  const errorBody = (req: SeenRequest) => ({ id: "server_error", message: echo(req) });

  it("an HTML 200: ApiError invalid_json", async () => {
    const attack = await hostile((req) => ({
      status: 200,
      body: `<html><body>Welcome! ${echo(req)}</body></html>`,
      headers: { "content-type": "text/html" },
    }));
    const { error } = (await outcome(unwrap(attack.client.GET("/v2/vpcs")))) as { error: ApiError };
    expect(error).toMatchObject({ name: "ApiError", status: 200, id: "invalid_json" });
    expectNoToken(attack, error);
    await expectStillPaces(attack);
  });

  it.each([
    ["no answer at all", { hang: true } as Reply],
    ["headers, then a body that stalls", { partial: '{"vpcs": [' } as Reply],
    [
      "a body that drips a byte at a time",
      { drip: JSON.stringify({ vpcs: [], links: {}, meta: { total: 0 } }), everyMs: 1_000 } as Reply,
    ],
  ])("%s: RequestError timeout after every attempt of a GET", async (_, reply) => {
    const attack = await hostile(() => reply, { timeoutMs: 100 });
    const { error } = (await outcome(attack.client.GET("/v2/vpcs"))) as { error: RequestError };
    expect(error).toMatchObject({ name: "RequestError", reason: "timeout", attempts: 3 });
    expect(attack.server.seen).toHaveLength(3);
    expectNoToken(attack, error);
    await expectStillPaces(attack);
  });

  it("a reset connection: a GET is retried, a POST is not; RequestError network", async () => {
    const attack = await hostile(() => ({ reset: true }));
    const get = (await outcome(attack.client.GET("/v2/vpcs"))) as { error: RequestError };
    expect(get.error).toMatchObject({ name: "RequestError", reason: "network", attempts: 3 });
    const post = (await outcome(createVpc(attack.client))) as { error: RequestError };
    expect(post.error).toMatchObject({ name: "RequestError", reason: "network", attempts: 1 });
    expect(attack.server.seen).toHaveLength(4);
    expectNoToken(attack, get.error, post.error);
    await expectStillPaces(attack);
  });

  it("a storm of 500s: a GET gives up after its retries, a POST at once; ApiError", async () => {
    const attack = await hostile((req) => ({ status: 500, body: errorBody(req) }));
    const get = (await outcome(unwrap(attack.client.GET("/v2/vpcs")))) as { error: ApiError };
    const post = (await outcome(createVpc(attack.client))) as { error: ApiError };
    for (const { error } of [get, post])
      expect(error).toMatchObject({ name: "InternalServerError", status: 500, id: "server_error" });
    expect(attack.server.seen).toHaveLength(4);
    expectNoToken(attack, get.error, post.error);
    await expectStillPaces(attack);
  });

  it.each([
    ["1e20", 1],
    ["99999999999", 1],
    ["soon", 3],
    ["-5", 3],
    ["Infinity", 3],
    ["Thu, 01 Jan 1970 00:00:00 GMT", 3],
  ])(
    "a 429 with retry-after %s: answered at once if too long, else retried with backoff; ApiError 429",
    async (retryAfter, sent) => {
      const attack = await hostile((req) => ({
        status: 429,
        body: { id: "too_many_requests", message: echo(req) },
        headers: { "retry-after": retryAfter },
      }));
      const { error } = (await outcome(unwrap(attack.client.GET("/v2/vpcs")))) as { error: ApiError };
      expect(error).toMatchObject({ name: "RateLimitError", status: 429, id: "too_many_requests" });
      expect(attack.server.seen).toHaveLength(sent);
      expectNoToken(attack, error);
      await expectStillPaces(attack);
    },
  );

  it("a NaN hold given to the memory store never ends its waits", () => {
    const store = memoryPacing();
    const budget = { key: "k", windows: [{ requests: 1, windowMs: 60_000 }], leaseMs: 1_000, client: "c" };
    store.hold(budget, Number.NaN);
    expect(store.take(budget, ["a"])).toMatchObject({ taken: 1 });
    expect(store.take(budget, ["b"])).toMatchObject({ taken: 0, wait: expect.any(Number) });
    expect((store.take(budget, ["c"]) as { wait: number }).wait).toBeGreaterThan(0);
  });
});

describe("hostile server: aborts at every stage", () => {
  const vpcs = () => ({ status: 200, body: { vpcs: [], links: {}, meta: { total: 0 } } });

  it("waiting in the pacing line: RequestError aborted, 0 attempts, nothing sent", async () => {
    const attack = await hostile(vpcs);
    await expectStillPaces(attack); // its PLACES requests hold the window, and the one waiting left the line
    const controller = new AbortController();
    const waits = attack.aRequestWaits();
    const call = outcome(attack.client.GET("/v2/vpcs", { signal: controller.signal }));
    await waits;
    controller.abort();
    expect(await call).toMatchObject({ error: { name: "RequestError", reason: "aborted", attempts: 0 } });
    expect(attack.server.seen.filter((r) => r.url.startsWith("/v2/vpcs"))).toHaveLength(0);
  });

  it("sent, before any answer: RequestError aborted", async () => {
    const attack = await hostile(() => ({ hang: true }));
    const controller = new AbortController();
    const call = outcome(attack.client.GET("/v2/vpcs", { signal: controller.signal }));
    await attack.server.received(1);
    controller.abort();
    const { error } = (await call) as { error: RequestError };
    expect(error).toMatchObject({ name: "RequestError", reason: "aborted" });
    expect(attack.server.seen).toHaveLength(1);
    expectNoToken(attack, error);
    await expectStillPaces(attack);
  });

  it("answered, while the body is read: RequestError aborted", async () => {
    let headersArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (headersArrived = resolve));
    const attack = await hostile(() => ({ partial: '{"vpcs": [' }), {
      fetch: async (request) => {
        const response = await fetch(request);
        headersArrived();
        return response;
      },
    });
    const controller = new AbortController();
    const call = outcome(attack.client.GET("/v2/vpcs", { signal: controller.signal }));
    await arrived;
    controller.abort();
    const { error } = (await call) as { error: RequestError };
    expect(error).toMatchObject({ name: "RequestError", reason: "aborted" });
    expectNoToken(attack, error);
    await expectStillPaces(attack);
  });

  it("between retries: RequestError aborted, the retry never sent", async () => {
    const attack = await hostile((req) => ({ status: 503, body: { id: "unavailable", message: echo(req) } }), {
      retry: { maxRetries: 2, baseDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    const retrying = attack.logSays("retrying in");
    const controller = new AbortController();
    const call = outcome(attack.client.GET("/v2/vpcs", { signal: controller.signal }));
    await retrying;
    controller.abort();
    const { error } = (await call) as { error: RequestError };
    expect(error).toMatchObject({ name: "RequestError", reason: "aborted", attempts: 1 });
    expect(attack.server.seen).toHaveLength(1);
    expectNoToken(attack, error);
    await expectStillPaces(attack);
  });

  it("the client's signal, with requests in flight and in line: every one ends, RequestError aborted", async () => {
    const controller = new AbortController();
    const attack = await hostile(() => ({ hang: true }), { signal: controller.signal });
    const waits = attack.aRequestWaits();
    const calls = Array.from({ length: PLACES + 2 }, () => outcome(attack.client.GET("/v2/vpcs")));
    await waits;
    await attack.server.received(PLACES);
    controller.abort();
    for (const call of await Promise.all(calls)) expect(call).toMatchObject({ error: { reason: "aborted" } });
    expect(attack.server.seen).toHaveLength(PLACES);
    expectNoToken(attack);
  });
});

describe("hostile server: bodies too large", () => {
  const MiB = 2 ** 20;

  it("a body past maxResponseBytes that echoes the token: RequestError too_large, not retried", async () => {
    const attack = await hostile((req) => ({ status: 200, body: { vpcs: [], note: echo(req).repeat(100) } }), {
      maxResponseBytes: 1_000,
    });
    const { error } = (await outcome(attack.client.GET("/v2/vpcs"))) as { error: RequestError };
    expect(error).toMatchObject({ name: "RequestError", reason: "too_large", attempts: 1 });
    expect(attack.server.seen).toHaveLength(1);
    expectNoToken(attack, error);
    await expectStillPaces(attack);
  });

  it("a gzip bomb (16 MiB of zeros in 16 KB): RequestError too_large at maxResponseBytes, not retried", async () => {
    const bomb = gzipSync(Buffer.alloc(16 * MiB));
    expect(bomb.length).toBeLessThan(20_000);
    const attack = await hostile(() => ({ status: 200, body: bomb, headers: { "content-encoding": "gzip" } }), {
      maxResponseBytes: MiB,
    });
    const { error } = (await outcome(attack.client.GET("/v2/vpcs"))) as { error: RequestError };
    expect(error).toMatchObject({ name: "RequestError", reason: "too_large", attempts: 1 });
    expect(attack.server.seen).toHaveLength(1);
    expectNoToken(attack, error);
    await expectStillPaces(attack);
  });
});
