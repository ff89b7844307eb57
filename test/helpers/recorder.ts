// A recording proxy for tests: it forwards every request to `target` and keeps each exchange as a HAR 1.2 entry,
// so a test can check what a client sent and what it got with `checkHar`, as a user checks traffic they recorded.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Har } from "../../src/conformance/har.js";

/** Headers that belong to one connection, not to the exchange: the proxy's own are sent instead. */
const HOP = new Set(["host", "connection", "keep-alive", "content-length", "transfer-encoding", "accept-encoding"]);

const pairs = (headers: Iterable<[string, string]>) => [...headers].map(([name, value]) => ({ name, value }));

export async function startRecorder(target: string) {
  const har: Har = { log: { entries: [] } };
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const sent = Object.entries(req.headers).map(([name, value]) => [name, String(value)] as [string, string]);
    const url = `${target}${req.url}`;
    const answer = await fetch(url, {
      method: req.method,
      headers: sent.filter(([name]) => !HOP.has(name)),
      body: body || undefined,
    }).catch(() => undefined);
    if (!answer) return void res.writeHead(502).end(); // the target is gone: no answer to record
    const text = await answer.text();
    har.log.entries.push({
      request: { method: req.method!, url, headers: pairs(sent), ...(body ? { postData: { text: body } } : {}) },
      response: { status: answer.status, headers: pairs(answer.headers), content: { text } },
    });
    res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([name]) => !HOP.has(name)))).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    har,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
