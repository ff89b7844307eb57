import { ApiError, RequestError, responseInfo, snippet, toErrorBody, type RateLimit, type ResponseInfo } from "./errors.js";
import { retryDelay, retryableError, retryableStatus, sleep, type RetryOptions } from "./retry.js";

export interface TransportOptions {
  token: () => string | Promise<string>;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  userAgent: string;
  /** Per-attempt timeout in milliseconds; 0 for none. */
  timeoutMs: number;
  retry: Required<RetryOptions> | false;
  signal: AbortSignal | undefined;
}

/** Throws unless `url` is https:// or plain http:// to this machine: a token never crosses a network in clear. */
export function checkOrigin(url: URL): void {
  const host = url.hostname;
  const loopback = host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new TypeError(`Refusing to send the DigitalOcean token to ${url.origin}: use https:// (http:// only for localhost).`);
  }
}

/** Reads the `ratelimit-*` headers, or `undefined` when the response has none. */
export function readRateLimit(headers: Headers): RateLimit | undefined {
  const [limit, remaining, reset] = ["limit", "remaining", "reset"].map((name) => Number(headers.get(`ratelimit-${name}`) ?? NaN)) as [number, number, number];
  if (![limit, remaining, reset].every(Number.isFinite)) return undefined;
  return { limit, remaining, reset: new Date(reset * 1000) };
}

/**
 * The `fetch` openapi-fetch calls: adds auth and the user agent, enforces HTTPS, applies per-attempt
 * timeouts and the caller's signal, retries, tracks rate limits, and hands back a response whose body
 * is always JSON openapi-fetch can parse (error bodies normalised to `{ id, message }`).
 */
export function createTransport(opts: TransportOptions) {
  let latest: RateLimit | undefined;
  /** Origins already checked by {@link checkOrigin}, so the hot path skips parsing the URL. */
  const safe = new Set<string>();

  async function send(request: Request): Promise<Response> {
    const { method, url } = request;
    const origin = url.slice(0, url.indexOf("/", 8)); // scheme://host[:port]; every request has a /v2/… path
    if (!safe.has(origin)) {
      checkOrigin(new URL(url));
      safe.add(origin);
    }
    // A copy: middleware sees `request` again in onResponse, and must never find the token on it.
    const headers = new Headers(request.headers);
    const token = opts.token();
    headers.set("Authorization", `Bearer ${typeof token === "string" ? token : await token}`);
    headers.set("User-Agent", opts.userAgent);
    // The API answers 415 to some DELETEs without it.
    if (method === "DELETE" && !headers.has("Content-Type")) headers.set("Content-Type", "application/json");
    const body = request.body ? await request.arrayBuffer() : undefined;
    const callers = opts.signal ? [request.signal, opts.signal] : [request.signal];
    const maxRetries = opts.retry ? opts.retry.maxRetries : 0;
    for (let attempt = 1; ; attempt++) {
      const limit = linkSignals(callers, opts.timeoutMs);
      let response: Response;
      let text: string;
      try {
        response = await opts.fetch(url, { method, headers, body, signal: limit.signal, redirect: request.redirect });
        text = await response.text();
      } catch (error) {
        const stopped = callers.find((signal) => signal.aborted);
        if (stopped) throw new RequestError("aborted", method, url, attempt, "was aborted by the caller's signal.", stopped.reason);
        if (attempt > maxRetries || !retryableError(method, limit.timedOut ? undefined : error)) {
          throw limit.timedOut
            ? new RequestError("timeout", method, url, attempt, `timed out after ${opts.timeoutMs} ms (attempt ${attempt} of ${maxRetries + 1}). Raise timeoutMs if the API is slow.`)
            : new RequestError("network", method, url, attempt, `could not reach the server (${networkCause(error)}) after ${attempt} attempt(s). Check the network and the baseUrl.`, error);
        }
        await wait(retryDelay(attempt - 1, opts.retry as Required<RetryOptions>) ?? 0, callers, method, url, attempt);
        continue;
      } finally {
        limit.release();
      }

      const rateLimit = readRateLimit(response.headers);
      if (rateLimit) latest = rateLimit;
      if (!response.ok && attempt <= maxRetries && retryableStatus(method, response.status)) {
        const delay = retryDelay(attempt - 1, opts.retry as Required<RetryOptions>, response.headers, rateLimit);
        if (delay !== undefined) {
          await wait(delay, callers, method, url, attempt);
          continue;
        }
      }
      const info = { method, url, rateLimit };
      if (response.status >= 400) {
        // Whatever the error body was (empty, HTML, truncated), openapi-fetch gets the documented shape.
        const error = toErrorBody(response.status, parseJson(text));
        const json = JSON.stringify(error);
        const copy = new Headers(response.headers);
        copy.delete("content-length");
        response = new Response(json, { status: response.status, statusText: response.statusText, headers: copy });
        return settle(response, json, error, info);
      }
      let data: unknown;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        throw new ApiError(response.status, { id: "invalid_json", message: `the response body is not valid JSON: ${snippet(text)}` }, info);
      }
      return settle(response, text, data, info);
    }
  }

  return {
    fetch: send,
    /** The latest rate-limit state seen, if any. */
    get rateLimit() {
      return latest;
    },
  };
}

/**
 * One signal that aborts when any of `signals` does (with its reason) or after `timeoutMs`. Cheaper than
 * `AbortSignal.any`/`AbortSignal.timeout`, and `release()` leaves no listener on a long-lived client signal.
 */
function linkSignals(signals: AbortSignal[], timeoutMs?: number) {
  const controller = new AbortController();
  const abort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  const timer = timeoutMs
    ? setTimeout(() => {
        link.timedOut = true;
        controller.abort();
      }, timeoutMs)
    : undefined;
  const link = {
    signal: controller.signal,
    timedOut: false,
    release() {
      clearTimeout(timer);
      for (const signal of signals) signal.removeEventListener("abort", abort);
    },
  };
  for (const signal of signals) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener("abort", abort);
  }
  return link;
}

/** Waits before a retry; an abort from the caller during the wait ends the request. */
async function wait(ms: number, callers: AbortSignal[], method: string, url: string, attempts: number): Promise<void> {
  const link = linkSignals(callers);
  try {
    await sleep(ms, link.signal);
  } catch (reason) {
    throw new RequestError("aborted", method, url, attempts, "was aborted by the caller's signal.", reason);
  } finally {
    link.release();
  }
}

/** The most specific reason fetch gives for a failure, e.g. `ECONNREFUSED`. */
function networkCause(error: unknown): string {
  return (error as { cause?: { code?: string } })?.cause?.code ?? String(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The body was read here (within the attempt's timeout, and to catch bad JSON); serve openapi-fetch the
 * text and parsed value from memory instead of parsing twice, and remember which request this answered.
 */
function settle(response: Response, text: string, data: unknown, info: ResponseInfo): Response {
  response.text = async () => text;
  response.json = async () => data;
  responseInfo.set(response, info);
  return response;
}
