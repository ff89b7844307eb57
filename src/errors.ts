import type { components } from "../generated/schema.js";
import { OPERATIONS } from "./contract.js";
import { redactTokens } from "./log.js";

/** The latest rate-limit state the API reported (`ratelimit-*` response headers). */
export interface RateLimit {
  /** Requests allowed per window (5,000 per hour, 250 per minute). */
  limit: number;
  /** Requests left in the hourly quota. */
  remaining: number;
  /** When the oldest request in the window expires and frees quota. */
  reset: Date;
}

/** The error body every DigitalOcean API error carries. */
export type ErrorBody = components["schemas"]["Error"];

/** What the transport records about each response, so errors can say which request failed. */
export interface ResponseInfo {
  method: string;
  url: string;
  rateLimit?: RateLimit | undefined;
}

/** The key under which the transport stores a {@link ResponseInfo} on each response it produced. */
export const INFO = Symbol("digitalocean-typed.info");

/** A response this client's transport produced (a symbol-keyed property costs less than a WeakMap entry). */
export type TrackedResponse = Response & { [INFO]?: ResponseInfo };

const HINTS: Record<number, string> = {
  401: "Check the token and its scopes.",
  429: "Retry after error.rateLimit.reset.",
};

/** What to add to the token for a 403: the scopes the spec lists for the request's operation, when it has one. */
function scopesHint(method: string, url: string): string | undefined {
  const pathname = URL.canParse(url) ? new URL(url).pathname : "";
  // Matched at the end: a baseUrl may put a path of its own before /v2/. A literal segment beats a parameter.
  const fits = (path: string) => new RegExp(`${path.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(pathname);
  const params = (path: string) => path.split("{").length;
  const [id, row] =
    Object.entries(OPERATIONS)
      .filter(([, o]) => o.httpMethod === method && fits(o.path))
      .sort(([, a], [, b]) => params(a.path) - params(b.path))[0] ?? [];
  if (!row) return undefined;
  return `${id} needs a token with the scope${row.scopes.length > 1 ? "s" : ""} ${row.scopes.join(", ")}.`;
}

/**
 * An HTTP error answer from the DigitalOcean API, or a response the client could not read.
 * Thrown by {@link unwrap}; carries no request headers, so the token never appears in it.
 */
export class ApiError extends Error {
  override name = "ApiError";
  /** HTTP status code. */
  declare readonly status: number;
  /** Short error identifier from the body, e.g. `not_found`, or one this client derived. */
  declare readonly id: string;
  /** Request ID from the body, to quote when contacting support. */
  declare readonly requestId: string | undefined;
  /** HTTP method of the failed request. */
  declare readonly method: string;
  /** URL of the failed request. */
  declare readonly url: string;
  /** Rate-limit state reported with this response. */
  declare readonly rateLimit: RateLimit | undefined;
  /** The parsed error body. */
  declare readonly body: ErrorBody;

  constructor(status: number, body: ErrorBody, { method, url, rateLimit }: ResponseInfo) {
    const advice = status === 403 ? scopesHint(method, url) : HINTS[status];
    const hint = advice ? ` ${advice}` : "";
    super(`DigitalOcean ${method} ${url} failed with ${status} ${body.id}: ${body.message}${hint}`);
    Object.assign(this, { status, id: body.id, requestId: body.request_id, method, url, rateLimit, body });
  }

  /** A plain-object form for logs and JSON. */
  toJSON() {
    return { ...this, message: this.message };
  }
}

/** True when `x` is an {@link ApiError}, also across duplicated copies of this package. */
export function isApiError(x: unknown): x is ApiError {
  return x instanceof ApiError || (x instanceof Error && x.name === "ApiError" && "status" in x);
}

/** The shape of an openapi-fetch result. */
interface FetchResult<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * Returns the data of a successful call or throws an {@link ApiError}:
 * `const { droplet } = await unwrap(client.GET("/v2/droplets/{droplet_id}", …))`.
 */
export async function unwrap<D>(result: Promise<FetchResult<D>> | FetchResult<D>): Promise<D> {
  const { data, error, response } = await result;
  if (response.ok) return data as D;
  const info = (response as TrackedResponse)[INFO] ?? { method: "?", url: response.url };
  throw new ApiError(response.status, toErrorBody(response.status, error), info);
}

/**
 * Turns whatever an error response carried (parsed or raw text) into the documented `{ id, message }` shape, with
 * every string passed through `hide` (by default: token-shaped strings redacted), so a server that echoes the
 * token puts it in no error.
 */
export function toErrorBody(status: number, body: unknown, hide: (text: string) => string = redactTokens): ErrorBody {
  // Hidden in the JSON text: keys and nested values too; the redaction never breaks JSON (see redactTokens).
  return JSON.parse(hide(JSON.stringify(readErrorBody(status, body))));
}

function readErrorBody(status: number, body: unknown): ErrorBody {
  try {
    if (typeof body === "string") body = JSON.parse(body);
  } catch {}
  if (
    body &&
    typeof body === "object" &&
    typeof (body as ErrorBody).id === "string" &&
    typeof (body as ErrorBody).message === "string"
  ) {
    return body as ErrorBody;
  }
  const text = typeof body === "string" ? body : (JSON.stringify(body) ?? "");
  return {
    id: `http_${status}`,
    message: text.trim()
      ? `the response body is not a DigitalOcean error object: ${snippet(text)}`
      : "the response body is empty",
  };
}

/** The first 200 characters of a body, on one line. */
export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 200 ? `${flat.slice(0, 200)}…` : flat);
}

/**
 * A request that got no HTTP answer: its per-attempt timeout fired (`reason: "timeout"`), the caller's signal
 * aborted it (`"aborted"`), the server could not be reached (`"network"`: DNS failure, refused or reset connection),
 * or the token function failed (`"token"`: it threw or gave no token; `cause` says why). A token function that
 * does not settle within `timeoutMs` is a `"timeout"`. Or it got one whose body was larger than the client's
 * `maxResponseBytes` (`"too_large"`, never retried).
 */
export class RequestError extends Error {
  override name = "RequestError";
  /** Why the request got no answer, or none it could read. */
  declare readonly reason: "timeout" | "aborted" | "network" | "token" | "too_large";
  /** HTTP method of the request. */
  declare readonly method: string;
  /** URL of the request. */
  declare readonly url: string;
  /** Attempts made. */
  declare readonly attempts: number;

  constructor(
    reason: RequestError["reason"],
    method: string,
    url: string,
    attempts: number,
    detail: string,
    cause?: unknown,
  ) {
    super(`DigitalOcean ${method} ${url} ${detail}`, { cause });
    Object.assign(this, { reason, method, url, attempts });
  }
}
