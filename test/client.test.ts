// The client against a real local server: auth, transport safety, options, error bodies, rate limits, paths.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, createDigitalOceanClient, isApiError, unwrap } from "../src/index.js";
import { rateLimitHeaders, TOKEN, useServers } from "./helpers/server.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

const { start, serve: setup } = useServers({ retry: false });

const droplet = { droplet: { id: 1, name: "web-1" } };

describe("auth", () => {
  it("sends the bearer token and a user agent on every request", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: droplet }), { userAgent: "my-tool/1.2" });
    await client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } });
    await client.GET("/v2/vpcs");
    expect(server.seen.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    const { name, version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      name: string;
      version: string;
    };
    expect(server.seen[0]?.headers["user-agent"]).toBe(`${name}/${version} my-tool/1.2`);
  });

  it("never puts the token on the Request that middleware sees", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: {} }));
    const seen: (string | null)[] = [];
    client.use({
      onRequest: ({ request }) => void seen.push(request.headers.get("authorization")),
      onResponse: ({ request }) => void seen.push(request.headers.get("authorization")),
    });
    await client.GET("/v2/vpcs");
    expect(seen).toEqual([null, null]);
    expect(server.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("reads DIGITALOCEAN_TOKEN when no token is given", async () => {
    vi.stubEnv("DIGITALOCEAN_TOKEN", TOKEN);
    const server = await start(() => ({ status: 200, body: { vpcs: [], meta: { total: 0 } } }));
    await createDigitalOceanClient({ baseUrl: server.url }).GET("/v2/vpcs");
    expect(server.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("calls a token function before each request", async () => {
    let n = 0;
    const token = async () => `dop_v1_${String(++n).repeat(64)}`;
    const { server, client } = await setup(() => ({ status: 200, body: {} }), { token });
    await client.GET("/v2/vpcs");
    await client.GET("/v2/vpcs");
    expect(server.seen.map((r) => r.headers.authorization)).toEqual([
      `Bearer dop_v1_${"1".repeat(64)}`,
      `Bearer dop_v1_${"2".repeat(64)}`,
    ]);
  });

  it("refuses to start without a token, before any request", () => {
    vi.stubEnv("DIGITALOCEAN_TOKEN", "");
    expect(() => createDigitalOceanClient()).toThrow(/No DigitalOcean token: pass `token` or set DIGITALOCEAN_TOKEN/);
  });

  it.each([
    ["a refresh token", `dor_v1_${"a".repeat(64)}`, /not an access token \(dop_v1_… or doo_v1_…\)/],
    [
      "a Bearer prefix",
      `Bearer ${TOKEN}`,
      /is not an access token \(dop_v1_… or doo_v1_…\); pass it without "Bearer "/,
    ],
    ["a line break", `${TOKEN}\n`, /is not an access token/],
    ["a random word", "hunter2", /The DigitalOcean token \(7 characters\) is not an access token/],
  ])("rejects a token with %s, without echoing it", (_what, token, message) => {
    const error = (() => {
      try {
        createDigitalOceanClient({ token });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(token.replace(/^(Bearer )?do[por]_v1_/, "").trim());
  });

  it("reports a bad token from a token function when the request is made, not sending anything", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: {} }), { token: () => "nope" });
    await expect(client.GET("/v2/vpcs")).rejects.toThrow(/is not an access token/);
    expect(server.seen).toHaveLength(0);
  });
});

describe("transport safety", () => {
  it("accepts http:// only for loopback hosts", () => {
    expect(() => createDigitalOceanClient({ token: TOKEN, baseUrl: "http://api.example.com" })).toThrow(
      /Refusing to send the DigitalOcean token to http:\/\/api\.example\.com: use https:\/\//,
    );
    for (const baseUrl of ["http://localhost:8080", "http://127.0.0.1:1", "http://[::1]:9"]) {
      expect(() => createDigitalOceanClient({ token: TOKEN, baseUrl })).not.toThrow();
    }
  });

  it("never sends the token over plain http:// to another host, even with a per-request baseUrl", async () => {
    const fetch = vi.fn<(r: Request) => Promise<Response>>();
    const client = createDigitalOceanClient({ token: TOKEN, fetch });
    await expect(client.GET("/v2/vpcs", { baseUrl: "http://api.example.com" })).rejects.toThrow(
      /Refusing to send the DigitalOcean token to http:\/\/api\.example\.com/,
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it("reads DIGITALOCEAN_API_URL as the default baseUrl, as DigitalOcean's Terraform provider does", async () => {
    const server = await start(() => ({ status: 200, body: { vpcs: [] } }));
    vi.stubEnv("DIGITALOCEAN_API_URL", server.url);
    // Anything but the server named by the variable is refused here, so a broken default never reaches the real API.
    const fetch = (request: Request) =>
      request.url.startsWith(server.url) ? globalThis.fetch(request) : Promise.reject(new Error(request.url));
    const { data } = await createDigitalOceanClient({ token: TOKEN, fetch }).GET("/v2/vpcs");
    expect(data).toEqual({ vpcs: [] });
    expect(server.seen.map((r) => r.url)).toEqual(["/v2/vpcs"]);
  });

  it("prefers the baseUrl option to DIGITALOCEAN_API_URL, and holds the variable to the same rules", async () => {
    const server = await start(() => ({ status: 200, body: {} }));
    vi.stubEnv("DIGITALOCEAN_API_URL", "http://api.example.com");
    expect(() => createDigitalOceanClient({ token: TOKEN })).toThrow(
      /Refusing to send the DigitalOcean token to http:\/\/api\.example\.com/,
    );
    await createDigitalOceanClient({ token: TOKEN, baseUrl: server.url }).GET("/v2/vpcs");
    expect(server.seen).toHaveLength(1);
    vi.stubEnv("DIGITALOCEAN_API_URL", "api.digitalocean.com");
    expect(() => createDigitalOceanClient({ token: TOKEN })).toThrow(
      /DIGITALOCEAN_API_URL "api\.digitalocean\.com" is not an absolute URL/,
    );
  });

  it("sends Content-Type: application/json with every DELETE", async () => {
    const { server, client } = await setup(() => ({ status: 204 }));
    await client.DELETE("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: "5a4981aa-9653-4bd1-bef5-d6bff52042e4" } } });
    expect(server.seen[0]?.method).toBe("DELETE");
    expect(server.seen[0]?.headers["content-type"]).toBe("application/json");
  });

  it("sends IPv6 addresses in paths with their colons, as the docs write them", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: {} }));
    await client.GET("/v2/reserved_ipv6/{reserved_ipv6}", {
      params: { path: { reserved_ipv6: "2409:40d0:f7:1017:74b4:3a96:105e:4c6e" } },
    });
    expect(server.seen[0]?.url).toBe("/v2/reserved_ipv6/2409:40d0:f7:1017:74b4:3a96:105e:4c6e");
  });

  it("refuses a path parameter that is a dot segment, which would address another path", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: {} }));
    const vpc = "5a4981aa-9653-4bd1-bef5-d6bff52042e4";
    for (const id of ["..", "."]) {
      await expect(
        client.PATCH("/v2/vpcs/{vpc_id}/peerings/{vpc_peering_id}", {
          params: { path: { vpc_id: vpc, vpc_peering_id: id } },
          body: { name: "renamed" },
        }),
      ).rejects.toThrow(`/v2/vpcs/{vpc_id}/peerings/{vpc_peering_id} is "${id}", which would address another path.`);
      await expect(client.vpcs.patchPeering(vpc, id, { name: "renamed" })).rejects.toThrow(TypeError);
    }
    await client.vpcs.patchPeering(vpc, "..x", { name: "renamed" }); // a dot in an id is only a character
    expect(server.seen.map((request) => request.url)).toEqual([`/v2/vpcs/${vpc}/peerings/..x`]);
  });

  it("still percent-encodes other reserved characters in path parameters", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: {} }));
    await client.GET("/v2/projects/{project_id}", { params: { path: { project_id: "a/b?c" } } });
    expect(server.seen[0]?.url).toBe("/v2/projects/a%2Fb%3Fc");
  });
});

