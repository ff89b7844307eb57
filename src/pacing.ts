import type { Log } from "./log.js";
import { linkSignals } from "./signals.js";

/** How many requests a token starts in each rolling window; see `pacing` in the client's options. */
export interface PacingOptions {
  /** Most requests in any rolling window (default 250, the API's per-minute limit); set with `windowMs`. */
  requests?: number;
  /** The window's length in milliseconds (default 60,000); set with `requests`. */
  windowMs?: number;
  /** Most requests in any rolling hour (default 5,000, the API's hourly limit), or `false` to pace no hourly window. */
  hourly?: number | false;
  /**
   * Where the windows are kept: by default in this client's memory. `redisPacing(redis)` from
   * `digitalocean-typed/redis` shares them between every client, in any process, that uses the same token and Redis.
   */
  store?: PacingStore;
}

export const PACING_DEFAULTS = { requests: 250, windowMs: 60_000, hourly: 5_000 } as const;

const HOUR_MS = 3_600_000;

/** One rolling window: at most `requests` in any `windowMs`. */
export interface PacingWindow {
  requests: number;
  windowMs: number;
}

/** The budget of one token: its windows, under a key derived from the token (never the token itself). */
export interface Budget {
  key: string;
  windows: readonly PacingWindow[];
  /** How long a place may stay taken without an answer: a process that dies mid-request frees its places after this. */
  leaseMs: number;
}

/**
 * Where pacing windows live. A place is taken when a request is sent and ended when it is answered (or failed);
 * it counts in every window from the first until `windowMs` after the second. Every method may answer at once or
 * with a promise; the client gives a promise a second, then paces in memory until the store answers again.
 */
export interface PacingStore {
  /**
   * Takes a place named `id` in every window of `budget`, unless one of them is full or the budget is held:
   * 0 when taken, else the milliseconds before a place can free (the client asks again then, not sooner).
   */
  take(budget: Budget, id: string): number | Promise<number>;
  /** Ends the place `id`: its request was answered or failed just now. */
  done(budget: Budget, id: string): void | Promise<void>;
  /** Takes no place for anyone until `until` (epoch ms): the API said the quota is used up. */
  hold(budget: Budget, until: number): void | Promise<void>;
}

/** A place taken in a budget, and the store that holds it. */
export interface Place {
  id: string;
  budget: Budget;
  store: PacingStore;
}

interface Tally {
  inFlight: number;
  /** When each request answered within the window was answered, oldest first. */
  answered: number[];
}

/**
 * Windows kept in memory: the default, one per client. Pass one to several clients to share it in a process.
 * A request holds its place from when it is sent until `windowMs` after its answer, so however long the network
 * takes, the server never receives more than `requests` in any `windowMs`.
 */
export function memoryPacing(): PacingStore {
  const budgets = new Map<string, { tallies: Tally[]; heldUntil: number }>();
  const stateOf = (budget: Budget) => {
    let state = budgets.get(budget.key);
    if (!state) {
      state = { tallies: budget.windows.map(() => ({ inFlight: 0, answered: [] })), heldUntil: 0 };
      budgets.set(budget.key, state);
    }
    return state;
  };
  return {
    take(budget) {
      const state = stateOf(budget);
      const now = Date.now();
      let wait = state.heldUntil - now;
      for (let i = 0; i < budget.windows.length; i++) {
        const { requests, windowMs } = budget.windows[i]!;
        const { inFlight, answered } = state.tallies[i]!;
        while (answered.length && answered[0]! + windowMs <= now) answered.shift();
        if (inFlight + answered.length < requests) continue;
        // The oldest answer frees a place; with every place in flight, none frees within a window from now.
        const free = inFlight < requests ? answered[0]! + windowMs : now + windowMs;
        wait = Math.max(wait, free - now);
      }
      if (wait > 0) return wait;
      for (const tally of state.tallies) tally.inFlight++;
      return 0;
    },
    done(budget) {
      const now = Date.now();
      for (const tally of stateOf(budget).tallies) {
        tally.inFlight--;
        tally.answered.push(now);
      }
    },
    hold(budget, until) {
      const state = stateOf(budget);
      if (until > state.heldUntil) state.heldUntil = until; // never NaN, which would end every wait
    },
  };
}

