// What each resource group's backend and handlers are built from: the write path (records checked against the spec),
// errors, pages, eventual consistency, the handler types, ids and addresses. The account that holds the backends is
// in state.ts.
import { randomUUID } from "node:crypto";
import type { components } from "../../generated/schema.js";
import type { Schema } from "../client.js";
import type { Spec } from "./openapi.js";
import type { Shared, State } from "./state.js";
import type {
  Answer,
  HeaderParams,
  OperationId,
  OperationInfo,
  PathParams,
  Query,
  RequestBody,
  SuccessBody,
} from "../contract.js";

/** The API's objects as it returns them (read-only fields included). */
export type Schemas = { [N in keyof components["schemas"]]: Schema<N> };

/** An error answer: a status the operation documents and DigitalOcean's `{ id, message }`. */
export class FakeError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new FakeError(404, "not_found", `${what} could not be found.`);
export const unprocessable = (message: string) => new FakeError(422, "unprocessable_entity", message);

/** An object without the `null` its fields may be. */
type WithoutNulls<T> = { [K in keyof T]: Exclude<T[K], null> };

/** A request of operation `Id` as its handler sees it: parameters and body as the spec types them. */
export interface FakeRequest<Id extends OperationId = OperationId> {
  path: PathParams<Id>;
  query: Query<Id>;
  /** Header parameters, by lower-case name, as Node.js reads them. */
  headers: { [K in keyof HeaderParams<Id> as Lowercase<K & string>]: HeaderParams<Id>[K] };
  /** The body; a PATCH's without its `null` fields, which the fake takes as "unchanged", as the API does. */
  body: OperationInfo<Id>["httpMethod"] extends "PATCH" ? WithoutNulls<RequestBody<Id>> : RequestBody<Id>;
  /** The fake's base URL, for pagination links. */
  origin: string;
  /** The request's path, for pagination links. */
  pathname: string;
}

/** What a handler answers: a documented status and body (none for 202/204 without content). */
export interface Reply {
  status: number;
  body?: unknown;
  /** Headers over the fake's own `ratelimit-*` (an injected failure's). */
  headers?: Record<string, string>;
}

/**
 * The handler of operation `Id`: it gets the request as the spec types it, and must return one of the operation's
 * documented answers (or throw a {@link FakeError}), so a reply that breaks the spec fails `tsc`.
 */
export type Handler<Id extends OperationId = OperationId> = (request: FakeRequest<Id>, state: State) => Answer<Id>;

/** The handlers of a resource group: one for every operation whose id starts with `Group`. */
export type Handlers<Group extends string> = { [Id in Extract<OperationId, `${Group}_${string}`>]: Handler<Id> };

/** Handlers `npm run new-operation` scaffolded and nobody has written yet: FAKE_OPERATIONS leaves them out. */
export const unwritten = new WeakSet<object>();

/** The stub of a scaffolded operation's handler: a 500 that says so, until the handler is written. */
export function notImplemented<Id extends OperationId>(operationId: Id): Handler<Id> {
  const handler = (): never => {
    throw new FakeError(500, "server_error", `${operationId} is not implemented by the fake yet (src/testing/).`);
  };
  unwritten.add(handler);
  return handler;
}

/** A record's key in its backend: an id, or an address. */
export type Key = string | number;

/** What every backend does beside its group's operations. */
export interface Backend<Saved extends object = object> {
  /** Moves its own records on to the shared clock's time (a Droplet active, a peering ACTIVE, …). */
  advance?(): void;
  /** Its part of a saved account, as JSON. */
  snapshot(): Saved;
  /** Holds what `saved` holds instead of its own; a TypeError names the kind of record that is wrong. */
  restore(saved: Saved): void;
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
export const uuid = () => randomUUID();

/** A kind of record: its name in a saved account, its key, and the answer (operation and property) it is checked in. */
export interface Kind<T> {
  name: string;
  key: (record: T) => Key;
  answer: OperationId;
  property: string;
  /** What the answer shows of a record, when that is less than the record (default: all of it). */
  shown?: (record: T) => unknown;
}

/**
 * The records of one kind, owned by their group's backend. {@link Records.save} is the one way they are written:
 * built anew by the backend, checked against the spec as their GET answer would show them, and stored only when
 * all are valid. A request that would store what the spec forbids gets a 422, and nothing changes.
 */
export class Records<T> {
  readonly #byKey = new Map<Key, T>();
  readonly #shared: Shared;
  readonly #kind: Kind<T>;

  constructor(shared: Shared, kind: Kind<T>) {
    this.#shared = shared;
    this.#kind = kind;
  }

  find(key: Key): T | undefined {
    return this.#byKey.get(key);
  }

