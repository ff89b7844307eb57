import type { RateLimit } from "./errors.js";

/** How failed requests are retried. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** Base of the exponential backoff: attempt n waits a random time up to `baseDelayMs * 2^n` (default 500). */
  baseDelayMs?: number;
  /** Cap of the client's own exponential backoff (default 30,000). Waits the server asks for are bounded by `maxWaitMs` instead. */
  maxDelayMs?: number;
  /**
   * Longest wait the client accepts when the server names one: `Retry-After`, or `ratelimit-reset` when
   * `ratelimit-remaining` is 0 (default 60,000, so the API's per-minute limit is always waited out). A server
   * asking for longer gets its error response returned at once, so the caller can decide; with pacing on, the
   * same bound applies to holding new requests until `ratelimit-reset`.
   */
  maxWaitMs?: number;
}

export const RETRY_DEFAULTS: Required<RetryOptions> = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxWaitMs: 60_000,
};

/** `retry` over `base`: its keys replace the base's, and `false` means no retries. */
export function retryPolicy(
  base: Required<RetryOptions>,
  retry: RetryOptions | false | undefined,
): Required<RetryOptions> {
  return { ...base, ...(retry === false ? { maxRetries: 0 } : retry) };
}

/** Transient server failures, retried only where repeating the request is safe. */
const SERVER_ERRORS = new Set([500, 502, 503, 504]);
/** Methods that are safe to repeat once the server may have seen the request. */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE"]);
/** Connection errors raised before any byte of the request was sent. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * Whether a response with `status` to a `method` request may be retried: a 429 always (the API refused the
 * request without acting on it, so a POST or PATCH is safe to send again), a 5xx only for idempotent methods.
 */
export function retryableStatus(method: string, status: number): boolean {
  return status === 429 || (SERVER_ERRORS.has(status) && IDEMPOTENT.has(method));
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
 * Milliseconds until the moment the server named: its `Retry-After` (seconds or HTTP date), else its
 * `ratelimit-reset` when the quota is used up; `undefined` when it named none.
 */
function serverWait(headers: Headers, rateLimit: RateLimit | undefined, now = Date.now()): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
    return Number.isNaN(wait) ? undefined : wait;
  }
  return rateLimit && rateLimit.remaining <= 0 ? rateLimit.reset.getTime() - now : undefined;
}

/**
 * Milliseconds to wait before retry number `retry` (0-based): the wait the server named (see {@link serverWait})
 * if it is still ahead, else exponential backoff with full jitter capped at `maxDelayMs`. `undefined` when the
 * server asks for longer than `maxWaitMs`.
 */
export function retryDelay(
  retry: number,
  opts: Required<RetryOptions>,
  headers?: Headers,
  rateLimit?: RateLimit,
  now = Date.now(),
): number | undefined {
  const wait = headers && serverWait(headers, rateLimit, now);
  if (wait !== undefined && wait > 0) return wait > opts.maxWaitMs ? undefined : wait;
  return Math.random() * Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** retry);
}
