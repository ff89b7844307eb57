import { ApiError, NetworkError, RequestAbortedError, responseInfo, snippet, toErrorBody, type RateLimit } from "./errors.js";
import { retryDelay, retryableError, retryableStatus, sleep, type RetryOptions } from "./retry.js";

export interface TransportOptions {
  token: () => string | Promise<string>;
  fetch: (request: Request) => Promise<Response>;
  userAgent: string;
  timeoutMs: number | undefined;
  retry: Required<RetryOptions> | false;
  signal: AbortSignal | undefined;
}

/** Headers that no longer describe a body once it has been read and re-wrapped. */
const STALE_HEADERS = ["content-encoding", "content-length", "transfer-encoding"];

/** True for URLs whose host is this machine, the only place a token may travel over plain HTTP. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname;
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
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

  async function send(request: Request): Promise<Response> {
    const { method, url } = request;
    if (!url.startsWith("https://") && !isLoopback(new URL(url))) {
      throw new Error(`Refusing to send the DigitalOcean token over plain HTTP to ${new URL(url).origin}. Use an https:// baseUrl (http:// is allowed only for localhost).`);
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
      let failure: Error;
      try {
        response = await opts.fetch(new Request(url, { method, headers, body, signal, redirect: request.redirect }));
        text = await response.text();
      } catch (error) {
        if (caller.aborted) {
          throw new RequestAbortedError("aborted", method, url, "was aborted by the caller's signal.", { cause: caller.reason });
        }
        failure = timeout?.aborted
          ? new RequestAbortedError("timeout", method, url, `timed out after ${opts.timeoutMs} ms (attempt ${attempt} of ${maxRetries + 1}). Raise timeoutMs if the API is slow.`)
          : new NetworkError(method, url, attempt, error);
        if (attempt > maxRetries || !retryableError(method, timeout?.aborted ? undefined : error)) throw failure;
        await wait(retryDelay(attempt - 1, opts.retry as Required<RetryOptions>) ?? 0, caller, method, url);
        continue;
      }

      const rateLimit = readRateLimit(response.headers);
      if (rateLimit) latest = rateLimit;
      if (!response.ok && attempt <= maxRetries && retryableStatus(method, response.status)) {
        const delay = retryDelay(attempt - 1, opts.retry as Required<RetryOptions>, response.headers, rateLimit);
        if (delay !== undefined) {
          await wait(delay, caller, method, url);
          continue;
        }
      }
      const info = { method, url, rateLimit };
      let json = text;
      if (response.ok && text) {
        try {
          JSON.parse(text);
        } catch {
          throw new ApiError(response.status, { id: "invalid_json", message: `the response body is not valid JSON: ${snippet(text)}` }, info);
        }
      } else if (!response.ok) {
        json = JSON.stringify(toErrorBody(response.status, parseJson(text)));
      }
      return wrap(response, json, info);
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
async function wait(ms: number, caller: AbortSignal, method: string, url: string): Promise<void> {
  try {
    await sleep(ms, caller);
  } catch (reason) {
    throw new RequestAbortedError("aborted", method, url, "was aborted by the caller's signal while waiting to retry.", { cause: reason });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A copy of `response` with the body `text`, remembered with the request it answered. */
function wrap(response: Response, text: string, info: { method: string; url: string; rateLimit: RateLimit | undefined }): Response {
  const headers = new Headers(response.headers);
  for (const name of STALE_HEADERS) headers.delete(name);
  const empty = response.status === 204 || response.status === 205 || response.status === 304 || info.method === "HEAD";
  const copy = new Response(empty ? null : text, { status: response.status, statusText: response.statusText, headers });
  Object.defineProperty(copy, "url", { value: response.url || info.url });
  responseInfo.set(copy, info);
  return copy;
}
