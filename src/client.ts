import createClient, { type Client, type FetchOptions, type FetchResponse } from "openapi-fetch";
import type { FilterKeys, HttpMethod, PathsWithMethod, Readable, RequiredKeysOf } from "openapi-typescript-helpers";
import type { components, paths } from "../generated/schema.js";
import type { RateLimit } from "./errors.js";
import { createLog, type Logger } from "./log.js";
import type { PacingOptions } from "./pacing.js";
import { createResources, type CallOptions, type Resources } from "./resources.js";
import { RETRY_DEFAULTS, retryPolicy, type RetryOptions } from "./retry.js";
import { CallRequest, checkOrigin, createTransport } from "./transport.js";
import { VERSION } from "./version.js";

/** Options of {@link createDigitalOceanClient}. All are optional. */
export interface DigitalOceanClientOptions {
  /**
   * API token (`dop_v1_…` personal access token or `doo_v1_…` OAuth token), or a function returning one,
   * called before each request (for rotation). Default: `process.env.DIGITALOCEAN_TOKEN`.
   */
  token?: string | (() => string | Promise<string>);
  /**
   * API origin. Default: `process.env.DIGITALOCEAN_API_URL` (as DigitalOcean's Terraform provider reads it), else
   * `https://api.digitalocean.com`. Plain `http://` is accepted only for loopback hosts.
   */
  baseUrl?: string;
  /** The `fetch` to send requests with. Default: `globalThis.fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Appended to this library's `User-Agent`, e.g. `"my-tool/1.2"`. */
  userAgent?: string;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Timeout of each attempt in milliseconds; `0` disables it. Default 30,000. */
  timeoutMs?: number;
  /**
   * The largest response body the client reads, in bytes after decompression. Default 64 MiB (67,108,864). A
   * larger body is not read to the end, and the call fails with a `RequestError` of reason `"too_large"`, not retried.
   */
  maxResponseBytes?: number;
  /**
   * Retry policy, or `false` to never retry. See {@link RetryOptions}. A 429 is retried for every method
   * (the API refused the request without acting on it; a POST or PATCH is sent again with the same body);
   * a 5xx, a timeout or a reset connection only for GET, HEAD, PUT and DELETE.
   */
  retry?: RetryOptions | false;
  /**
   * At most `requests` requests (retries included) in any rolling `windowMs`, or `false` for no pacing. Default
   * `{ requests: 250, windowMs: 60_000 }`, the API's per-minute limit. Requests beyond it wait their turn, in
   * order, without blocking; their `signal` (e.g. `AbortSignal.timeout(ms)`) and the client's cancel the wait,
   * and `timeoutMs` counts from when a request is sent. When a response says `ratelimit-remaining: 0`, new
   * requests are held until `ratelimit-reset` if that is within `retry.maxWaitMs`. Each client paces itself in
   * memory; clients in other processes share one budget with `store: redisPacing(redis)` from
   * `digitalocean-typed/redis`. See {@link PacingOptions}.
   */
  pacing?: PacingOptions | false;
  /** Aborts every request of this client, including waits between retries. */
  signal?: AbortSignal;
  /**
   * Where the client says what it does (`console` works): `debug`, one line per attempt (method, path template,
   * status, ms, attempt; bodies with token-shaped strings redacted); `info`, retries and pacing waits, why and how
   * long; `warn`, pacing store failures and holds on `ratelimit-remaining: 0`. Never the token. `DIGITALOCEAN_LOG`
   * (`debug`, `info` or `warn`) sets the lowest level shown; without it this logger gets every level, and without a
   * logger `console` gets warnings.
   */
  logger?: Logger;
}

/**
 * Options of one call to `path` with `method`: `params`, `body`, `headers`, `signal`, and `timeoutMs` and `retry`
 * for this call (see {@link CallOptions}).
 */
export type RequestOptions<P extends keyof paths, M extends HttpMethod> = FetchOptions<FilterKeys<paths[P], M>> &
  Pick<CallOptions, "timeoutMs" | "retry">;

/**
 * One HTTP method of the client. Unlike openapi-fetch's own signature, `init` is not inferred as a
 * generic, so TypeScript rejects unknown body fields and misspelt options in object literals.
 */
export type ClientMethod<M extends HttpMethod> = <P extends PathsWithMethod<paths, M>>(
  path: P,
  ...init: RequiredKeysOf<RequestOptions<P, M>> extends never
    ? [init?: RequestOptions<P, M>]
    : [init: RequestOptions<P, M>]
) => Promise<FetchResponse<FilterKeys<paths[P], M> & Record<string, any>, object, "application/json">>;

/**
 * A typed client for the DigitalOcean API: a resource method per operation (`client.droplets.get(id)`, see
 * {@link Resources}), and openapi-fetch's path style (`client.GET("/v2/droplets/{droplet_id}", …)`) on the same
 * transport.
 */