/** The windows of `options`: the per-minute one, and the hourly one unless it is off. */
export function windowsOf({
  requests = PACING_DEFAULTS.requests,
  windowMs = PACING_DEFAULTS.windowMs,
  hourly = PACING_DEFAULTS.hourly,
}: PacingOptions): PacingWindow[] {
  return hourly === false
    ? [{ requests, windowMs }]
    : [
        { requests, windowMs },
        { requests: hourly, windowMs: HOUR_MS },
      ];
}

/** The key of a token's budget: the first 128 bits of its SHA-256, in hex. */
export async function budgetKey(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest, 0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** How long a store may take to answer before the client paces in memory instead. */
const STORE_TIMEOUT_MS = 1_000;
/** How long after a store failed the client asks it again. */
const REJOIN_MS = 1_000;

/** The store, with a fallback in memory: a store that fails or takes over a second never stalls a request longer. */
function withFallback(store: PacingStore, log: Log) {
  const local = memoryPacing();
  let failed = false;
  let retryAt = 0;

  function fail(error: unknown) {
    retryAt = Date.now() + REJOIN_MS;
    if (failed) return;
    failed = true;
    const reason = error instanceof Error ? error.message : String(error);
    log.warn?.(`the pacing store failed (${reason}): pacing in memory with the same limits until it answers again`);
  }

  function recover() {
    if (!failed) return;
    failed = false;
    log.info?.("the pacing store answers again: the budget is shared again");
  }

  /** Resolves to the store's answer, or rejects after STORE_TIMEOUT_MS; a place taken too late is ended at once. */
  function inTime(budget: Budget, id: string, answer: Promise<number>): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no answer within ${STORE_TIMEOUT_MS} ms`));
        answer.then(
          (wait) => wait === 0 && store.done(budget, id),
          () => {},
        );
      }, STORE_TIMEOUT_MS);
      answer.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }

  /** Takes a place in the store, or in memory while the store is failing. */
  function take(
    budget: Budget,
    id: string,
  ): { wait: number; store: PacingStore } | Promise<{ wait: number; store: PacingStore }> {
    const inMemory = () => ({ wait: local.take(budget, id) as number, store: local });
    if (failed && Date.now() < retryAt) return inMemory();
    try {
      const answer = store.take(budget, id);
      if (typeof answer === "number") return { wait: answer, store };
      return inTime(budget, id, answer).then(
        (wait) => {
          recover();
          return { wait, store };
        },
        (error) => {
          fail(error);
          return inMemory();
        },
      );
    } catch (error) {
      fail(error);
      return inMemory();
    }
  }

  /** Calls the store without waiting for it; a failure only means it is down (its places expire with their lease). */
  function tell(call: () => void | Promise<void>) {
    try {
      const result = call();
      if (result) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  }

  return {
    take,
    done: (place: Place) =>
      place.store === local ? local.done(place.budget, place.id) : tell(() => store.done(place.budget, place.id)),
    hold(budget: Budget, until: number) {
      local.hold(budget, until);
      tell(() => store.hold(budget, until));
    },
  };
}

export interface PacerOptions {
  windows: PacingWindow[];
  store: PacingStore | undefined;
  leaseMs: number;
  /** Holds beyond this are ignored (see `retry.maxWaitMs`). */
  maxWaitMs: number;
  log: Log;
}

interface Waiter {
  budget: Budget;
  go(place: Place): void;
}

/**
 * Paces the requests of one client through a store. Requests that find no place wait their turn in order, on a
 * timer set to when the store says a place can free: the event loop is never blocked, and the store is asked
 * once per turn, never in a loop.
 */
export function createPacer({ windows, store, leaseMs, maxWaitMs, log }: PacerOptions) {
  const places = store ? withFallback(store, log) : fromMemory(memoryPacing());
  const queue: Waiter[] = [];
  const budgets = new Map<string, Budget>();
  const prefix = crypto.randomUUID();
  let count = 0;
  let asking = false;
  let askAgain = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let heldUntil = 0;
  let lastToken = "";
  let lastKey: string | Promise<string> = "";

  const budgetOf = (key: string) => {
    let budget = budgets.get(key);
    if (!budget) {
      budget = { key, windows, leaseMs };
      budgets.set(key, budget);
    }
    return budget;
  };

  /** Asks for a place for `budget`: the answer now, or a promise of it. */
  function ask(budget: Budget) {
    const id = `${prefix}:${++count}`;
    const answer = places.take(budget, id);
    const toPlace = ({ wait, store }: { wait: number; store: PacingStore }) => ({ wait, place: { id, budget, store } });
    return "wait" in answer ? toPlace(answer) : answer.then(toPlace);
  }

  /** Gives a place to the head of the line, or ends it if the line emptied (an abort) while the store was asked. */
  function handOut(place: Place) {
    const waiter = queue.shift();
    if (waiter) waiter.go(place);
    else places.done(place);
  }

  /** Serves the line in order until a store answer says to wait, then sets a timer for then. */
  async function drain(first?: ReturnType<typeof ask>) {
    if (asking) {
      askAgain = true;
      return;
    }
    asking = true;
    clearTimeout(timer);
    try {
      let answer = first;
      while (queue.length) {
        askAgain = false;
        const asked = answer ?? ask(queue[0]!.budget);
        answer = undefined;
        const { wait, place } = "wait" in asked ? asked : await asked;
        if (wait <= 0) handOut(place);
        else if (!askAgain && queue.length) {
          timer = setTimeout(drain, wait);
          log.info?.(
            `pacing: ${queue.length} request(s) waiting for a place in the window, the next in ${Math.round(wait)} ms`,
          );
          return;
        }
      }
    } finally {
      asking = false;
    }
  }

  return {
    /** The key of `token`'s budget: a string once known, at first a promise. */
    keyOf(token: string): string | Promise<string> {
      if (token !== lastToken) {
        lastToken = token;
        lastKey = budgetKey(token).then((key) => {
          if (lastToken === token) lastKey = key;
          return key;
        });
      }
      return lastKey;
    },
    /**
     * Takes a place for one request of the token with budget `key`: a place when it may be sent at once, else a
     * promise of one, or of `undefined` as soon as one of `signals` aborts (the request leaves the line, holding none).
     */
    turn(key: string, signals: AbortSignal[]): Place | Promise<Place | undefined> {
      const budget = budgetOf(key);
      let first: ReturnType<typeof ask> | undefined;
      if (!queue.length && !asking) {
        first = ask(budget);
        if ("wait" in first && first.wait <= 0) return first.place;
      }
      return new Promise((resolve) => {
        const link = linkSignals(signals);
        const waiter: Waiter = {
          budget,
          go(place) {
            link.release();
            resolve(place);
          },
        };
        link.signal?.addEventListener("abort", () => {
          link.release();
          queue.splice(queue.indexOf(waiter), 1);
          resolve(undefined);
        });
        queue.push(waiter);
        if (first || queue.length === 1) void drain(first);
      });
    },
    /** Ends a place taken with {@link turn}: its request was answered or failed. */
    done(place: Place): void {
      places.done(place);
    },
    /** Holds new requests until `until` (epoch ms), when the API said the quota is used up; ignored beyond `maxWaitMs`. */
    hold(key: string, until: number): void {
      if (!(until > heldUntil && until - Date.now() <= maxWaitMs)) return; // NaN too
      heldUntil = until;
      places.hold(budgetOf(key), until);
      log.warn?.(`ratelimit-remaining is 0: holding new requests until ${new Date(until).toISOString()}`);
    },
  };
}

/** The in-memory store as the pacer uses it: it always answers at once, and never fails. */
function fromMemory(memory: PacingStore) {
  return {
    take: (budget: Budget, id: string) => ({ wait: memory.take(budget, id) as number, store: memory }),
    done: (place: Place) => void memory.done(place.budget, place.id),
    hold: (budget: Budget, until: number) => void memory.hold(budget, until),
  };
}
