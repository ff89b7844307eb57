// `digitalocean-typed/testing`: a stateful fake of the DigitalOcean API on 127.0.0.1, for tests that must not
// touch a real account. Every request is routed and validated against generated/openapi.yaml, and so is every
// answer before it is sent: an answer that would break the spec goes out as a 500 and is listed in `problems`.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createDigitalOceanClient, type DigitalOceanClient, type DigitalOceanClientOptions } from "../client.js";
import { Moments } from "../moments.js";
import { type CatalogueOptions, loadCatalogue } from "./catalogue.js";
import { type ChaosOptions, startChaos } from "./chaos.js";
import { dropletHandlers } from "./droplets.js";
import { loadSpec, type Operation, type Spec } from "./openapi.js";
import { partnerHandlers } from "./partner-network-connect.js";
import { projectHandlers } from "./projects.js";
import { reservedIpv6Handlers } from "./reserved-ipv6.js";
import { refusalFor, type TokenScopes, tokenTable } from "./tokens.js";
import { type FakeState, loadState, saveState } from "./snapshot.js";
import type { OperationId } from "../contract.js";
import { FakeError, type FakeRequest, type Handler, type Reply, unseen, unwritten } from "./backend.js";
import { advance, newAccount, type State } from "./state.js";
import { vpcHandlers } from "./vpcs.js";

export type { CatalogueOptions } from "./catalogue.js";
export type { ChaosOptions } from "./chaos.js";
export type { AccountState, FakeState } from "./snapshot.js";
export type { TokenScopes } from "./tokens.js";

/** Options of {@link startFakeDigitalOcean}. */
export interface FakeDigitalOceanOptions {
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /**
   * How long, in milliseconds, a new Droplet stays `new`, a VPC peering `PROVISIONING`, a partner attachment
   * `CREATED` (and `DELETING`), and a destroy with associated resources unfinished (default 1,000).
   */
  provisionMs?: number;
  /**
   * The fake's clock, in milliseconds since the epoch (default `Date.now`). `"manual"` starts it at the current
   * time and moves it only by {@link FakeDigitalOcean.advance}; or pass your own function, as in
   * `let now = Date.now(); … clock: () => now …; now += 1_000;`. Either way a Droplet is active with no waiting.
   */
  clock?: (() => number) | "manual";
  /**
   * The fake's full-access token (default: a random `dop_v1_…` token), for tools configured ahead of time.
   * Any string of printable ASCII characters without spaces.
   */
  token?: string;
  /**
   * More tokens, each with what it may do, as DigitalOcean's custom-scoped tokens: a list of scopes
   * (`["droplet:read", "vpc:read"]`), `"read"` (every `:read` scope) or `"full"`. A request whose token lacks a
   * scope its operation, or a parameter or body field it uses, needs (by the spec's `x-required-scopes`) gets a
   * 403 naming the missing scopes, and changes nothing. A scope the spec does not know is a TypeError.
   */
  tokens?: Record<string, TokenScopes>;
  /**
   * Regions, sizes and images to know beside the spec's examples (nyc3 and the other regions they list,
   * `s-<n>vcpu-<m>gb` and `gpu-<chip>x<count>-<vram>gb` sizes, the example image, public distribution slugs such
   * as `ubuntu-24-04-x64`, the account's snapshots and backups, and any other numeric id as a private image unless
   * `strictImages`). A Droplet create naming anything else gets the API's 422 for an invalid region, size or image.
   */
  catalogue?: CatalogueOptions;
  /**
   * Limits like the API's, per token, off by default: `{ perMinute: 250, perHour: 5000 }` (either may be left out
   * for the API's value). Requests beyond them get a 429 with the `ratelimit-*` headers, and `retry-after` when the
   * minute's limit refused them; refused requests do not count. Measured by `clock`.
   */
  rateLimit?: RateLimitOptions;
  /** A state from {@link FakeDigitalOcean.snapshot} (or its JSON, parsed) to start from, instead of a new account. */
  state?: FakeState;
  /**
   * Eventual consistency, off by default: for `readAfterCreateMs` (by `clock`) after it is created, a resource
   * answers 404 to a GET and is missing from lists, as the API sometimes does.
   */
  consistency?: { readAfterCreateMs: number };
  /**
   * `"shared"` (default): every token works on one account. `"per-token"`: each token (`token` and each of
   * `tokens`) is an account of its own, with its own default project, VPCs and resources.
   */
  accounts?: "shared" | "per-token";
}

