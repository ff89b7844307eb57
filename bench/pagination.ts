// Benchmark 2: listing 10,000 droplets with 20 ms of server latency per page — sequential at per_page=20,
// sequential at per_page=200, and paginate with concurrency 4 — counting requests and the most requests the
// server ever had in flight at once.
import { createDigitalOceanClient, paginate } from "../src/index.js";
import { FAKE_TOKEN, median, startServer, time } from "./lib.js";

/** One way of listing: median wall time, its median ratio to sequential per_page=200, and what the server saw. */
export interface PaginationRow {
  name: string;
  ms: number;
  /** Sequential per_page=200's time over this one's, taken within each round; the median over rounds. */
  speedup: number;
  runs: number;
  requests: number;
  maxInFlight: number;
}

/** Rounds; in each, sequential per_page=200 and paginate run once each, in alternating order, so their ratio is taken under the same load. */
export const PAGINATION_ROUNDS = 15;
/** Sequential per_page=20 takes ten times as long and is only a reference: it runs in this many rounds. */
const SLOW_ROUNDS = 3;

export async function benchPagination(
  items = 10_000,
  latencyMs = 20,
  rounds = PAGINATION_ROUNDS,
): Promise<PaginationRow[]> {
  const server = await startServer(latencyMs, items);
  try {
    // Pacing off: this measures how fast a list is read, not the API's limit (a round is over 250 requests).
    const client = createDigitalOceanClient({ baseUrl: server.url, token: FAKE_TOKEN, pacing: false });
    // Item by item through paginate, as an app reads a list; collect() would read whole pages.
    const list = (perPage: number, concurrency: number) => async () => {
      const items: { id: number }[] = [];
      for await (const droplet of paginate(
        client,
        "/v2/droplets",
        { params: { query: { per_page: perPage } } },
        { concurrency },
      ))
        items.push(droplet);
      return items;
    };
    const cases = [
      { name: "sequential, per_page=20", run: list(20, 1), times: [] as number[], requests: 0, maxInFlight: 0 },
      { name: "sequential, per_page=200", run: list(200, 1), times: [] as number[], requests: 0, maxInFlight: 0 },
      {
        name: "paginate concurrency 4, per_page=200",
        run: list(200, 4),
        times: [] as number[],
        requests: 0,
        maxInFlight: 0,
      },
    ];
    const [slow, sequential, parallel] = cases as [(typeof cases)[0], (typeof cases)[0], (typeof cases)[0]];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [parallel, sequential] : [sequential, parallel];
      for (const c of round < SLOW_ROUNDS ? [slow, ...order] : order) {
        await server.reset();
        let ids: number[] = [];
        c.times.push(await time(async () => (ids = (await c.run()).map((d) => d.id))));
        if (ids.length !== items || ids.some((id, i) => id !== i + 1))
          throw new Error(`${c.name}: got ${ids.length} droplets, not ${items} in order`);
        const seen = await server.stats();
        c.requests = seen.requests;
        c.maxInFlight = Math.max(c.maxInFlight, seen.maxInFlight);
      }
    }
    const base = sequential.times;
    return cases.map(({ name, times, requests, maxInFlight }) => ({
      name,
      ms: median(times),
      speedup: median(times.map((t, round) => base[round]! / t)),
      runs: times.length,
      requests,
      maxInFlight,
    }));
  } finally {
    server.stop();
  }
}