describe("options", () => {
  it.each([
    [{ tokn: "x" }, /unknown option "tokn"/],
    [{ timeoutMs: -1 }, /timeoutMs must be a number ≥ 0/],
    [{ timeoutMs: "5000" }, /timeoutMs must be a number ≥ 0/],
    [{ maxResponseBytes: 0 }, /maxResponseBytes must be an integer ≥ 1/],
    [{ maxResponseBytes: Number.NaN }, /maxResponseBytes must be an integer ≥ 1/],
    [{ retry: true }, /retry must be an object or false/],
    [{ retry: { maxRetries: 1.5 } }, /retry\.maxRetries must be an integer ≥ 0/],
    [{ retry: { retries: 3 } }, /unknown retry option "retries"/],
    [{ retry: { maxWaitMs: -1 } }, /retry\.maxWaitMs must be an integer ≥ 0/],
    [{ pacing: true }, /pacing must be an object or false/],
    [{ pacing: { requests: 0, windowMs: 1000 } }, /pacing\.requests must be an integer ≥ 1/],
    [{ pacing: { requests: 10 } }, /pacing\.windowMs must be an integer ≥ 1/],
    [{ pacing: { requests: 10, windowMs: 1000, burst: 5 } }, /unknown pacing option "burst"/],
    [{ baseUrl: "api.digitalocean.com" }, /baseUrl "api\.digitalocean\.com" is not an absolute URL/],
    [
      { baseUrl: "ftp://api.digitalocean.com" },
      /Refusing to send the DigitalOcean token to ftp:\/\/api\.digitalocean\.com: use https:\/\//,
    ],
    [{ fetch: "fetch" }, /fetch must be a function/],
    [{ token: 42 }, /token must be a string or a function/],
    [{ baseUrl: new URL("https://api.digitalocean.com") }, /baseUrl must be a string/],
    [{ userAgent: 1.2 }, /userAgent must be a string/],
    [{ headers: "X-Trace: 1" }, /headers must be an object/],
    [{ signal: { aborted: false } }, /signal must be an AbortSignal/],
  ])("rejects %j with a clear message", (options, message) => {
    expect(() => createDigitalOceanClient({ token: TOKEN, ...(options as object) })).toThrow(message);
  });
});

