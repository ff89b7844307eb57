// redisPacing against a real redis-server: clients with their own Redis connections (as separate processes have)
// share one budget, the hold on ratelimit-remaining: 0, the line, and the faults: Redis unreachable, slow, killed,
// restarted; and the same with a node-redis client. What the limit-enforcing server counted is asserted, never how
// long anything took.
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLimitedServer } from "../bench/ratelimit.js";
import { createDigitalOceanClient, type Logger, type PacingStore } from "../src/index.js";
import { type RedisClient, redisPacing } from "../src/redis.js";
import { freePort, startRedis, type RedisServer } from "./helpers/redis.js";
import { rateLimitHeaders, TOKEN, useServers } from "./helpers/server.js";

let redis: RedisServer;
const connections: Redis[] = [];
const nodeConnections: ReturnType<typeof createClient>[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.disconnect();
  for (const connection of nodeConnections.splice(0)) if (connection.isOpen) connection.destroy();
});

/** A Redis connection of its own, as another process would have; its errors are the store's to report. */
function connect(url = redis.url) {
  const connection = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  connection.on("error", () => {});
  connections.push(connection);
  return connection;
}

/** The same with node-redis, connected and ready. */
async function connectNodeRedis(url = redis.url) {
  const connection = createClient({ url });
  connection.on("error", () => {});
  nodeConnections.push(connection);
  await connection.connect();
  return connection;
}

const { serve } = useServers({ retry: false });
const ok = { status: 200, body: { vpcs: [] } };
const get = (client: ReturnType<typeof createDigitalOceanClient>, signal?: AbortSignal) =>
  client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } }, signal });

/** A client paced through its own Redis connection, `limit` per `windowMs`, under a fresh budget `key`. */
function pacedClient(
  baseUrl: string,
  key: string,
  limit: number,
  windowMs: number,
  connection: RedisClient = connect(),
) {
  const store = redisPacing(connection, { key });
  return createDigitalOceanClient({
    token: TOKEN,
    baseUrl,
    retry: false,
    pacing: { requests: limit, windowMs, hourly: false, store },
    logger: {}, // the limited server's ratelimit-remaining: 0 holds are expected here
  });
}

/** A client paced 5 a second through `store`, without retries, telling `logger` what it does. */
const watchedClient = (baseUrl: string, store: PacingStore, logger: Logger) =>
  createDigitalOceanClient({
    token: TOKEN,
    baseUrl,
    retry: false,
    logger,
    pacing: { requests: 5, windowMs: 1000, hourly: false, store },
  });

/** Two clients, each firing `each` requests at once: what the limited server counted. */
async function burst(clients: ReturnType<typeof createDigitalOceanClient>[], each: number) {
  const results = await Promise.all(clients.flatMap((client) => Array.from({ length: each }, () => get(client))));
  return results.map((r) => r.response.status);
}

describe("redisPacing", () => {
  it.each([
    ["two ioredis clients", () => connect()],
    ["an ioredis client and a node-redis client", () => connectNodeRedis()],
  ])("%s with their own connections share one budget: 0 × 429 where each alone would overrun it", async (_, second) => {
    const server = await startLimitedServer(5, 1000);
    try {
      const key = `shared-${randomUUID()}`;
      const clients = [pacedClient(server.url, key, 5, 1000), pacedClient(server.url, key, 5, 1000, await second())];
      expect(await burst(clients, 8)).toEqual(Array(16).fill(200));
      expect(server.stats).toMatchObject({ requests: 16, tooMany: 0 });
      expect(server.stats.peak).toBeLessThanOrEqual(5);
    } finally {
      await server.close();
    }
  });

  it("keys the budget by a hash of the token, never the token", async () => {
    const { server } = await serve(() => ok);
    const admin = connect();
    const client = createDigitalOceanClient({
      token: TOKEN,
      baseUrl: server.url,
      pacing: { store: redisPacing(connect()) },
    });
    await client.GET("/v2/vpcs");
    const keys = await admin.keys("digitalocean-typed:pacing:*");
    expect(keys).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^digitalocean-typed:pacing:\{[0-9a-f]{32}\}:60000$/),
        expect.stringMatching(/^digitalocean-typed:pacing:\{[0-9a-f]{32}\}:3600000$/),
      ]),
    );
    const dump = JSON.stringify([keys, ...(await Promise.all(keys.map((k) => admin.zrange(k, 0, -1, "WITHSCORES"))))]);
    expect(dump).not.toContain(TOKEN.slice(7, 20));
  });

  it("ratelimit-remaining: 0 seen by one client holds the other until ratelimit-reset", async () => {
    const reset = Math.ceil(Date.now() / 1000) + 1;
    const { server } = await serve((_r, i) => ({ ...ok, headers: rateLimitHeaders(i === 0 ? 0 : 10, reset) }));
    const key = `hold-${Date.now()}`;
    const [first, second] = [pacedClient(server.url, key, 100, 1000), pacedClient(server.url, key, 100, 1000)];
    await first.GET("/v2/vpcs");
    await second.GET("/v2/vpcs"); // held, not sent to a sure 429
    expect(server.seen[1]!.at).toBeGreaterThanOrEqual(reset * 1000 - 50);
  });

  it("requests waiting in one client ask Redis together, not one at a time", async () => {
    const { server } = await serve(() => ok);
    const store = redisPacing(connect(), { key: `together-${randomUUID()}` });
    const asked: number[] = [];
    const counting: PacingStore = {
      ...store,
      take(budget, ids) {
        asked.push(ids.length);
        return store.take(budget, ids);
      },
    };
    const client = watchedClient(server.url, counting, {});
    // Room for all 5: the first asks alone, the others line up behind it and ask together once it is answered.
    expect(await burst([client], 5)).toEqual(Array(5).fill(200));
    expect(asked).toEqual([1, 4]);
  });

  it("an aborted request leaves the shared line at once, unsent", async () => {
    const { server } = await serve(() => ok);
    const key = `abort-${Date.now()}`;
    const [first, second] = [pacedClient(server.url, key, 1, 60_000), pacedClient(server.url, key, 1, 60_000)];
    await first.GET("/v2/vpcs"); // the one place this minute
    const controller = new AbortController();
    const waiting = second.GET("/v2/vpcs", { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(await waiting).toMatchObject({ name: "RequestError", reason: "aborted", attempts: 0 });
    expect(server.seen).toHaveLength(1);
  });
});

