// Resource methods: `client.droplets.get(id)`, `client.vpcs.listMembers(vpcId, { resource_type })`, … one per
// operation of the table (src/contract.ts), on the same openapi-fetch client, transport, pacing and retries as
// `client.GET(…)`. Path parameters come first, in path order; then one object of the query, header and body
// fields; then the options of this call.
import type { Client } from "openapi-fetch";
import {
  OPERATIONS,
  type OperationId,
  type OperationRow,
  type OperationTable,
  type PathParams,
  type RequestBody,
  type ResourceName,
  type SuccessBody,
} from "./contract.js";
import { dataOf, type FetchResult } from "./errors.js";
import { pages } from "./paginate.js";
import type { RetryOptions } from "./retry.js";
import type { DropletCreate, DropletCreateMultiple, DropletCreateSingle } from "../generated/bodies.js";
import type { operations } from "../generated/schema.js";

/** Options of one call, each overriding the client's for that call. */
export interface CallOptions {
  /** Aborts this call, including its pacing wait and the waits between retries. */
  signal?: AbortSignal;
  /** Timeout of each attempt in milliseconds; `0` disables it. */
  timeoutMs?: number;
  /** Retry policy of this call, or `false` to never retry it. */
  retry?: RetryOptions | false;
  /** Headers sent with this call. */
  headers?: Record<string, string>;
}

/** Options of a list call: also how many pages to fetch at once when it is iterated (see `paginate`). */
export interface ListCallOptions extends CallOptions {
  /** Pages fetched at the same time when iterating or collecting (default 1). */
  concurrency?: number;
}

/** What `.withResponse()` gives: the success body and the Response it came in (headers, rate limits). */
export interface WithResponse<T> {
  data: T;
  response: Response;
}

/**
 * The promise a resource method returns: awaited, the success body, or an {@link ApiError} subclass thrown.
 * `.withResponse()` gives the body with its Response instead. The answer is read only when asked for, so using
 * one of the two leaves no unhandled rejection behind; `send` is called on the first use (a list call's first
 * page is not fetched when the call is only iterated).
 */
export class ApiCall<T> extends Promise<T> {
  readonly #send: () => Promise<FetchResult<T>>;
  #result: Promise<FetchResult<T>> | undefined;
  #data: Promise<T> | undefined;

  constructor(send: () => Promise<FetchResult<T>>) {
    super(() => {});
    this.#send = send;
  }

  get #answer() {
    this.#result ??= this.#send();
    return this.#result;
  }

  /** `then`, `catch` and `finally` make plain promises. */
  static override get [Symbol.species]() {
    return Promise;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Promise whose answer is read when first awaited
  override then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: any) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.#data ??= this.#answer.then(dataOf);
    return this.#data.then(onfulfilled, onrejected);
  }

  /** The success body and the Response it came in. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#answer.then((result) => ({ data: dataOf(result), response: result.response }));
  }
}

/** What `.toArray()` takes. */
export interface ToArrayOptions {
  /** At most this many items (default: all). */
  limit?: number;
}

/**
 * The promise a list method returns: awaited, the first page's body (`{ droplets, links, meta }`); iterated with
 * `for await`, every item across pages; `.toArray({ limit })` collects them.
 */
export class ListCall<T, Item> extends ApiCall<T> implements AsyncIterable<Item> {
  readonly #pages: (maxItems?: number) => AsyncGenerator<Item[], void, undefined>;

  constructor(
    send: () => Promise<FetchResult<T>>,
    list: (maxItems?: number) => AsyncGenerator<Item[], void, undefined>,
  ) {
    super(send);
    this.#pages = list;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const items of this.#pages()) for (const item of items) yield item;
  }

  /** Every item across pages, or the first `limit`, in one array. */
  async toArray({ limit }: ToArrayOptions = {}): Promise<Item[]> {
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0))
      throw new TypeError(`toArray: limit must be an integer ≥ 0, got ${limit}.`);
    const all: Item[] = [];
    for await (const items of this.#pages(limit)) for (const item of items) all.push(item);
    return all;
  }
}

type Row<Id extends OperationId> = OperationTable[Id];
type Parameters<Id extends OperationId> = operations[Id]["parameters"];
/** `T`, or `unknown` (nothing, in an intersection) when the operation has none. */
type Part<T> = [NonNullable<T>] extends [never] ? unknown : NonNullable<T>;

/** The path parameters' types, in path order: `[vpc_id: string, vpc_peering_id: string]`. */
type PathArgs<Names extends readonly string[], P> = { -readonly [K in keyof Names]: P[Names[K] & keyof P] };
/** The one object of an operation's query, header and body fields; `unknown` when it has none. */
export type Fields<Id extends OperationId> = Part<Parameters<Id>["query"]> &
  Part<Parameters<Id>["header"]> &
  Part<RequestBody<Id>>;
/** The fields argument: none, optional (every field is), or required. */
type FieldArgs<Id extends OperationId> =
  unknown extends Fields<Id>
    ? []
    : Record<never, never> extends Fields<Id>
      ? [fields?: Fields<Id>]
      : [fields: Fields<Id>];

