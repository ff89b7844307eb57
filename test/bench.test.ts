// The benchmarks, run tiny: they must keep working (npm run bench is how the README's numbers are made), and
// what they count — requests and requests in flight, as the fake server saw them — must be right. No timing
// is asserted here: speed is the bench's business, on a quiet machine.
import { statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { benchConformance } from "../bench/conformance.js";
import { benchFake } from "../bench/fake.js";
import { installPackage, type Install } from "../bench/install.js";
import { BODIES, benchOverhead, VARIANTS } from "../bench/overhead.js";
import { benchPagination } from "../bench/pagination.js";
import { benchRateLimit } from "../bench/ratelimit.js";
import { benchTypecheck } from "../bench/typecheck.js";
import { operations } from "./helpers/spec.js";

describe("benchmarks", () => {
  let install: Install | undefined;
  afterAll(() => install?.remove());

  it("measures every overhead variant on each body, with ratios taken against openapi-fetch and path style", async () => {
    const { bodies } = await benchOverhead(2, 2, 0.04);
    expect(Object.keys(bodies)).toEqual(Object.keys(BODIES));
    // The bodies are what their names say: a Droplet of about 2 KB, and pages of 20 and 200 of them.
    const [one, twenty, twoHundred] = Object.values(bodies).map((b) => b.bytes);
    expect(one).toBeGreaterThan(1_500);
    expect(twenty! / one!).toBeCloseTo(20, -1);
    expect(twoHundred! / one!).toBeCloseTo(200, -2);
    for (const result of Object.values(bodies)) {
      expect(Object.keys(result.cpuUs)).toEqual([...VARIANTS]);
      expect(result.cpuRatio["openapi-fetch"]).toBe(1);
      expect(result.wallRatio["openapi-fetch"]).toBe(1);
      expect(result.cpuRatioRange["openapi-fetch"]).toEqual([1, 1]);
      // Resource methods are also compared with path style, the same client, within each round.
      expect(result.cpuRatioToPathStyle["digitalocean-typed"]).toBe(1);
      expect(result.cpuRatioToPathStyle["digitalocean-typed, resource methods"]).toBeGreaterThan(0);
      for (const variant of VARIANTS) {
        expect(result.cpuUs[variant]).toBeGreaterThan(0);
        expect(result.wallUs[variant]).toBeGreaterThan(0);
        const [low, high] = result.cpuRatioRange[variant];
        expect(low).toBeLessThanOrEqual(result.cpuRatio[variant]);
        expect(high).toBeGreaterThanOrEqual(result.cpuRatio[variant]);
      }
    }
  }, 60_000);

  it("lists every item each way, counting the requests and never more than 4 in flight", async () => {
    const rows = await benchPagination(1_000, 20, 2);
    expect(rows.map((r) => [r.name, r.requests])).toEqual([
      ["sequential, per_page=20", 50],
      ["sequential, per_page=200", 5],
      ["paginate concurrency 4, per_page=200", 5],
    ]);
    expect(rows.slice(0, 2).map((r) => r.maxInFlight)).toEqual([1, 1]);
    expect(rows[2]!.maxInFlight).toBeGreaterThan(1);
    expect(rows[2]!.maxInFlight).toBeLessThanOrEqual(4);
    expect(rows.map((r) => r.runs)).toEqual([2, 2, 2]);
    expect(rows[1]!.speedup).toBe(1);
  }, 60_000);

  it("sends a burst under a rate limit without one 429, and counts the 429s of the unpaced burst", async () => {
    const r = await benchRateLimit(12, 4, 200, 1);
    expect(r.minimumMs).toBe(400);
    expect(r.median).toMatchObject({ requests: 12, tooMany: 0 });
    expect(r.median.peak).toBeLessThanOrEqual(4);
    expect(r.median.ratio).toBe(r.median.ms / 400);
    expect(r.ratioRange).toEqual([r.median.ratio, r.median.ratio]);
    // Unpaced, the server refuses what it gets over 4 per window: 8 if the burst arrives within one window.
    expect(r.unpaced.requests).toBe(12);
    expect(r.unpaced.tooMany).toBeLessThanOrEqual(8);
    if (r.unpaced.peak === 12) expect(r.unpaced.tooMany).toBe(8);
  }, 60_000);

  it("type-checks consumers calling every operation, in path style and through resource methods, against the shipped declarations", () => {
    const [base, paths, resources] = benchTypecheck(1);
    expect(base!.calls).toBe(0);
    for (const file of [paths!, resources!]) {
      expect(file.calls).toBe(operations.length);
      expect(file.checkMs).toBeGreaterThan(0);
    }
    expect(resources!.name).toMatch(/resource methods/);
  }, 180_000);

  it("installs the packed package with its production dependencies only, and measures it", async () => {
    install = await installPackage();
    expect(install.packages.sort()).toEqual(["digitalocean-typed", "openapi-fetch", "openapi-typescript-helpers"]);
    const own = statSync(join(install.dir, "node_modules/digitalocean-typed/generated/validators.js")).size;
    expect(install.bytes).toBeGreaterThan(own);
  }, 180_000);

  it("starts the installed fake and Prism side by side until each answers, and counts the fake's requests per second", async () => {
    expect(install, "the install above").toBeDefined();
    const result = await benchFake(install!, 1, 20, 1);
    expect(result).toMatchObject({ rounds: 1, requests: 20 });
    expect(result.fakeMs).toBeGreaterThan(0);
    expect(result.prismMs).toBeGreaterThan(0);
    expect(result.ratio).toBeCloseTo(result.fakeMs / result.prismMs, 6);
    expect(result.perSecond).toBeGreaterThan(0);
  }, 180_000);

  it("measures the conformance middleware on a list page that conforms, each client in every round", async () => {
    const result = await benchConformance(2, 2);
    // Warm-up and 2 rounds, 2 requests per client each: had the middleware found a problem, the bench would have thrown.
    expect(result.served).toBe(2 * 2 + 2 * 2 * 2);
    expect(result.offUs).toBeGreaterThan(0);
    expect(result.onUs).toBeGreaterThan(0);
    expect(result.range[0]).toBeLessThanOrEqual(result.ratio);
    expect(result.range[1]).toBeGreaterThanOrEqual(result.ratio);
  }, 60_000);
});