/** Requests the fake accepts in any rolling minute and hour; see {@link FakeDigitalOceanOptions.rateLimit}. */
export interface RateLimitOptions {
  perMinute?: number;
  perHour?: number;
}

/** Options of {@link FakeDigitalOcean.fail}. */
export interface FailOptions {
  /** How many requests fail (default 1). */
  times?: number;
  /**
   * Headers of the failed answers, over the fake's own `ratelimit-*`: `{ "retry-after": "2" }`, or
   * `{ "ratelimit-remaining": "0", "ratelimit-reset": "…" }`, to test the waits a server names.
   */
  headers?: Record<string, string>;
}

/** One request the fake answered. */
export interface FakeRequestRecord {
  method: string;
  /** The URL path, without the query. */
  path: string;
  /** The spec's operation, when the request matched one. */
  operationId?: string;
  status: number;
  /** The scopes the request needed, once its token was known and its parameters and body were checked. */
  scopes?: string[];
}

/** A request field the spec does not describe: the API ignores it, so a misspelt field goes unnoticed there. */
export interface UnknownField {
  operationId: string;
  /** Where: `body/regoin`, `query/tag`; array indexes as `*` (`body/volumes/*` + `/nmae`). */
  field: string;
}

/** A running fake; see {@link startFakeDigitalOcean}. */
export interface FakeDigitalOcean {
  /** `http://127.0.0.1:<port>`, for the client's `baseUrl`. */
  url: string;
  /** The full-access token; any token other than it and those of `tokens`, or none, gets the documented 401. */
  token: string;
  /** Every request answered so far, in order. */
  readonly requests: readonly FakeRequestRecord[];
  /** Answers the fake could not send as they were, because they broke the spec (each went out as a 500). Empty in a healthy fake. */
  readonly problems: readonly string[];
  /**
   * The request fields (body and query) the spec does not describe, each once per operation: apart from
   * `problems`, since they are the caller's, not the fake's. Empty when every request spoke the spec.
   */
  readonly unknownFields: readonly UnknownField[];
  /**
   * The scopes the requests served so far needed, sorted: the least a custom token for the same work must have.
   */
  scopesUsed(): string[];
  /**
   * Makes the next requests to `operationId` fail with `status` and a DigitalOcean error body, before they touch
   * any state: for testing retries and error handling. `status` must be an error status the operation documents
   * (401, 404, 429, 500, …); any other throws a TypeError. A number as `options` is short for `{ times }`.
   */
  fail(operationId: string, status: number, options?: FailOptions | number): void;
  /**
   * Answers a seeded random share of requests late, or with an error status their operation documents and the
   * headers the API sends with it (`retry-after` on a 429); the same seed and requests give the same answers.
   * Returns the seed. `false` ends it. A bad option throws a TypeError.
   */
  chaos(options: ChaosOptions | false): number | undefined;
  /** Moves a `clock: "manual"` fake's clock on by `ms`; what falls due (a Droplet active, …) is then done. */
  advance(ms: number): void;
  /** The whole state, every account, as JSON (tokens are not in it): for `state`, or the bin's `--state`. */
  snapshot(): FakeState;
  /**
   * A client of this fake for tests: its `baseUrl` and `token`, no pacing, and retries a few milliseconds apart
   * (waits the fake names, such as `retry-after`, are still honoured). `options` override any of these.
   */
  client(options?: DigitalOceanClientOptions): DigitalOceanClient;
  /** Stops listening and closes open connections; resolves when the port is free again. */
  close(): Promise<void>;
}

