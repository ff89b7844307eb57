// Benchmark 9: a fleet of processes sharing one token, with uneven work, against a local server that enforces the
// limit the way the API does (bench/ratelimit.ts). Each fleet is one way of pacing:
//   shared: every process paces the whole limit through redisPacing on one Redis;
//   split:  each paces an equal share of it in memory (the advice before there was a shared store);
//   alone:  each paces the whole limit in memory, not knowing of the others;
//   lost:   as shared, but Redis is killed as the second window opens (1 s in), and each paces without it.
// Counted: the 429s, the time to the last answer over the least the limit allows, and the Redis round trips.
import { spawn, type ChildProcess } from "node:child_process";
import { connect, createServer, type Socket } from "node:net";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { createDigitalOceanClient } from "../src/index.js";
import { redisPacing } from "../src/redis.js";
import { FAKE_TOKEN, median, ROOT, startServer } from "./lib.js";
import { leastTimeMs, mostInAnyWindow, startLimitedServer, type LimitStats } from "./ratelimit.js";
import type { RedisServer } from "../test/helpers/redis.js";

/** What fleet-worker.ts is told: its id (the droplet id it asks for, so the server can tell the processes apart), where to send, how to pace. */
export interface WorkerConfig {
  id: number;
  baseUrl: string;
  redisUrl?: string;
  key: string;
  requests: number;
  windowMs: number;
  count: number;
}

export const FLEETS = ["shared", "split", "alone", "lost"] as const;
export type Fleet = (typeof FLEETS)[number];

export interface FleetOptions {
  fleet: Fleet;
  /** The GETs each process fires at once: one process each. */
  work: number[];
  limit: number;
  windowMs: number;
  /** The Redis of the shared and lost fleets. */
  redisUrl?: string;
  /** Kills the lost fleet's Redis. */
  killRedis?: () => Promise<void>;
}

export interface FleetRun extends LimitStats {
  fleet: Fleet;
  /** The requests per window each process paced itself to. */
  paced: number;
  /** Each process's statuses. */
  statuses: number[][];
  /** From the go to the last answer. */
  ms: number;
  /** The least time the limit allows for every request of the fleet: ceil(total / limit) - 1 windows. */
  minimumMs: number;
  ratio: number;
  /** The most requests of the busiest process in any rolling window at the server. */
  busiestPeak: number;
  /** Scripts Redis ran for the fleet (the shared one), per request sent. */
  roundTripsPerRequest: number;
}

const WORKER = fileURLToPath(new URL("fleet-worker.ts", import.meta.url));

/** Starts one worker and resolves once it is ready to fire. */
async function startWorker(config: WorkerConfig) {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, JSON.stringify(config)], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`bench/fleet-worker.ts exited with ${code} before it answered`);
  });
  const next = async () => {
    const line = await Promise.race([lines.next(), exited]);
    return line.done ? exited : String(line.value);
  };
  if ((await next()) !== "ready") throw new Error("bench/fleet-worker.ts did not say ready");
  return { child, next };
}

