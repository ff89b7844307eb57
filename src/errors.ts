import type { components } from "../generated/schema.js";

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
  rateLimit: RateLimit | undefined;
}

/** Responses produced by this client's transport, keyed to the request that produced them. */
export const responseInfo = new WeakMap<Response, ResponseInfo>();

const HINTS: Record<number, string> = {
  401: "Check the token is valid and has this operation's scopes.",
  429: "Wait until error.rateLimit.reset or send fewer requests.",
};

/**
 * An HTTP error answer from the DigitalOcean API, or a response the client could not read.
 * Thrown by {@link unwrap}; carries no request headers, so the token never appears in it.
 */
export class ApiError extends Error {
  override name = "ApiError";
  /** HTTP status code. */
  readonly status: number;
  /** Short error identifier from the body, e.g. `not_found`, or one this client derived. */
  readonly id: string;
  /** Request ID from the body, to quote when contacting support. */
  readonly requestId: string | undefined;
  /** HTTP method of the failed request. */
  readonly method: string;
  /** URL of the failed request. */
  readonly url: string;
  /** Rate-limit state reported with this response. */
  readonly rateLimit: RateLimit | undefined;
  /** The parsed error body. */
  readonly body: ErrorBody;

  constructor(status: number, body: ErrorBody, info: ResponseInfo) {
    const hint = HINTS[status] ? ` ${HINTS[status]}` : "";
    super(`DigitalOcean ${info.method} ${info.url} failed with ${status} ${body.id}: ${body.message}${hint}`);
    this.status = status;
    this.id = body.id;
    this.requestId = body.request_id;
    this.method = info.method;
    this.url = info.url;
    this.rateLimit = info.rateLimit;
    this.body = body;
  }

  /** A plain-object form for logs and JSON. */
  toJSON() {
    const { name, status, id, message, requestId, method, url, rateLimit } = this;
    return { name, status, id, message, requestId, method, url, rateLimit };
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
  const info = responseInfo.get(response) ?? { method: "?", url: response.url, rateLimit: undefined };
  throw new ApiError(response.status, toErrorBody(response.status, error), info);
}

/** Turns whatever an error response carried into the documented `{ id, message }` shape. */
export function toErrorBody(status: number, body: unknown): ErrorBody {
  if (body && typeof body === "object" && typeof (body as ErrorBody).id === "string" && typeof (body as ErrorBody).message === "string") {
    return body as ErrorBody;
  }
  const text = typeof body === "string" ? body : (JSON.stringify(body) ?? "");
  return {
    id: `http_${status}`,
    message: text.trim() ? `the response body is not a DigitalOcean error object: ${snippet(text)}` : "the response body is empty",
  };
}

/** The first 200 characters of a body, on one line. */
export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 200 ? `${flat.slice(0, 200)}…` : flat);
}

/**
 * A request that got no HTTP answer: its per-attempt timeout fired (`reason: "timeout"`), the caller's signal
 * aborted it (`"aborted"`), or the server could not be reached (`"network"`: DNS failure, refused or reset connection).
 */
export class RequestError extends Error {
  override name = "RequestError";
  constructor(
    /** Why the request got no answer. */
    readonly reason: "timeout" | "aborted" | "network",
    /** HTTP method of the request. */
    readonly method: string,
    /** URL of the request. */
    readonly url: string,
    /** Attempts made. */
    readonly attempts: number,
    detail: string,
    cause?: unknown,
  ) {
    super(`DigitalOcean ${method} ${url} ${detail}`, { cause });
  }
}
