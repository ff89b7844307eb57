import type { RateLimit } from "./errors.js";

/** How failed requests are retried. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** Base of the exponential backoff: attempt n waits a random time up to `baseDelayMs * 2^n` (default 500). */
  baseDelayMs?: number;
  /**
   * Longest single wait (default 30,000). A `Retry-After` or `ratelimit-reset` further away than this is not
   * waited for: the error response is returned at once so the caller can decide.
   */
  maxDelayMs?: number;
}

export const RETRY_DEFAULTS: Required<RetryOptions> = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Statuses worth another attempt: rate limiting and transient server failures. */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Methods that are safe to repeat once the server may have seen the request. */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE"]);
/** Connection errors raised before any byte of the request was sent. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/** Whether a response with `status` to a `method` request may be retried. */
export function retryableStatus(method: string, status: number): boolean {
  return RETRY_STATUSES.has(status) && IDEMPOTENT.has(method);
}

/** Whether a network error for a `method` request may be retried: any for idempotent methods, only never-sent ones otherwise. */
export function retryableError(method: string, error: unknown): boolean {
  return IDEMPOTENT.has(method) || NEVER_SENT.has(causeCode(error)!);
}

/** The most specific reason fetch gives for a failure, e.g. `ECONNREFUSED`. */
export function causeCode(error: unknown): string | undefined {
  return (error as { cause?: { code?: string } })?.cause?.code;
}

/**
 * Milliseconds to wait before retry number `retry` (0-based): the server's `Retry-After`
 * (seconds or HTTP date) if present, else the rate-limit reset when the quota is used up,
 * else exponential backoff with full jitter. `undefined` when the server asks for longer than `maxDelayMs`.
 */
export function retryDelay(retry: number, opts: Required<RetryOptions>, headers?: Headers, rateLimit?: RateLimit, now = Date.now()): number | undefined {
  const retryAfter = headers?.get("retry-after");
  let wait: number | undefined;
  if (retryAfter) {
    const seconds = Number(retryAfter);
    wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
    if (Number.isNaN(wait)) wait = undefined;
  } else if (rateLimit && rateLimit.remaining <= 0) {
    wait = rateLimit.reset.getTime() - now;
  }
  if (wait !== undefined) return wait > opts.maxDelayMs ? undefined : Math.max(0, wait);
  return Math.random() * Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** retry);
}
