// The response adapter (src/response.ts) relies on how openapi-fetch 0.17 reads a response. Each test here pins one
// of those behaviours through openapi-fetch itself, so an openapi-fetch upgrade that changes one fails here first.
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { INFO } from "../src/errors.js";
import { readAnswer, shapeResponse } from "../src/response.js";
import { CallRequest } from "../src/transport.js";

const info = { method: "GET", url: "https://api.digitalocean.com/v2/vpcs" };

/** An openapi-fetch client whose every answer is `response`, read and shaped the way the transport does it. */
async function clientAnswering(status: number, text: string, headers: Record<string, string> = {}) {
  const shaped = shapeResponse(await readAnswer(new Response(text, { status, headers }), Infinity), info);
  return { shaped, client: createClient<any>({ baseUrl: "https://api.digitalocean.com", fetch: async () => shaped }) };
}

describe("what the response adapter relies on in openapi-fetch", () => {
  it("a success is read with json(), given a Content-Length if it had none: openapi-fetch returns the parsed value", async () => {
    for (const headers of [{}, { "content-length": "17" }] as Record<string, string>[]) {
      const { shaped, client } = await clientAnswering(200, '{"vpcs":["wëb"]}', headers);
      expect(shaped.headers.get("content-length")).toBe("17");
      const parsed = (shaped as any)[INFO].data;
      const { data } = await client.GET("/v2/vpcs", {});
      expect(data).toEqual({ vpcs: ["wëb"] });
      expect(data).toBe(parsed); // not parsed again
      expect((shaped as any)[INFO].data).toBeUndefined(); // handed over: the response no longer holds it
    }
  });

  it("without a Content-Length openapi-fetch parses text() itself (why the adapter gives one)", async () => {
    const client = createClient<any>({
      baseUrl: "https://api.digitalocean.com",
      fetch: async () => Object.assign(new Response("{}"), { json: () => Promise.reject(new Error("json() called")) }),
    });
    expect((await client.GET("/v2/vpcs", {})).data).toEqual({});
  });

  it('a success asked for with parseAs: "text" is its JSON text, read once like any body', async () => {
    const { shaped, client } = await clientAnswering(200, '{ "vpcs": [] }');
    expect((await client.GET("/v2/vpcs", { parseAs: "text" })).data).toBe('{"vpcs":[]}');
    await expect(shaped.text()).rejects.toThrow(TypeError);
  });

  it("an error is read with text(): a rewritten empty body arrives, as Content-Length 0 no longer says it is empty", async () => {
    const { client } = await clientAnswering(502, "", { "content-length": "0" });
    const { error } = await client.GET("/v2/vpcs", {});
    expect(error).toEqual({ id: "http_502", message: "the response body is empty" });
  });

  it("a body of Content-Length 0 is skipped (why an error gets the length of its rewritten body)", async () => {
    const client = createClient<any>({
      baseUrl: "https://api.digitalocean.com",
      fetch: async () => new Response('{"id":"x","message":"y"}', { status: 500, headers: { "content-length": "0" } }),
    });
    expect((await client.GET("/v2/vpcs", {})).error).toBeUndefined();
  });

  it("checks what onRequest middleware returns against the Request class it was given", async () => {
    const client = createClient<any>({
      baseUrl: "https://api.digitalocean.com",
      Request: CallRequest,
      fetch: async (request: Request) => new Response(JSON.stringify({ url: request.url })),
    });
    client.use({ onRequest: ({ request }) => new Request(`${request.url}?page=2`) });
    const { data } = await client.GET("/v2/vpcs", {});
    expect(data).toEqual({ url: "https://api.digitalocean.com/v2/vpcs?page=2" });
  });
});
