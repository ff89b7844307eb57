import type { Log } from "./log.js";
import { Moments } from "./moments.js";
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
  /** Who asks: one id per client, the same in each of its calls, so a store can count the clients sharing the budget. */
  client: string;
}

/** What a store may say of who shares a budget. */
export interface Sharing {
  /**
   * How many clients asked for places in the budget's first window, this one included. While the store fails, a
   * client paces at its share: each window's requests divided by the last count it was told (by 1 without one).
   */
  clients?: number;
}

/** A store's answer to `take`. */
export interface Taken extends Sharing {
  /** How many of the ids, from the first, have a place now. */
  taken: number;
  /** Unless every id has one: the milliseconds before a place can free (the client asks again then, not sooner). */
  wait: number;
}

/**
 * Where pacing windows live. A place is taken when a request is sent and ended when it is answered (or failed);
 * it counts in every window from the first until `windowMs` after the second. Every method may answer at once or
 * with a promise; the client gives a promise a second, then paces in memory until the store answers again.
 */
export interface PacingStore {
  /**
   * Takes a place for each of `ids`, in order, in every window of `budget`, as many as are free unless the budget
   * is held. The requests waiting in a client ask together; an empty `ids` takes nothing and only asks.
   */
  take(budget: Budget, ids: readonly string[]): Taken | Promise<Taken>;
  /** Ends the place `id`: its request was answered or failed just now. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a store that says nothing of sharing returns nothing
  done(budget: Budget, id: string): void | Sharing | Promise<void | Sharing>;
  /** Takes no place for anyone until `until` (epoch ms): the API said the quota is used up. */
  hold(budget: Budget, until: number): void | Promise<void>;
}

/** A place taken in a budget, and where to end it. */
export interface Place {
  id: string;
  budget: Budget;
  store: Pick<PacingStore, "done">;
}

interface Tally {
  inFlight: number;
  /** When each request answered within the window was answered. */
  answered: Moments;
}

interface Memory {
  tallies: Tally[];
  heldUntil: number;
}

/** The ms before `budget` has a place free in `memory`: 0 or less when one is free now. */
function waitIn(memory: Memory, budget: Budget, now: number): number {
  let wait = memory.heldUntil - now;
  for (let i = 0; i < budget.windows.length; i++) {
    const { requests, windowMs } = budget.windows[i]!;
    const { inFlight, answered } = memory.tallies[i]!;
    answered.dropThrough(now - windowMs);
    if (inFlight + answered.count < requests) continue;
    // The oldest answer frees a place; with every place in flight, none frees within a window from now.
    const free = inFlight < requests ? answered.oldest! + windowMs : now + windowMs;
    wait = Math.max(wait, free - now);
  }
  return wait;
}

/**
 * Windows kept in memory: the default, one per client. Pass one to several clients to share it in a process.
 * A request holds its place from when it is sent until `windowMs` after its answer, so however long the network
 * takes, the server never receives more than `requests` in any `windowMs`.
 */
