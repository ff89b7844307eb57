// Following several AbortSignals at once, with or without a timeout: the transport's attempts, its waits
// between them, the pacing queue and the waiters all use these.

export interface Link {
  signal: AbortSignal | undefined;
  timedOut: boolean;
  release(): void;
}

/** The link of a request with nothing to follow and no timeout: no signal at all, so fetch has none to follow. Never changed. */
const NO_LINK: Link = { signal: undefined, timedOut: false, release() {} };

/**
 * One signal that aborts when any of `signals` does (with its reason) or after `timeoutMs`; none when there is
 * nothing to follow. Cheaper than `AbortSignal.any`/`AbortSignal.timeout`, and `release()` leaves no listener behind.
 */
export function linkSignals(signals: AbortSignal[], timeoutMs = 0): Link {
  if (!signals.length && !timeoutMs) return NO_LINK;
  const controller = new AbortController();
  const link: Link = {
    signal: controller.signal,
    timedOut: false,
    release() {
      clearTimeout(timer);
      for (const signal of signals) unfollow(signal, controller);
    },
  };
  const timer = timeoutMs
    ? setTimeout(() => {
        link.timedOut = true;
        controller.abort();
      }, timeoutMs)
    : undefined;
  for (const signal of signals) {
    follow(signal, controller);
    if (signal.aborted) controller.abort(signal.reason);
  }
  return link;
}

/** The controllers following each signal: one listener per signal however many requests share it (no MaxListeners warning). */
const followers = new WeakMap<AbortSignal, Set<AbortController>>();

function abortFollowers(this: AbortSignal) {
  for (const controller of followers.get(this) ?? []) controller.abort(this.reason);
}

/** Makes `controller` abort with `signal`, until {@link unfollow}. */
function follow(signal: AbortSignal, controller: AbortController): void {
  let set = followers.get(signal);
  if (!set) {
    set = new Set();
    followers.set(signal, set);
  }
  if (!set.size) signal.addEventListener("abort", abortFollowers);
  set.add(controller);
}

function unfollow(signal: AbortSignal, controller: AbortController): void {
  const set = followers.get(signal)!;
  set.delete(controller);
  if (!set.size) signal.removeEventListener("abort", abortFollowers);
}

/** Resolves after `ms`, or as soon as one of `signals` aborts (callers check which). Never rejects. */
export async function pause(ms: number, signals: AbortSignal[]): Promise<void> {
  const link = linkSignals(signals, Math.max(ms, 1));
  const signal = link.signal!;
  if (!signal.aborted) await new Promise((resolve) => signal.addEventListener("abort", resolve));
  link.release();
}
