// Benchmark 1: per-request overhead. N sequential GETs of one droplet from a local keep-alive server through
// raw fetch, bare openapi-fetch and this client (auth, retries, timeouts and rate-limit tracking on: the defaults).
// The server runs in another process, so this process's CPU time is the client side's work alone; it is far
// less disturbed by other load than wall time. The variants run interleaved in a rotating order for several
// rounds and the median round counts.
import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { createDigitalOceanClient } from "../src/index.js";
import { FAKE_TOKEN, median, startServer } from "./lib.js";

const VARIANTS = ["fetch", "openapi-fetch", "digitalocean-typed"] as const;
type Variant = (typeof VARIANTS)[number];

/** Median microseconds per request of each variant: wall time and client-process CPU time. */
export interface OverheadResult {
  requests: number;
  rounds: number;
  wallUs: Record<Variant, number>;
  cpuUs: Record<Variant, number>;
}

/** Runs `fn` `n` times in sequence; returns wall and CPU microseconds per call. */
async function loop(fn: () => Promise<unknown>, n: number): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) if ((await fn()) === undefined) throw new Error("a benchmark request returned no data");
  const wall = ((performance.now() - start) * 1000) / n;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / n };
}

export async function benchOverhead(requests = 1_000, rounds = 15): Promise<OverheadResult> {
  const server = await startServer();
  try {
    const auth = { Authorization: `Bearer ${FAKE_TOKEN}` };
    const bare = createClient<paths>({ baseUrl: server.url, headers: auth });
    const client = createDigitalOceanClient({ baseUrl: server.url, token: FAKE_TOKEN });
    const init = { params: { path: { droplet_id: 1 } } };
    const run: Record<Variant, () => Promise<unknown>> = {
      fetch: async () => (await fetch(`${server.url}/v2/droplets/1`, { headers: auth })).json(),
      "openapi-fetch": async () => (await bare.GET("/v2/droplets/{droplet_id}", init)).data,
      "digitalocean-typed": async () => (await client.GET("/v2/droplets/{droplet_id}", init)).data,
    };
    for (const name of VARIANTS) await loop(run[name], 1_000); // warm up: JIT and the keep-alive connection
    const wall = Object.fromEntries(VARIANTS.map((n) => [n, [] as number[]])) as Record<Variant, number[]>;
    const cpu = Object.fromEntries(VARIANTS.map((n) => [n, [] as number[]])) as Record<Variant, number[]>;
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < VARIANTS.length; k++) {
        const name = VARIANTS[(round + k) % VARIANTS.length]!;
        const sample = await loop(run[name], requests);
        wall[name].push(sample.wall);
        cpu[name].push(sample.cpu);
      }
    }
    const med = (s: Record<Variant, number[]>) => Object.fromEntries(VARIANTS.map((n) => [n, median(s[n])])) as Record<Variant, number>;
    return { requests, rounds, wallUs: med(wall), cpuUs: med(cpu) };
  } finally {
    server.stop();
  }
}
