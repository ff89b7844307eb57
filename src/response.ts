// The response adapter: what the transport hands openapi-fetch. It relies on three things openapi-fetch 0.17 does
// with a response, each checked by test/response.test.ts: it calls `json()` for a success with a Content-Length
// (without one it parses `text()` itself) and `text()` for an error, and it skips a body whose Content-Length is 0.
import { OPERATIONS, operationIdAt, type OperationRow } from "./contract.js";
import { ApiError, INFO, snippet, toErrorBody, type ResponseInfo } from "./errors.js";
import { redactTokens } from "./log.js";

/**
 * What the transport records on a response: the request it answered, and its body parsed until openapi-fetch
 * takes it; for an error, also the body as received (`data` then holds the documented `{ id, message }`).
 */
export type Body = ResponseInfo & { data: unknown; received?: string };
type Shaped = Response & { [INFO]: Body };

/** A body that grew past the client's `maxResponseBytes` while it was read. */
export class BodyTooLarge extends Error {
  override name = "BodyTooLarge";
}

/** A response with its body read: as text, and its size in bytes (decompressed). */
export interface Answer {
  response: Response;
  text: string;
  bytes: number;
}

const decoder = new TextDecoder();

/**
 * Reads a response's body, counting its bytes as they arrive (decompressed): past `limit` it stops reading, so a
 * gzip bomb is never inflated further, and throws {@link BodyTooLarge}.
 */
export async function readAnswer(response: Response, limit: number): Promise<Answer> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = response.body?.getReader();
  for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
    bytes += read.value.length;
    if (bytes > limit) {
      reader!.cancel().catch(() => {});
      throw new BodyTooLarge(`the body is larger than maxResponseBytes (${limit} bytes)`);
    }
    chunks.push(read.value);
  }
  return { response, text: decoder.decode(chunks.length === 1 ? chunks[0] : join(chunks, bytes)), bytes };
}

function join(chunks: Uint8Array[], bytes: number): Uint8Array {
  const all = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

/**
 * Gives openapi-fetch a response whose body is always JSON it can parse: an error body, whatever it was (empty,
 * HTML, truncated), becomes the documented `{ id, message }`; a redirect, one that names where it points; a success
 * that is not JSON throws an {@link ApiError}. What an error carries of the body passes through `hide`.
 */
export function shapeResponse(
  { response, text, bytes }: Answer,
  info: ResponseInfo,
  hide: (text: string) => string = redactTokens,
): Response {
  if (response.status >= 300) {
    const data = response.status < 400 ? redirectBody(response, hide) : toErrorBody(response.status, text, hide);
    return withLength(serveFromMemory(response, { ...info, data, received: text }), lengthOf(data));
  }
  const served = serveFromMemory(response, { ...info, data: parseSuccess(response.status, text, info, hide) });
  // openapi-fetch calls json() only for a body with a Content-Length; without one it would parse the text again.
  return response.headers.has("content-length") ? served : withLength(served, bytes);
}

/**
 * The parsed body of a success. Throws an {@link ApiError} `invalid_json` when it is not JSON, or when it is empty
 * or `null` where the spec documents a body (a 204 has none; some 202s neither).
 */
function parseSuccess(status: number, text: string, info: ResponseInfo, hide: (text: string) => string): unknown {
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    throw invalidJson(status, `the response body is not valid JSON: ${snippet(hide(text))}`, info);
  }
  if (data == null && documentsBody(info.method, info.url, status))
    throw invalidJson(
      status,
      `the response body is ${text ? "null" : "empty"}, where the spec documents a JSON body`,
      info,
    );
  return data;
}

const invalidJson = (status: number, message: string, info: ResponseInfo) =>
  new ApiError(status, { id: "invalid_json", message }, info);

/** Whether the spec documents a JSON body for the answer `status` to `method` `url`; false for a path it does not know. */
function documentsBody(method: string, url: string, status: number): boolean {
  const id = operationIdAt(method, url);
  return id !== undefined && (OPERATIONS[id] as OperationRow).successBody.includes(status);
}

/** The length in bytes of `data` served as JSON text. */
const lengthOf = (data: unknown) => new Blob([JSON.stringify(data)]).size;

/**
 * The error of a 3xx. Redirects are never followed (the transport sends `redirect: "manual"`): the API does not
 * redirect, so one comes from a proxy or a wrong `baseUrl`, and following it would take another server's answer
 * for the API's, or resend a POST.
 */
function redirectBody(response: Response, hide: (text: string) => string) {
  const location = response.headers.get("location");
  const to = location === null ? "without a location" : `to ${snippet(location)}`;
  const message = `the server redirected ${to}; redirects are not followed: point baseUrl at the API itself`;
  return toErrorBody(response.status, { id: "redirect", message }, hide);
}

/** Sets Content-Length to what the body now is: at 0 openapi-fetch would skip a rewritten error body. */
function withLength(response: Response, bytes: number): Response {
  const headers = new Headers(response.headers);
  headers.set("content-length", String(bytes));
  return Object.defineProperty(response, "headers", { value: headers });
}

/**
 * The parsed body, handed over once, as any fetch body is read once (after it, `json()` and `text()` are fetch's
 * own, which reject). A response can outlive a collection or two (Node's fetch holds it a while), and a large body
 * it still held would then be copied to the old generation, to wait there for a full collection.
 */
async function takeData(this: Shaped) {
  const { data } = this[INFO];
  this[INFO].data = undefined;
  this.json = Response.prototype.json;
  this.text = Response.prototype.text;
  return data;
}

/** The body as JSON text: how openapi-fetch reads an error, or a success with `parseAs: "text"`. */
async function takeText(this: Shaped) {
  return JSON.stringify(await takeData.call(this)) ?? "";
}

/**
 * The body was read by the transport (within the attempt's timeout); openapi-fetch gets it from memory, through
 * shared methods and one symbol-keyed property rather than per-response closures.
 */
function serveFromMemory(response: Response, body: Body): Shaped {
  const shaped = response as Shaped;
  shaped[INFO] = body;
  shaped.json = takeData;
  shaped.text = takeText;
  return shaped;
}
