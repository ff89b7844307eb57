// Benchmark 1: per-request overhead. Sequential GETs of three bodies (one Droplet, a 20-Droplet page and a
// 200-Droplet page, complete Droplets as the spec documents them) from a local keep-alive server, through raw
// fetch, bare openapi-fetch and this client: once with auth, retries, rate-limit tracking and pacing (what the
// target is about) in path style (`client.GET(path, …)`), the same through resource methods
// (`client.droplets.get(id)`), and once with its defaults, which add a 30 s per-attempt timeout. Pacing keeps its books on
// every request but is given a limit these thousands of requests a second never reach (at the default 250 a
// minute, a round would take hours).
//
// Each variant lives in a node process of its own, as in an app that uses one of them, and the processes take
// turns: the parent asks each in a rotating order for a round of requests of one body, so every round compares
// the variants under the same machine load, and each ratio is taken within a round. (Sharing one process made the
// variants shape each other's JIT feedback in the code they share, Node's fetch, and forcing garbage collections
// between them added about a quarter to every request's CPU time; both moved the ratios by several percent.) What
// the JIT makes of the code still differs from one process to the next, so the whole thing runs in several sets of
// fresh processes. The server runs in yet another process, so a client process's CPU time is the client side's
// work alone, far less disturbed by other load than wall time.
//   node --import tsx bench/overhead.ts <variant> <server url>   then one line per round on stdin: `<count>\t<body>`
import { pathToFileURL } from "node:url";
import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { createDigitalOceanClient } from "../src/index.js";
import { FAKE_TOKEN, median, serveRounds, startServer, startWorker, type Sample } from "./lib.js";

export type { Sample } from "./lib.js";

export const VARIANTS = [
  "fetch",
  "openapi-fetch",
  "digitalocean-typed",
  "digitalocean-typed, resource methods",
  "digitalocean-typed, defaults",
] as const;
export type Variant = (typeof VARIANTS)[number];

/** The bodies, each a GET the variants all make, and the requests in one round (about the same time for each). */
export const BODIES = {
  "one Droplet": { path: "/v2/droplets/1", requests: 500 },
  "20-Droplet page": { path: "/v2/droplets?per_page=20", requests: 250 },
  "200-Droplet page": { path: "/v2/droplets?per_page=200", requests: 50 },
} as const;
export type BodyName = keyof typeof BODIES;
const BODY_NAMES = Object.keys(BODIES) as BodyName[];

/** A pacing limit the benchmark never reaches: the pacer does all its bookkeeping and never makes a request wait. */
const NEVER_REACHED = { requests: 1_000_000_000, windowMs: 1_000, hourly: 1_000_000_000 };

/**
 * One variant and body in one set of processes: medians over its rounds, and of its per-round ratios to
 * openapi-fetch and (CPU) to this client's path style.
 */
interface SetResult extends Sample {
  cpuRatio: number;
  wallRatio: number;
  cpuRatioToPathStyle: number;
}

/** One body: its size, and for each variant the medians over the sets and the range of its CPU ratio over the sets. */
export interface BodyResult {
  bytes: number;
  requests: number;
  cpuUs: Record<Variant, number>;
  wallUs: Record<Variant, number>;
  cpuRatio: Record<Variant, number>;
  wallRatio: Record<Variant, number>;
  cpuRatioRange: Record<Variant, [number, number]>;
  /** CPU per request over this client's in path style (`"digitalocean-typed"`), within each round. */
  cpuRatioToPathStyle: Record<Variant, number>;
  cpuRatioToPathStyleRange: Record<Variant, [number, number]>;
}

export interface OverheadResult {
  sets: number;
  rounds: number;
  bodies: Record<BodyName, BodyResult>;
}

/** The calls one variant makes against the server at `url`, one per body. */
function callers(variant: Variant, url: string): Record<BodyName, () => Promise<unknown>> {
  const auth = { Authorization: `Bearer ${FAKE_TOKEN}` };
  const one = { params: { path: { droplet_id: 1 } } };
  const page = (per_page: number) => ({ params: { query: { per_page } } });
  if (variant === "fetch") {
    const get = (path: string) => async () => (await fetch(`${url}${path}`, { headers: auth })).json();
    return eachBody((name) => get(BODIES[name].path));
  }
  if (variant === "openapi-fetch") {
    const bare = createClient<paths>({ baseUrl: url, headers: auth });
    return {
      "one Droplet": async () => (await bare.GET("/v2/droplets/{droplet_id}", one)).data,
      "20-Droplet page": async () => (await bare.GET("/v2/droplets", page(20))).data,
      "200-Droplet page": async () => (await bare.GET("/v2/droplets", page(200))).data,
    };
  }
  const client = createDigitalOceanClient({
    baseUrl: url,
    token: FAKE_TOKEN,
    pacing: NEVER_REACHED,
    ...(variant === "digitalocean-typed, defaults" ? {} : { timeoutMs: 0 }),
  });
  if (variant === "digitalocean-typed, resource methods")
    return {
      "one Droplet": () => client.droplets.get(1),
      "20-Droplet page": () => client.droplets.list({ per_page: 20 }),
      "200-Droplet page": () => client.droplets.list({ per_page: 200 }),
    };
  return {
    "one Droplet": async () => (await client.GET("/v2/droplets/{droplet_id}", one)).data,
    "20-Droplet page": async () => (await client.GET("/v2/droplets", page(20))).data,
    "200-Droplet page": async () => (await client.GET("/v2/droplets", page(200))).data,
  };
}

