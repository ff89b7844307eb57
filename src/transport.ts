import { ApiError, RequestError, responseInfo, snippet, toErrorBody, type RateLimit, type ResponseInfo } from "./errors.js";
import { retryDelay, retryableError, retryableStatus, sleep, type RetryOptions } from "./retry.js";

export interface TransportOptions {
  token: () => string | Promise<string>;
  fetch: (request: Request) => Promise<Response>;
  userAgent: string;
  timeoutMs: number | undefined;
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
  const limit = headers.get("ratelimit-limit");
  const remaining = headers.get("ratelimit-remaining");
  const reset = headers.get("ratelimit-reset");
  if (limit === null || remaining === null || reset === null) return undefined;
  const values = [Number(limit), Number(remaining), Number(reset)] as const;
  if (!values.every(Number.isFinite)) return undefined;
  return { limit: values[0], remaining: values[1], reset: new Date(values[2] * 1000) };
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
    const origin = /^[^:]+:\/\/[^/]+/.exec(url)?.[0] ?? url;
    if (!safe.has(origin)) {
      checkOrigin(new URL(url));
      safe.add(origin);
    }
    const headers = new Headers(request.headers);
    headers.set("Authorization", `Bearer ${await opts.token()}`);
    headers.set("User-Agent", opts.userAgent);
    // The API answers 415 to some DELETEs without it.
    if (method === "DELETE" && !headers.has("Content-Type")) headers.set("Content-Type", "application/json");
    const body = request.body ? await request.arrayBuffer() : undefined;
    const caller = opts.signal ? AbortSignal.any([request.signal, opts.signal]) : request.signal;
    const maxRetries = opts.retry ? opts.retry.maxRetries : 0;

    for (let attempt = 1; ; attempt++) {
      const timeout = opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined;
      const signal = timeout ? AbortSignal.any([caller, timeout]) : caller;
      let response: Response;
      let text: string;
      try {
        response = await opts.fetch(new Request(url, { method, headers, body, signal, redirect: request.redirect }));
        text = await response.text();
      } catch (error) {
        if (caller.aborted) throw new RequestError("aborted", method, url, attempt, "was aborted by the caller's signal.", caller.reason);
        const timedOut = timeout?.aborted;
        if (attempt > maxRetries || !retryableError(method, timedOut ? undefined : error)) {
          throw timedOut
            ? new RequestError("timeout", method, url, attempt, `timed out after ${opts.timeoutMs} ms (attempt ${attempt} of ${maxRetries + 1}). Raise timeoutMs if the API is slow.`)
            : new RequestError("network", method, url, attempt, `could not reach the server (${networkCause(error)}) after ${attempt} attempt(s). Check the network and the baseUrl.`, error);
        }
        await wait(retryDelay(attempt - 1, opts.retry as Required<RetryOptions>) ?? 0, caller, method, url, attempt);
        continue;
      }

      const rateLimit = readRateLimit(response.headers);
      if (rateLimit) latest = rateLimit;
      if (!response.ok && attempt <= maxRetries && retryableStatus(method, response.status)) {
        const delay = retryDelay(attempt - 1, opts.retry as Required<RetryOptions>, response.headers, rateLimit);
        if (delay !== undefined) {
          await wait(delay, caller, method, url, attempt);
          continue;
        }
      }
      const info = { method, url, rateLimit };
      if (response.status >= 400) {
        // Whatever the error body was (empty, HTML, truncated), openapi-fetch gets the documented shape.
        const error = toErrorBody(response.status, parseJson(text));
        const copy = new Headers(response.headers);
        copy.delete("content-length");
        response = new Response(JSON.stringify(error), { status: response.status, statusText: response.statusText, headers: copy });
        Object.defineProperty(response, "url", { value: url });
        return settle(response, JSON.stringify(error), error, info);
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

/** Waits before a retry; an abort from the caller during the wait ends the request. */
async function wait(ms: number, caller: AbortSignal, method: string, url: string, attempts: number): Promise<void> {
  try {
    await sleep(ms, caller);
  } catch (reason) {
    throw new RequestError("aborted", method, url, attempts, "was aborted by the caller's signal while waiting to retry.", reason);
  }
}

/** The most specific reason fetch gives for a failure, e.g. `ECONNREFUSED`. */
function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? String((error as Error)?.message ?? error);
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
  Object.defineProperties(response, { text: { value: async () => text }, json: { value: async () => data } });
  responseInfo.set(response, info);
  return response;
}
