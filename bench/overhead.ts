// Benchmark 1: per-request overhead. N sequential GETs of one droplet from a local keep-alive server through
// raw fetch, bare openapi-fetch and this client: once with auth, retries and rate-limit tracking (what the
// target is about) and once with its defaults, which add a 30 s per-attempt timeout.
// The server runs in another process, so this process's CPU time is the client side's work alone; it is far
// less disturbed by other load than wall time. The variants run interleaved in a rotating order for many
// rounds; each round's ratios to openapi-fetch are taken within the round, and the median round counts.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type createClientType from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { createDigitalOceanClient } from "../src/index.js";
import { FAKE_TOKEN, ROOT, median, startServer } from "./lib.js";

export const VARIANTS = ["fetch", "openapi-fetch", "digitalocean-typed", "digitalocean-typed, defaults"] as const;
export type Variant = (typeof VARIANTS)[number];

/** Median microseconds per request of each variant, and the median of its per-round ratios to openapi-fetch. */
export interface OverheadResult {
  requests: number;
  rounds: number;
  wallUs: Record<Variant, number>;
  cpuUs: Record<Variant, number>;
  wallRatio: Record<Variant, number>;
  cpuRatio: Record<Variant, number>;
}

/** `global.gc` when node runs with --expose-gc (npm run bench does). */
const gc = (globalThis as { gc?: (options?: { type: "minor" | "major"; execution: "sync" }) => void }).gc;

/**
 * Runs `fn` `n` times in sequence; returns wall and CPU microseconds per call. A full collection first (not
 * timed) and a young-generation one last (timed) make each variant pay for its own garbage, not the previous one's.
 */
async function loop(fn: () => Promise<unknown>, n: number): Promise<{ wall: number; cpu: number }> {
  gc?.();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) if ((await fn()) === undefined) throw new Error("a benchmark request returned no data");
  gc?.({ type: "minor", execution: "sync" });
  const wall = ((performance.now() - start) * 1000) / n;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / n };
}

/**
 * openapi-fetch as a module instance of its own for the bare variant. Sharing one instance with this client would
 * let the two variants shape each other's JIT feedback (openapi-fetch sees different Request and Response shapes
 * from each), which moved the ratio by several percent from one process to the next.
 */
async function separateOpenapiFetch(): Promise<typeof createClientType> {
  const path = createRequire(import.meta.url).resolve("openapi-fetch").replace(/\.cjs$/, ".mjs");
  return ((await import(`${pathToFileURL(path).href}?bare`)) as { default: typeof createClientType }).default;
}

export async function benchOverhead(requests = 500, rounds = 31): Promise<OverheadResult> {
  const server = await startServer();
  try {
    const auth = { Authorization: `Bearer ${FAKE_TOKEN}` };
    const bare = (await separateOpenapiFetch())<paths>({ baseUrl: server.url, headers: auth });
    const client = createDigitalOceanClient({ baseUrl: server.url, token: FAKE_TOKEN, timeoutMs: 0 });
    const defaults = createDigitalOceanClient({ baseUrl: server.url, token: FAKE_TOKEN });
    const init = { params: { path: { droplet_id: 1 } } };
    const run: Record<Variant, () => Promise<unknown>> = {
      fetch: async () => (await fetch(`${server.url}/v2/droplets/1`, { headers: auth })).json(),
      "openapi-fetch": async () => (await bare.GET("/v2/droplets/{droplet_id}", init)).data,
      "digitalocean-typed": async () => (await client.GET("/v2/droplets/{droplet_id}", init)).data,
      "digitalocean-typed, defaults": async () => (await defaults.GET("/v2/droplets/{droplet_id}", init)).data,
    };
    for (const name of VARIANTS) await loop(run[name], 1_000); // warm up: JIT and the keep-alive connection
    const samples = VARIANTS.map(() => [] as { wall: number; cpu: number }[]);
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < VARIANTS.length; k++) {
        const i = (round + k) % VARIANTS.length;
        samples[i]!.push(await loop(run[VARIANTS[i]!], requests));
      }
    }
    const base = samples[VARIANTS.indexOf("openapi-fetch")]!;
    const per = (pick: (s: { wall: number; cpu: number }, round: number) => number) =>
      Object.fromEntries(VARIANTS.map((name, i) => [name, median(samples[i]!.map(pick))])) as Record<Variant, number>;
    return {
      requests,
      rounds,
      wallUs: per((s) => s.wall),
      cpuUs: per((s) => s.cpu),
      wallRatio: per((s, r) => s.wall / base[r]!.wall),
      cpuRatio: per((s, r) => s.cpu / base[r]!.cpu),
    };
  } finally {
    server.stop();
  }
}

/** The processes {@link benchOverheadIsolated} runs: each starts with fresh JIT state. */
export const OVERHEAD_PROCESSES = 3;

/**
 * {@link benchOverhead} in `processes` fresh node processes, one after another, and the median of their results.
 * Within one process the ratios are stable; between processes they moved by up to ±5% (what the JIT made of the
 * shared code differs from run to run), so the median over processes is what the README quotes, with the range.
 */
export async function benchOverheadIsolated(processes = OVERHEAD_PROCESSES): Promise<OverheadResult & { processes: OverheadResult[] }> {
  const runs: OverheadResult[] = [];
  for (let i = 0; i < processes; i++) {
    const child = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url)], { cwd: ROOT, encoding: "utf8" });
    if (child.status !== 0) throw new Error(`bench/overhead.ts failed:\n${child.stdout}${child.stderr}`);
    runs.push(JSON.parse(child.stdout) as OverheadResult);
  }
  const mid = (pick: (r: OverheadResult) => Record<Variant, number>) =>
    Object.fromEntries(VARIANTS.map((name) => [name, median(runs.map((r) => pick(r)[name]))])) as Record<Variant, number>;
  return {
    requests: runs[0]!.requests,
    rounds: runs[0]!.rounds,
    wallUs: mid((r) => r.wallUs),
    cpuUs: mid((r) => r.cpuUs),
    wallRatio: mid((r) => r.wallRatio),
    cpuRatio: mid((r) => r.cpuRatio),
    processes: runs,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await benchOverhead()));
}
