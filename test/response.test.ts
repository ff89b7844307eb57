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
  it("a large success (given its Content-Length) is read with json(): openapi-fetch returns the parsed value as is", async () => {
    const text = JSON.stringify({ vpcs: Array.from({ length: 200 }, (_, id) => ({ id, name: `vpc-${id}` })) });
    const { shaped, client } = await clientAnswering(200, text);
    const parsed = (shaped as any)[INFO].data;
    const { data } = await client.GET("/v2/vpcs", {});
    expect(data).toBe(parsed);
    expect((shaped as any)[INFO].data).toBeUndefined(); // handed over: the response no longer holds it
  });

  it("a small success without Content-Length is read with text() and parsed by openapi-fetch", async () => {
    const { shaped, client } = await clientAnswering(200, '{"vpcs":[]}');
    const { data } = await client.GET("/v2/vpcs", {});
    expect(data).toEqual({ vpcs: [] });
    expect(data).not.toBe((shaped as any)[INFO].data); // parsed again: were it json(), the threshold would be moot
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
