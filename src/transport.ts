import { ApiError, INFO, RequestError, snippet, toErrorBody, type RateLimit, type ResponseInfo } from "./errors.js";
import { createPacer, type PacingOptions } from "./pacing.js";
import { causeCode, retryDelay, retryableError, retryableStatus, type RetryOptions } from "./retry.js";
import { linkSignals, pause, type Link } from "./signals.js";

export interface TransportOptions {
  token: () => string | Promise<string>;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  userAgent: string;
  /** Per-attempt timeout in milliseconds; 0 for none. */
  timeoutMs: number;
  /** The retry policy; `maxRetries: 0` for none. */
  retry: Required<RetryOptions>;
  /** The pacing of requests, or `false` for none. */
  pacing: PacingOptions | false;
  signal: AbortSignal | undefined;
}

const isAborted = (signal: AbortSignal) => signal.aborted;

/** Throws unless `url` is https:// or plain http:// to this machine: a token never crosses a network in clear. */
export function checkOrigin(url: URL): void {
  const host = url.hostname;
  const loopback = host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new TypeError(
      `Refusing to send the DigitalOcean token to ${url.origin}: use https:// (http:// only for localhost).`,
    );
  }
}

/** Reads the `ratelimit-*` headers, or `undefined` when the response has none. */
export function readRateLimit(headers: Headers): RateLimit | undefined {
  const limit = Number(headers.get("ratelimit-limit") || NaN);
  const remaining = Number(headers.get("ratelimit-remaining") || NaN);
  const reset = Number(headers.get("ratelimit-reset") || NaN);
  return Number.isFinite(limit + remaining + reset) ? { limit, remaining, reset: new Date(reset * 1000) } : undefined;
}

/**
 * The Request openapi-fetch builds for each call. It keeps the caller's own `signal`, so the transport
 * listens only to signals that can abort (every Request has one; most never fire).
 */
export class CallRequest extends Request {
  readonly callerSignal: AbortSignal | null | undefined;
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(input, init);
    this.callerSignal = init?.signal;
  }
  /** openapi-fetch checks what `onRequest` middleware returns against this class: any Request will do. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Request;
  }
}

/**
 * The `fetch` openapi-fetch calls: adds auth and the user agent, enforces HTTPS, paces requests, applies
 * per-attempt timeouts and the caller's signal, retries, tracks rate limits, and hands back a response whose body
 * is always JSON openapi-fetch can parse (error bodies normalised to `{ id, message }`).
 */