/** A logger that keeps the store's warnings (not the holds the limited server causes) and counts the times a client said the budget is shared again. */
function watcher() {
  const seen = { warnings: [] as string[], rejoins: 0 };
  const logger = {
    warn: (message: string) => void (message.includes("pacing store") && seen.warnings.push(message)),
    info: (message: string) => void (message.includes("shared again") && seen.rejoins++),
  };
  return { ...seen, seen, logger };
}

describe("redisPacing with node-redis", () => {
  it("loads the scripts again when Redis has forgotten them (NOSCRIPT)", async () => {
    const { server } = await serve(() => ok);
    const { warnings, logger } = watcher();
    const key = `noscript-${Date.now()}`;
    const nodeRedis = await connectNodeRedis();
    const client = createDigitalOceanClient({
      token: TOKEN,
      baseUrl: server.url,
      logger,
      pacing: { requests: 10, windowMs: 60_000, hourly: false, store: redisPacing(nodeRedis, { key }) },
    });
    await client.GET("/v2/vpcs");
    await nodeRedis.scriptFlush();
    expect((await client.GET("/v2/vpcs")).response.status).toBe(200);
    expect(warnings).toEqual([]);
    // Both places are in Redis, not only in the memory the client would fall back to.
    expect(await nodeRedis.zCard(`digitalocean-typed:pacing:{${key}}:60000`)).toBe(2);
  });

  it("node-redis not ready (its Redis gone): requests succeed at once, paced in memory, one warning", async () => {
    const own = await startRedis();
    const server = await startLimitedServer(5, 1000);
    try {
      const { warnings, logger } = watcher();
      const nodeRedis = await connectNodeRedis(own.url);
      const lost = once(nodeRedis, "error");
      await own.kill();
      await lost; // node-redis now reconnects, and would queue commands until it is back
      const client = watchedClient(server.url, redisPacing(nodeRedis), logger);
      expect(await burst([client], 12)).toEqual(Array(12).fill(200));
      expect(server.stats).toMatchObject({ requests: 12, tooMany: 0 });
      // Failed at once, not after the second a queued command would wait.
      expect(warnings).toEqual([expect.stringMatching(/the pacing store failed \(.*not ready\): pacing in memory/)]);
    } finally {
      await server.close();
      await own.stop();
    }
  });

  it("a client that is neither ioredis nor node-redis: a TypeError naming both", () => {
    expect(() => redisPacing({ get: () => {} } as never)).toThrow(
      new TypeError(
        "redisPacing takes an ioredis client (with evalsha) or a node-redis client (with evalSha), got [object Object]",
      ),
    );
  });
});

