import type { Middleware } from "openapi-fetch";
import { RequestError, type RateLimit } from "./errors.js";
import { redactTokens, redact, type Log } from "./log.js";
import { createPacer, windowsOf, type PacingOptions, type Place } from "./pacing.js";
import { BodyTooLarge, readAnswer, shapeResponse, type Answer } from "./response.js";
import { causeCode, retryDelay, retryPolicy, retryableError, retryableStatus, type RetryOptions } from "./retry.js";
import { linkSignals, pause } from "./signals.js";

export interface TransportOptions {
  token: () => string | Promise<string>;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  userAgent: string;
  /** Per-attempt timeout in milliseconds; 0 for none. */
  timeoutMs: number;
  /** The largest response body read, in bytes (decompressed). */
  maxResponseBytes: number;
  /** The retry policy; `maxRetries: 0` for none. */
  retry: Required<RetryOptions>;
  /** The pacing of requests, or `false` for none. */
  pacing: PacingOptions | false;
  signal: AbortSignal | undefined;
  log: Log;
}

const isAborted = (signal: AbortSignal) => signal.aborted;
/** How long a pacing place may stay taken without an answer when attempts have no timeout. */
const NO_TIMEOUT_LEASE_MS = 600_000;

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

const RATE_LIMIT_HEADERS = ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"] as const;
/** The latest moment a Date can hold, in seconds since the epoch: a later `ratelimit-reset` is not a time. */
const LAST_DATE_SECONDS = 8.64e12;

/** A number ≥ 0 (a reset: one a Date can hold), or NaN. */
function headerNumber(name: string, value: string | null | undefined): number {
  const number = value?.trim() ? Number(value) : Number.NaN;
  const max = name === "ratelimit-reset" ? LAST_DATE_SECONDS : Number.POSITIVE_INFINITY;
  return number >= 0 && number <= max ? number : Number.NaN;
}

/**
 * Reads the `ratelimit-*` headers: `undefined` when the response has none, or when one is not a number ≥ 0
 * (garbage, negative, a reset beyond what a Date holds); `unreadable` then gets that header's name and value.
 */
export function readRateLimit(
  headers: Headers,
  unreadable: (name: string, value: string) => void = () => {},
): RateLimit | undefined {
  const values = RATE_LIMIT_HEADERS.map((name) => headers.get(name));
  if (values.every((value) => value === null)) return undefined;
  const [limit, remaining, reset] = RATE_LIMIT_HEADERS.map((name, i) => headerNumber(name, values[i]));
  const bad = [limit, remaining, reset].findIndex(Number.isNaN);
  if (bad < 0) return { limit: limit!, remaining: remaining!, reset: new Date(reset! * 1000) };
  unreadable(RATE_LIMIT_HEADERS[bad]!, values[bad] ?? "missing");
  return undefined;
}

/**
 * The Request openapi-fetch builds for each call. It keeps the caller's own `signal`, so the transport
 * listens only to signals that can abort (every Request has one; most never fire).
 */
export class CallRequest extends Request {
  readonly callerSignal: AbortSignal | null | undefined;
  /** A call's own options, which openapi-fetch copies from its init onto the Request. */
  declare readonly timeoutMs?: number;
  declare readonly retry?: RetryOptions | false;
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(input, init);
    this.callerSignal = init?.signal;
  }
  /** openapi-fetch checks what `onRequest` middleware returns against this class: any Request will do. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Request;
  }
}

/** What went wrong, in a word where fetch gives one (`ECONNREFUSED`). */
const describe = (error: unknown) => causeCode(error) ?? String(error);

/** The path for the log: as the spec writes it when known, else as sent. */
const pathOf = (prepared: Prepared) => prepared.template ?? new URL(prepared.url).pathname;

