// Chaos (`fake.chaos`): a seeded share of requests answered late, or with an error status their operation
// documents and the headers the API sends with it. The same seed and the same requests give the same answers.
import type { Operation } from "./openapi.js";

/** Options of {@link FakeDigitalOcean.chaos}. */
export interface ChaosOptions {
  /** The share of requests it touches, from 0 to 1 (default 0.1). */
  rate?: number;
  /** Error statuses to answer with, each documented by the operation it answers (default `[429, 500]`). */
  statuses?: number[];
  /** How late a touched request is answered normally, in milliseconds (default 0: touched requests fail). */
  latencyMs?: number;
  /** The operationIds it touches (default every operation). */
  operations?: string[];
  /** The seed of its choices (default a random one; `fake.chaos` returns it). */
  seed?: number;
}

/** What chaos does to one request: nothing, an answer late, or an error status instead of the answer. */
export type Upset = undefined | { latencyMs: number } | { status: number };

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const documented = (operation: Operation, status: number) => String(status) in operation.spec.responses;

/**
 * Checks `options` against the spec's `operations`; returns the seed and the function that decides each request's
 * fate, in the order requests arrive. A TypeError names what is wrong.
 */
export function startChaos(
  operations: Operation[],
  options: ChaosOptions,
): { seed: number; upset: (operation: Operation) => Upset } {
  const {
    rate = 0.1,
    statuses = [429, 500],
    latencyMs = 0,
    operations: ids,
    seed = Math.floor(Math.random() * 2 ** 32),
  } = options;
  if (typeof rate !== "number" || !(rate >= 0 && rate <= 1))
    throw new TypeError(`fake.chaos: rate must be a number from 0 to 1, got ${String(rate)}.`);
  if (typeof latencyMs !== "number" || !(latencyMs >= 0) || !Number.isFinite(latencyMs))
    throw new TypeError(`fake.chaos: latencyMs must be a number of milliseconds ≥ 0, got ${String(latencyMs)}.`);
  if (!Number.isInteger(seed)) throw new TypeError(`fake.chaos: seed must be an integer, got ${String(seed)}.`);
  const touched = ids ? operations.filter((o) => ids.includes(o.operationId)) : operations;
  const unknown = (ids ?? []).filter((id) => !operations.some((o) => o.operationId === id));
  if (unknown.length) throw new TypeError(`fake.chaos: unknown operationId ${unknown.join(", ")}.`);
  for (const status of statuses)
    if (!(status >= 400) || !touched.some((o) => documented(o, status)))
      throw new TypeError(`fake.chaos: no operation it touches documents status ${String(status)}.`);
  const next = random(seed);
  return {
    seed,
    upset(operation) {
      if (!touched.includes(operation)) return undefined;
      const hit = next() < rate;
      const choice = next();
      if (!hit) return undefined;
      const fates: Upset[] = [
        ...statuses.filter((s) => documented(operation, s)).map((status) => ({ status })),
        ...(latencyMs > 0 ? [{ latencyMs }] : []),
      ];
      return fates[Math.floor(choice * fates.length)];
    },
  };
}
