// Pacing: one client never sends more than `requests` in any rolling `windowMs`, in order, holds new requests
// while the API says the quota is used up, and lets aborted requests leave the line at once. What the server
// counted is asserted, never how long anything took.
import { describe, expect, it } from "vitest";
import { startLimitedServer } from "../bench/ratelimit.js";
import { createDigitalOceanClient, memoryPacing, RequestError, type Budget, type PacingStore } from "../src/index.js";
import { windowsOf } from "../src/pacing.js";
import { rateLimitHeaders, TOKEN, useServers } from "./helpers/server.js";

const { serve: setup } = useServers({ retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 100 } });
const ok = { status: 200, body: { vpcs: [], meta: { total: 0 } } };
const page = (n: number) => ({ params: { query: { page: n } } });
const pagesSeen = (seen: { url: string }[]) =>
  seen.map((r) => Number(new URL(r.url, "http://x").searchParams.get("page")));

describe("pacing", () => {
  it("sends 30 concurrent GETs through a 10-per-second limit without one refusal", { timeout: 30_000 }, async () => {
    const server = await startLimitedServer(10, 1000);
    try {
      const client = createDigitalOceanClient({
        token: TOKEN,
        baseUrl: server.url,
        pacing: { requests: 10, windowMs: 1000 },
        retry: false,
      });
      const results = await Promise.all(
        Array.from({ length: 30 }, () =>
          client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } }),
        ),
      );
      expect(results.map((r) => r.response.status)).toEqual(Array(30).fill(200));
      expect(server.stats).toMatchObject({ requests: 30, tooMany: 0 });
      expect(server.stats.peak).toBeLessThanOrEqual(10);
    } finally {
      await server.close();
    }
  });

  it("without pacing, the same burst runs into the limit (what the test above guards against)", async () => {
    const server = await startLimitedServer(10, 60_000); // a long window: however slowly the 30 arrive, 20 are over
    try {
      const client = createDigitalOceanClient({ token: TOKEN, baseUrl: server.url, pacing: false, retry: false });
      const results = await Promise.all(
        Array.from({ length: 30 }, () =>
          client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } }),
        ),
      );
      expect(results.filter((r) => r.response.status === 429)).toHaveLength(20);
      expect(server.stats).toEqual({ requests: 30, tooMany: 20, peak: 30 });
    } finally {
      await server.close();
    }
  });

  it("by default sends 250 at once and holds the 251st (the API's per-minute limit)", { timeout: 30_000 }, async () => {
    const { server, client } = await setup(async () => {
      await server.received(250); // all 250 are in flight together before any is answered
      return ok;
    });
    const controller = new AbortController();
    const first = Array.from({ length: 250 }, () => client.GET("/v2/vpcs"));
    const last = client.GET("/v2/vpcs", { signal: controller.signal }).catch((e: unknown) => e);
    await Promise.all(first);
    controller.abort(); // still waiting: its turn is a minute away
    expect(await last).toMatchObject({ name: "RequestError", reason: "aborted", attempts: 0 });
    expect(server.seen).toHaveLength(250);
  });

  it("sends waiting requests in the order they were made", async () => {
    // One request per window: each is sent only after the one before was answered, so arrival order is send order.
    const { server, client } = await setup(() => ok, { pacing: { requests: 1, windowMs: 20 } });
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => client.GET("/v2/vpcs", page(n))));
    expect(pagesSeen(server.seen)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("counts retries against the window", async () => {
    const { server, client } = await setup((_r, i) => (i === 0 ? { status: 503 } : ok), {
      pacing: { requests: 1, windowMs: 20 },
    });
    await Promise.all([1, 2].map((n) => client.GET("/v2/vpcs", page(n))));
    // Page 1 failed and was retried behind page 2, which was waiting already.
    expect(pagesSeen(server.seen)).toEqual([1, 2, 1]);
  });

  it("lets an aborted request leave the line at once, unsent, and the next one take its turn", async () => {
    let answerFirst!: () => void;
    const firstAnswered = new Promise<void>((resolve) => (answerFirst = resolve));
    const { server, client } = await setup(
      async (_r, i) => {
        if (i === 0) await firstAnswered;
        return ok;
      },
      { pacing: { requests: 1, windowMs: 50 } },
    );
    const controller = new AbortController();
    const first = client.GET("/v2/vpcs", page(1));
    const second = client.GET("/v2/vpcs", { ...page(2), signal: controller.signal }).catch((e: unknown) => e);
    const third = client.GET("/v2/vpcs", page(3));
    await server.received(1);
    controller.abort(); // the first is still unanswered: the others wait in line
    const error = await second;
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ reason: "aborted", attempts: 0 });
    answerFirst();
    await Promise.all([first, third]);
    expect(pagesSeen(server.seen)).toEqual([1, 3]);
  });

  it("ends a wait with the request's own timeout signal or the client's signal", async () => {
    const controller = new AbortController();
    const { server, client } = await setup(() => ok, {
      pacing: { requests: 1, windowMs: 60_000 },
      signal: controller.signal,
    });
    await client.GET("/v2/vpcs", page(1)); // the one place in this minute is taken
    const timedOut = await client
      .GET("/v2/vpcs", { ...page(2), signal: AbortSignal.timeout(10) })
      .catch((e: unknown) => e);
    expect(timedOut).toMatchObject({ name: "RequestError", reason: "aborted", attempts: 0 });
    const waiting = client.GET("/v2/vpcs", page(3)).catch((e: unknown) => e);
    controller.abort();
    expect(await waiting).toMatchObject({ name: "RequestError", reason: "aborted", attempts: 0 });
    expect(pagesSeen(server.seen)).toEqual([1]);
  });

  it("holds new requests until ratelimit-reset when the API says the quota is used up", async () => {
    const reset = Math.ceil(Date.now() / 1000) + 1;
    const { server, client } = await setup((_r, i) => ({ ...ok, headers: rateLimitHeaders(i === 0 ? 0 : 10, reset) }));
    await client.GET("/v2/vpcs", page(1));
    await client.GET("/v2/vpcs", page(2)); // held, not sent to a sure 429
    expect(server.seen[1]!.at).toBeGreaterThanOrEqual(reset * 1000 - 50);
  });

  it("does not hold beyond retry.maxWaitMs: the request goes and its 429 comes back at once", async () => {
    const hourAway = Math.ceil(Date.now() / 1000) + 3600;
    const tooMany = {
      status: 429,
      headers: rateLimitHeaders(0, hourAway),
      body: { id: "too_many_requests", message: "API rate limit exceeded." },
    };
    const { server, client } = await setup((_r, i) =>
      i === 0 ? { ...ok, headers: rateLimitHeaders(0, hourAway) } : tooMany,
    );
    await client.GET("/v2/vpcs", page(1));
    const { response } = await client.GET("/v2/vpcs", page(2));
    expect(response.status).toBe(429);
    expect(pagesSeen(server.seen)).toEqual([1, 2]);
  });

  it("sends at once, all together, while under the limit", async () => {
    // No answer comes before all five arrived: were any of them held back, this would never finish.
    const { server, client } = await setup(
      async () => {
        await server.received(5);
        return ok;
      },
      { pacing: { requests: 5, windowMs: 60_000 } },
    );
    await Promise.all([1, 2, 3, 4, 5].map((n) => client.GET("/v2/vpcs", page(n))));
    expect(server.maxInFlight).toBe(5);
  });
});

