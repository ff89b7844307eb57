// paginate/collect against a server holding 1,050 droplets, paged the way the API pages.
import { describe, expect, it } from "vitest";
import { ApiError, collect, paginate } from "../src/index.js";
import { useServers, type Handler, type Reply, type SeenRequest } from "./helpers/server.js";

const TOTAL = 1050;
const droplets = Array.from({ length: TOTAL }, (_, i) => ({ id: i + 1, name: `web-${i + 1}` }));

/** Serves /v2/droplets like the API: page/per_page query, links.pages, meta.total. */
function listing(options: { failPage?: number } = {}) {
  return (req: SeenRequest): Reply => {
    const url = new URL(req.url, "https://api.digitalocean.com");
    const page = Number(url.searchParams.get("page") ?? 1);
    const perPage = Number(url.searchParams.get("per_page") ?? 20);
    if (page === options.failPage)
      return { status: 500, body: { id: "server_error", message: "Unexpected server-side error" } };
    const last = Math.ceil(TOTAL / perPage);
    const link = (n: number) => `https://api.digitalocean.com/v2/droplets?page=${n}&per_page=${perPage}`;
    const pages = page < last ? { next: link(page + 1), last: link(last) } : { first: link(1), prev: link(page - 1) };
    return {
      status: 200,
      body: {
        droplets: droplets.slice((page - 1) * perPage, page * perPage),
        links: { pages },
        meta: { total: TOTAL },
      },
    };
  };
}

const { serve } = useServers({ retry: false });
const setup = (handler: Handler = listing()) => serve(handler);

const pagesSeen = (seen: SeenRequest[]) => seen.map((r) => new URL(r.url, "http://x").searchParams.get("page"));

