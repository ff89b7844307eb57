import type { components } from "../generated/schema.js";
import { OPERATIONS, operationIdAt, type OperationId } from "./contract.js";
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
  /** The response's `x-request-id` header, for when the body carries no `request_id`. */
  requestId?: string | undefined;
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
  const id = operationIdAt(method, url);
  if (!id) return undefined;
  const { scopes } = OPERATIONS[id];
  return `${id} needs a token with the scope${scopes.length > 1 ? "s" : ""} ${scopes.join(", ")}.`;
}

/** Marks an {@link ApiError} of any copy of this package, for {@link isApiError}. */
const API_ERROR = Symbol.for("digitalocean-typed.ApiError");

/**
 * An HTTP error answer from the DigitalOcean API, or a response the client could not read. Thrown by resource
 * methods and {@link unwrap} as the subclass of its status (`NotFoundError`, `RateLimitError`, …; see
 * {@link apiError}); carries no request headers, so the token never appears in it.
 */
export class ApiError extends Error {
  override name = "ApiError";
  /** HTTP status code. */
  declare readonly status: number;
  /** Short error identifier from the body, e.g. `not_found`, or one this client derived. */
  declare readonly id: string;
  /** Request ID from the body, else the `x-request-id` header, to quote when contacting support. */
  declare readonly requestId: string | undefined;
  /** The operation that failed (`"droplets_get"`), when the request's path is one of the spec's. */
  declare readonly operationId: OperationId | undefined;
  /** HTTP method of the failed request. */
  declare readonly method: string;
  /** URL of the failed request. */
  declare readonly url: string;
  /** Rate-limit state reported with this response. */
  declare readonly rateLimit: RateLimit | undefined;
  /** The parsed error body. */
  declare readonly body: ErrorBody;

  constructor(status: number, body: ErrorBody, { method, url, rateLimit, requestId }: ResponseInfo) {
    const advice = status === 403 ? scopesHint(method, url) : HINTS[status];
    const hint = advice ? ` ${advice}` : "";
    super(`DigitalOcean ${method} ${url} failed with ${status} ${body.id}: ${body.message}${hint}`);
    const operationId = operationIdAt(method, url);
    Object.assign(this, { status, id: body.id, requestId: body.request_id ?? requestId, operationId });
    Object.assign(this, { method, url, rateLimit, body });
  }

  /** A plain-object form for logs and JSON. */
  toJSON() {
    return { ...this, message: this.message };
  }
}

Object.defineProperty(ApiError.prototype, API_ERROR, { value: true });

/** 400: the request was malformed or a field was invalid. */
export class BadRequestError extends ApiError {
  override name = "BadRequestError";
}
/** 401: the token is missing, wrong or revoked. */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
}
/** 403: the token lacks a scope the operation needs. */
export class PermissionDeniedError extends ApiError {
  override name = "PermissionDeniedError";
}
/** 404: no such resource (or not this account's). */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
}
/** 409: the resource is in a state that forbids the request. */
export class ConflictError extends ApiError {
  override name = "ConflictError";
}
/** 412: a precondition failed (a project that still has resources). */
export class PreconditionFailedError extends ApiError {
  override name = "PreconditionFailedError";
}
/** 422: the request was understood but cannot be done. */
export class UnprocessableEntityError extends ApiError {
  override name = "UnprocessableEntityError";
}
/** 429: over the rate limit, after the client's retries; `rateLimit.reset` says when it frees. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
}
/** 500 and above: the API failed, after the client's retries. */
export class InternalServerError extends ApiError {
  override name = "InternalServerError";
}

const BY_STATUS: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The error for an error answer: the subclass of its status, else an {@link ApiError}. */
export function apiError(status: number, body: ErrorBody, info: ResponseInfo): ApiError {
  const Class = status >= 500 ? InternalServerError : (BY_STATUS[status] ?? ApiError);
  return new Class(status, body, info);
}

/** True when `x` is an {@link ApiError} (or a subclass), also across duplicated copies of this package. */
export function isApiError(x: unknown): x is ApiError {
  return (
    x instanceof ApiError ||
    (x instanceof Error &&
      ((x as { [API_ERROR]?: boolean })[API_ERROR] === true || x.name === "ApiError") &&
      "status" in x)
  );
}

/** The shape of an openapi-fetch result. */
export interface FetchResult<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * Returns the data of a successful call or throws an {@link ApiError}:
 * `const { droplet } = await unwrap(client.GET("/v2/droplets/{droplet_id}", …))`.
 */
export async function unwrap<D>(result: Promise<FetchResult<D>> | FetchResult<D>): Promise<D> {
  return dataOf(await result);
}

/** The data of a successful openapi-fetch result; for any other, throws the {@link ApiError} of its status. */
export function dataOf<D>({ data, error, response }: FetchResult<D>): D {
  if (response.ok) return data as D;
  const { method = "?", url = response.url, rateLimit } = (response as TrackedResponse)[INFO] ?? {};
  const requestId = response.headers.get("x-request-id") ?? undefined;
  throw apiError(response.status, toErrorBody(response.status, error), { method, url, rateLimit, requestId });
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

/** What a {@link RequestError} is made of. */
export interface RequestErrorOptions {
  reason: RequestError["reason"];
  method: string;
  url: string;
  attempts: number;
  /** What happened, after the method and URL: `"timed out after 30000 ms (attempt 3 of 3)."`. */
  detail: string;
  cause?: unknown;
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
  /** The operation of the request (`"droplets_get"`), when its path is one of the spec's. */
  declare readonly operationId: OperationId | undefined;
  /** Why the request got no answer, or none it could read. */
  declare readonly reason: "timeout" | "aborted" | "network" | "token" | "too_large";
  /** HTTP method of the request. */
  declare readonly method: string;
  /** URL of the request. */
  declare readonly url: string;
  /** Attempts made. */
  declare readonly attempts: number;

  constructor({ reason, method, url, attempts, detail, cause }: RequestErrorOptions) {
    super(`DigitalOcean ${method} ${url} ${detail}`, { cause });
    Object.assign(this, { reason, method, url, attempts, operationId: operationIdAt(method, url) });
  }
}
