// Benchmark 2: listing 10,000 droplets with 20 ms of server latency per page — sequential at per_page=20,
// sequential at per_page=200, and paginate with concurrency 4 — counting requests and the most requests the
// server ever had in flight at once.
import { createDigitalOceanClient, paginate } from "../src/index.js";
import { FAKE_TOKEN, median, startServer, time } from "./lib.js";

/** One way of listing: median wall time, and what the server saw. */
export interface PaginationRow {
  name: string;
  ms: number;
  requests: number;
  maxInFlight: number;
}

/** Runs of each way of listing; the median counts. */
export const PAGINATION_RUNS = 5;

export async function benchPagination(items = 10_000, latencyMs = 20, rounds = PAGINATION_RUNS): Promise<PaginationRow[]> {
  const server = await startServer(latencyMs, items);
  try {
    const client = createDigitalOceanClient({ baseUrl: server.url, token: FAKE_TOKEN });
    // Item by item through paginate, as an app reads a list; collect() would read whole pages.
    const list = (perPage: number, concurrency: number) => async () => {
      const items: { id: number }[] = [];
      for await (const droplet of paginate(client, "/v2/droplets", { params: { query: { per_page: perPage } } }, { concurrency })) items.push(droplet);
      return items;
    };
    const cases: [string, () => Promise<{ id: number }[]>][] = [
      ["sequential, per_page=20", list(20, 1)],
      ["sequential, per_page=200", list(200, 1)],
      ["paginate concurrency 4, per_page=200", list(200, 4)],
    ];
    const rows: PaginationRow[] = [];
    for (const [name, run] of cases) {
      const times: number[] = [];
      let stats = { requests: 0, maxInFlight: 0 };
      for (let round = 0; round < rounds; round++) {
        await server.reset();
        let ids: number[] = [];
        times.push(await time(async () => (ids = (await run()).map((d) => d.id))));
        if (ids.length !== items || ids.some((id, i) => id !== i + 1)) throw new Error(`${name}: got ${ids.length} droplets, not ${items} in order`);
        const seen = await server.stats();
        stats = { requests: seen.requests, maxInFlight: Math.max(stats.maxInFlight, seen.maxInFlight) };
      }
      rows.push({ name, ms: median(times), ...stats });
    }
    return rows;
  } finally {
    server.stop();
  }
}
