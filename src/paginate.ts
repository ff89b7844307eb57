import type { PathsWithMethod, SuccessResponse, ResponseObjectMap, Readable } from "openapi-typescript-helpers";
import type { paths } from "../generated/schema.js";
import type { DigitalOceanClient, RequestOptions } from "./client.js";
import { checkNumber } from "./check.js";
import { INFO, type TrackedResponse, unwrap } from "./errors.js";

type GetPath = PathsWithMethod<paths, "get">;
/** The JSON body of a successful GET on `P`. */
type Page<P extends GetPath> = Readable<SuccessResponse<ResponseObjectMap<paths[P]["get"]>, "application/json">>;
/** The key a list page carries its items under (`droplets`, `vpcs`, `members`, …): its only one besides links and meta. */
type ItemsKey<T> = Exclude<keyof T, "links" | "meta">;
/** What a list page holds under that key: an array, or (for backup policies) a map keyed by Droplet ID. */
type Items<P extends GetPath> = NonNullable<Page<P>[ItemsKey<Page<P>>]>;

/** GET paths that return one page of a paginated list: a body with `meta` and the page's items. */
export type ListPath = { [P in GetPath]: Page<P> extends { meta: unknown } ? P : never }[GetPath];

/**
 * The item type of the list at `P`: a droplet for `/v2/droplets`, a VPC member for `/v2/vpcs/{vpc_id}/members`,
 * a backup-policy record for `/v2/droplets/backups/policies` (whose pages are maps; their values are yielded).
 */
export type ListItem<P extends ListPath> =
  Items<P> extends readonly (infer I)[] ? I : Items<P> extends Record<string, infer V> ? V : never;

/** Options of {@link paginate} and {@link collect}. */
export interface PaginateOptions {
  /** Stop after this many items (default: all). */
  maxItems?: number;
  /**
   * Pages fetched at the same time (default 1). Above 1, the first page's `meta.total` tells how many pages
   * remain and they are fetched in parallel, at most this many in flight and this many more held ahead of a
   * slow reader; items are still yielded in order.
   */
  concurrency?: number;
}

/** Options of {@link collect}. */
export interface CollectOptions extends PaginateOptions {
  /**
   * The most items the array may hold (default 100,000): a list with more rejects with a `RangeError` instead of
   * filling memory. `maxItems` takes the first items instead; `paginate` reads a list of any length.
   */
  limit?: number;
}

/** What {@link collect} holds at most unless told otherwise. */
const COLLECT_LIMIT = 100_000;

type ListClient = Pick<DigitalOceanClient, "GET">;
type ListInit<P extends ListPath> = RequestOptions<P, "get">;
interface QueryInit {
  params?: { query?: { page?: number; per_page?: number } };
}

/** The API's origin: its `next` links point there whatever `baseUrl` a client uses (a proxy, say). */
const API_ORIGIN = "https://api.digitalocean.com";

/** One page as read: its number, its body, and the URL it was asked at (relative `next` links resolve against it). */
interface Read {
  page: number;
  body: Record<string, unknown>;
  url: string;
}

/**
 * The page that `read`'s `next` link points at, or `undefined` where the walk ends: no link, a link to an origin
 * other than the page's own or the API's (only the link's page number is read, so it would not be the list it
 * names), or a page asked for already (a loop). A link without a page number means the page after this one.
 */
function nextPage({ page, body, url }: Read, asked: Set<number>): number | undefined {
  const next = (body.links as { pages?: { next?: unknown } } | undefined)?.pages?.next;
  if (typeof next !== "string" || !next) return undefined;
  const base = URL.canParse(url) ? url : API_ORIGIN;
  const link = URL.canParse(next, base) ? new URL(next, base) : undefined;
  if (link && link.origin !== new URL(base).origin && link.origin !== API_ORIGIN) return undefined;
  const linked = Number(link?.searchParams.get("page") ?? Number.NaN);
  const number = Number.isInteger(linked) && linked >= 1 ? linked : page + 1;
  return asked.has(number) ? undefined : number;
}

function itemsOf(page: Record<string, unknown>): unknown[] {
  for (const [key, value] of Object.entries(page)) {
    if (key !== "links" && key !== "meta" && value && typeof value === "object")
      return Array.isArray(value) ? value : Object.values(value);
  }
  return [];
}

function withPage<I>(init: I, page: number, perPage: number): I {
  const base = (init ?? {}) as QueryInit;
  return { ...base, params: { ...base.params, query: { ...base.params?.query, page, per_page: perPage } } } as I;
}