export type DigitalOceanClient = Resources &
  Omit<
    Client<paths, "application/json">,
    "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS" | "TRACE"
  > & {
    GET: ClientMethod<"get">;
    PUT: ClientMethod<"put">;
    POST: ClientMethod<"post">;
    DELETE: ClientMethod<"delete">;
    PATCH: ClientMethod<"patch">;
    HEAD: ClientMethod<"head">;
    /** The latest rate-limit state the API reported, or `undefined` before the first response. */
    readonly rateLimit: RateLimit | undefined;
  };

const DEFAULT_BASE_URL = "https://api.digitalocean.com";
const USER_AGENT = `digitalocean-typed/${VERSION}`;
/** Personal access (`dop_v1_`) and OAuth (`doo_v1_`) tokens, or a legacy 64-hex token. */
const TOKEN_SHAPE = /^(?:do[po]_v1_[A-Za-z0-9]+|[a-f0-9]{64})$/;
/** What each option must be: a test and the words for it in the error. */
const OPTION_TYPES: Record<string, [(value: any) => boolean, string]> = {
  token: [(v) => typeof v === "string" || typeof v === "function", "a string or a function"],
  baseUrl: [(v) => typeof v === "string", "a string"],
  fetch: [(v) => typeof v === "function", "a function"],
  userAgent: [(v) => typeof v === "string", "a string"],
  headers: [(v) => Object(v) === v, "an object"],
  timeoutMs: [(v) => Number.isFinite(v) && v >= 0, "a number ≥ 0"],
  maxResponseBytes: [(v) => Number.isInteger(v) && v >= 1, "an integer ≥ 1"],
  retry: [(v) => v === false || Object(v) === v, "an object or false"],
  pacing: [(v) => v === false || Object(v) === v, "an object or false"],
  signal: [(v) => v instanceof AbortSignal, "an AbortSignal"],
  logger: [(v) => Object(v) === v, "an object with debug, info and warn methods, such as console"],
};

/** Checks a token's shape and says what is wrong without ever echoing it. */
function checkToken(token: unknown): string {
  if (typeof token !== "string" || !token)
    throw new TypeError("No DigitalOcean token: pass `token` or set DIGITALOCEAN_TOKEN.");
  if (!TOKEN_SHAPE.test(token)) {
    throw new TypeError(
      `The DigitalOcean token (${token.length} characters) is not an access token (dop_v1_… or doo_v1_…); pass it without "Bearer ", spaces or line breaks.`,
    );
  }
  return token;
}

function fail(message: string): never {
  throw new TypeError(`createDigitalOceanClient: ${message}`);
}

function checkOptions(options: DigitalOceanClientOptions): void {
  checkKeys(options, Object.keys(OPTION_TYPES), fail);
  if (options.pacing) checkPacing(options.pacing);
}

/** The options a call may override, and a list call's own. */
const CALL_OPTIONS = ["signal", "timeoutMs", "retry", "headers"];
const LIST_OPTIONS = [...CALL_OPTIONS, "concurrency"];
const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 1;

/** Checks the options of one call as the client's are checked; `name` is the method (`droplets.get`). */
function checkCall(name: string, options: object, list: boolean): void {
  checkKeys(options, list ? LIST_OPTIONS : CALL_OPTIONS, (message) => {
    throw new TypeError(`${name}: ${message}`);
  });
  const { concurrency } = options as { concurrency?: unknown };
  if (concurrency !== undefined && !isCount(concurrency))
    throw new TypeError(`${name}: concurrency must be an integer ≥ 1.`);
}

/** Checks each of `allowed` in `options` against OPTION_TYPES, and `retry`'s keys; `report` throws. */
function checkKeys(options: object, allowed: string[], report: (message: string) => never): void {
  for (const [key, value] of Object.entries(options)) {
    if (!allowed.includes(key)) report(`unknown option "${key}".`);
    const [valid, expected] = OPTION_TYPES[key] ?? [() => true, ""];
    if (value !== undefined && !valid(value)) report(`${key} must be ${expected}.`);
  }
  const { retry } = options as { retry?: RetryOptions | false };
  for (const [key, value] of Object.entries(retry || {})) {
    if (!(key in RETRY_DEFAULTS)) report(`unknown retry option "${key}".`);
    if (!(Number.isInteger(value) && value >= 0)) report(`retry.${key} must be an integer ≥ 0.`);
  }
}

const PACING_KEYS = ["requests", "windowMs", "hourly", "store"];
const STORE_METHODS = ["take", "done", "hold"] as const;