export function memoryPacing(): PacingStore {
  const budgets = new Map<string, Memory>();
  const memoryOf = (budget: Budget) => {
    let memory = budgets.get(budget.key);
    if (!memory) {
      memory = { tallies: budget.windows.map(() => ({ inFlight: 0, answered: new Moments() })), heldUntil: 0 };
      budgets.set(budget.key, memory);
    }
    return memory;
  };
  return {
    take(budget, ids) {
      const memory = memoryOf(budget);
      const now = Date.now();
      for (let taken = 0; taken < ids.length; taken++) {
        const wait = waitIn(memory, budget, now);
        if (wait > 0) return { taken, wait };
        for (const tally of memory.tallies) tally.inFlight++;
      }
      return { taken: ids.length, wait: 0 };
    },
    done(budget) {
      const now = Date.now();
      for (const tally of memoryOf(budget).tallies) {
        tally.inFlight--;
        tally.answered.add(now);
      }
    },
    hold(budget, until) {
      const memory = memoryOf(budget);
      if (until > memory.heldUntil) memory.heldUntil = until; // never NaN, which would end every wait
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

/** Places taken for the first `taken` ids asked for, and where to end them. */
interface Taking extends Taken {
  store: Pick<PacingStore, "done">;
}

/** One client's share of `budget` when `clients` share it: each window's requests divided among them, at least one. */
function shareOf(budget: Budget, clients: number): Budget {
  const windows = budget.windows.map(({ requests, windowMs }) => ({
    requests: Math.max(1, Math.floor(requests / clients)),
    windowMs,
  }));
  return { ...budget, windows };
}

/** Whether `answer` is what `take` of `count` ids must answer: not taking more than asked, and a wait unless all. */
function isTaken(answer: Taken, count: number) {
  const { taken, wait } = answer ?? {};
  return Number.isInteger(taken) && taken >= 0 && taken <= count && (taken === count || wait > 0);
}

/**
 * The store, with a fallback in memory: a store that fails or takes over a second never stalls a request longer,
 * and stalls one at most once per failure, as it is asked again in the background.
 *
 * Without the store, a client paces at its share (the store's last count of clients), and only once the places the
 * fleet took through it have freed: for the first window, it takes none. Rejoining, it keeps to its share as well
 * as the store's for a second and two windows, until every other client has rejoined and the places it took alone
 * have freed.
 */
function withFallback(store: PacingStore, log: Log) {
  const local = memoryPacing();
  /** The clients the store last counted in the budget, once it has answered. */
  let clients: number | undefined;
  let failed = false;
  let retryAt = 0;
  let probing = false;
  let aloneUntil = 0;
  const shared: Pick<PacingStore, "done"> = { done: (budget, id) => tell(budget, () => store.done(budget, id)) };
  const both: Pick<PacingStore, "done"> = {
    done(budget, id) {
      local.done(budget, id);
      shared.done(budget, id);
    },
  };

  function fail(budget: Budget, error: unknown) {
    retryAt = Date.now() + REJOIN_MS;
    if (failed) return;
    failed = true;
    // The places every client took through the store may count at the server for a window yet.
    if (clients) local.hold(budget, Date.now() + budget.windows[0]!.windowMs);
    const reason = error instanceof Error ? error.message : String(error);
    const share = clients && clients > 1 ? `at 1/${clients} of the limits (its share)` : "with the same limits";
    const after = clients ? " from a window from now (when the places taken through it have freed)" : "";
    log.warn?.(`the pacing store failed (${reason}): pacing in memory ${share}${after} until it answers again`);
  }

  /** Keeps the store's count of clients, while it is the whole truth: not while clients rejoin a restarted store. */
  function learn(answer: unknown) {
    const count = (answer as Sharing | undefined)?.clients;
    if (!failed && Date.now() >= aloneUntil && Number.isInteger(count) && count! > 0) clients = count;
  }

  function rejoin(budget: Budget) {
    if (!failed) return;
    failed = false;
    aloneUntil = Date.now() + REJOIN_MS + 2 * budget.windows[0]!.windowMs;
    log.info?.("the pacing store answers again: the budget is shared again");
  }

  /** The store's answer, or a rejection after STORE_TIMEOUT_MS; places taken too late are ended at once. */
  async function ask(budget: Budget, ids: readonly string[]): Promise<Taken> {
    const answer = Promise.resolve(store.take(budget, ids));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(reject, STORE_TIMEOUT_MS, new Error(`no answer within ${STORE_TIMEOUT_MS} ms`));
    });
    try {
      const taken = await Promise.race([answer, late]);
      if (!isTaken(taken, ids.length)) throw new TypeError(`take answered ${JSON.stringify(taken)}`);
      return taken;
    } catch (error) {
      answer.then(
        (taken) => {
          for (const id of ids.slice(0, taken?.taken ?? 0)) shared.done(budget, id);
        },
        () => {},
      );
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Asks the store, without waiting for it, whether it answers again. */
  function probe(budget: Budget) {
    if (probing || Date.now() < retryAt) return;
    probing = true;
    ask(budget, [])
      .then(
        () => rejoin(budget),
        () => {
          retryAt = Date.now() + REJOIN_MS;
        },
      )
      .finally(() => {
        probing = false;
      });
  }

  const alone = (budget: Budget, ids: readonly string[]): Taking => ({
    ...(local.take(shareOf(budget, clients ?? 1), ids) as Taken),
    store: local,
  });

  async function together(budget: Budget, ids: readonly string[]): Promise<Taking> {
    try {
      const answer = await ask(budget, ids);
      learn(answer);
      return { ...answer, store: shared };
    } catch (error) {
      fail(budget, error);
      return alone(budget, ids);
    }
  }

  /** Rejoining: a place both in the share in memory and in the store. */
  async function rejoining(budget: Budget, ids: readonly string[]): Promise<Taking> {
    const mine = alone(budget, ids);
    if (!mine.taken) return mine;
    let theirs: Taken;
    try {
      theirs = await ask(budget, ids.slice(0, mine.taken));
    } catch (error) {
      fail(budget, error);
      return mine;
    }
    // Taken in memory only: ended now, they count there for a window, which paces a little slower, never faster.
    for (const id of ids.slice(theirs.taken, mine.taken)) local.done(budget, id);
    const wait = theirs.taken < mine.taken ? theirs.wait : mine.wait;
    return { taken: theirs.taken, wait, store: both };
  }

  /** Calls the store without waiting for it; a failure only means it is down (its places expire with their lease). */
  function tell(budget: Budget, call: () => unknown) {
    try {
      const result = call();
      if (result instanceof Promise) result.then(learn, (error: unknown) => fail(budget, error));
      else learn(result);
    } catch (error) {
      fail(budget, error);
    }
  }

  return {
    take(budget: Budget, ids: readonly string[]): Taking | Promise<Taking> {
      if (failed) {
        probe(budget);
        return alone(budget, ids);
      }
      return Date.now() < aloneUntil ? rejoining(budget, ids) : together(budget, ids);
    },
    hold(budget: Budget, until: number) {
      local.hold(budget, until);
      tell(budget, () => store.hold(budget, until));
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

/** Places handed out, and if the store had too few for every request asked for, the ms before asking again. */
interface Asked {
  places: Place[];
  wait: number;
}

/**
 * Paces the requests of one client through a store. Requests that find no place wait their turn in order, on a
 * timer set to when the store says a place can free: the event loop is never blocked, and the store is asked
 * once per turn for every request waiting, never in a loop.
 */
export function createPacer({ windows, store, leaseMs, maxWaitMs, log }: PacerOptions) {
  const places = store ? withFallback(store, log) : fromMemory(memoryPacing());
  const queue: Waiter[] = [];
  const budgets = new Map<string, Budget>();
  const client = crypto.randomUUID();
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
      budget = { key, windows, leaseMs, client };
      budgets.set(key, budget);
    }
    return budget;
  };

  /** Asks for `wanted` places for `budget`: the answer now, or a promise of it. */
  function ask(budget: Budget, wanted: number): Asked | Promise<Asked> {
    const ids = Array.from({ length: wanted }, () => `${client}:${++count}`);
    const askedAt = Date.now();
    const answer = places.take(budget, ids);
    // The store's wait counts from its answer, half a round trip ago, and the next ask reaches it half a round trip
    // after it is sent: sent a round trip early, it arrives as the place frees.
    const toPlaces = ({ taken, wait, store }: Taking) => ({
      places: ids.slice(0, taken).map((id) => ({ id, budget, store })),
      wait: wait - (Date.now() - askedAt),
    });
    return "then" in answer ? answer.then(toPlaces) : toPlaces(answer);
  }

  /** Gives a place to the first in line for its budget, or ends it if none is left (aborts while the store was asked). */
  function handOut(place: Place) {
    const next = queue.findIndex((waiter) => waiter.budget === place.budget);
    if (next >= 0) queue.splice(next, 1)[0]!.go(place);
    else place.store.done(place.budget, place.id);
  }

  /** Serves the line in order, every waiter of the first one's budget at once, until the store says to wait. */
  async function drain(first?: Asked | Promise<Asked>) {
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
        const budget = queue[0]!.budget;
        const asked = answer ?? ask(budget, queue.filter((waiter) => waiter.budget === budget).length);
        answer = undefined;
        const { places, wait } = "then" in asked ? await asked : asked;
        for (const place of places) handOut(place);
        if (wait > 0 && !askAgain && queue.length) {
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
      let first: Asked | Promise<Asked> | undefined;
      if (!queue.length && !asking) {
        first = ask(budget, 1);
        if (!("then" in first) && first.places.length) return first.places[0]!;
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
      place.store.done(place.budget, place.id);
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
    take: (budget: Budget, ids: readonly string[]): Taking => ({
      ...(memory.take(budget, ids) as Taken),
      store: memory,
    }),
    hold: (budget: Budget, until: number) => void memory.hold(budget, until),
  };
}
