// Resource methods (`client.droplets.get(id)`): every operation through its method against the fake; the error
// subclasses, `.withResponse()`, list iteration, per-call options and the single/multiple Droplet create.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  OPERATIONS,
  PermissionDeniedError,
  PreconditionFailedError,
  RateLimitError,
  RequestError,
  UnprocessableEntityError,
  isApiError,
  type DigitalOceanClient,
} from "../src/index.js";
import { startFakeDigitalOcean, type FakeDigitalOcean } from "../src/testing/index.js";
import { callResource, exampleRequest, type CallInit } from "./helpers/contract.js";
import { rateLimitHeaders, useServers } from "./helpers/server.js";
import { operations } from "./helpers/spec.js";

let fake: FakeDigitalOcean;
let client: DigitalOceanClient;
beforeEach(async () => {
  fake = await startFakeDigitalOcean();
  client = fake.client({ retry: false });
});
afterEach(async () => {
  expect(fake.problems).toEqual([]);
  expect(fake.unknownFields).toEqual([]);
  await fake.close();
});

const DROPLET = { region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" };

describe("every operation through its resource method, against the fake", () => {
  it.each(operations.map((o) => [o.operationId, o] as const))("%s reaches its operation", async (id, operation) => {
    const init = exampleRequest(operation) as CallInit;
    const outcome = await callResource(client, operation, init).then(
      () => undefined,
      (error: unknown) => error,
    );
    // The examples' ids need not exist in a fresh fake: a documented error of this very operation counts too.
    if (outcome !== undefined) {
      expect(isApiError(outcome), String(outcome)).toBe(true);
      expect((outcome as ApiError).operationId).toBe(id);
    }
    expect(fake.requests.at(-1)?.operationId).toBe(id);
  });
});

describe("calls", () => {
  it("returns the success body, with path parameters first and one object of query and body fields", async () => {
    const vpc = (await client.vpcs.create({ name: "net", region: "nyc3", ip_range: "10.10.10.0/24" })).vpc!;
    const peering = (
      await client.vpcs.createPeering(vpc.id!, {
        name: "peer",
        vpc_id: (await client.vpcs.create({ name: "other", region: "nyc3" })).vpc!.id!,
      })
    ).peering!;
    const { peering: renamed } = await client.vpcs.patchPeering(vpc.id!, peering.id!, { name: "renamed" });
    expect(renamed).toMatchObject({ id: peering.id, name: "renamed" });
    await client.droplets.create({ ...DROPLET, name: "tagged", tags: ["web"] });
    await client.droplets.create({ ...DROPLET, name: "plain" });
    const { droplets } = await client.droplets.list({ tag_name: "web" });
    expect(droplets!.map((d) => d.name)).toEqual(["tagged"]);
    expect(await client.droplets.deleteByTag({ tag_name: "web" })).toBeUndefined();
    expect((await client.droplets.list()).droplets!.map((d) => d.name)).toEqual(["plain"]);
    expect((await client.projects.getDefault()).project!.is_default).toBe(true);
  });

  it("creates one Droplet with name and several with names", async () => {
    const one = await client.droplets.create({ ...DROPLET, name: "web-1" });
    expect(one.droplet.name).toBe("web-1");
    const many = await client.droplets.create({ ...DROPLET, names: ["web-2", "web-3"] });
    expect(many.droplets.map((d) => d.name)).toEqual(["web-2", "web-3"]);
  });

  it("withResponse() gives the body with its Response", async () => {
    const { droplet } = await client.droplets.create({ ...DROPLET, name: "web-1" });
    const { data, response } = await client.droplets.get(droplet.id).withResponse();
    expect(data.droplet!.id).toBe(droplet.id);
    expect(response.status).toBe(200);
    expect(Number(response.headers.get("ratelimit-limit"))).toBeGreaterThan(0);
    const failed = await client.droplets
      .get(droplet.id + 1)
      .withResponse()
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(NotFoundError);
  });

  it("refuses a path id that is not a string or a number, and options it does not know", () => {
    const get = client.droplets.get as (...args: unknown[]) => unknown;
    expect(() => get({ droplet_id: 1 })).toThrow(
      "droplets.get: droplet_id (argument 1) must be a non-empty string or a number, got object.",
    );
    expect(() => get()).toThrow("droplets.get: droplet_id (argument 1) must be a non-empty string or a number");
    expect(() => get(1, { timeout: 5 })).toThrow('droplets.get: unknown option "timeout".');
    expect(() => get(1, { retry: { maxRetires: 1 } })).toThrow('droplets.get: unknown retry option "maxRetires".');
    const list = client.droplets.list as (...args: unknown[]) => unknown;
    expect(() => list({}, { concurrency: 0 })).toThrow("droplets.list: concurrency must be an integer ≥ 1.");
    expect(() => list("web")).toThrow("droplets.list: argument 1 must be an object of fields, got string.");
    expect(fake.requests).toEqual([]);
  });
});

describe("errors", () => {
  const { serve } = useServers({ retry: false, pacing: false });
  const cases = [
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [412, PreconditionFailedError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [418, ApiError],
  ] as const;

  it.each(cases)("%i is thrown as %o, with status, id, message, requestId and operationId", async (status, Class) => {
    const { client } = await serve(() => ({
      status,
      body: { id: "some_id", message: "what went wrong" },
      headers: { ...rateLimitHeaders(10), "x-request-id": "req-from-header" },
    }));
    const error = await client.vpcs.listMembers("5a4981aa-9653-4bd1-bef5-d6bff52042e4").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(ApiError);
    expect(isApiError(error)).toBe(true);
    expect(error).toMatchObject({
      status,
      id: "some_id",
      requestId: "req-from-header",
      operationId: "vpcs_list_members",
      name: Class.name,
    });
    expect((error as Error).message).toContain("what went wrong");
  });

  it("takes the request id from the body before the header, and path style errors carry the operationId too", async () => {
    const { client } = await serve(() => ({
      status: 404,
      body: { id: "not_found", message: "gone", request_id: "req-from-body" },
      headers: { "x-request-id": "req-from-header" },
    }));
    const error = await client.projects.get("p-1").catch((e: unknown) => e);
    expect(error).toMatchObject({ requestId: "req-from-body", operationId: "projects_get" });
    const { unwrap } = await import("../src/index.js");
    const pathStyle = await unwrap(
      client.GET("/v2/projects/{project_id}", { params: { path: { project_id: "p-1" } } }),
    ).catch((e: unknown) => e);
    expect(pathStyle).toBeInstanceOf(NotFoundError);
    expect(pathStyle).toMatchObject({ operationId: "projects_get" });
  });

  it("is recognised by isApiError across copies of the package (subclasses included)", () => {
    const copy = Object.assign(new Error("x"), { status: 404 });
    Object.defineProperty(copy, Symbol.for("digitalocean-typed.ApiError"), { value: true });
    copy.name = "NotFoundError";
    expect(isApiError(copy)).toBe(true);
    expect(isApiError(Object.assign(new Error("x"), { status: 404, name: "NotFoundError" }))).toBe(false);
  });

  it("RequestError takes an options object and names the operation", () => {
    const error = new RequestError({
      reason: "timeout",
      method: "GET",
      url: "https://api.digitalocean.com/v2/droplets/1",
      attempts: 2,
      detail: "timed out.",
    });
    expect(error).toMatchObject({ reason: "timeout", attempts: 2, operationId: "droplets_get" });
    expect(error.message).toBe("DigitalOcean GET https://api.digitalocean.com/v2/droplets/1 timed out.");
  });
});

describe("lists", () => {
  beforeEach(async () => {
    await client.droplets.create({ ...DROPLET, names: ["d1", "d2", "d3", "d4", "d5"] });
  });

  it("awaited, gives the first page's body; iterated, every item across pages", async () => {
    const page = await client.droplets.list({ per_page: 2 });
    expect(page.droplets!.map((d) => d.name)).toEqual(["d1", "d2"]);
    expect(page.meta.total).toBe(5);
    const names: string[] = [];
    for await (const droplet of client.droplets.list({ per_page: 2 })) names.push(droplet.name);
    expect(names).toEqual(["d1", "d2", "d3", "d4", "d5"]);
  });

  it("iterated only, never asks for the awaited first page", async () => {
    const before = fake.requests.length;
    const names: string[] = [];
    for await (const droplet of client.droplets.list({ per_page: 5 })) names.push(droplet.name);
    expect(names).toHaveLength(5);
    expect(fake.requests.length - before).toBe(1);
  });

  it("toArray({ limit }) collects at most limit items, asking for no page beyond them", async () => {
    const before = fake.requests.length;
    const first = await client.droplets.list({ per_page: 2 }).toArray({ limit: 3 });
    expect(first.map((d) => d.name)).toEqual(["d1", "d2", "d3"]);
    expect(fake.requests.length - before).toBe(2);
    expect(await client.droplets.list().toArray()).toHaveLength(5);
    await expect(client.droplets.list().toArray({ limit: -1 })).rejects.toThrow(
      "toArray: limit must be an integer ≥ 0, got -1.",
    );
  });

  it("fetches the remaining pages in parallel with concurrency, in order", async () => {
    const all = await client.droplets.list({ per_page: 1 }, { concurrency: 3 }).toArray();
    expect(all.map((d) => d.name)).toEqual(["d1", "d2", "d3", "d4", "d5"]);
  });
});

describe("per-call options", () => {
  const { serve } = useServers({ pacing: false, retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 } });
  const ok = () => ({ status: 200, body: { droplet: { id: 1 } }, headers: rateLimitHeaders(10) });

  it("headers are sent with that call only", async () => {
    const { server, client } = await serve(ok);
    await client.droplets.get(1, { headers: { "x-trace": "abc" } });
    await client.droplets.get(1);
    expect(server.seen.map((r) => r.headers["x-trace"])).toEqual(["abc", undefined]);
  });

  it("retry overrides the client's policy for that call", async () => {
    const { server, client } = await serve(() => ({ status: 500, body: { id: "server_error", message: "x" } }));
    await expect(client.droplets.get(1, { retry: false })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.seen).toHaveLength(1);
    await expect(client.droplets.get(1)).rejects.toBeInstanceOf(InternalServerError);
    expect(server.seen).toHaveLength(4);
    await expect(client.droplets.get(1, { retry: { maxRetries: 1 } })).rejects.toBeInstanceOf(InternalServerError);
    expect(server.seen).toHaveLength(6);
  });

  it("timeoutMs overrides the client's timeout for that call", async () => {
    const { client } = await serve(() => ({ hang: true }), { timeoutMs: 0, retry: false });
    const error = await client.droplets.get(1, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ reason: "timeout", operationId: "droplets_get" });
    expect((error as Error).message).toContain("timed out after 50 ms");
  });

  it("signal aborts that call", async () => {
    const { server, client } = await serve(() => ({ hang: true }), { retry: false });
    const controller = new AbortController();
    const call = client.droplets.get(1, { signal: controller.signal }).catch((e: unknown) => e);
    await server.received(1);
    controller.abort();
    expect(await call).toMatchObject({ reason: "aborted" });
  });

  it("path style takes timeoutMs and retry per call too", async () => {
    const { server, client } = await serve(() => ({ status: 500, body: { id: "server_error", message: "x" } }));
    const { unwrap } = await import("../src/index.js");
    await expect(
      unwrap(client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } }, retry: false })),
    ).rejects.toBeInstanceOf(InternalServerError);
    expect(server.seen).toHaveLength(1);
  });
});

it("has a method for every row of the table", () => {
  const methods = Object.values(OPERATIONS).map((row) => typeof (client as any)[row.resource]?.[row.method]);
  expect(new Set(methods)).toEqual(new Set(["function"]));
});