function checkPacing(pacing: PacingOptions): void {
  for (const key of Object.keys(pacing)) if (!PACING_KEYS.includes(key)) fail(`unknown pacing option "${key}".`);
  // The window comes whole, or not at all (then it is the API's per-minute one).
  if (pacing.requests !== undefined || pacing.windowMs !== undefined) {
    if (!isCount(pacing.requests)) fail("pacing.requests must be an integer ≥ 1.");
    if (!isCount(pacing.windowMs)) fail("pacing.windowMs must be an integer ≥ 1.");
  }
  if (pacing.hourly !== undefined && pacing.hourly !== false && !isCount(pacing.hourly))
    fail("pacing.hourly must be an integer ≥ 1 or false.");
  const { store } = pacing;
  if (store !== undefined && !STORE_METHODS.every((name) => typeof store?.[name] === "function"))
    fail("pacing.store must have take, done and hold methods (a PacingStore, such as redisPacing(redis)).");
}

function checkBaseUrl(baseUrl: string, source: string): string {
  if (!URL.canParse(baseUrl)) fail(`${source} ${JSON.stringify(baseUrl)} is not an absolute URL.`);
  checkOrigin(new URL(baseUrl));
  return baseUrl.replace(/\/+$/, "");
}

/** The baseUrl option, else DIGITALOCEAN_API_URL (as DigitalOcean's Terraform provider reads it), else the API. */
function defaultBaseUrl(baseUrl: string | undefined): string {
  if (baseUrl !== undefined) return checkBaseUrl(baseUrl, "baseUrl");
  const fromEnv = globalThis.process?.env.DIGITALOCEAN_API_URL;
  return fromEnv ? checkBaseUrl(fromEnv, "DIGITALOCEAN_API_URL") : DEFAULT_BASE_URL;
}

/**
 * Serialises path parameters. Unlike openapi-fetch's default it leaves `:` as is, so IPv6 addresses reach
 * the API as the docs write them (`/v2/reserved_ipv6/2409:40d0:f7:1017::`); `:` is legal in a path segment.
 * It refuses `.` and `..`, which encoding leaves as they are and a URL resolves: a peering id `..` would send
 * a PATCH meant for the peering to its VPC.
 */
function pathSerializer(pathname: string, params: Record<string, unknown>): string {
  return pathname.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === "") {
      throw new TypeError(`Missing path parameter "${name}" for ${pathname}.`);
    }
    if (value === "." || value === "..") {
      throw new TypeError(`Path parameter "${name}" for ${pathname} is "${value}", which would address another path.`);
    }
    return encodeURIComponent(String(value)).replace(/%3A/gi, ":");
  });
}

/**
 * Creates a typed client for the DigitalOcean API: a resource method per operation (`client.droplets.get(id)`) and
 * openapi-fetch's `GET`/`POST`/… over every documented path, with bearer auth, pacing, retries, per-attempt
 * timeouts and rate-limit tracking.
 *
 * @example
 * const client = createDigitalOceanClient({ token: process.env.DIGITALOCEAN_TOKEN });
 * const { droplet } = await client.droplets.get(3164444);
 */
export function createDigitalOceanClient(options: DigitalOceanClientOptions = {}): DigitalOceanClient {
  checkOptions(options);
  const log = createLog(options.logger);
  const {
    token = process.env.DIGITALOCEAN_TOKEN,
    userAgent,
    retry,
    timeoutMs = 30_000,
    maxResponseBytes = 64 * 2 ** 20,
    pacing,
  } = options;
  const getToken =
    typeof token === "function"
      ? async () => checkToken(await token())
      : (
          (t) => () =>
            t
        )(checkToken(token));
  const transport = createTransport({
    token: getToken,
    fetch: options.fetch
      ? (url, init) => options.fetch!(new Request(url, init))
      : (url, init) => globalThis.fetch(url, init),
    userAgent: userAgent ? `${USER_AGENT} ${userAgent}` : USER_AGENT,
    timeoutMs,
    maxResponseBytes,
    retry: retryPolicy(RETRY_DEFAULTS, retry),
    pacing: pacing ?? {},
    signal: options.signal,
    log,
  });
  const client = createClient<paths, "application/json">({
    baseUrl: defaultBaseUrl(options.baseUrl),
    fetch: transport.fetch,
    Request: CallRequest,
    headers: options.headers,
    pathSerializer,
  });
  if (transport.middleware) client.use(transport.middleware);
  Object.assign(client, createResources(client, checkCall));
  return Object.defineProperty(client, "rateLimit", {
    get: () => transport.rateLimit,
    enumerable: true,
  }) as unknown as DigitalOceanClient;
}

/** A schema as the API returns it (read-only fields included): `Schema<"Droplet">`, `Schema<"Vpc">`, … */
export type Schema<N extends keyof components["schemas"]> = Readable<components["schemas"][N]>;
