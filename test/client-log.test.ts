// The logger option and DIGITALOCEAN_LOG: what each level says, and that no level ever says the token.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDigitalOceanClient } from "../src/index.js";
import { rateLimitHeaders, TOKEN, useServers } from "./helpers/server.js";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const { serve } = useServers({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 } });

/** A logger that keeps every line, by level. */
function recorder() {
  const lines: { level: string; message: string }[] = [];
  const logger = Object.fromEntries(
    ["debug", "info", "warn"].map((level) => [level, (message: string) => lines.push({ level, message })]),
  );
  return { lines, logger, at: (level: string) => lines.filter((l) => l.level === level).map((l) => l.message) };
}

/**
 * A server that echoes the Authorization header it got in every body, refuses the first attempt with a 429, and on
 * the second says the quota is used up (until a second ago, so the hold costs no time).
 */
const echoing = (_request: { headers: Record<string, unknown> }, index: number) => {
  const echoed = { message: `you sent ${String(_request.headers.authorization)}` };
  if (index === 0) return { status: 429, body: { id: "too_many_requests", ...echoed } };
  return {
    status: 200,
    body: { project: { id: "p1", name: "web", description: echoed.message } },
    headers: rateLimitHeaders(0, Math.floor(Date.now() / 1000)),
  };
};

/** One PATCH whose body carries the token too (a user pasting it into a description, say). */
async function patchWith(client: ReturnType<typeof createDigitalOceanClient>) {
  return client.PATCH("/v2/projects/{project_id}", {
    params: { path: { project_id: "p1" } },
    body: { description: `deployed with ${TOKEN}` },
  });
}

describe("logger", () => {
  it("never writes the token at any level, even where the bodies carry it", async () => {
    const { lines, logger, at } = recorder();
    const { client } = await serve(echoing, { logger });
    await patchWith(client);
    expect(at("debug").length).toBeGreaterThanOrEqual(2);
    expect(at("info").length).toBeGreaterThanOrEqual(1);
    expect(at("warn").length).toBeGreaterThanOrEqual(1);
    const secret = TOKEN.slice("dop_v1_".length);
    for (const { message } of lines) {
      expect(message).not.toContain(TOKEN);
      expect(message).not.toContain(secret);
    }
    expect(at("debug").join("\n")).toContain("[redacted]");
  });

  it("debug: one line per attempt, with method, path template, status, ms and attempt", async () => {
    const { logger, at } = recorder();
    const { client } = await serve(echoing, { logger });
    await patchWith(client);
    expect(at("debug")).toEqual([
      expect.stringMatching(/^digitalocean-typed: PATCH \/v2\/projects\/\{project_id\} 429 \d+ ms, attempt 1; /),
      expect.stringMatching(/^digitalocean-typed: PATCH \/v2\/projects\/\{project_id\} 200 \d+ ms, attempt 2; /),
    ]);
  });

  it("info: each retry, with why and how long; warn: the hold on ratelimit-remaining: 0", async () => {
    const { logger, at } = recorder();
    const { client } = await serve(echoing, { logger });
    await patchWith(client);
    expect(at("info")).toEqual([
      expect.stringMatching(
        /^digitalocean-typed: PATCH \/v2\/projects\/\{project_id\}: 429; retrying in \d+ ms \(attempt 2 of 3\)$/,
      ),
    ]);
    expect(at("warn")).toEqual([expect.stringMatching(/ratelimit-remaining is 0: holding new requests until \d{4}-/)]);
  });

  it("info: a request waiting for a pacing slot, and how long", async () => {
    const { logger, at } = recorder();
    const { client } = await serve(() => ({ status: 200, body: {} }), {
      logger,
      pacing: { requests: 1, windowMs: 30 },
    });
    await Promise.all([client.GET("/v2/vpcs"), client.GET("/v2/vpcs")]);
    expect(at("info")).toContainEqual(
      expect.stringMatching(/pacing: 1 request\(s\) waiting for a place in the window, the next in \d+ ms$/),
    );
  });

  it("DIGITALOCEAN_LOG sets the lowest level, for the logger given or else for console", async () => {
    vi.stubEnv("DIGITALOCEAN_LOG", "info");
    const { logger, at } = recorder();
    const { client } = await serve(echoing, { logger });
    await patchWith(client);
    expect(at("debug")).toEqual([]);
    expect(at("info")).toHaveLength(1);

    vi.stubEnv("DIGITALOCEAN_LOG", "debug");
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { client: noLogger } = await serve(echoing);
    await patchWith(noLogger);
    expect(debug).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledTimes(1);
    for (const call of [...debug.mock.calls, ...warn.mock.calls]) expect(String(call[0])).not.toContain(TOKEN);
  });

  it("without DIGITALOCEAN_LOG or a logger, console gets warnings only", async () => {
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { client } = await serve(echoing);
    await patchWith(client);
    expect([debug.mock.calls.length, info.mock.calls.length, warn.mock.calls.length]).toEqual([0, 0, 1]);
  });

  it("refuses a DIGITALOCEAN_LOG it does not know, and a logger that is not an object", () => {
    vi.stubEnv("DIGITALOCEAN_LOG", "verbose");
    expect(() => createDigitalOceanClient({ token: TOKEN })).toThrow(
      'DIGITALOCEAN_LOG must be one of debug, info, warn; it is "verbose".',
    );
    vi.unstubAllEnvs();
    expect(() => createDigitalOceanClient({ token: TOKEN, logger: "debug" as never })).toThrow(
      /logger must be an object/,
    );
  });
});