/** Sets of fresh processes, one per variant each. */
export const OVERHEAD_SETS = 5;

const eachBody = <T>(f: (name: BodyName) => T) =>
  Object.fromEntries(BODY_NAMES.map((b) => [b, f(b)])) as Record<BodyName, T>;
const each = <T>(f: (variant: Variant, index: number) => T) =>
  Object.fromEntries(VARIANTS.map((v, i) => [v, f(v, i)])) as Record<Variant, T>;

/** One set: fresh processes, warmed up, then `rounds` rounds of every body, each variant in a rotating order. */
async function runSet(url: string, set: number, rounds: number, scale: number) {
  const workers = VARIANTS.map((v) => startWorker(import.meta.url, [v, url]));
  try {
    const count = (body: BodyName) => Math.max(1, Math.round(BODIES[body].requests * scale));
    // Warm up: JIT and the keep-alive connection.
    for (const worker of workers) for (const body of BODY_NAMES) await worker.round(4 * count(body), body);
    const samples = eachBody(() => VARIANTS.map(() => [] as Sample[]));
    for (let round = 0; round < rounds; round++) {
      for (const body of BODY_NAMES) {
        for (let k = 0; k < VARIANTS.length; k++) {
          const i = (set + round + k) % VARIANTS.length;
          samples[body][i]!.push(await workers[i]!.round(count(body), body));
        }
      }
    }
    return eachBody((body) => {
      const own = samples[body];
      const ratio = (i: number, key: keyof Sample, to: Variant) =>
        median(own[i]!.map((s, r) => s[key] / own[VARIANTS.indexOf(to)]![r]![key]));
      return each(
        (_, i): SetResult => ({
          cpuUs: median(own[i]!.map((s) => s.cpuUs)),
          wallUs: median(own[i]!.map((s) => s.wallUs)),
          cpuRatio: ratio(i, "cpuUs", "openapi-fetch"),
          wallRatio: ratio(i, "wallUs", "openapi-fetch"),
          cpuRatioToPathStyle: ratio(i, "cpuUs", "digitalocean-typed"),
        }),
      );
    });
  } finally {
    for (const worker of workers) worker.stop();
  }
}

/** `scale` multiplies each body's requests per round (the tests run it tiny). */
export async function benchOverhead(sets = OVERHEAD_SETS, rounds = 15, scale = 1): Promise<OverheadResult> {
  const server = await startServer(0, 200, "spec");
  const perSet: Record<BodyName, Record<Variant, SetResult>>[] = [];
  const bytes = eachBody(() => 0);
  try {
    for (const body of BODY_NAMES)
      bytes[body] = (await (await fetch(`${server.url}${BODIES[body].path}`)).bytes()).length;
    for (let set = 0; set < sets; set++) perSet.push(await runSet(server.url, set, rounds, scale));
  } finally {
    server.stop();
  }
  const summary = (body: BodyName): BodyResult => {
    const over = (v: Variant, key: keyof SetResult) => perSet.map((s) => s[body][v][key]);
    const range = (v: Variant, key: keyof SetResult): [number, number] => [
      Math.min(...over(v, key)),
      Math.max(...over(v, key)),
    ];
    return {
      bytes: bytes[body],
      requests: Math.max(1, Math.round(BODIES[body].requests * scale)),
      cpuUs: each((v) => median(over(v, "cpuUs"))),
      wallUs: each((v) => median(over(v, "wallUs"))),
      cpuRatio: each((v) => median(over(v, "cpuRatio"))),
      wallRatio: each((v) => median(over(v, "wallRatio"))),
      cpuRatioRange: each((v) => range(v, "cpuRatio")),
      cpuRatioToPathStyle: each((v) => median(over(v, "cpuRatioToPathStyle"))),
      cpuRatioToPathStyleRange: each((v) => range(v, "cpuRatioToPathStyle")),
    };
  };
  return { sets, rounds, bodies: eachBody(summary) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [variant, url] = process.argv.slice(2);
  if (!(VARIANTS as readonly string[]).includes(variant ?? "") || !url)
    throw new Error(`usage: bench/overhead.ts <${VARIANTS.join("|")}> <server url>`);
  const calls = callers(variant as Variant, url);
  void serveRounds((body) => calls[body as BodyName]);
}
