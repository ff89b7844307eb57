// Retries, backoff, Retry-After, rate-limit waits, timeouts and aborts, as a real server sees them.
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import {
  type ApiError,
  createDigitalOceanClient,
  RequestError,
  unwrap,
  type DigitalOceanClient,
} from "../src/index.js";
import { retryDelay, RETRY_DEFAULTS } from "../src/retry.js";
import { rateLimitHeaders, TOKEN, useServers } from "./helpers/server.js";

/** Short delays keep the suite fast; the backoff shape itself is covered by the retryDelay tests. */
const FAST = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 3_000 };

const { start, serve: setup } = useServers({ retry: FAST });

const ok = { status: 200, body: { vpcs: [], meta: { total: 0 } } };
const vpc = { params: { path: { vpc_id: "5a4981aa-9653-4bd1-bef5-d6bff52042e4" } } };

describe("retries", () => {
  it.each([500, 502, 503, 504, 429])("retries a GET after %i and returns the eventual success", async (status) => {
    const { server, client } = await setup((_r, i) => (i < 2 ? { status, body: { id: "x", message: "y" } } : ok));
    const { data, response } = await client.GET("/v2/vpcs");
    expect(response.status).toBe(200);
    expect(data).toEqual(ok.body);
    expect(server.seen).toHaveLength(3);
  });

  it.each(["PUT", "DELETE"] as const)("retries an idempotent %s", async (method) => {
    const { server, client } = await setup((_r, i) =>
      i === 0 ? { status: 503 } : { status: method === "PUT" ? 200 : 204, body: method === "PUT" ? {} : undefined },
    );
    const result =
      method === "PUT"
        ? await client.PUT("/v2/vpcs/{vpc_id}", { ...vpc, body: { name: "a" } })
        : await client.DELETE("/v2/vpcs/{vpc_id}", vpc);
    expect(result.response.ok).toBe(true);
    expect(server.seen.map((r) => r.method)).toEqual([method, method]);
    if (method === "PUT") expect(server.seen.map((r) => r.body)).toEqual(['{"name":"a"}', '{"name":"a"}']);
  });

  it("stops after maxRetries and hands back the last error", async () => {
    const { server, client } = await setup(
      () => ({ status: 500, body: { id: "server_error", message: "Unexpected server-side error" } }),
      { retry: { ...FAST, maxRetries: 2 } },
    );
    const error = await unwrap(client.GET("/v2/vpcs")).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, id: "server_error" });
    expect(server.seen).toHaveLength(3);
  });

  it("does not retry with retry: false", async () => {
    const { server, client } = await setup(() => ({ status: 503 }), { retry: false });
    expect((await client.GET("/v2/vpcs")).response.status).toBe(503);
    expect(server.seen).toHaveLength(1);
  });

  it.each([400, 401, 404, 422])("does not retry a %i", async (status) => {
    const { server, client } = await setup(() => ({ status, body: { id: "x", message: "y" } }));
    await client.GET("/v2/vpcs");
    expect(server.seen).toHaveLength(1);
  });

  const send = (client: DigitalOceanClient, method: "POST" | "PATCH") =>
    method === "POST"
      ? client.POST("/v2/vpcs", { body: { name: "a", region: "nyc1" } })
      : client.PATCH("/v2/vpcs/{vpc_id}", { ...vpc, body: { name: "a" } });

  it.each(["POST", "PATCH"] as const)(
    "does not retry a %s the server may have acted on (500, 502, 503, 504)",
    async (method) => {
      for (const status of [500, 502, 503, 504]) {
        const { server, client } = await setup(() => ({ status, body: { id: "x", message: "y" } }));
        expect((await send(client, method)).response.status).toBe(status);
        expect(server.seen).toHaveLength(1);
        await server.close();
      }
    },
  );

  it.each(["POST", "PATCH"] as const)(
    "retries a %s after a 429 (refused, not acted on), with the same body",
    async (method) => {
      const tooMany = { status: 429, body: { id: "too_many_requests", message: "API rate limit exceeded." } };
      const { server, client } = await setup((_r, i) =>
        i < 2 ? tooMany : { status: method === "POST" ? 201 : 200, body: {} },
      );
      expect((await send(client, method)).response.ok).toBe(true);
      expect(server.seen.map((r) => r.method)).toEqual([method, method, method]);
      expect(new Set(server.seen.map((r) => r.body))).toEqual(new Set([server.seen[0]!.body]));
      expect(JSON.parse(server.seen[0]!.body)).toMatchObject({ name: "a" });
    },
  );

  it("does not retry a POST whose connection was reset after sending", async () => {
    const { server, client } = await setup(() => ({ reset: true }));
    const error = await client.POST("/v2/vpcs", { body: { name: "a", region: "nyc1" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ reason: "network", attempts: 1 });
    expect(server.seen).toHaveLength(1);
  });

  it("retries a GET whose connection was reset", async () => {
    const { server, client } = await setup((_r, i) => (i === 0 ? { reset: true } : ok));
    expect((await client.GET("/v2/vpcs")).response.status).toBe(200);
    expect(server.seen).toHaveLength(2);
  });

  it("retries a POST that provably never left (connection refused), with the same body", async () => {
    const server = await start(() => ({ status: 201, body: {} }));
    let calls = 0;
    const refusedOnce = async (request: Request) => {
      if (calls++ === 0)
        throw new TypeError("fetch failed", {
          cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
        });
      return fetch(request);
    };
    const client = createDigitalOceanClient({ token: TOKEN, baseUrl: server.url, retry: FAST, fetch: refusedOnce });
    const { response } = await client.POST("/v2/vpcs", { body: { name: "a", region: "nyc1" } });
    expect(response.status).toBe(201);
    expect(calls).toBe(2);
    expect(server.seen.map((r) => r.body)).toEqual(['{"name":"a","region":"nyc1"}']);
  });

  it("gives up on a refused connection with a RequestError naming the cause", async () => {
    const server = await start(() => ok);
    const closedUrl = server.url;
    await server.close();
    const client = createDigitalOceanClient({ token: TOKEN, baseUrl: closedUrl, retry: { ...FAST, maxRetries: 2 } });
    const error = await client.GET("/v2/vpcs").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ reason: "network", attempts: 3 });
    expect((error as Error).message).toMatch(/could not reach the server \(ECONNREFUSED\) after 3 attempt\(s\)/);
    expect((error as Error).message).not.toContain(TOKEN);
  });
});