/** Scripts run by Redis since its statistics were last reset. */
async function scriptsRun(admin: Redis): Promise<number> {
  const info = await admin.info("commandstats");
  return [...info.matchAll(/^cmdstat_(?:eval|evalsha):calls=(\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** The pacing of one process of `fleet`. */
function pacingOf({ fleet, work, limit }: FleetOptions) {
  return fleet === "split" ? Math.floor(limit / work.length) : limit;
}

/**
 * Resolves once the second window has opened (its first request arrived) and every process has sent a request
 * since the last one to start sent its first: each knows of all the others when Redis is lost.
 */
async function lossDue(server: Awaited<ReturnType<typeof startLimitedServer>>, processes: number, limit: number) {
  const due = () => {
    const paths = server.arrived.map((a) => a.path);
    const firsts = [...new Set(paths)].map((path) => paths.indexOf(path));
    return firsts.length === processes && new Set(paths.slice(Math.max(...firsts) + 1)).size === processes;
  };
  for (let count = limit + 1; ; count = server.stats.requests + 1) {
    await server.received(count);
    if (due()) return;
  }
}

/** Runs one fleet against a fresh limited server: every worker ready, then all told to go at once. */
export async function runFleet(options: FleetOptions): Promise<FleetRun> {
  const { fleet, work, limit, windowMs, redisUrl } = options;
  if (fleet === "shared" && !redisUrl) throw new TypeError("the shared fleet needs a redisUrl");
  if (fleet === "lost" && !(redisUrl && options.killRedis))
    throw new TypeError("the lost fleet needs a redisUrl and killRedis");
  const server = await startLimitedServer(limit, windowMs);
  const admin = fleet === "shared" ? new Redis(redisUrl!) : undefined;
  admin?.on("error", () => {}); // a Redis that cannot be reached is reported by the workers, which exit
  const workers: { child: ChildProcess; next: () => Promise<string> }[] = [];
  try {
    const key = `fleet-${randomUUID()}`;
    const requests = pacingOf(options);
    const shared = fleet === "shared" || fleet === "lost" ? redisUrl : undefined;
    const configs = work.map((count, id) => ({
      id,
      baseUrl: server.url,
      redisUrl: shared,
      key,
      requests,
      windowMs,
      count,
    }));
    workers.push(...(await Promise.all(configs.map(startWorker))));
    await admin?.config("RESETSTAT");
    const start = performance.now();
    for (const { child } of workers) child.stdin!.write("go\n");
    if (fleet === "lost") void lossDue(server, work.length, limit).then(options.killRedis);
    const statuses = await Promise.all(workers.map(async (w) => JSON.parse(await w.next()) as number[]));
    const ms = performance.now() - start;
    const minimumMs = leastTimeMs(
      work.reduce((a, b) => a + b, 0),
      limit,
      windowMs,
    );
    const busiest = `/v2/droplets/${work.indexOf(Math.max(...work))}`;
    const busiestTimes = server.arrived.filter((a) => a.path === busiest).map((a) => a.at);
    return {
      ...server.stats,
      fleet,
      paced: requests,
      statuses,
      ms,
      minimumMs,
      ratio: ms / minimumMs,
      busiestPeak: mostInAnyWindow(busiestTimes, windowMs),
      roundTripsPerRequest: admin ? (await scriptsRun(admin)) / server.stats.requests : 0,
    };
  } finally {
    for (const { child } of workers) child.kill();
    admin?.disconnect();
    await server.close();
  }
}

export interface FleetResult {
  work: number[];
  limit: number;
  windowMs: number;
  /** The median run of each fleet, by time. */
  runs: Record<Fleet, FleetRun>;
  rounds: number;
}

/** Every fleet, `rounds` times each in turns; the median run of each by time. */
export async function benchFleet(redis: RedisServer, work = [80, 20, 20], limit = 20, windowMs = 1000, rounds = 3) {
  const all = Object.fromEntries(FLEETS.map((fleet) => [fleet, [] as FleetRun[]])) as Record<Fleet, FleetRun[]>;
  for (let round = 0; round < rounds; round++) {
    for (const fleet of FLEETS) {
      all[fleet].push(await runFleet({ fleet, work, limit, windowMs, redisUrl: redis.url, killRedis: redis.kill }));
      if (fleet === "lost") await redis.restart();
    }
  }
  const middle = (runs: FleetRun[]) => [...runs].sort((a, b) => a.ms - b.ms)[runs.length >> 1]!;
  const runs = Object.fromEntries(FLEETS.map((fleet) => [fleet, middle(all[fleet])])) as Record<Fleet, FleetRun>;
  return { work, limit, windowMs, runs, rounds } satisfies FleetResult;
}

export interface StoreOverhead {
  requests: number;
  rounds: number;
  /** Wall µs per sequential request, median over rounds. */
  memoryUs: number;
  redisUs: number;
  /** redis over memory, median of the per-round ratios. */
  ratio: number;
  roundTripsPerRequest: number;
}

/**
 * Per-request cost of the Redis store against in-memory pacing: sequential GETs to a keep-alive local server, one
 * client each way in one process, limits too high to wait on, the two taking turns for `rounds` rounds.
 */
export async function benchStoreOverhead(redisUrl: string, requests = 500, rounds = 7): Promise<StoreOverhead> {
  const server = await startServer();
  const connection = new Redis(redisUrl);
  const admin = new Redis(redisUrl);
  try {
    const pacing = { requests: 100_000, windowMs: 60_000, hourly: false } as const;
    const clientOf = (store?: ReturnType<typeof redisPacing>) =>
      createDigitalOceanClient({ token: FAKE_TOKEN, baseUrl: server.url, pacing: { ...pacing, store } });
    const clients = {
      memory: clientOf(),
      redis: clientOf(redisPacing(connection, { key: `overhead-${randomUUID()}` })),
    };
    const perRequest = async (client: ReturnType<typeof clientOf>) => {
      const start = performance.now();
      for (let i = 0; i < requests; i++) {
        await client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } });
      }
      return ((performance.now() - start) * 1000) / requests;
    };
    await perRequest(clients.memory);
    await perRequest(clients.redis);
    await admin.config("RESETSTAT");
    const memory: number[] = [];
    const redis: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? (["redis", "memory"] as const) : (["memory", "redis"] as const);
      for (const way of order) (way === "memory" ? memory : redis).push(await perRequest(clients[way]));
    }
    return {
      requests,
      rounds,
      memoryUs: median(memory),
      redisUs: median(redis),
      ratio: median(redis.map((us, i) => us / memory[i]!)),
      roundTripsPerRequest: (await scriptsRun(admin)) / (requests * rounds),
    };
  } finally {
    connection.disconnect();
    admin.disconnect();
    server.stop();
  }
}

