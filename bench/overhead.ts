// Benchmark 1: per-request overhead. Sequential GETs of one droplet from a local keep-alive server through raw
// fetch, bare openapi-fetch and this client: once with auth, retries, rate-limit tracking and pacing (what the
// target is about) and once with its defaults, which add a 30 s per-attempt timeout. Pacing keeps its books on
// every request but is given a limit these thousands of requests a second never reach (at the default 250 a
// minute, a round would take hours).
//
// Each variant lives in a node process of its own, as in an app that uses one of them, and the processes take
// turns: the parent asks each in a rotating order for a round of requests, so every round compares the variants
// under the same machine load, and each ratio is taken within a round. (Sharing one process made the variants
// shape each other's JIT feedback in the code they share, Node's fetch, and forcing garbage collections between
// them added about a quarter to every request's CPU time; both moved the ratios by several percent.) What the JIT
// makes of the code still differs from one process to the next, so the whole thing runs in several sets of fresh
// processes. The server runs in yet another process, so a client process's CPU time is the client side's work
// alone, far less disturbed by other load than wall time.
//   node --import tsx bench/overhead.ts <variant> <server url>   then one line per round on stdin: the request count
import { pathToFileURL } from "node:url";
import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { createDigitalOceanClient } from "../src/index.js";
import { FAKE_TOKEN, median, serveRounds, startServer, startWorker, type Sample } from "./lib.js";

export type { Sample } from "./lib.js";

export const VARIANTS = ["fetch", "openapi-fetch", "digitalocean-typed", "digitalocean-typed, defaults"] as const;
export type Variant = (typeof VARIANTS)[number];

/** A pacing limit the benchmark never reaches: the pacer does all its bookkeeping and never makes a request wait. */
const NEVER_REACHED = { requests: 1_000_000_000, windowMs: 1_000, hourly: 1_000_000_000 };

/** One variant in one set of processes: medians over its rounds, and of its per-round ratios to openapi-fetch. */
interface SetResult extends Sample {
  cpuRatio: number;
  wallRatio: number;
}

/** Medians over the sets, and the range of each variant's CPU ratio over the sets. */
export interface OverheadResult {
  sets: number;
  rounds: number;
  requests: number;
  cpuUs: Record<Variant, number>;
  wallUs: Record<Variant, number>;
  cpuRatio: Record<Variant, number>;
  wallRatio: Record<Variant, number>;
  cpuRatioRange: Record<Variant, [number, number]>;
}

/** The call one variant makes, against the server at `url`. */
function caller(variant: Variant, url: string): () => Promise<unknown> {
  const auth = { Authorization: `Bearer ${FAKE_TOKEN}` };
  const init = { params: { path: { droplet_id: 1 } } };
  if (variant === "fetch") return async () => (await fetch(`${url}/v2/droplets/1`, { headers: auth })).json();
  if (variant === "openapi-fetch") {
    const bare = createClient<paths>({ baseUrl: url, headers: auth });
    return async () => (await bare.GET("/v2/droplets/{droplet_id}", init)).data;
  }
  const client = createDigitalOceanClient({
    baseUrl: url,
    token: FAKE_TOKEN,
    pacing: NEVER_REACHED,
    ...(variant === "digitalocean-typed" ? { timeoutMs: 0 } : {}),
  });
  return async () => (await client.GET("/v2/droplets/{droplet_id}", init)).data;
}

/** Sets of fresh processes, one per variant each. */
export const OVERHEAD_SETS = 5;

const each = <T>(f: (variant: Variant, index: number) => T) =>
  Object.fromEntries(VARIANTS.map((v, i) => [v, f(v, i)])) as Record<Variant, T>;

export async function benchOverhead(sets = OVERHEAD_SETS, rounds = 15, requests = 500): Promise<OverheadResult> {
  const server = await startServer();
  const perSet: Record<Variant, SetResult>[] = [];
  try {
    for (let set = 0; set < sets; set++) {
      const workers = VARIANTS.map((v) => startWorker(import.meta.url, [v, server.url]));
      try {
        for (const worker of workers) await worker.round(4 * requests); // warm up: JIT and the keep-alive connection
        const samples = VARIANTS.map(() => [] as Sample[]);
        for (let round = 0; round < rounds; round++) {
          for (let k = 0; k < VARIANTS.length; k++) {
            const i = (set + round + k) % VARIANTS.length;
            samples[i]!.push(await workers[i]!.round(requests));
          }
        }
        const base = samples[VARIANTS.indexOf("openapi-fetch")]!;
        const ratio = (i: number, key: keyof Sample) => median(samples[i]!.map((s, r) => s[key] / base[r]![key]));
        perSet.push(
          each((_, i) => ({
            cpuUs: median(samples[i]!.map((s) => s.cpuUs)),
            wallUs: median(samples[i]!.map((s) => s.wallUs)),
            cpuRatio: ratio(i, "cpuUs"),
            wallRatio: ratio(i, "wallUs"),
          })),
        );
      } finally {
        for (const worker of workers) worker.stop();
      }
    }
  } finally {
    server.stop();
  }
  const over = (v: Variant, key: keyof SetResult) => perSet.map((s) => s[v][key]);
  return {
    sets,
    rounds,
    requests,
    cpuUs: each((v) => median(over(v, "cpuUs"))),
    wallUs: each((v) => median(over(v, "wallUs"))),
    cpuRatio: each((v) => median(over(v, "cpuRatio"))),
    wallRatio: each((v) => median(over(v, "wallRatio"))),
    cpuRatioRange: each((v) => [Math.min(...over(v, "cpuRatio")), Math.max(...over(v, "cpuRatio"))]),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [variant, url] = process.argv.slice(2);
  if (!(VARIANTS as readonly string[]).includes(variant ?? "") || !url)
    throw new Error(`usage: bench/overhead.ts <${VARIANTS.join("|")}> <server url>`);
  const call = caller(variant as Variant, url);
  serveRounds(call);
}