describe("waiting before a retry", () => {
  it("honours Retry-After in seconds", async () => {
    const { server, client } = await setup((_r, i) =>
      i === 0
        ? {
            status: 429,
            headers: { "retry-after": "1" },
            body: { id: "too_many_requests", message: "API rate limit exceeded." },
          }
        : ok,
    );
    await client.GET("/v2/vpcs");
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1]!.at - server.seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("honours Retry-After as an HTTP date", async () => {
    const { server, client } = await setup((_r, i) =>
      i === 0 ? { status: 503, headers: { "retry-after": new Date(Date.now() + 2000).toUTCString() } } : ok,
    );
    await client.GET("/v2/vpcs");
    // HTTP dates have whole seconds, so the wait is between 1 and 2 s.
    expect(server.seen[1]!.at - server.seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("waits for ratelimit-reset when ratelimit-remaining is 0", async () => {
    const reset = Math.ceil(Date.now() / 1000) + 1;
    const { server, client } = await setup((_r, i) =>
      i === 0 ? { status: 429, headers: rateLimitHeaders(0, reset) } : ok,
    );
    await client.GET("/v2/vpcs");
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1]!.at).toBeGreaterThanOrEqual(reset * 1000 - 50);
  });

  it("waits as long as the server asks, even beyond maxDelayMs, which caps only the backoff", async () => {
    const tooMany = {
      status: 429,
      headers: { "retry-after": "1" },
      body: { id: "too_many_requests", message: "API rate limit exceeded." },
    };
    const { server, client } = await setup((_r, i) => (i === 0 ? tooMany : ok), {
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    });
    expect((await client.GET("/v2/vpcs")).response.status).toBe(200);
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1]!.at - server.seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("returns the 429 at once when the server asks for a longer wait than maxWaitMs", async () => {
    const { server, client } = await setup(
      () => ({
        status: 429,
        headers: { "retry-after": "2" },
        body: { id: "too_many_requests", message: "API rate limit exceeded." },
      }),
      {
        retry: { ...FAST, maxWaitMs: 1_000 },
      },
    );
    expect((await client.GET("/v2/vpcs")).response.status).toBe(429);
    expect(server.seen).toHaveLength(1);
  });

  it("returns the 429 at once when the quota resets in an hour (beyond the default maxWaitMs)", async () => {
    const { server, client } = await setup(() => ({
      status: 429,
      headers: { "retry-after": "3600", ...rateLimitHeaders(0) },
      body: { id: "too_many_requests", message: "API rate limit exceeded." },
    }));
    const error = (await unwrap(client.GET("/v2/vpcs")).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(429);
    expect(error.rateLimit?.remaining).toBe(0);
    expect(error.message).toContain("Retry after error.rateLimit.reset.");
    expect(server.seen).toHaveLength(1);
  });

  it("stops waiting when the caller aborts", async () => {
    const controller = new AbortController();
    const server = await start(() => ({ status: 503, headers: { "retry-after": "30" } }));
    // The abort comes once the client holds the whole 503, i.e. while it waits out the 30 s: only an abort
    // that ends the wait lets this test finish within its timeout.
    const abortAfterResponse = async (request: Request) => {
      const response = await fetch(request);
      const text = await response.text();
      setImmediate(() => controller.abort());
      return new Response(text, response);
    };
    const client = createDigitalOceanClient({
      token: TOKEN,
      baseUrl: server.url,
      retry: FAST,
      fetch: abortAfterResponse,
    });
    const error = await client.GET("/v2/vpcs", { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ reason: "aborted" });
    expect((error as Error).message).toContain("was aborted by the caller's signal");
    expect(error).toMatchObject({ attempts: 1 });
    expect(server.seen).toHaveLength(1);
  });
});

describe("retryDelay", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  const h = (headers: Record<string, string>) => new Headers(headers);

  it("grows exponentially with full jitter, capped at maxDelayMs", () => {
    const opts = { ...RETRY_DEFAULTS, baseDelayMs: 100, maxDelayMs: 1000 };
    for (const [retry, cap] of [
      [0, 100],
      [1, 200],
      [2, 400],
      [3, 800],
      [4, 1000],
      [10, 1000],
    ] as const) {
      const delays = Array.from({ length: 200 }, () => retryDelay(retry, opts)!);
      expect(Math.max(...delays)).toBeLessThanOrEqual(cap);
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeGreaterThan(cap / 2);
    }
  });

  it("uses Retry-After seconds or date, then the rate-limit reset, else backoff", () => {
    expect(retryDelay(0, RETRY_DEFAULTS, h({ "retry-after": "7" }), undefined, now)).toBe(7000);
    expect(
      retryDelay(0, RETRY_DEFAULTS, h({ "retry-after": new Date(now + 4000).toUTCString() }), undefined, now),
    ).toBe(4000);
    expect(retryDelay(0, RETRY_DEFAULTS, h({}), { limit: 250, remaining: 0, reset: new Date(now + 9000) }, now)).toBe(
      9000,
    );
    expect(
      retryDelay(0, RETRY_DEFAULTS, h({}), { limit: 250, remaining: 3, reset: new Date(now + 9000) }, now),
    ).toBeLessThanOrEqual(500);
  });

  it("backs off when the moment the server named has passed", () => {
    const past = [
      retryDelay(0, RETRY_DEFAULTS, h({ "retry-after": new Date(now - 4000).toUTCString() }), undefined, now),
    ];
    past.push(retryDelay(0, RETRY_DEFAULTS, h({}), { limit: 250, remaining: 0, reset: new Date(now - 1000) }, now));
    for (const delay of past) {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(500);
    }
  });

  it("accepts server waits up to maxWaitMs whatever maxDelayMs is, and refuses longer ones", () => {
    const snappy = { ...RETRY_DEFAULTS, baseDelayMs: 20, maxDelayMs: 200 };
    expect(retryDelay(0, snappy, h({ "retry-after": "45" }), undefined, now)).toBe(45_000);
    expect(retryDelay(0, snappy, h({}), { limit: 250, remaining: 0, reset: new Date(now + 60_000) }, now)).toBe(60_000);
    expect(retryDelay(0, snappy, h({ "retry-after": "61" }), undefined, now)).toBeUndefined();
    expect(retryDelay(0, { ...snappy, maxWaitMs: 5_000 }, h({ "retry-after": "6" }), undefined, now)).toBeUndefined();
    expect(
      retryDelay(0, RETRY_DEFAULTS, h({}), { limit: 5000, remaining: 0, reset: new Date(now + 3_600_000) }, now),
    ).toBeUndefined();
  });
});

describe("timeouts and aborts", () => {
  it("aborts a hanging attempt after timeoutMs with an error that says so", async () => {
    const { server, client } = await setup(() => ({ hang: true }), { timeoutMs: 100, retry: false });
    const error = await client.GET("/v2/vpcs").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ reason: "timeout", method: "GET" });
    expect((error as Error).message).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/v2\/vpcs timed out after 100 ms \(attempt 1 of 1\)/,
    );
    expect(server.seen).toHaveLength(1);
  });

  it("retries an idempotent request after a per-attempt timeout", async () => {
    // Long enough for the answered retry on a loaded machine; the hanging first attempt costs this much.
    const { server, client } = await setup((_r, i) => (i === 0 ? { hang: true } : ok), { timeoutMs: 1_000 });
    expect((await client.GET("/v2/vpcs")).response.status).toBe(200);
    expect(server.seen).toHaveLength(2);
  });

  it("does not retry a POST after a timeout", async () => {
    const { server, client } = await setup(() => ({ hang: true }), { timeoutMs: 100 });
    const error = await client.POST("/v2/vpcs", { body: { name: "a", region: "nyc1" } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "RequestError", reason: "timeout" });
    expect(server.seen).toHaveLength(1);
  });

  it("times out a response whose body never finishes", async () => {
    const { client } = await setup(() => ({ partial: '{"vpcs": [' }), { timeoutMs: 150, retry: false });
    const error = await client.GET("/v2/vpcs").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "RequestError", reason: "timeout" });
  });

  it("aborts on the caller's per-request signal with an error that says so", async () => {
    const { client } = await setup(() => ({ hang: true }), { timeoutMs: 5_000 });
    const error = await client.GET("/v2/vpcs", { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ reason: "aborted" });
    expect((error as Error).message).toContain("was aborted by the caller's signal");
  });

  it("leaves no listener on a client-wide signal after its requests finish", async () => {
    const controller = new AbortController();
    const { client } = await setup((_r, i) => (i % 3 === 0 ? { status: 503 } : ok), { signal: controller.signal });
    await Promise.all(Array.from({ length: 30 }, () => client.GET("/v2/vpcs")));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("puts one listener on a client-wide signal however many requests are in flight, and prints no MaxListeners warning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const { server, client } = await setup(
        async () => {
          await released;
          return ok;
        },
        { signal: controller.signal },
      );
      const pending = Promise.all(Array.from({ length: 30 }, () => client.GET("/v2/vpcs")));
      await server.received(30); // all 30 in flight, none answered
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
      release();
      await pending;
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("aborts every request sharing one per-call signal", async () => {
    const { server, client } = await setup(() => ({ hang: true }), { timeoutMs: 60_000 });
    const controller = new AbortController();
    const pending = Array.from({ length: 12 }, () =>
      client.GET("/v2/vpcs", { signal: controller.signal }).catch((e: unknown) => e),
    );
    await server.received(12);
    controller.abort();
    const errors = await Promise.all(pending);
    expect(errors.map((e) => (e as RequestError).reason)).toEqual(Array(12).fill("aborted"));
    expect(server.seen).toHaveLength(12);
  });

  it("follows the signal of a Request that a middleware put in place of the client's", async () => {
    const controller = new AbortController();
    const { server, client } = await setup(() => ({ hang: true }), { timeoutMs: 60_000 });
    client.use({ onRequest: ({ request }) => new Request(request, { signal: controller.signal }) });
    const pending = client.GET("/v2/vpcs").catch((e: unknown) => e);
    await server.received(1);
    controller.abort();
    expect(await pending).toMatchObject({ name: "RequestError", reason: "aborted", attempts: 1 });
  });

  it("aborts every request of a client through its signal option", async () => {
    const controller = new AbortController();
    const { server, client } = await setup(() => ({ hang: true }), { signal: controller.signal });
    const pending = client.GET("/v2/vpcs").catch((e: unknown) => e);
    await server.received(1);
    controller.abort();
    expect(await pending).toMatchObject({ name: "RequestError", reason: "aborted", attempts: 1 });
    // Already aborted: nothing is sent, and the error says no attempt was made.
    expect(await client.GET("/v2/vpcs").catch((e: unknown) => e)).toMatchObject({ reason: "aborted", attempts: 0 });
    expect(server.seen).toHaveLength(1);
  });
});
