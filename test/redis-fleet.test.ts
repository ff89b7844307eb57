// Several processes, one token: node processes of their own (bench/fleet-worker.ts), each firing its GETs at once
// against a local server that enforces the limit as the API does. What the server counted is asserted, never how
// long anything took (the time is the bench's business: README's Performance table).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchStoreOverhead, runFleet } from "../bench/fleet.js";
import { startRedis, type RedisServer } from "./helpers/redis.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

// Uneven work, as 80, 20 and 20 GETs under 20 a second, scaled down.
const work = [24, 6, 6];
const limit = 6;
const windowMs = 500;

describe("three processes sharing one token", () => {
  it("each pacing the whole limit alone: the server refuses some", { timeout: 60_000 }, async () => {
    const run = await runFleet({ fleet: "alone", work, limit, windowMs });
    expect(run.tooMany).toBeGreaterThan(0);
  });

  it("each pacing the whole limit through one Redis: 0 × 429, and the busy one has the whole budget once the others are done", {
    timeout: 60_000,
  }, async () => {
    const run = await runFleet({ fleet: "shared", work, limit, windowMs, redisUrl: redis.url });
    expect(run.statuses).toEqual(work.map((count) => Array(count).fill(200)));
    expect(run).toMatchObject({ requests: 36, tooMany: 0 });
    expect(run.peak).toBeLessThanOrEqual(limit);
    // A third of the limit each (the split) would never let it send more than 2 in a window.
    expect(run.busiestPeak).toBeGreaterThan(Math.floor(limit / work.length));
    // Waiting is not a polling loop: a done per request, and a take per request or per turn waited. A freed place
    // wakes each waiting process at most once (only one gets it), so at most a take per process per request: how
    // many of those a run needs depends on how the processes are scheduled (about 2.1 in all idle, 3 on a loaded
    // machine), while a loop asking every few milliseconds would need dozens.
    expect(run.roundTripsPerRequest).toBeGreaterThan(1);
    expect(run.roundTripsPerRequest).toBeLessThanOrEqual(1 + work.length);
  });
});

describe("three processes losing their Redis", () => {
  it("killed as the second window opens: each paces at its share, once the places taken through it have freed: 0 × 429, each request sent once", {
    timeout: 120_000,
  }, async () => {
    const own = await startRedis();
    try {
      const run = await runFleet({ fleet: "lost", work, limit, windowMs, redisUrl: own.url, killRedis: own.kill });
      expect(run.statuses).toEqual(work.map((count) => Array(count).fill(200)));
      expect(run).toMatchObject({ requests: 36, tooMany: 0 });
      expect(run.peak).toBeLessThanOrEqual(limit);
    } finally {
      await own.stop();
    }
  });
});

describe("the store's cost", () => {
  it("is a take and a done per request, and nothing more, when no one waits", { timeout: 60_000 }, async () => {
    const r = await benchStoreOverhead(redis.url, 20, 2);
    // The last done may still be on its way when Redis is asked.
    expect(r.roundTripsPerRequest).toBeGreaterThanOrEqual(2 - 1 / 40);
    expect(r.roundTripsPerRequest).toBeLessThanOrEqual(2);
    expect(r.memoryUs).toBeGreaterThan(0);
    expect(r.redisUs).toBeGreaterThan(0);
  });
});