describe("errors and bad responses", () => {
  it("turns an API error body into an ApiError with every field", async () => {
    const body = {
      id: "not_found",
      message: "The resource you requested could not be found.",
      request_id: "4d9d8375-3c56-4925-a3e7-eb137fed17e9",
    };
    const { client } = await setup(() => ({ status: 404, body, headers: rateLimitHeaders(4999, 1700000000) }));
    const error = await unwrap(client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 7 } } })).catch(
      (e: unknown) => e,
    );
    expect(isApiError(error)).toBe(true);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      name: "NotFoundError",
      operationId: "droplets_get",
      status: 404,
      id: "not_found",
      requestId: body.request_id,
      method: "GET",
      body,
    });
    const apiError = error as ApiError;
    expect(apiError.url).toMatch(/\/v2\/droplets\/7$/);
    expect(apiError.message).toContain("failed with 404 not_found: The resource you requested could not be found.");
    expect(apiError.rateLimit).toEqual({ limit: 5000, remaining: 4999, reset: new Date(1700000000 * 1000) });
    expect(JSON.parse(JSON.stringify(apiError))).toEqual({
      name: "NotFoundError",
      message: apiError.message,
      status: 404,
      id: "not_found",
      requestId: body.request_id,
      operationId: "droplets_get",
      method: "GET",
      url: apiError.url,
      rateLimit: { limit: 5000, remaining: 4999, reset: "2023-11-14T22:13:20.000Z" },
      body,
    });
  });

  it("keeps the token out of the message, toJSON(), util.inspect() and a log line", async () => {
    const { client } = await setup(() => ({
      status: 401,
      body: { id: "unauthorized", message: "Unable to authenticate you." },
    }));
    const error = (await unwrap(client.GET("/v2/vpcs")).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(401);
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    console.error(error);
    const logged = log.mock.calls.map((args) => inspect(args)).join("\n");
    log.mockRestore();
    for (const text of [
      error.message,
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      String(error.stack),
      logged,
    ]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(TOKEN.slice(7, 30));
    }
    expect(error.message).toContain("Check the token and its scopes.");
  });

  it.each([
    ["an empty body", 502, "", "http_502", /the response body is empty/],
    [
      "an HTML error page",
      503,
      "<html><body><h1>503 Service Unavailable</h1></body></html>",
      "http_503",
      /not a DigitalOcean error object: "<html><body><h1>503 Service Unavailable/,
    ],
    [
      "truncated JSON",
      500,
      '{"id":"server_error","mess',
      "http_500",
      /not a DigitalOcean error object: "\{\\"id\\":\\"server_error\\",\\"mess"/,
    ],
  ])("turns an error response with %s into a clear ApiError", async (_what, status, body, id, message) => {
    const { client } = await setup(() => ({ status, body, headers: { "content-type": "text/html" } }));
    const result = await client.GET("/v2/vpcs");
    expect(result.response.ok).toBe(false);
    expect(result.error).toMatchObject({ id });
    const error = await unwrap(result).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status, id });
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    ["truncated JSON", '{"droplet": {"id": 1, "na'],
    ["a non-JSON body", "OK"],
  ])("turns a 2xx with %s into an ApiError, never a SyntaxError", async (_what, body) => {
    const { client } = await setup(() => ({ status: 200, body }));
    const error = await client
      .GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 200, id: "invalid_json" });
    expect((error as Error).message).toContain(JSON.stringify(body));
  });

  it("returns data for a 2xx and undefined for a 204", async () => {
    const { client } = await setup((req) =>
      req.method === "DELETE" ? { status: 204 } : { status: 200, body: droplet },
    );
    expect(await unwrap(client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } }))).toEqual(
      droplet,
    );
    expect(
      await unwrap(client.DELETE("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } })),
    ).toBeUndefined();
  });
});