export function createTransport(opts: TransportOptions) {
  let latest: RateLimit | undefined;
  const clientSignals = opts.signal ? [opts.signal] : [];
  const pacer = opts.pacing ? createPacer(opts.pacing, opts.retry.maxWaitMs) : undefined;

  /** Ends an attempt: stops following its signals and gives back its place in the pacing window. */
  function end(limit: Link, placed: boolean) {
    limit.release();
    if (placed) pacer!.done();
  }

  async function send(request: Request): Promise<Response> {
    const { method, url } = request;
    checkOrigin(new URL(url)); // again: a per-call baseUrl or a middleware may have changed it
    // A copy: middleware sees `request` again in onResponse, and must never find the token on it.
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers) headers[name] = value;
    const token = opts.token();
    headers.authorization = `Bearer ${await token}`;
    headers["user-agent"] = opts.userAgent;
    // The API answers 415 to some DELETEs without it.
    if (method === "DELETE") headers["content-type"] ??= "application/json";
    const body = request.body ? await request.arrayBuffer() : undefined;
    // A Request a middleware made in place of ours may follow any signal: listen to it.
    const caller = "callerSignal" in request ? (request as CallRequest).callerSignal : request.signal;
    const callers = caller ? [caller, ...clientSignals] : clientSignals;
    const { retry, timeoutMs } = opts;
    const { maxRetries } = retry;
    for (let attempt = 1; ; attempt++) {
      // A place in the pacing window: at once, or after waiting in line (an abort ends the wait, taking none).
      let placed = false;
      if (pacer && !callers.some(isAborted)) {
        const turn = pacer.turn(callers);
        placed = turn === true || (await turn);
      }
      const stopped = callers.find(isAborted);
      if (stopped) {
        if (placed) pacer!.done();
        throw new RequestError(
          "aborted",
          method,
          url,
          attempt - 1,
          "was aborted by the caller's signal.",
          stopped.reason,
        );
      }
      const limit = linkSignals(callers, timeoutMs);
      let response: Response;
      let text: string;
      try {
        response = await opts.fetch(url, { method, headers, body, signal: limit.signal, redirect: request.redirect });
        text = await response.text();
      } catch (error) {
        end(limit, placed);
        // An abort by the caller is reported at the top of the loop.
        if (!callers.some(isAborted)) {
          if (attempt > maxRetries || !retryableError(method, limit.timedOut ? undefined : error)) {
            throw limit.timedOut
              ? new RequestError(
                  "timeout",
                  method,
                  url,
                  attempt,
                  `timed out after ${timeoutMs} ms (attempt ${attempt} of ${maxRetries + 1}). Raise timeoutMs if the API is slow.`,
                )
              : new RequestError(
                  "network",
                  method,
                  url,
                  attempt,
                  `could not reach the server (${causeCode(error) ?? error}) after ${attempt} attempt(s). Check the network and the baseUrl.`,
                  error,
                );
          }
          await pause(retryDelay(attempt - 1, retry) ?? 0, callers);
        }
        continue;
      }
      end(limit, placed);

      const rateLimit = readRateLimit(response.headers);
      if (rateLimit) {
        latest = rateLimit;
        // The quota is used up: hold new requests until it resets rather than send them to a sure 429.
        if (rateLimit.remaining <= 0) pacer?.hold(rateLimit.reset.getTime());
      }
      if (!response.ok && attempt <= maxRetries && retryableStatus(method, response.status)) {
        const delay = retryDelay(attempt - 1, retry, response.headers, rateLimit);
        if (delay !== undefined) {
          await pause(delay, callers);
          continue;
        }
      }
      const info: Body = { method, url, rateLimit, text, data: undefined };
      const error = response.status >= 400;
      if (error) {
        // Whatever the error body was (empty, HTML, truncated), openapi-fetch gets the documented shape.
        info.received = text;
        info.data = toErrorBody(response.status, text);
        info.text = JSON.stringify(info.data);
      } else {
        try {
          info.data = text ? JSON.parse(text) : undefined;
        } catch {
          throw new ApiError(
            response.status,
            { id: "invalid_json", message: `the response body is not valid JSON: ${snippet(text)}` },
            info,
          );
        }
        // Without a Content-Length (chunked or compressed) openapi-fetch parses the text a second time: worth
        // avoiding for a large body (a list page), not for a small one, which costs less to parse than to avoid.
        if (text.length < 4e3) return settle(response, info);
      }
      // Give a large success the length of its body as read, so openapi-fetch takes the parsed value, and a
      // rewritten error the length of what it now carries (at Content-Length 0 openapi-fetch would skip it).
      const served = new Headers(response.headers);
      served.set("content-length", String(new Blob([info.text]).size));
      return settle(Object.defineProperty(response, "headers", { value: served }), info);
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
 * What the transport records on a response: the request it answered, and its body as text and parsed;
 * for an error, also the body as received (`text` and `data` then hold the documented `{ id, message }`).
 */
export type Body = ResponseInfo & { text: string; data: unknown; received?: string };
type Settled = Response & { [INFO]: Body };

async function cachedText(this: Settled) {
  return this[INFO].text;
}

async function cachedJson(this: Settled) {
  return this[INFO].data;
}

/**
 * The body was read here (within the attempt's timeout, and to catch bad JSON); serve openapi-fetch the
 * text and parsed value from memory instead of parsing twice, and record which request this answered.
 * Shared methods and one symbol-keyed property: per-response closures or a WeakMap cost measurably more.
 */
function settle(response: Response, body: Body): Response {
  const settled = response as Settled;
  settled[INFO] = body;
  settled.text = cachedText;
  settled.json = cachedJson;
  return settled;
}