/** A request ready to send as often as the retries need: its init holds the token, so it never leaves the transport. */
interface Prepared {
  method: string;
  url: string;
  init: RequestInit;
  /** The signals that end the request: the caller's and the client's. */
  signals: AbortSignal[];
  /** The path as the spec writes it (`/v2/droplets/{droplet_id}`), when the debug log is on. */
  template: string | undefined;
  /** The key of the token's pacing budget. */
  budget: string;
  /** `text` with token-shaped strings and this request's token hidden: what errors and logs may carry of a body. */
  hide: (text: string) => string;
  /** This call's timeout per attempt and retry policy: the client's, or the call's own. */
  timeoutMs: number;
  retry: Required<RetryOptions>;
}

/** How one attempt ended: an answer with its body read, or no answer (or none that could be read). */
type Outcome = Answer | { error: unknown; timedOut: boolean };

/**
 * The `fetch` openapi-fetch calls. Each request goes through the same stages: prepare it, then per attempt wait
 * for a pacing slot, make the attempt with its timeout, and decide whether to retry, wait or return; the answer is
 * shaped for openapi-fetch (see response.ts).
 */
export function createTransport(opts: TransportOptions) {
  let latest: RateLimit | undefined;
  let saidUnreadable = false;
  const clientSignals = opts.signal ? [opts.signal] : [];
  const { log } = opts;
  const pacer = opts.pacing
    ? createPacer({
        windows: windowsOf(opts.pacing),
        store: opts.pacing.store,
        leaseMs: opts.timeoutMs || NO_TIMEOUT_LEASE_MS,
        maxWaitMs: opts.retry.maxWaitMs,
        log,
      })
    : undefined;
  /** Each request's path template, kept by {@link middleware} when the debug log is on. */
  const templates = new WeakMap<Request, string>();

  /** Copies what the request carries and adds auth: middleware sees `request` again and must never find the token. */
  async function prepare(request: Request): Promise<Prepared> {
    const { method, url } = request;
    checkOrigin(new URL(url)); // again: a per-call baseUrl or a middleware may have changed it
    // A Request a middleware made in place of ours may follow any signal: listen to it.
    const caller = "callerSignal" in request ? (request as CallRequest).callerSignal : request.signal;
    const signals = caller ? [caller, ...clientSignals] : clientSignals;
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers) headers[name] = value;
    const given = opts.token();
    const token = typeof given === "string" ? given : await awaitToken(given, method, url, signals);
    headers.authorization = `Bearer ${token}`;
    headers["user-agent"] = opts.userAgent;
    // The API answers 415 to some DELETEs without it.
    if (method === "DELETE") headers["content-type"] ??= "application/json";
    const body = request.body ? await request.arrayBuffer() : undefined;
    const template = templates.get(request);
    const key = pacer ? pacer.keyOf(token) : "";
    const budget = typeof key === "string" ? key : await key;
    const hide = (text: string) => redactTokens(text, token);
    // Never followed: see redirectBody in response.ts.
    const init = { method, headers, body, redirect: "manual" as const };
    return { method, url, init, signals, template, budget, hide, ...callPolicy(request as CallRequest) };
  }

  /** The call's own timeout and retry policy over the client's (openapi-fetch copies them onto its Request). */
  function callPolicy({ timeoutMs = opts.timeoutMs, retry }: CallRequest) {
    return { timeoutMs, retry: retry === undefined ? opts.retry : retryPolicy(opts.retry, retry) };
  }

  /**
   * The token from a token function, raced with the request's signals and the attempt's deadline: a function that
   * never settles cannot hold a call past them. Whatever goes wrong is a {@link RequestError} that names the function.
   */
  function awaitToken(token: Promise<string>, method: string, url: string, signals: AbortSignal[]): Promise<string> {
    const { timeoutMs } = opts;
    const link = linkSignals(signals, timeoutMs);
    const failed = (reason: RequestError["reason"], detail: string, cause?: unknown) =>
      new RequestError({ reason, method, url, attempts: 0, detail, cause });
    return new Promise<string>((resolve, reject) => {
      const stop = () =>
        reject(
          link.timedOut
            ? failed("timeout", `timed out after ${timeoutMs} ms waiting for the token function.`)
            : failed(
                "aborted",
                "was aborted by the caller's signal while waiting for the token function.",
                link.signal!.reason,
              ),
        );
      if (link.signal?.aborted) stop();
      link.signal?.addEventListener("abort", stop);
      token.then(resolve, (error: unknown) =>
        reject(
          failed("token", `got no token: the token function failed (${redact(String(error)).slice(0, 200)}).`, error),
        ),
      );
    }).finally(link.release);
  }

  /**
   * Takes a place in the pacing window, waiting in line if need be; throws if the caller aborted first. A place
   * free at once needs no promise.
   */
  function waitForSlot(prepared: Prepared, attempt: number): Place | undefined | Promise<Place | undefined> {
    if (!pacer || prepared.signals.some(isAborted)) return checkAborted(prepared, attempt, undefined);
    const turn = pacer.turn(prepared.budget, prepared.signals);
    return "then" in turn ? turn.then((place) => checkAborted(prepared, attempt, place)) : turn;
  }

  function checkAborted({ method, url, signals }: Prepared, attempt: number, place: Place | undefined) {
    const stopped = signals.find(isAborted);
    if (!stopped) return place;
    if (place) pacer!.done(place);
    const detail = "was aborted by the caller's signal.";
    throw new RequestError({ reason: "aborted", method, url, attempts: attempt - 1, detail, cause: stopped.reason });
  }

  /** One attempt: its body is read within the timeout, so a body that stalls times out too. */
  async function attemptOnce({ url, init, signals, timeoutMs }: Prepared): Promise<Outcome> {
    const link = linkSignals(signals, timeoutMs);
    try {
      const { method, headers, body, redirect } = init;
      const response = await opts.fetch(url, { method, headers, body, redirect, signal: link.signal });
      return await readAnswer(response, opts.maxResponseBytes);
    } catch (error) {
      return { error, timedOut: link.timedOut };
    } finally {
      link.release();
    }
  }

  /** The debug line of one attempt: what was sent and what came back, bodies redacted. */
  function logAttempt(prepared: Prepared, attempt: number, outcome: Outcome, startedAt: number) {
    const ms = Math.round(performance.now() - startedAt);
    const what =
      "response" in outcome ? outcome.response.status : outcome.timedOut ? "timeout" : describe(outcome.error);
    let line = `${prepared.method} ${pathOf(prepared)} ${what} ${ms} ms, attempt ${attempt}`;
    const sent = prepared.init.body;
    const { hide } = prepared;
    if (sent) line += `; request body ${redact(hide(new TextDecoder().decode(sent as ArrayBuffer)))}`;
    if ("text" in outcome && outcome.text) line += `; response body ${redact(hide(outcome.text))}`;
    log.debug!(line);
  }

  /** The error for an attempt that got no answer and will not be retried. */
  function noAnswer(
    { method, url, retry, timeoutMs }: Prepared,
    attempt: number,
    error: unknown,
    timedOut: boolean,
  ): RequestError {
    const of = `attempt ${attempt} of ${retry.maxRetries + 1}`;
    if (error instanceof BodyTooLarge)
      return new RequestError({
        reason: "too_large",
        method,
        url,
        attempts: attempt,
        detail: `answered with a body larger than maxResponseBytes (${opts.maxResponseBytes} bytes, decompressed); it was not read to the end. Raise maxResponseBytes if such answers are expected.`,
      });
    return timedOut
      ? new RequestError({
          reason: "timeout",
          method,
          url,
          attempts: attempt,
          detail: `timed out after ${timeoutMs} ms (${of}). Raise timeoutMs if the API is slow.`,
        })
      : new RequestError({
          reason: "network",
          method,
          url,
          attempts: attempt,
          detail: `could not reach the server (${describe(error)}) after ${attempt} attempt(s). Check the network and the baseUrl.`,
          cause: error,
        });
  }

  /** Milliseconds to wait before retrying, or `undefined` to return (or throw) what this attempt got. */
  function decide(
    prepared: Prepared,
    attempt: number,
    outcome: Outcome,
    rateLimit: RateLimit | undefined,
  ): number | undefined {
    const { method, signals, retry } = prepared;
    const retriesLeft = attempt <= retry.maxRetries;
    if ("error" in outcome) {
      if (signals.some(isAborted)) return 0; // reported by waitForSlot on the next turn
      const timeout = outcome.timedOut ? undefined : outcome.error;
      // The same request would get the same answer: a body too large is never read again.
      if (!retriesLeft || outcome.error instanceof BodyTooLarge || !retryableError(method, timeout))
        throw noAnswer(prepared, attempt, outcome.error, outcome.timedOut);
      return retryDelay(attempt - 1, retry) ?? 0;
    }
    const { response } = outcome;
    if (response.ok || !retriesLeft || !retryableStatus(method, response.status)) return undefined;
    return retryDelay(attempt - 1, retry, response.headers, rateLimit);
  }

  /** Says once per client that a server sent rate-limit headers that cannot be read: they are ignored, never thrown. */
  function warnUnreadable(name: string, value: string, hide: (text: string) => string) {
    if (saidUnreadable) return;
    saidUnreadable = true;
    const shown = JSON.stringify(redact(hide(value)).slice(0, 40));
    log.warn?.(`${name} ${shown} is not a usable number: rate-limit headers that cannot be read are ignored`);
  }

  /** Keeps the latest rate-limit state, and holds new requests when the quota is used up rather than send them to a sure 429. */
  function track(response: Response, { budget, hide }: Prepared): RateLimit | undefined {
    const rateLimit = readRateLimit(response.headers, (name, value) => warnUnreadable(name, value, hide));
    if (!rateLimit) return undefined;
    latest = rateLimit;
    if (rateLimit.remaining <= 0) pacer?.hold(budget, rateLimit.reset.getTime());
    return rateLimit;
  }

  async function send(request: Request): Promise<Response> {
    const prepared = await prepare(request);
    for (let attempt = 1; ; attempt++) {
      const slot = waitForSlot(prepared, attempt);
      const place = slot && "then" in slot ? await slot : slot;
      const startedAt = log.debug ? performance.now() : 0;
      const outcome = await attemptOnce(prepared);
      if (place) pacer!.done(place);
      if (log.debug) logAttempt(prepared, attempt, outcome, startedAt);
      const rateLimit = "response" in outcome ? track(outcome.response, prepared) : undefined;
      const delay = decide(prepared, attempt, outcome, rateLimit);
      if (delay === undefined) {
        return shapeResponse(
          outcome as Answer,
          { method: prepared.method, url: prepared.url, rateLimit },
          prepared.hide,
        );
      }
      if (log.info && !prepared.signals.some(isAborted)) logRetry(prepared, attempt, outcome, delay);
      await pause(delay, prepared.signals);
    }
  }

  function logRetry(prepared: Prepared, attempt: number, outcome: Outcome, delay: number) {
    const { retry, timeoutMs } = prepared;
    const why =
      "response" in outcome
        ? `${outcome.response.status}${outcome.response.headers.has("retry-after") ? " with Retry-After" : ""}`
        : outcome.timedOut
          ? `timed out after ${timeoutMs} ms`
          : describe(outcome.error);
    log.info!(
      `${prepared.method} ${pathOf(prepared)}: ${why}; retrying in ${Math.round(delay)} ms (attempt ${attempt + 1} of ${retry.maxRetries + 1})`,
    );
  }

  return {
    fetch: send,
    /** Keeps each request's path template for the debug log; only needed, and registered, when it is on. */
    middleware: log.debug
      ? ({ onRequest: ({ request, schemaPath }) => void templates.set(request, schemaPath) } satisfies Middleware)
      : undefined,
    /** The latest rate-limit state seen, if any. */
    get rateLimit() {
      return latest;
    },
  };
}