/** The API's limits per token, which rateLimit defaults to; the hour's is reported in ratelimit-* either way. */
const API_LIMITS: Required<RateLimitOptions> = { perMinute: 250, perHour: 5000 };
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Larger request bodies get a 413 (the largest field the API takes, `user_data`, is 64 KiB). */
const MAX_BODY = 1 << 20;
const ERROR_IDS: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  412: "precondition_failed",
  413: "request_entity_too_large",
  415: "unsupported_media_type",
  422: "unprocessable_entity",
  429: "too_many_requests",
  500: "server_error",
};
/** A DigitalOcean error answer; each carries a request_id of its own, as the API's do. */
const error = (status: number, message: string): Reply => ({
  status,
  body: { id: ERROR_IDS[status] ?? "example_error", message, request_id: randomUUID() },
});
/** Chaos's error answer, with the header the API sends with a 429. */
const upsetReply = (operationId: string, { status }: { status: number }): Reply => ({
  ...error(status, `Chaos (fake.chaos) for ${operationId}.`),
  ...(status === 429 ? { headers: { "retry-after": "1" } } : {}),
});

/** Every operation's handler, typed by its contract: `tsc` fails on a missing one, or one that breaks the spec. */
const handlers: { [Id in OperationId]: Handler<Id> } = {
  ...vpcHandlers,
  ...partnerHandlers,
  ...dropletHandlers,
  ...projectHandlers,
  ...reservedIpv6Handlers,
};
/**
 * A handler as requests reach it: the spec's validators have checked the parameters and body against the
 * operation's schemas, which are where its types come from.
 */
type Checked = (
  request: { [K in keyof FakeRequest]: unknown } & Pick<FakeRequest, "origin" | "pathname">,
  state: State,
) => Reply;
/** The operationIds the fake implements. */
export const FAKE_OPERATIONS: readonly string[] = (Object.keys(handlers) as OperationId[]).filter(
  (id) => !unwritten.has(handlers[id]),
);

/** A PATCH body without its `null` fields: the official clients send `null` for each field they leave unchanged. */
const withoutNulls = (body: unknown) =>
  body && typeof body === "object" ? Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null)) : body;

/** The media type of a Content-Type header, without its parameters: `application/json; charset=utf-8` → `application/json`. */
const mediaType = (header = "") => header.split(";")[0]!.trim().toLowerCase();

/** Reads a request body, at most {@link MAX_BODY} bytes; undefined when it is too large. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.removeAllListeners("data").resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    // The only error a request emits is its connection ending mid-body: the client's doing, not the fake's.
    req.on("error", () => reject(new FakeError(400, "bad_request", "The request ended before its body did.")));
  });
}

/**
 * Starts a fake DigitalOcean API on 127.0.0.1: all operations of the spec, with state in memory, starting as a new
 * account with its default project.
 *
 * ```ts
 * const fake = await startFakeDigitalOcean({ provisionMs: 50 });
 * const client = createDigitalOceanClient({ baseUrl: fake.url, token: fake.token });
 * // … the code under test …
 * await fake.close();
 * ```
 */
