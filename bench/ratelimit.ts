// Benchmark 5: a burst of N requests against a server that enforces a scaled-down rate limit the way the API
// does (a rolling window, ratelimit-* headers, a 429 beyond the limit), through a client paced to that limit.
// It counts the 429s (target 0) and compares the total time with the least the limit allows: the first
// `requests` go at once, and each further batch one window later, so ceil(N / requests) - 1 windows.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createDigitalOceanClient } from "../src/index.js";
import { FAKE_TOKEN, time } from "./lib.js";

/** What a limit-enforcing server saw. */
export interface LimitStats {
  /** Requests received. */
  requests: number;
  /** Requests refused with a 429. */
  tooMany: number;
  /** The most requests received (refused ones included) in any rolling window. */
  peak: number;
}

/** One request as the limited server received it. */
export interface Arrival {
  at: number;
  path: string;
}

/** The least time `n` requests can take under `limit` per rolling `windowMs`: the first `limit` go at once, each further batch a window later. */
export const leastTimeMs = (n: number, limit: number, windowMs: number) => (Math.ceil(n / limit) - 1) * windowMs;

/** The most of `times` (ascending epoch ms) that fall within any rolling `windowMs`. */
export function mostInAnyWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[first]! + windowMs <= times[last]!) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/**
 * A local stand-in for the API's rate limit: at most `limit` requests in any rolling `windowMs`, counted on
 * arrival. Every answer carries `ratelimit-limit`, `ratelimit-remaining` and `ratelimit-reset` (Unix epoch
 * seconds, rounded down, when the oldest counted request expires); a request over the limit gets a 429.
 * Its URL ends in a random path, and requests outside it (meant for an earlier server on the same port) are
 * neither counted nor answered with anything but a 421.
 */
export async function startLimitedServer(limit: number, windowMs: number) {
  /** Arrival times of the requests counted against the limit, oldest first. */
  const counted: number[] = [];
  /** Every request received: when, and its path (after the server's own prefix). */
  const arrived: Arrival[] = [];
  const stats: LimitStats = {
    get requests() {
      return arrived.length;
    },
    tooMany: 0,
    get peak() {
      return mostInAnyWindow(
        arrived.map((a) => a.at),
        windowMs,
      );
    },
  };
  /** Promises waiting for the server to have received a number of requests. */
  const waiting: { count: number; resolve: () => void }[] = [];
  const prefix = `/${randomUUID()}`;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith(`${prefix}/`)) return void res.writeHead(421).end();
    const now = Date.now();
    while (counted.length && counted[0]! + windowMs <= now) counted.shift();
    arrived.push({ at: now, path: req.url.slice(prefix.length) });
    for (const w of waiting.filter((w) => stats.requests >= w.count)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
    const refused = counted.length >= limit;
    if (refused) stats.tooMany++;
    else counted.push(now);
    const headers = {
      "content-type": "application/json",
      "ratelimit-limit": String(limit),
      "ratelimit-remaining": String(limit - counted.length),
      "ratelimit-reset": String(Math.floor((counted[0]! + windowMs) / 1000)),
    };
    req.resume().on("end", () => {
      if (refused)
        res
          .writeHead(429, headers)
          .end(JSON.stringify({ id: "too_many_requests", message: "API rate limit exceeded." }));
      else res.writeHead(200, headers).end(JSON.stringify({ droplet: { id: 1, name: "web-1", status: "active" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`,
    stats,
    arrived,
    /** Resolves once the server has received `count` requests in all. */
    received(count: number): Promise<void> {
      return stats.requests >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One burst: what the server saw and how long the whole burst took. */
export interface PacingRun extends LimitStats {
  ms: number;
  /** `ms` over the least the limit allows. */
  ratio: number;
}

export interface PacingResult {
  n: number;
  limit: number;
  windowMs: number;
  /** The least time the limit allows for `n` requests: ceil(n / limit) - 1 windows. */
  minimumMs: number;
  /** The median run (by time), and the range of ratios over runs. */
  median: PacingRun;
  ratioRange: [number, number];
  runs: number;
  /** The same burst without pacing or retries: how many the server refuses. */
  unpaced: LimitStats;
}

/** Fires `n` GETs at once through a client paced to the server's limit, `runs` times, each against a fresh server. */
export async function benchRateLimit(n = 100, limit = 10, windowMs = 500, runs = 3): Promise<PacingResult> {
  const burst = async (pacing: { requests: number; windowMs: number } | false) => {
    const server = await startLimitedServer(limit, windowMs);
    try {
      const client = createDigitalOceanClient({
        baseUrl: server.url,
        token: FAKE_TOKEN,
        pacing,
        retry: pacing ? undefined : false,
        logger: {}, // the server's ratelimit-remaining: 0 holds are expected
      });
      const get = () => client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } });
      const ms = await time(() => Promise.all(Array.from({ length: n }, get)));
      return { ...server.stats, ms };
    } finally {
      await server.close();
    }
  };
  const minimumMs = leastTimeMs(n, limit, windowMs);
  const paced: PacingRun[] = [];
  for (let run = 0; run < runs; run++) {
    const r = await burst({ requests: limit, windowMs });
    paced.push({ ...r, ratio: r.ms / minimumMs });
  }
  paced.sort((a, b) => a.ms - b.ms);
  const ratios = paced.map((r) => r.ratio);
  const { ms: _, ...unpaced } = await burst(false);
  return {
    n,
    limit,
    windowMs,
    minimumMs,
    median: paced[paced.length >> 1]!,
    ratioRange: [Math.min(...ratios), Math.max(...ratios)],
    runs,
    unpaced,
  };
}
