// The rolling window's moments (src/moments.ts), which pacing and the fake's rate limits count: what they keep, in
// order, through many rounds of adding and dropping.
import { describe, expect, it } from "vitest";
import { Moments } from "../src/moments.js";

describe("Moments", () => {
  it("keeps the moments after the cut-off, oldest first", () => {
    const moments = new Moments();
    expect([moments.count, moments.oldest]).toEqual([0, undefined]);
    for (const at of [10, 20, 20, 30]) moments.add(at);
    moments.dropThrough(20);
    expect([moments.count, moments.oldest]).toEqual([1, 30]);
    moments.dropThrough(30);
    expect([moments.count, moments.oldest]).toEqual([0, undefined]);
    moments.add(40);
    expect([moments.count, moments.oldest]).toEqual([1, 40]);
  });

  it("keeps exactly the moments after every cut-off so far, through 200,000, past the size where V8's shift copies", () => {
    const moments = new Moments();
    let dropped = 0; // the moments are 1, 2, 3, …: those up to the highest cut-off so far are gone
    for (let at = 1; at <= 200_000; at++) {
      moments.add(at);
      // A window that widens and narrows, so that a drop takes one moment, many, or none.
      if (at % 7 === 0) {
        const cutoff = at - 1_000 - (at % 50_000);
        moments.dropThrough(cutoff);
        dropped = Math.max(dropped, cutoff);
        expect([moments.count, moments.oldest]).toEqual([at - dropped, at > dropped ? dropped + 1 : undefined]);
      }
    }
    expect(moments.count).toBeGreaterThan(16_000);
  });
});