export async function startFakeDigitalOcean(options: FakeDigitalOceanOptions = {}): Promise<FakeDigitalOcean> {
  const {
    port = 0,
    provisionMs = 1_000,
    token = `dop_v1_${randomBytes(32).toString("hex")}`,
    accounts: sharing = "shared",
  } = options;
  let manual = Date.now();
  const clock = options.clock === "manual" ? () => manual : (options.clock ?? Date.now);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TypeError(`startFakeDigitalOcean: port must be an integer from 0 to 65535, got ${String(port)}.`);
  if (typeof provisionMs !== "number" || !(provisionMs >= 0) || !Number.isFinite(provisionMs))
    throw new TypeError(
      `startFakeDigitalOcean: provisionMs must be a number of milliseconds ≥ 0, got ${String(provisionMs)}.`,
    );
  const tokens = tokenTable(token, options.tokens);
  const limits = options.rateLimit && { ...API_LIMITS, ...options.rateLimit };
  for (const [name, value] of Object.entries(limits || {}))
    if (!Number.isInteger(value) || value < 1)
      throw new TypeError(`startFakeDigitalOcean: rateLimit.${name} must be a whole number ≥ 1, got ${String(value)}.`);
  if (typeof clock !== "function")
    throw new TypeError(
      'startFakeDigitalOcean: clock must be "manual" or a function returning milliseconds since the epoch.',
    );
  const { readAfterCreateMs = 0 } = options.consistency ?? {};
  if (typeof readAfterCreateMs !== "number" || !(readAfterCreateMs >= 0) || !Number.isFinite(readAfterCreateMs))
    throw new TypeError(
      `startFakeDigitalOcean: consistency.readAfterCreateMs must be a number of milliseconds ≥ 0, got ${String(readAfterCreateMs)}.`,
    );
  if (sharing !== "shared" && sharing !== "per-token")
    throw new TypeError(`startFakeDigitalOcean: accounts must be "shared" or "per-token", got ${String(sharing)}.`);

  const spec = loadSpec();
  const catalogue = loadCatalogue(spec, options.catalogue);
  const account = () => newAccount(spec, catalogue, provisionMs, clock(), readAfterCreateMs);
  /** Accounts by key: `shared`, or per token a hash of it, so that no snapshot holds a token. */
  const accounts = options.state ? loadState(options.state, account) : new Map<string, State>();
  const keyOf = (authorization: string) =>
    sharing === "shared" ? "shared" : createHash("sha256").update(authorization).digest("hex").slice(0, 32);
  /** The account of a request's Authorization header. */
  const accountOf = (authorization: string): State => {
    const key = keyOf(authorization);
    if (!accounts.has(key)) accounts.set(key, account());
    return accounts.get(key)!;
  };
  accountOf(`Bearer ${token}`);
  let chaos: ReturnType<typeof startChaos> | undefined;
  const requests: FakeRequestRecord[] = [];
  const problems: string[] = [];
  const unknownFields: UnknownField[] = [];
  const faults = new Map<string, Required<FailOptions> & { status: number }>();
  /** The requests of the last hour and minute by token (one count for every request without a known token). */
  const recent = new Map<string, { hour: Moments; minute: Moments }>();
  let origin = "";

  /** Routes a request to its operation and checks the answer against the spec before it is sent. */
  async function dispatch(req: IncomingMessage, record: FakeRequestRecord): Promise<Reply & { close?: boolean }> {
    const [pathname = "/", search = ""] = (req.url ?? "/").split(/\?(.*)/s);
    const route = spec.route(req.method ?? "", pathname);
    if (!route)
      return error(
        404,
        `The resource you were accessing could not be found: no operation at ${pathname.slice(0, 200)}.`,
      );
    if (!("operation" in route))
      return error(405, `${req.method} is not allowed on ${pathname.slice(0, 200)}; use ${route.allowed.join(", ")}.`);
    const { operation, params } = route;
    record.operationId = operation.operationId;
    const reply =
      refusal(req.headers.authorization) ??
      (await perform(
        req,
        operation,
        { path: params, query: new URLSearchParams(search), headers: req.headers },
        pathname,
        record,
      ).catch((e: unknown) => {
        if (e instanceof FakeError) return error(e.status, e.message);
        problems.push(`${operation.operationId}: the fake failed: ${String(e)}`);
        return error(500, "The fake failed to handle this request; see fake.problems.");
      }));
    const problemsOfReply = spec.response(operation, reply.status, reply.body, {
      ...rateLimit(req.headers.authorization),
      ...reply.headers,
    });
    if (problemsOfReply.length === 0) return reply;
    problems.push(`${operation.operationId} ${reply.status}: ${problemsOfReply.join("; ")}`);
    return error(500, `The fake's answer broke the spec: ${problemsOfReply.join("; ")}`.slice(0, 1000));
  }

  /**
   * Performs an operation: authentication, an injected failure, the request's checks, the token's scopes, then its
   * handler. Records the scopes the request needs.
   */
  async function perform(
    req: IncomingMessage,
    operation: Operation,
    raw: Parameters<Spec["parameters"]>[1],
    pathname: string,
    record: FakeRequestRecord,
  ): Promise<Reply & { close?: boolean }> {
    const authorization = req.headers.authorization ?? "";
    const granted = tokens.get(authorization);
    if (!granted) return error(401, "Unable to authenticate you.");
    const fault = faults.get(operation.operationId);
    if (fault) {
      if (--fault.times <= 0) faults.delete(operation.operationId);
      return {
        ...error(fault.status, `Injected failure (fake.fail) for ${operation.operationId}.`),
        headers: fault.headers,
      };
    }
    const upset = chaos?.upset(operation);
    if (upset && "status" in upset) return upsetReply(operation.operationId, upset);
    if (upset) await new Promise((resolve) => setTimeout(resolve, upset.latencyMs));
    const text = await readBody(req);
    if (text === undefined) return { ...error(413, `The request body is larger than ${MAX_BODY} bytes.`), close: true };
    let body: unknown;
    if (text.trim()) {
      if (mediaType(req.headers["content-type"]) !== "application/json")
        return error(415, "Send the request body as JSON with Content-Type: application/json.");
      try {
        body = JSON.parse(text);
      } catch (e) {
        return error(400, `The request body is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
      }
    }
    const params = spec.parameters(operation, raw);
    if (typeof params === "string") return error(422, params);
    const checked = spec.body(operation, body);
    if (checked.refused) return error(422, checked.refused);
    noteUnknown(operation.operationId, [...params.unknown, ...checked.unknown]);
    const needed = spec.scopes(operation, params.values.query, body);
    record.scopes = needed.map(({ scope }) => scope);
    const refused = refusalFor(granted, needed, operation.operationId);
    if (refused) return error(403, refused);
    if (operation.method === "PATCH") body = withoutNulls(body);
    const state = advance(accountOf(authorization), clock());
    if (operation.method === "GET" && Object.values(params.values.path).some((value) => unseen(state, value)))
      return error(404, "The resource you were accessing could not be found.");
    const handler = handlers[operation.operationId as OperationId] as unknown as Checked;
    return handler({ ...params.values, body, origin, pathname }, state);
  }

  /** Adds the unknown `fields` of a request of `operationId` that are not listed yet. */
  function noteUnknown(operationId: string, fields: string[]) {
    for (const field of fields)
      if (!unknownFields.some((u) => u.operationId === operationId && u.field === field))
        unknownFields.push({ operationId, field });
  }

  /** The requests of the hour and the minute so far of the token in `authorization`, as the API counts per token. */
  function recentOf(authorization: string | undefined) {
    const key = authorization && tokens.has(authorization) ? authorization : "";
    let counts = recent.get(key);
    if (!counts) {
      counts = { hour: new Moments(), minute: new Moments() };
      recent.set(key, counts);
    }
    const now = clock();
    counts.hour.dropThrough(now - HOUR);
    counts.minute.dropThrough(now - MINUTE);
    return { ...counts, now };
  }

  /** The ratelimit-* headers of the token's hour so far. */
  function rateLimit(authorization: string | undefined): Record<string, string> {
    const { hour, now } = recentOf(authorization);
    const perHour = limits ? limits.perHour : API_LIMITS.perHour;
    return {
      "ratelimit-limit": String(perHour),
      "ratelimit-remaining": String(Math.max(0, perHour - hour.count)),
      "ratelimit-reset": String(Math.ceil(((hour.oldest ?? now) + HOUR) / 1000)),
    };
  }

  /** The 429 for a request beyond `rateLimit`, or undefined when it may go ahead (and then it counts). */
  function refusal(authorization: string | undefined): Reply | undefined {
    const { hour, minute, now } = recentOf(authorization);
    if (limits && hour.count >= limits.perHour)
      return error(429, `API rate limit exceeded: ${limits.perHour} requests per hour.`);
    if (limits && minute.count >= limits.perMinute)
      return {
        ...error(429, `API rate limit exceeded: ${limits.perMinute} requests per minute.`),
        headers: { "retry-after": String(Math.max(1, Math.ceil((minute.oldest! + MINUTE - now) / 1000))) },
      };
    hour.add(now);
    minute.add(now);
    return undefined;
  }

  /** Answers one HTTP request: counts it, records it, and writes the reply with the ratelimit-* headers. */
  async function serve(req: IncomingMessage, res: ServerResponse) {
    const record: FakeRequestRecord = { method: req.method ?? "", path: (req.url ?? "/").split("?")[0]!, status: 0 };
    let reply: Reply & { close?: boolean };
    try {
      reply = await dispatch(req, record);
    } catch (e) {
      problems.push(`${record.method} ${record.path}: ${String(e)}`);
      reply = error(500, "The fake failed to handle this request; see fake.problems.");
    }
    record.status = reply.status;
    requests.push(record);
    const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
    const headers: Record<string, string> = {
      ...rateLimit(req.headers.authorization),
      ...reply.headers,
      ...(payload ? { "content-type": "application/json; charset=utf-8" } : {}),
      ...(reply.close ? { connection: "close" } : {}),
    };
    res.writeHead(reply.status, headers).end(payload);
  }

  const server = createServer((req, res) => void serve(req, res));
  // Requests Node's HTTP parser refuses (an unknown method, a malformed header) still get a DigitalOcean-shaped answer.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return void socket.destroy();
    const payload = JSON.stringify({
      id: "bad_request",
      message: `Malformed HTTP request (${err.code ?? "parse error"}).`,
      request_id: randomUUID(),
    });
    const headers = Object.entries({
      ...rateLimit(undefined),
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(payload)),
      connection: "close",
    });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n${payload}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "EADDRINUSE"
          ? new Error(
              `startFakeDigitalOcean: port ${port} on 127.0.0.1 is in use; pick another, or 0 for any free port.`,
            )
          : e,
      ),
    );
    server.listen(port, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  origin = url;

  return {
    url,
    token,
    requests,
    problems,
    unknownFields,
    scopesUsed: () => [...new Set(requests.flatMap((r) => r.scopes ?? []))].sort(),
    fail(operationId, status, options = {}) {
      const operation = spec.operations.find((o) => o.operationId === operationId);
      if (!operation) throw new TypeError(`fake.fail: unknown operationId ${operationId}.`);
      const documented = Object.keys(operation.spec.responses).filter((s) => Number(s) >= 400);
      if (!documented.includes(String(status)))
        throw new TypeError(
          `fake.fail: ${operationId} does not document status ${String(status)}; it documents ${documented.join(", ")}.`,
        );
      const { times = 1, headers = {} } = typeof options === "number" ? { times: options } : options;
      if (!Number.isInteger(times) || times < 1)
        throw new TypeError(`fake.fail: times must be a whole number ≥ 1, got ${String(times)}.`);
      const named = Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]);
      faults.set(operationId, { status, times, headers: Object.fromEntries(named) });
    },
    chaos(options) {
      chaos = options === false ? undefined : startChaos(spec.operations, options);
      return chaos?.seed;
    },
    advance(ms) {
      if (options.clock !== "manual")
        throw new TypeError('fake.advance: the fake\'s clock is not manual; start it with clock: "manual".');
      if (typeof ms !== "number" || !(ms >= 0) || !Number.isFinite(ms))
        throw new TypeError(`fake.advance: ms must be a number of milliseconds ≥ 0, got ${String(ms)}.`);
      manual += ms;
    },
    snapshot: () => saveState(new Map([...accounts].map(([key, state]) => [key, advance(state, clock())]))),
    client: (overrides = {}) =>
      createDigitalOceanClient({
        baseUrl: url,
        token,
        pacing: false,
        retry: { baseDelayMs: 1, maxDelayMs: 10 },
        ...overrides,
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
