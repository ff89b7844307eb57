import type { Log } from "./log.js";
import { linkSignals } from "./signals.js";

/** How many requests one client starts in a rolling window; see `pacing` in the client's options. */
export interface PacingOptions {
  /** Most requests in any rolling window (default 250, the API's per-minute limit). */
  requests: number;
  /** The window's length in milliseconds (default 60,000). */
  windowMs: number;
}

export const PACING_DEFAULTS: PacingOptions = { requests: 250, windowMs: 60_000 };

/**
 * Paces the requests of one client. Each request holds a place in the window from when it is sent until
 * `windowMs` after its answer arrived (or it failed), so however long the network takes, the server never
 * receives more than `requests` in any `windowMs`. Requests beyond that wait their turn in order, on a
 * timer: the event loop is never blocked.
 */
export function createPacer({ requests, windowMs }: PacingOptions, maxWaitMs: number, log: Log) {
  /** Requests sent and not yet answered. */
  let inFlight = 0;
  /** When each request answered within the last `windowMs` was answered, oldest first. */
  const answered: number[] = [];
  /** Requests waiting for their turn, in order. */
  const queue: (() => void)[] = [];
  /** No request starts before this (epoch ms): the API said its quota is used up until then. */
  let heldUntil = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** When the next request may start: `now` or earlier if it may start at once, `Infinity` until an answer arrives. */
  function nextStart(now: number): number {
    while (answered.length && answered[0]! + windowMs <= now) answered.shift();
    const free = inFlight + answered.length < requests ? now : inFlight < requests ? answered[0]! + windowMs : Infinity;
    return Math.max(free, heldUntil);
  }

  /** Starts waiting requests whose turn has come, and sets a timer for the next one. */
  function drain() {
    clearTimeout(timer);
    timer = undefined;
    while (queue.length) {
      const now = Date.now();
      const at = nextStart(now);
      if (at > now) {
        if (at < Infinity) timer = setTimeout(drain, at - now);
        const when = at < Infinity ? `in ${at - now} ms` : "when an answer arrives";
        log.info?.(`pacing: ${queue.length} request(s) waiting, ${requests} per ${windowMs} ms; the next goes ${when}`);
        return;
      }
      inFlight++;
      queue.shift()!();
    }
  }

  return {
    /**
     * Takes a place for one request: `true` when it may be sent at once, else a promise that resolves to `true`
     * when it may, or to `false` as soon as one of `signals` aborts (the request leaves the queue, holding no place).
     */
    turn(signals: AbortSignal[]): true | Promise<boolean> {
      const now = Date.now();
      if (!queue.length && nextStart(now) <= now) {
        inFlight++;
        return true;
      }
      return new Promise((resolve) => {
        const link = linkSignals(signals);
        const go = () => {
          link.release();
          resolve(true);
        };
        link.signal?.addEventListener("abort", () => {
          link.release();
          queue.splice(queue.indexOf(go), 1);
          if (!queue.length) clearTimeout(timer);
          resolve(false);
        });
        queue.push(go);
        if (queue.length === 1) drain();
      });
    },
    /** Ends the place of a request taken with {@link turn}: it was answered or failed. */
    done(): void {
      inFlight--;
      answered.push(Date.now());
      if (queue.length) drain();
    },
    /** Holds new requests until `until` (epoch ms), when the API said the quota is used up; ignored beyond `maxWaitMs`. */
    hold(until: number): void {
      if (until <= heldUntil || until - Date.now() > maxWaitMs) return;
      heldUntil = until;
      log.warn?.(`ratelimit-remaining is 0: holding new requests until ${new Date(until).toISOString()}`);
    },
  };
}