describe("redisPacing faults", () => {
  it("Redis unreachable at start: every request succeeds, paced in memory with the same limits, one warning", async () => {
    const server = await startLimitedServer(5, 1000);
    try {
      const { warnings, logger } = watcher();
      const store = redisPacing(connect(`redis://127.0.0.1:${await freePort()}`));
      const client = watchedClient(server.url, store, logger);
      expect(await burst([client], 12)).toEqual(Array(12).fill(200));
      expect(server.stats).toMatchObject({ requests: 12, tooMany: 0 });
      expect(warnings).toEqual([
        expect.stringMatching(/the pacing store failed .*: pacing in memory with the same limits/),
      ]);
    } finally {
      await server.close();
    }
  });

  it("a Redis that stops answering does not stall requests: they go on in memory", { timeout: 30_000 }, async () => {
    const slow = await startRedis();
    const server = await startLimitedServer(5, 1000);
    try {
      const { warnings, logger } = watcher();
      const connection = connect(slow.url);
      const client = watchedClient(server.url, redisPacing(connection), logger);
      await get(client);
      // Redis stops answering for a minute: were the client waiting for it, this test would time out.
      await connect(slow.url).client("PAUSE", 60_000, "ALL");
      expect(await burst([client], 8)).toEqual(Array(8).fill(200));
      expect(server.stats.tooMany).toBe(0);
      expect(warnings).toEqual([expect.stringMatching(/no answer within 1000 ms/)]);
    } finally {
      await server.close();
      await slow.stop();
    }
  });

  it("a frozen Redis (SIGSTOP) stalls a request once: while pacing in memory, the client asks it again in the background", {
    timeout: 60_000,
  }, async () => {
    const frozen = await startRedis();
    const server = await startLimitedServer(5, 500);
    try {
      const store = redisPacing(connect(frozen.url), { key: `frozen-${randomUUID()}` });
      const events: string[] = [];
      const counting: PacingStore = {
        ...store,
        take(budget, ids) {
          events.push(ids.length ? "take" : "ask");
          return store.take(budget, ids);
        },
      };
      const client = createDigitalOceanClient({
        token: TOKEN,
        baseUrl: server.url,
        retry: false,
        logger: { warn: (message) => void (message.includes("pacing store") && events.push("failed")) },
        pacing: { requests: 5, windowMs: 500, hourly: false, store: counting },
      });
      await get(client);
      process.kill(frozen.pid, "SIGSTOP");
      try {
        // 20 at 5 per 500 ms, after the first window: four windows at least, past the second before it asks again.
        expect(await burst([client], 20)).toEqual(Array(20).fill(200));
      } finally {
        process.kill(frozen.pid, "SIGCONT");
      }
      expect(server.stats.tooMany).toBe(0);
      const afterFailing = events.slice(events.indexOf("failed") + 1);
      expect(events.slice(0, 3)).toEqual(["take", "take", "failed"]); // the one stall
      expect(afterFailing.length).toBeGreaterThan(0);
      expect(new Set(afterFailing)).toEqual(new Set(["ask"])); // in the background, taking no place
    } finally {
      await server.close();
      await frozen.stop();
    }
  });

  it("Redis killed mid-run: every request succeeds; restarted: the budget is shared again", {
    timeout: 60_000,
  }, async () => {
    const own = await startRedis();
    const server = await startLimitedServer(5, 500);
    try {
      const { seen, logger } = watcher();
      const key = `restart-${Date.now()}`;
      const clients = [0, 1].map(() => {
        const connection = connect(own.url);
        return {
          connection,
          client: createDigitalOceanClient({
            token: TOKEN,
            baseUrl: server.url,
            // The 429 rule is the safety net while each client paces alone: retried until a place is free.
            retry: { maxRetries: 20, baseDelayMs: 50 },
            logger,
            pacing: { requests: 5, windowMs: 500, hourly: false, store: redisPacing(connection, { key }) },
          }),
        };
      });
      const all = clients.map((c) => c.client);
      const first = burst(all, 6);
      await server.received(3);
      await own.kill();
      // Each client paces alone now, with the whole limit: the server may refuse some, but every request succeeds
      // in the end, and none is lost, hangs or is sent twice (each arrival is one request's first try or a retry of a 429).
      const statuses = [...(await first), ...(await burst(all, 3))];
      expect(statuses).toEqual(Array(18).fill(200));
      expect(server.stats.requests).toBe(18 + server.stats.tooMany);
      expect(seen.warnings.length).toBeGreaterThanOrEqual(1);

      await own.restart();
      await Promise.all(
        clients.map((c) => (c.connection.status === "ready" ? undefined : once(c.connection, "ready"))),
      );
      // A client asks Redis again a second after it failed: keep sending until both say they have rejoined.
      while (seen.rejoins < 2) await Promise.all(all.map((client) => get(client)));
      const fresh = await startLimitedServer(5, 500);
      try {
        const again = await Promise.all(
          all.flatMap((client) =>
            Array.from({ length: 6 }, () =>
              client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } }, baseUrl: fresh.url }),
            ),
          ),
        );
        expect(again.map((r) => r.response.status)).toEqual(Array(12).fill(200));
        expect(fresh.stats).toMatchObject({ requests: 12, tooMany: 0 }); // shared again: no 429 to retry
      } finally {
        await fresh.close();
      }
    } finally {
      await server.close();
      await own.stop();
    }
  });
});