/** What a list page holds its items in: an array, or (backup policies) a map whose values are the items. */
type ItemOf<Items> = Items extends readonly (infer I)[] ? I : Items extends Record<string, infer V> ? V : never;
/** What the method of operation `Id` returns: a {@link ListCall} for a list, else an {@link ApiCall}. */
export type CallOf<Id extends OperationId> =
  Row<Id> extends { items: infer K extends string }
    ? ListCall<SuccessBody<Id>, ItemOf<NonNullable<SuccessBody<Id>[K & keyof SuccessBody<Id>]>>>
    : ApiCall<SuccessBody<Id>>;

/**
 * The method of operation `Id`: path parameters in path order, then the fields object (if the operation takes
 * any), then the options of the call.
 */
export type ResourceMethod<Id extends OperationId> = (
  ...args: [
    ...PathArgs<Row<Id>["pathParams"], PathParams<Id>>,
    ...FieldArgs<Id>,
    options?: Row<Id> extends { items: string } ? ListCallOptions : CallOptions,
  ]
) => CallOf<Id>;

/** The methods of resource `R`: `client.droplets.get`, `client.droplets.listBackups`, … */
export type Resource<R extends ResourceName> = {
  readonly [Id in OperationId as Row<Id>["resource"] extends R ? Row<Id>["method"] : never]: ResourceMethod<Id>;
};

type DropletCreated = SuccessBody<"droplets_create">;
/** A Droplet create: with `name`, one Droplet (`{ droplet }`); with `names`, several (`{ droplets }`). */
export interface DropletCreateMethod {
  (fields: DropletCreateSingle, options?: CallOptions): ApiCall<Extract<DropletCreated, { droplet: unknown }>>;
  (fields: DropletCreateMultiple, options?: CallOptions): ApiCall<Extract<DropletCreated, { droplets: unknown }>>;
  (fields: DropletCreate, options?: CallOptions): ApiCall<DropletCreated>;
}

/** Every resource of the client, by name, each with its methods. */
export type Resources = {
  readonly [R in ResourceName]: R extends "droplets"
    ? Omit<Resource<"droplets">, "create"> & { readonly create: DropletCreateMethod }
    : Resource<R>;
};

/** The part of the client resource methods call: openapi-fetch's methods by HTTP method. */
type PathClient = Pick<Client<any>, "GET" | "POST" | "PUT" | "PATCH" | "DELETE">;
type Init = {
  params: { path: Record<string, string | number>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  body?: unknown;
};
type Send = (path: string, init: Init) => Promise<FetchResult<unknown>>;

/** Throws unless `options` holds only known keys of the right types; `check` is the client's own check. */
export type CheckOptions = (call: string, options: object, list: boolean) => void;

/** A path parameter as it goes into the path; a clear error for anything but a string or a number. */
function pathValue(call: string, name: string, position: number, value: unknown): string | number {
  if ((typeof value === "string" && value) || typeof value === "number") return value;
  throw new TypeError(
    `${call}: ${name} (argument ${position + 1}) must be a non-empty string or a number, got ${value === "" ? "an empty string" : typeof value}.`,
  );
}

/** Puts each field where the operation takes it: query, header or body. */
function place({ query, header, body }: OperationRow, fields: Record<string, unknown>, init: Init): void {
  if (!query.length && !header.length) {
    init.body = fields;
    return;
  }
  const parts: Record<"query" | "header" | "body", Record<string, unknown>> = { query: {}, header: {}, body: {} };
  for (const key in fields) {
    const where = (query as readonly string[]).includes(key)
      ? "query"
      : (header as readonly string[]).includes(key)
        ? "header"
        : body
          ? "body"
          : "query";
    parts[where][key] = fields[key];
  }
  init.params.query = parts.query;
  init.params.header = parts.header;
  if (body) init.body = parts.body;
}

/** The method of one operation, calling `client` as path style does. */
function resourceMethod(client: PathClient, row: OperationRow, check: CheckOptions) {
  const { pathParams, query, header, body, items, path } = row;
  const call = `${row.resource}.${row.method}`;
  const takesFields = body || query.length + header.length > 0;
  const send = client[row.httpMethod as keyof PathClient] as unknown as Send;
  return (...args: unknown[]) => {
    const count = pathParams.length;
    const init: Init & CallOptions = { params: { path: {} } };
    for (let i = 0; i < count; i++) init.params.path[pathParams[i]!] = pathValue(call, pathParams[i]!, i, args[i]);
    const fields = takesFields ? args[count] : undefined;
    const given = (args[takesFields ? count + 1 : count] ?? {}) as ListCallOptions;
    check(call, given, items !== undefined);
    const { concurrency, ...options } = given;
    Object.assign(init, options);
    if (fields !== undefined) {
      if (Object(fields) !== fields || Array.isArray(fields))
        throw new TypeError(`${call}: argument ${count + 1} must be an object of fields, got ${typeof fields}.`);
      place(row, fields as Record<string, unknown>, init);
    } else if (body) init.body = {};
    if (!items) {
      const result = send(path, init);
      return new ApiCall(() => result);
    }
    const list = (maxItems?: number) =>
      pages(client as never, path as never, init as never, { concurrency, maxItems }, call) as AsyncGenerator<
        unknown[]
      >;
    return new ListCall(() => send(path, init), list);
  };
}

/** The resource methods of `client`, one per row of the operation table. */
export function createResources(client: PathClient, check: CheckOptions): Resources {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const row of Object.values(OPERATIONS) as OperationRow[]) {
    resources[row.resource] ??= {};
    resources[row.resource]![row.method] = resourceMethod(client, row, check);
  }
  return resources as Resources;
}
