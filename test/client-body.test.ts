// Response bodies the client reads: how large it lets them grow, a gzip bomb, and success bodies that are empty.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { collect, createDigitalOceanClient, RequestError, unwrap } from "../src/index.js";
import { TOKEN, useServers } from "./helpers/server.js";

const { serve } = useServers({ retry: false });

const MiB = 2 ** 20;

/**
 * A loopback server answering every request with a gzip bomb: `members` gzip members of 1 MiB of zeros each, one
 * after another (a gzip stream may hold several), streamed so the test never holds what they expand to.
 */
async function startBomb(members: number) {
  const member = gzipSync(Buffer.alloc(MiB));
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    Readable.from(
      (function* () {
        for (let i = 0; i < members; i++) yield member;
      })(),
    ).pipe(res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    compressedBytes: member.length * members,
    get requests() {
      return requests;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("response size", () => {
  let close: (() => Promise<unknown>) | undefined;
  afterEach(() => close?.());

  it("stops reading a gzip bomb (1 MB expanding to 1 GiB) at the default 64 MiB, once: too_large, not retried", async () => {
    const bomb = await startBomb(1024);
    close = bomb.close;
    expect(bomb.compressedBytes).toBeLessThan(1.1 * MiB);
    const client = createDigitalOceanClient({ token: TOKEN, baseUrl: bomb.url }); // retries on, as by default
    const error = await client.GET("/v2/droplets").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ reason: "too_large", attempts: 1 });
    expect((error as Error).message).toMatch(/larger than maxResponseBytes \(67108864 bytes, decompressed\)/);
    expect(bomb.requests).toBe(1);
  }, 60_000);

  it("reads a body of exactly maxResponseBytes, and refuses one byte more", async () => {
    const body = { vpcs: [{ id: "5a4981aa-9653-4bd1-bef5-d6bff52042e4", name: "wëb" }] };
    const size = Buffer.byteLength(JSON.stringify(body));
    const { client: exact } = await serve(() => ({ status: 200, body }), { maxResponseBytes: size });
    expect((await exact.GET("/v2/vpcs")).data).toEqual(body);
    const { server, client: under } = await serve(() => ({ status: 200, body }), {
      maxResponseBytes: size - 1,
      retry: { maxRetries: 3 },
    });
    await expect(under.GET("/v2/vpcs")).rejects.toMatchObject({ name: "RequestError", reason: "too_large" });
    expect(server.seen).toHaveLength(1);
  });

  it("applies to error bodies too", async () => {
    const { client } = await serve(() => ({ status: 502, body: "x".repeat(2_000) }), { maxResponseBytes: 1_000 });
    await expect(client.GET("/v2/vpcs")).rejects.toMatchObject({ reason: "too_large" });
  });
});

describe("a success without a body", () => {
  const id = { params: { path: { droplet_id: 1 } } };
  const dangerous = { params: { path: { droplet_id: 1 }, header: { "X-Dangerous": true as const } } };
  const invalid = { name: "ApiError", id: "invalid_json" };

  it.each(["", "null"])("is ApiError invalid_json where the spec documents one (body %j)", async (body) => {
    const { client } = await serve((req) => ({ status: req.method === "POST" ? 202 : 200, body }));
    await expect(client.GET("/v2/droplets/{droplet_id}", id)).rejects.toMatchObject({
      ...invalid,
      status: 200,
      message: expect.stringMatching(/the spec documents a JSON body/),
    });
    await expect(unwrap(client.GET("/v2/droplets/{droplet_id}", id))).rejects.toMatchObject(invalid);
    await expect(collect(client, "/v2/droplets")).rejects.toMatchObject(invalid);
    const create = client.POST("/v2/droplets", {
      body: { name: "web-1", region: "nyc3", size: "s-1vcpu-1gb", image: 1 },
    });
    await expect(create).rejects.toMatchObject({ ...invalid, status: 202 });
  });

  it("is fine where the spec documents none: a 204, and a 202 without content", async () => {
    const { client } = await serve((req) => ({ status: req.url.endsWith("/dangerous") ? 202 : 204 }));
    expect((await client.DELETE("/v2/droplets/{droplet_id}", id)).data).toBeUndefined();
    const destroy = client.DELETE("/v2/droplets/{droplet_id}/destroy_with_associated_resources/dangerous", dangerous);
    expect(await unwrap(destroy)).toBeUndefined();
  });
});
