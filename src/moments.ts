/**
 * Moments (epoch ms) in a rolling window, oldest first: added in order, dropped from the oldest as they leave it.
 * The dropped ones go in one copy once they are half the array, not in a `shift` each: past about 16,000 numbers
 * V8 keeps an array where `shift` copies all of it, so each request's bookkeeping cost as much as its window held.
 */
export class Moments {
  #times: number[] = [];
  #first = 0;

  /** How many moments are kept. */
  get count(): number {
    return this.#times.length - this.#first;
  }

  /** The oldest moment kept, if any. */
  get oldest(): number | undefined {
    return this.#times[this.#first];
  }

  add(at: number): void {
    this.#times.push(at);
  }

  /** Drops the moments at or before `cutoff`. */
  dropThrough(cutoff: number): void {
    const times = this.#times;
    while (this.#first < times.length && times[this.#first]! <= cutoff) this.#first++;
    if (this.#first * 2 > times.length) {
      this.#times = times.slice(this.#first);
      this.#first = 0;
    }
  }
}
