// The response adapter: what the transport hands openapi-fetch. It relies on three things openapi-fetch 0.17 does
// with a response, each checked by test/response.test.ts: it calls `json()` for a success and `text()` for an
// error, and it skips a body whose Content-Length is 0.
import { ApiError, INFO, snippet, toErrorBody, type ResponseInfo } from "./errors.js";

/**
 * What the transport records on a response: the request it answered, and its body as text and parsed;
 * for an error, also the body as received (`text` and `data` then hold the documented `{ id, message }`).
 */
export type Body = ResponseInfo & { text: string; data: unknown; received?: string };
type Shaped = Response & { [INFO]: Body };

/** Bodies shorter than this are cheaper for openapi-fetch to parse again than to give a new Content-Length. */
const SMALL_BODY = 4_000;

/**
 * Gives openapi-fetch a response whose body is always JSON it can parse: an error body, whatever it was (empty,
 * HTML, truncated), becomes the documented `{ id, message }`; a success that is not JSON throws an {@link ApiError}.
 */
export function shapeResponse(response: Response, body: Body): Response {
  const { text } = body;
  if (response.status >= 400) {
    body.received = text;
    body.data = toErrorBody(response.status, text);
    body.text = JSON.stringify(body.data);
    return withLength(serveFromMemory(response, body), body.text);
  }
  body.data = parseSuccess(response.status, text, body);
  const served = serveFromMemory(response, body);
  // Without a Content-Length (chunked or compressed) openapi-fetch would parse a large body a second time.
  return text.length < SMALL_BODY ? served : withLength(served, text);
}

function parseSuccess(status: number, text: string, info: ResponseInfo): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(
      status,
      { id: "invalid_json", message: `the response body is not valid JSON: ${snippet(text)}` },
      info,
    );
  }
}

/** Sets Content-Length to what the body now is: at 0 openapi-fetch would skip a rewritten error body. */
function withLength(response: Response, text: string): Response {
  const headers = new Headers(response.headers);
  headers.set("content-length", String(new Blob([text]).size));
  return Object.defineProperty(response, "headers", { value: headers });
}

async function cachedText(this: Shaped) {
  return this[INFO].text;
}

async function cachedJson(this: Shaped) {
  return this[INFO].data;
}

/**
 * The body was read by the transport (within the attempt's timeout); openapi-fetch gets the text and the parsed
 * value from memory, through shared methods and one symbol-keyed property rather than per-response closures.
 */
function serveFromMemory(response: Response, body: Body): Shaped {
  const shaped = response as Shaped;
  shaped[INFO] = body;
  shaped.text = cachedText;
  shaped.json = cachedJson;
  return shaped;
}