  values(): T[] {
    return [...this.#byKey.values()];
  }

  delete(key: Key): void {
    this.#byKey.delete(key);
  }

  /** Refuses, with a 422, records the spec forbids, as their GET answer would show them. */
  check(...records: T[]): void {
    const { answer, property, shown = (record: T) => record } = this.#kind;
    for (const record of records) {
      const problems = answerProblems(this.#shared.spec, answer, { [property]: shown(record) });
      if (problems.length)
        throw unprocessable(`The request would leave a ${property} the API cannot return: ${problems.join("; ")}`);
    }
  }

  /** Stores `records` once all pass {@link Records.check}; a new one stays unseen for `readAfterCreateMs`. */
  save(...records: T[]): void {
    this.check(...records);
    for (const record of records) {
      const key = this.#kind.key(record);
      if (this.#shared.readAfterCreateMs && !this.#byKey.has(key)) this.#shared.born.set(key, this.#shared.now);
      this.#byKey.set(key, record);
    }
  }

  /** Holds exactly `records`, as if they had always been there (a new account's, a saved state's); checked. */
  reset(records: T[]): void {
    try {
      this.check(...records);
    } catch (e) {
      throw new TypeError(`${this.#kind.name}: ${(e as Error).message}`);
    }
    this.#byKey.clear();
    for (const record of records) this.#byKey.set(this.#kind.key(record), record);
  }
}

/** Headers valid on every answer, for checking a body alone. */
const ANY_HEADERS = { "ratelimit-limit": "5000", "ratelimit-remaining": "5000", "ratelimit-reset": "0" };

/** What is wrong with `body` as the success answer of `operationId`; [] when the spec allows it. */
export function answerProblems(spec: Spec, operationId: string, body: unknown): string[] {
  const operation = spec.operations.find((o) => o.operationId === operationId)!;
  const status = Number(Object.keys(operation.spec.responses).find((s) => s.startsWith("2")));
  return spec.response(operation, status, body, ANY_HEADERS);
}

/** Whether the resource of `key` is too new to be read yet (`consistency`); forgets those old enough. */
export function unseen(state: Shared, key: unknown): boolean {
  const born = state.born.get(key as string);
  if (born === undefined) return false;
  if (born + state.readAfterCreateMs > state.now) return true;
  state.born.delete(key as string);
  return false;
}

/**
 * The `per_page`/`page` window of `items` with the API's `links.pages` and `meta.total`, under `key`; without the
 * resources too new to be read.
 */
export function page<K extends string, T extends object>(
  state: Shared,
  request: Listing,
  key: K,
  all: T[],
): { [P in K]: T[] } & { links: PageLinks; meta: { total: number } } {
  const items = all.filter((item) => !unseen(state, "id" in item ? item.id : "ip" in item ? item.ip : undefined));
  const { per_page: perPage = 20, page: current = 1 } = request.query;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number) => {
    const url = new URL(request.pathname, request.origin);
    for (const [name, value] of Object.entries(request.query)) url.searchParams.set(name, String(value));
    url.searchParams.set("page", String(n));
    url.searchParams.set("per_page", String(perPage));
    return url.href;
  };
  const pages = {
    ...(current > 1 ? { first: link(1), prev: link(Math.min(current - 1, last)) } : {}),
    ...(current < last ? { next: link(current + 1), last: link(last) } : {}),
  };
  const window = { [key]: items.slice((current - 1) * perPage, current * perPage) } as { [P in K]: T[] };
  return { ...window, links: Object.keys(pages).length ? { pages } : {}, meta: { total: items.length } };
}

/** What {@link page} reads of a list request. */
interface Listing {
  query: { per_page?: number; page?: number };
  origin: string;
  pathname: string;
}
type PageLinks = Schemas["PageLinks"];

/**
 * The documented example of an operation's success answer, for catalogue data (sizes, images, kernels) the fake
 * does not invent. The spec's lint checks every example against its schema, so it has the answer's type.
 */
export function example<Id extends OperationId>(state: Shared, operationId: Id): NonNullable<SuccessBody<Id>> {
  const operation = state.spec.operations.find((o) => o.operationId === operationId)!;
  const status = Object.keys(operation.spec.responses).find((s) => s.startsWith("2"));
  return structuredClone(state.spec.resolve(operation.spec.responses[status!]).content["application/json"].example);
}

/** An IPv4 address as a dotted string. */
export const ipv4 = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join(".");

/** Parses `a.b.c.d/n`; undefined when malformed. */
export function parseCidr(cidr: string): { base: number; prefix: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((n, o) => n * 256 + o, 0);
  return { base, prefix };
}
