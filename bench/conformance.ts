// Benchmark 5: what the conformance middleware costs. Sequential GETs of a 200-item droplet list page (complete
// droplets as the spec documents them, about 375 KB of JSON) from a local keep-alive server in its own process,
// through the client without and with `conformance()`. As in benchmark 1, each variant runs in a node process of
// its own and the two take turns, round by round in alternating order; each round's CPU ratio is taken within
// the round, and the median over rounds counts. The middleware must find no problem: the valid path is measured.
//   node --import tsx bench/conformance.ts <off|on> <server url>   then one line per round on stdin: the request count
import { pathToFileURL } from "node:url";
import { conformance } from "../src/conformance/index.js";
import { createDigitalOceanClient } from "../src/index.js";
import { FAKE_TOKEN, median, serveRounds, startServer, startWorker, type Sample } from "./lib.js";

export interface ConformanceResult {
  rounds: number;
  requests: number;
  /** Median CPU µs per request, without and with the middleware. */
  offUs: number;
  onUs: number;
  /** Median over rounds of on/off, and its range. */
  ratio: number;
  range: [number, number];
  /** Requests the server answered, warm-up included. */
  served: number;
}

/** The call of one variant: a list page of 200, through the client with or without the middleware. */
function caller(variant: "off" | "on", url: string): () => Promise<unknown> {
  // Pacing off: a process sends more than the default 250 requests a minute, and the wait is not what is measured.
  const client = createDigitalOceanClient({ baseUrl: url, token: FAKE_TOKEN, timeoutMs: 0, pacing: false });
  if (variant === "on") {
    const fail = (p: { kind: string; pointer: string }) => {
      throw new Error(`the bench page does not conform: ${p.kind} at ${p.pointer}`);
    };
    client.use(conformance({ onProblem: fail }));
  }
  return async () => {
    const { data } = await client.GET("/v2/droplets", { params: { query: { per_page: 200 } } });
    if (data?.droplets?.length !== 200) throw new Error("the bench server did not return 200 droplets");
    return data;
  };
}

export async function benchConformance(rounds = 15, requests = 30): Promise<ConformanceResult> {
  const server = await startServer(0, 200, "spec");
  const off = startWorker(import.meta.url, ["off", server.url]);
  const on = startWorker(import.meta.url, ["on", server.url]);
  try {
    for (const worker of [off, on]) await worker.round(requests); // warm up: JIT and the keep-alive connection
    const samples: { off: Sample; on: Sample }[] = [];
    for (let round = 0; round < rounds; round++) {
      const first = round % 2 ? on : off;
      const a = await first.round(requests);
      const b = await (first === on ? off : on).round(requests);
      samples.push(first === on ? { on: a, off: b } : { off: a, on: b });
    }
    const ratios = samples.map((s) => s.on.cpuUs / s.off.cpuUs);
    return {
      rounds,
      requests,
      offUs: median(samples.map((s) => s.off.cpuUs)),
      onUs: median(samples.map((s) => s.on.cpuUs)),
      ratio: median(ratios),
      range: [Math.min(...ratios), Math.max(...ratios)],
      served: (await server.stats()).requests,
    };
  } finally {
    off.stop();
    on.stop();
    server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [variant, url] = process.argv.slice(2);
  if ((variant !== "off" && variant !== "on") || !url)
    throw new Error("usage: bench/conformance.ts <off|on> <server url>");
  const call = caller(variant, url);
  void serveRounds(() => call);
}