describe("pacing.hourly", () => {
  it("paces an hourly window too: beyond it, requests wait for the hour, and an abort ends the wait", async () => {
    const { server, client } = await setup(() => ok, { pacing: { requests: 100, windowMs: 1000, hourly: 3 } });
    await Promise.all([1, 2, 3].map((n) => client.GET("/v2/vpcs", page(n))));
    const fourth = client.GET("/v2/vpcs", { ...page(4), signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(await fourth).toMatchObject({ name: "RequestError", reason: "aborted", attempts: 0 });
    expect(pagesSeen(server.seen)).toEqual([1, 2, 3]);
  });

  it("hourly: false paces the one window only", async () => {
    const { server, client } = await setup(
      async () => {
        await server.received(4);
        return ok;
      },
      { pacing: { requests: 4, windowMs: 60_000, hourly: false } },
    );
    await Promise.all([1, 2, 3, 4].map((n) => client.GET("/v2/vpcs", page(n))));
    expect(server.maxInFlight).toBe(4);
  });

  it("defaults to the API's limits: 250 a minute and 5,000 an hour", () => {
    expect(windowsOf({})).toEqual([
      { requests: 250, windowMs: 60_000 },
      { requests: 5_000, windowMs: 3_600_000 },
    ]);
  });
});

describe("pacing.store", () => {
  it("one memoryPacing() shared by two clients of one token is one budget", async () => {
    const { server } = await setup(() => ok);
    const store = memoryPacing();
    const pacing = { requests: 2, windowMs: 60_000, store };
    const first = createDigitalOceanClient({ token: TOKEN, baseUrl: server.url, pacing });
    const second = createDigitalOceanClient({ token: TOKEN, baseUrl: server.url, pacing });
    await Promise.all([first.GET("/v2/vpcs", page(1)), second.GET("/v2/vpcs", page(2))]);
    const third = second.GET("/v2/vpcs", { ...page(3), signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(await third).toMatchObject({ reason: "aborted", attempts: 0 });
    expect(server.seen).toHaveLength(2);
  });

  it("hands a store the budget under a hash of the token, never the token, with both windows and a lease", async () => {
    const calls: { method: string; budget: Budget; id?: string }[] = [];
    const store: PacingStore = {
      take: (budget, ids) => {
        for (const id of ids) calls.push({ method: "take", budget, id });
        return { taken: ids.length, wait: 0 };
      },
      done: (budget, id) => void calls.push({ method: "done", budget, id }),
      hold: (budget) => void calls.push({ method: "hold", budget }),
    };
    const { client } = await setup(() => ({ ...ok, headers: rateLimitHeaders(0, Math.floor(Date.now() / 1000) + 1) }), {
      pacing: { requests: 5, windowMs: 1000, store },
      timeoutMs: 2000,
    });
    await client.GET("/v2/vpcs");
    expect(calls.map((c) => c.method)).toEqual(["take", "done", "hold"]);
    const { key, windows, leaseMs } = calls[0]!.budget;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(calls)).not.toContain(TOKEN.slice(7, 20));
    expect(windows).toEqual([
      { requests: 5, windowMs: 1000 },
      { requests: 5_000, windowMs: 3_600_000 },
    ]);
    expect(leaseMs).toBe(2000);
    expect(calls[1]!.id).toBe(calls[0]!.id);
  });

  it("a store that fails or never answers: requests go on, paced in memory, and one warning says so", async () => {
    const warnings: string[] = [];
    for (const take of [
      () => {
        throw new Error("connection refused");
      },
      () => new Promise<never>(() => {}),
    ]) {
      warnings.length = 0;
      const store: PacingStore = { take, done: () => {}, hold: () => {} };
      const { server, client } = await setup(() => ok, {
        pacing: { requests: 2, windowMs: 60_000, store },
        logger: { warn: (message) => warnings.push(message) },
      });
      await Promise.all([client.GET("/v2/vpcs", page(1)), client.GET("/v2/vpcs", page(2))]);
      // The same limits, in memory: a third waits, and the abort ends its wait.
      const third = client.GET("/v2/vpcs", { ...page(3), signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
      expect(await third).toMatchObject({ reason: "aborted" });
      expect(pagesSeen(server.seen)).toEqual([1, 2]);
      expect(warnings).toEqual([
        expect.stringMatching(/the pacing store failed \(.+\): pacing in memory with the same limits/),
      ]);
    }
  });

  it("refuses a store without take, done and hold, and unknown hourly values", () => {
    expect(() => createDigitalOceanClient({ token: TOKEN, pacing: { store: {} as PacingStore } })).toThrow(
      /pacing\.store must have take, done and hold methods/,
    );
    expect(() => createDigitalOceanClient({ token: TOKEN, pacing: { hourly: 0 } })).toThrow(
      /pacing\.hourly must be an integer ≥ 1 or false/,
    );
  });
});