describe("response bodies", () => {
  it("parses a large body once, chunked or with a Content-Length, and gives the length of the body as read", async () => {
    const body = {
      droplets: Array.from({ length: 100 }, (_, i) => ({ id: i, name: `wëb-${i}`, status: "active" })),
      meta: { total: 100 },
    };
    const text = JSON.stringify(body);
    const length = String(Buffer.byteLength(text));
    const { client } = await setup((_r, i) => ({
      status: 200,
      body,
      headers: i === 0 ? {} : ({ "content-length": length } as Record<string, string>),
    }));
    const parse = vi.spyOn(JSON, "parse");
    try {
      for (let i = 0; i < 2; i++) {
        const { data, response } = await client.GET("/v2/droplets");
        expect(data).toEqual(body);
        expect(response.headers.get("content-length")).toBe(length);
        // Read once, as a fetch body is: the response does not keep the parsed body (see src/response.ts).
        await expect(response.json()).rejects.toThrow(TypeError);
      }
      expect(parse.mock.calls.filter(([arg]) => arg === text)).toHaveLength(2);
    } finally {
      parse.mockRestore();
    }
  });

  it("gives an error body it rewrote the rewritten body's Content-Length, so openapi-fetch reads it", async () => {
    const { client } = await setup(() => ({ status: 502, body: "", headers: { "content-length": "0" } }));
    const { error, response } = await client.GET("/v2/vpcs");
    expect(error).toEqual({ id: "http_502", message: "the response body is empty" });
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(JSON.stringify(error))));
  });
});

describe("rate limits", () => {
  it("exposes the latest ratelimit-* headers as client.rateLimit", async () => {
    let remaining = 4000;
    const { client } = await setup(() => ({
      status: 200,
      body: {},
      headers: rateLimitHeaders(remaining--, 1800000000),
    }));
    expect(client.rateLimit).toBeUndefined();
    await client.GET("/v2/vpcs");
    expect(client.rateLimit).toEqual({ limit: 5000, remaining: 4000, reset: new Date(1800000000 * 1000) });
    await client.GET("/v2/vpcs");
    expect(client.rateLimit?.remaining).toBe(3999);
  });

  it("keeps the last known state when a response has no rate-limit headers", async () => {
    const { client } = await setup((_req, i) => ({
      status: 200,
      body: {},
      headers: i === 0 ? rateLimitHeaders(10) : {},
    }));
    await client.GET("/v2/vpcs");
    await client.GET("/v2/vpcs");
    expect(client.rateLimit?.remaining).toBe(10);
  });

  it("ignores rate-limit headers that are not plain numbers", async () => {
    const bad = [
      { ...rateLimitHeaders(10), "ratelimit-remaining": "12abc" },
      { ...rateLimitHeaders(10), "ratelimit-reset": "" },
    ];
    const { client } = await setup((_req, i) => ({ status: 200, body: {}, headers: bad[i] }));
    await client.GET("/v2/vpcs");
    await client.GET("/v2/vpcs");
    expect(client.rateLimit).toBeUndefined();
  });
});