describe("paginate", () => {
  it("yields every item in order, 200 per page, following links.pages.next", async () => {
    const { server, client } = await setup();
    const names: string[] = [];
    for await (const droplet of paginate(client, "/v2/droplets")) names.push(droplet.name);
    expect(names).toEqual(droplets.map((d) => d.name));
    expect(server.seen.map((r) => r.url)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `/v2/droplets?page=${n}&per_page=200`));
  });

  it("keeps the caller's query and per_page", async () => {
    const { server, client } = await setup();
    const items = await collect(client, "/v2/droplets", { params: { query: { tag_name: "web", per_page: 100 } } });
    expect(items).toHaveLength(TOTAL);
    expect(server.seen).toHaveLength(11);
    const query = Object.fromEntries(new URL(server.seen[0]!.url, "http://x").searchParams);
    expect(query).toEqual({ tag_name: "web", page: "1", per_page: "100" });
  });

  it("stops at maxItems without fetching further pages", async () => {
    const { server, client } = await setup();
    const items = await collect(client, "/v2/droplets", undefined, { maxItems: 250 });
    expect(items.map((d) => d.id)).toEqual(droplets.slice(0, 250).map((d) => d.id));
    expect(server.seen).toHaveLength(2);
  });

  it("gives the same items through paginate and collect, and asks for nothing with maxItems: 0", async () => {
    const { server, client } = await setup();
    const viaPaginate: number[] = [];
    for await (const droplet of paginate(client, "/v2/droplets", undefined, { maxItems: 450, concurrency: 2 }))
      viaPaginate.push(droplet.id);
    const viaCollect = (await collect(client, "/v2/droplets", undefined, { maxItems: 450, concurrency: 2 })).map(
      (d) => d.id,
    );
    expect(viaPaginate).toEqual(droplets.slice(0, 450).map((d) => d.id));
    expect(viaCollect).toEqual(viaPaginate);
    const requests = server.seen.length;
    expect(await collect(client, "/v2/droplets", undefined, { maxItems: 0 })).toEqual([]);
    expect(server.seen).toHaveLength(requests);
  });

  it("fetches pages in parallel with concurrency, in order, never more than asked in flight", async () => {
    // Each page is answered only once three more are in flight beside it (the last ones: once all 21 arrived), so
    // four are in flight at the server however slowly the requests arrive; a fifth would show in maxInFlight.
    const list = listing();
    const { server, client } = await setup(async (req, i) => {
      if (i > 0) await server.received(Math.min(i + 4, 21));
      return list(req);
    });
    const items = await collect(client, "/v2/droplets", { params: { query: { per_page: 50 } } }, { concurrency: 4 });
    expect(items.map((d) => d.id)).toEqual(droplets.map((d) => d.id));
    expect(pagesSeen(server.seen).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 21 }, (_, i) => String(i + 1)),
    );
    expect(server.maxInFlight).toBe(4);
  });

  it("keeps fetching while the reader is busy, at most twice the concurrency ahead and never more in flight", async () => {
    // Counts the requests the client starts and the answers it gets, so the test follows events, not the clock.
    let started = 0;
    let answered = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let fiveAnswered!: () => void;
    const allAnswered = new Promise<void>((resolve) => (fiveAnswered = resolve));
    const counting = async (request: Request) => {
      started++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      const response = await fetch(request);
      const text = await response.text();
      inFlight--;
      if (++answered === 5) fiveAnswered();
      return new Response(text, response);
    };
    const { server, client } = await serve(listing(), { fetch: counting });
    const iterator = paginate(client, "/v2/droplets", { params: { query: { per_page: 10 } } }, { concurrency: 2 });
    await iterator.next(); // page 1 is read; pages 2 and 3 go out, and each one that arrives is replaced
    await allAnswered; // 2 and 3 arrived and were replaced by 4 and 5, which arrived too, while the reader is away
    await new Promise((r) => setImmediate(r)); // the client has handled every answer it got
    expect(pagesSeen(server.seen).sort()).toEqual(["1", "2", "3", "4", "5"]); // four pages held ahead, no more
    expect(started).toBe(5);
    expect(maxInFlight).toBe(2);
    await iterator.return();
    await new Promise((r) => setImmediate(r));
    expect(started).toBe(5);
  });

  it("with concurrency and maxItems, fetches only the pages needed", async () => {
    const { server, client } = await setup();
    const items = await collect(
      client,
      "/v2/droplets",
      { params: { query: { per_page: 100 } } },
      { maxItems: 350, concurrency: 3 },
    );
    expect(items).toHaveLength(350);
    expect(pagesSeen(server.seen).sort()).toEqual(["1", "2", "3", "4"]);
  });

  it("stops cleanly when the caller breaks out early", async () => {
    // Pages 3 and on are held until the reader has left: page 1, then 2–5 in flight, 6 replacing 2 when it arrives.
    let release!: () => void;
    const readerLeft = new Promise<void>((resolve) => (release = resolve));
    const list = listing();
    const { server, client } = await setup(async (req) => {
      if (!["1", "2"].includes(pagesSeen([req])[0]!)) await readerLeft;
      return list(req);
    });
    let n = 0;
    for await (const _ of paginate(client, "/v2/droplets", { params: { query: { per_page: 10 } } }, { concurrency: 4 }))
      if (++n === 15) break;
    release();
    expect(n).toBe(15);
    expect(server.seen.length).toBeLessThanOrEqual(6);
  });

  it("throws an ApiError for a failing page", async () => {
    const { client } = await setup(listing({ failPage: 3 }));
    const seen: number[] = [];
    const error = await (async () => {
      for await (const d of paginate(client, "/v2/droplets")) seen.push(d.id);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500 });
    expect(seen).toHaveLength(400);
  });

  it("handles an empty list and a list without links", async () => {
    const { client } = await setup(() => ({ status: 200, body: { droplets: [], links: {}, meta: { total: 0 } } }));
    expect(await collect(client, "/v2/droplets")).toEqual([]);
    expect(await collect(client, "/v2/droplets", undefined, { concurrency: 4 })).toEqual([]);
  });

  it("falls back to following links when a page has no meta.total", async () => {
    const pages = listing();
    const { server, client } = await setup((req) => {
      const reply = pages(req) as { body: { meta?: unknown } };
      delete reply.body.meta;
      return reply as Reply;
    });
    expect(await collect(client, "/v2/droplets", undefined, { concurrency: 4 })).toHaveLength(TOTAL);
    expect(server.maxInFlight).toBe(1);
  });

  it("copes with a next link that is not a URL, and stops at an empty page that still links on", async () => {
    const { server, client } = await setup((req) => {
      const page = Number(new URL(req.url, "http://x").searchParams.get("page"));
      const items = page <= 2 ? droplets.slice((page - 1) * 3, page * 3) : [];
      return {
        status: 200,
        body: { droplets: items, links: { pages: { next: "not a url ::" } }, meta: { total: TOTAL } },
      };
    });
    expect(await collect(client, "/v2/droplets")).toHaveLength(6);
    expect(pagesSeen(server.seen)).toEqual(["1", "2", "3"]);
  });

  it("yields the values of a list whose pages are maps (backup policies keyed by Droplet ID)", async () => {
    const { server, client } = await setup((req) => {
      const page = Number(new URL(req.url, "http://x").searchParams.get("page"));
      const ids = page === 1 ? [11, 12] : [13];
      const policies = Object.fromEntries(ids.map((id) => [String(id), { droplet_id: id, backup_enabled: true }]));
      return {
        status: 200,
        body: {
          policies,
          links:
            page === 1 ? { pages: { next: "https://api.digitalocean.com/v2/droplets/backups/policies?page=2" } } : {},
          meta: { total: 3 },
        },
      };
    });
    const records = await collect(client, "/v2/droplets/backups/policies");
    expect(records.map((r) => r.droplet_id)).toEqual([11, 12, 13]);
    expect(server.seen).toHaveLength(2);
  });

  it("rejects invalid numbers with the TypeErrors createDigitalOceanClient gives, before any request", async () => {
    const { server, client } = await setup();
    await expect(collect(client, "/v2/droplets", undefined, { concurrency: 0 })).rejects.toThrow(
      new TypeError("collect: concurrency must be an integer ≥ 1."),
    );
    await expect(paginate(client, "/v2/droplets", undefined, { maxItems: -1 }).next()).rejects.toThrow(
      new TypeError("paginate: maxItems must be an integer ≥ 0."),
    );
    await expect(collect(client, "/v2/droplets", { params: { query: { per_page: Number.NaN } } })).rejects.toThrow(
      new TypeError("collect: params.query.per_page must be an integer ≥ 1."),
    );
    await expect(collect(client, "/v2/droplets", { params: { query: { page: 0 } } })).rejects.toThrow(
      new TypeError("collect: params.query.page must be an integer ≥ 1."),
    );
    expect(server.seen).toHaveLength(0);
  });
});