/** The pages of a list as arrays of items, in order, at most `maxItems` items in all: what {@link paginate} and {@link collect} read. */
export async function* pages<P extends ListPath>(
  client: ListClient,
  path: P,
  init: ListInit<P> | undefined,
  options: PaginateOptions,
  where: string,
): AsyncGenerator<ListItem<P>[], void, undefined> {
  const { maxItems = Infinity, concurrency = 1 } = options;
  const query = (init as QueryInit | undefined)?.params?.query;
  checkNumber(where, "maxItems", maxItems === Infinity ? undefined : maxItems, "an integer ≥ 0");
  checkNumber(where, "concurrency", concurrency, "an integer ≥ 1");
  checkNumber(where, "params.query.page", query?.page, "an integer ≥ 1");
  checkNumber(where, "params.query.per_page", query?.per_page, "an integer ≥ 1");
  if (maxItems === 0) return;
  const perPage = query?.per_page ?? 200;
  const page = query?.page ?? 1;
  let left = maxItems;
  const asked = new Set<number>();
  /** The first item of each page read, as JSON: a page that starts as an earlier one did is that page again. */
  const firsts = new Set<string>();
  // The client's signature cannot be called with a generic path, so the call is typed by hand.
  const call = client.GET as (p: string, i: unknown) => Promise<{ data?: Record<string, unknown>; response: Response }>;
  const get = async (n: number): Promise<Read> => {
    asked.add(n);
    const result = await call(path, withPage(init, n, perPage));
    const body = await unwrap(result);
    return { page: n, body, url: (result.response as TrackedResponse)[INFO]?.url ?? result.response.url };
  };

  let read = await get(page);
  const total = (read.body.meta as { total?: unknown } | undefined)?.total;
  // Parallel only when the first page says how many pages there are; otherwise follow the links.
  const parallel = concurrency > 1 && typeof total === "number";
  const lastPage = parallel ? Math.min(Math.ceil(total / perPage), page + Math.ceil(maxItems / perPage) - 1) : 0;
  // Pages requested and not yet read, in order. At most `concurrency` are in flight; each one that arrives is
  // replaced at once, whatever the reader is doing, and at most `concurrency` more wait to be read.
  const pending: Promise<Read>[] = [];
  let inFlight = 0;
  let next = page + 1;
  let stopped = false;
  const fill = () => {
    while (parallel && !stopped && inFlight < concurrency && pending.length < 2 * concurrency && next <= lastPage) {
      inFlight++;
      const request = get(next++);
      request.then(
        () => {
          inFlight--;
          fill();
        },
        () => {
          inFlight--;
          stopped = true; // the error surfaces when this page is read
        },
      );
      pending.push(request);
    }
  };
  try {
    fill();
    for (;;) {
      const items = itemsOf(read.body) as ListItem<P>[];
      // An empty page, or a page seen already (a server that ignores `page`), ends the list even if it links on.
      const first = JSON.stringify(items[0]);
      if (!items.length || firsts.has(first)) return;
      firsts.add(first);
      yield items.length > left ? items.slice(0, left) : items;
      left -= items.length;
      if (left <= 0) return;
      const upcoming = pending.shift();
      if (upcoming) {
        read = await upcoming;
        fill();
        continue;
      }
      // One page at a time, or past the pages meta.total counted (it may count too few): follow the links.
      const next = nextPage(read, asked);
      if (next === undefined) return;
      read = await get(next);
    }
  } finally {
    stopped = true; // the reader stopped or failed: request nothing more
  }
}

/**
 * Iterates over every item of a list operation, page by page, requesting 200 items per page unless
 * `init` sets `per_page`. Sequentially it follows `links.pages.next`; with `concurrency > 1` it fetches
 * the pages `meta.total` counts in parallel, then follows the links of the last. It stops at an empty page, at a
 * page seen already and at a `next` link to another origin. API errors are thrown as {@link ApiError}.
 *
 * @example
 * for await (const droplet of paginate(client, "/v2/droplets")) console.log(droplet.name);
 */
export async function* paginate<P extends ListPath>(
  client: ListClient,
  path: P,
  init?: ListInit<P>,
  options: PaginateOptions = {},
): AsyncGenerator<ListItem<P>, void, undefined> {
  // Not `yield*`: over an array it costs an async-from-sync iterator per page and twice the time per item.
  for await (const items of pages(client, path, init, options, "paginate")) for (const item of items) yield item;
}

/**
 * Collects every item of a list operation into an array; same arguments as {@link paginate}, and `limit`. Reads
 * whole pages, so it skips the per-item cost of an async iterator.
 */
export async function collect<P extends ListPath>(
  client: ListClient,
  path: P,
  init?: ListInit<P>,
  options: CollectOptions = {},
): Promise<ListItem<P>[]> {
  const { limit = COLLECT_LIMIT, ...rest } = options;
  checkNumber("collect", "limit", limit, "an integer ≥ 0");
  // One item past the limit tells a list that is too long from one that fits exactly.
  const maxItems = Math.min(rest.maxItems ?? Number.POSITIVE_INFINITY, limit + 1);
  const all: ListItem<P>[] = [];
  for await (const items of pages(client, path, init, { ...rest, maxItems }, "collect"))
    for (const item of items) all.push(item);
  if (all.length > limit)
    throw new RangeError(
      `collect: the list has more than ${limit} items (limit); raise limit, or use maxItems or paginate.`,
    );
  return all;
}