export interface SlowStore {
  /** Each way, so a round trip to Redis takes twice this. */
  latencyMs: number;
  requests: number;
  limit: number;
  windowMs: number;
  ms: number;
  /** The least the limit allows, were Redis as near as memory. */
  minimumMs: number;
  tooMany: number;
}

/** A TCP proxy in front of Redis that delays every chunk by `latencyMs`, each way, in order. */
async function delayingProxy(port: number, latencyMs: number) {
  const relay = (from: Socket, to: Socket) => {
    from.on("data", (chunk) => setTimeout(() => to.write(chunk), latencyMs));
    from.on("close", () => to.destroy());
    from.on("error", () => {});
  };
  const proxy = createServer((client) => {
    const redis = connect(port, "127.0.0.1");
    relay(client, redis);
    relay(redis, client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return { url: `redis://127.0.0.1:${(proxy.address() as { port: number }).port}`, close: () => proxy.close() };
}

/** One client firing `requests` GETs at once, paced through a Redis a long round trip away. */
export async function benchSlowStore(redis: RedisServer, latencyMs = 300, requests = 60, limit = 5, windowMs = 1000) {
  const proxy = await delayingProxy(redis.port, latencyMs);
  const server = await startLimitedServer(limit, windowMs);
  const connection = new Redis(proxy.url);
  try {
    const store = redisPacing(connection, { key: `slow-${randomUUID()}` });
    const client = createDigitalOceanClient({
      token: FAKE_TOKEN,
      baseUrl: server.url,
      retry: false,
      logger: {}, // the limited server's ratelimit-remaining: 0 holds are expected
      pacing: { requests: limit, windowMs, hourly: false, store },
    });
    const start = performance.now();
    await Promise.all(
      Array.from({ length: requests }, () =>
        client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } }),
      ),
    );
    const ms = performance.now() - start;
    const minimumMs = leastTimeMs(requests, limit, windowMs);
    return { latencyMs, requests, limit, windowMs, ms, minimumMs, tooMany: server.stats.tooMany } satisfies SlowStore;
  } finally {
    connection.disconnect();
    proxy.close();
    await server.close();
  }
}
