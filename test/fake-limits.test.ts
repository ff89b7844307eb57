// The fake as a stand-in for any client: fake.client() for tests (no pacing, fast retries), and the API's rate
// limits, off by default and on with `rateLimit`, measured by the fake's clock so that no test waits for them.
import { afterEach, describe, expect, it } from "vitest";
import { unwrap } from "../src/index.js";
import { type FakeDigitalOcean, startFakeDigitalOcean } from "../src/testing/index.js";

let fake: FakeDigitalOcean | undefined;
afterEach(async () => {
  expect(fake?.problems ?? []).toEqual([]);
  await fake?.close();
  fake = undefined;
});

describe("fake.client()", () => {
  it("sends more than the API's per-minute limit at once: no pacing, and no limit by default", async () => {
    fake = await startFakeDigitalOcean();
    const client = fake.client();
    const answers = await Promise.all(Array.from({ length: 300 }, () => client.GET("/v2/vpcs")));
    expect(answers.map((a) => a.response.status)).toEqual(Array(300).fill(200));
    expect(answers.at(-1)?.response.headers.get("ratelimit-limit")).toBe("5000");
  }, 50_000);

  it("retries at once what the fake fails, and takes options over its own", async () => {
    fake = await startFakeDigitalOcean();
    fake.fail("vpcs_list", 500, { times: 3 });
    expect((await unwrap(fake.client().GET("/v2/vpcs"))).vpcs).toEqual([]);
    fake.fail("vpcs_list", 500);
    const { response } = await fake.client({ retry: false }).GET("/v2/vpcs");
    expect(response.status).toBe(500);
    expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 500, 200, 500]);
  });
});

describe("rateLimit", () => {
  it("refuses requests beyond the minute's and the hour's limit with a 429 and the headers, until time passes", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    fake = await startFakeDigitalOcean({ rateLimit: { perMinute: 2, perHour: 3 }, clock: () => now });
    const client = fake.client({ retry: false });
    const status = async () => {
      const { response } = await client.GET("/v2/vpcs");
      return {
        status: response.status,
        limit: response.headers.get("ratelimit-limit"),
        remaining: response.headers.get("ratelimit-remaining"),
        reset: response.headers.get("ratelimit-reset"),
        retryAfter: response.headers.get("retry-after"),
      };
    };
    const hourFromStart = String(now / 1000 + 3600);
    expect(await status()).toEqual({ status: 200, limit: "3", remaining: "2", reset: hourFromStart, retryAfter: null });
    expect((await status()).status).toBe(200);
    // The minute's limit: a retry-after that names when the minute's first request leaves the window.
    now += 20_000;
    expect(await status()).toEqual({ status: 429, limit: "3", remaining: "1", reset: hourFromStart, retryAfter: "40" });
    now += 40_000;
    expect((await status()).status).toBe(200);
    // The hour's limit: remaining 0 and the reset, and no retry-after.
    now += 60_000;
    expect(await status()).toEqual({ status: 429, limit: "3", remaining: "0", reset: hourFromStart, retryAfter: null });
    now = Number(hourFromStart) * 1000;
    expect(await status()).toMatchObject({ status: 200, remaining: "1" });
    // Refused requests did not count; every 429 was recorded under its operation.
    expect(fake.requests.map((r) => [r.operationId, r.status])).toEqual(
      [200, 200, 429, 200, 429, 200].map((s) => ["vpcs_list", s]),
    );
  });

  it("counts each token on its own, as the API does; requests without a known token use none of a token's", async () => {
    const other = `dop_v1_${"b".repeat(64)}`;
    fake = await startFakeDigitalOcean({ rateLimit: { perMinute: 2 }, tokens: { [other]: "read" } });
    const first = fake.client({ retry: false });
    const second = fake.client({ retry: false, token: other });
    const stranger = fake.client({ retry: false, token: `dop_v1_${"c".repeat(64)}` });
    const statuses = async (client: typeof first, times: number) => {
      const answers = [];
      for (let i = 0; i < times; i++) answers.push((await client.GET("/v2/vpcs")).response);
      return answers.map((r) => [r.status, r.headers.get("ratelimit-remaining")]);
    };
    expect(await statuses(stranger, 3)).toEqual([
      [401, "4999"],
      [401, "4998"],
      [429, "4998"],
    ]);
    expect(await statuses(first, 3)).toEqual([
      [200, "4999"],
      [200, "4998"],
      [429, "4998"],
    ]);
    expect(await statuses(second, 1)).toEqual([[200, "4999"]]);
  });

  it("defaults a limit left out to the API's, and refuses bad limits with a TypeError", async () => {
    fake = await startFakeDigitalOcean({ rateLimit: { perMinute: 10 } });
    expect((await fake.client().GET("/v2/vpcs")).response.headers.get("ratelimit-limit")).toBe("5000");
    await expect(startFakeDigitalOcean({ rateLimit: { perHour: 0 } })).rejects.toThrow(
      new TypeError("startFakeDigitalOcean: rateLimit.perHour must be a whole number ≥ 1, got 0."),
    );
  });
});
