// A stand-in DigitalOcean API for the benchmarks: keep-alive node:http, a droplet by ID, a paginated droplet
// list with optional injected latency, and in-flight counting. Run as a child process so its work does not
// share the event loop with the client being measured:
//   node --import tsx bench/server.ts [latencyMs] [items] [small|spec]   → prints {"port":N} on stdout
//   GET /__stats → {"requests":N,"maxInFlight":N};  POST /__reset clears both.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";

const HEADERS = {
  "content-type": "application/json",
  "ratelimit-limit": "5000",
  "ratelimit-remaining": "4999",
  "ratelimit-reset": "1700000000",
};

/** A droplet shaped like the API's, small enough that JSON work does not dominate. */
function droplet(id: number) {
  return {
    id,
    name: `web-${id}`,
    memory: 1024,
    vcpus: 1,
    disk: 25,
    locked: false,
    status: "active",
    created_at: "2020-07-21T18:37:44Z",
    tags: ["web"],
  };
}

/** A complete droplet as the spec documents it (its example: image, size, networks, …, about 1.9 KB of JSON). */
function specDroplet(): (id: number) => unknown {
  const spec = parse(readFileSync(new URL("../generated/openapi.yaml", import.meta.url), "utf8"));
  const example =
    spec.paths["/v2/droplets/{droplet_id}"].get.responses["200"].content["application/json"].example.droplet;
  return (id) => ({ ...example, id, name: `web-${id}` });
}

/** Droplet shapes: `small` (the default) or `spec` (complete, as documented, so it passes conformance checks). */
export type Shape = "small" | "spec";

/** The request handler; `latencyMs` delays every API answer, `items` is the droplet count of the list. */
export function fakeApi(latencyMs: number, items: number, shape: Shape = "small") {
  const make = shape === "spec" ? specDroplet() : droplet;
  const all = Array.from({ length: items }, (_, i) => make(i + 1));
  const one = JSON.stringify({ droplet: make(1) });
  let inFlight = 0;
  let maxInFlight = 0;
  let requests = 0;

  /** Page bodies by origin, page and size, serialised once: the server's own CPU should not be what is measured. */
  const pageCache = new Map<string, string>();

  function listPage(url: URL): string {
    const page = Number(url.searchParams.get("page") ?? 1);
    const perPage = Number(url.searchParams.get("per_page") ?? 20);
    const key = `${url.origin} ${page} ${perPage}`;
    let body = pageCache.get(key);
    if (body === undefined) {
      const last = Math.ceil(items / perPage);
      const link = (n: number) => `${url.origin}/v2/droplets?page=${n}&per_page=${perPage}`;
      const pages = page < last ? { next: link(page + 1), last: link(last) } : {};
      body = JSON.stringify({
        droplets: all.slice((page - 1) * perPage, page * perPage),
        links: { pages },
        meta: { total: items },
      });
      pageCache.set(key, body);
    }
    return body;
  }

  function answer(url: URL, res: ServerResponse) {
    if (url.pathname === "/v2/droplets") {
      res.writeHead(200, HEADERS).end(listPage(url));
    } else if (url.pathname.startsWith("/v2/droplets/")) {
      res.writeHead(200, HEADERS).end(one);
    } else {
      res
        .writeHead(404, HEADERS)
        .end(JSON.stringify({ id: "not_found", message: "The resource you were accessing could not be found." }));
    }
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    if (url.pathname === "/__stats") return void res.end(JSON.stringify({ requests, maxInFlight }));
    if (url.pathname === "/__reset") {
      requests = maxInFlight = 0;
      return void res.end("{}");
    }
    requests++;
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    const done = () => {
      answer(url, res);
      inFlight--;
    };
    if (latencyMs > 0) setTimeout(done, latencyMs);
    else done();
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const server = createServer(
    { keepAliveTimeout: 60_000 },
    fakeApi(
      Number(process.argv[2] ?? 0),
      Number(process.argv[3] ?? 10_000),
      process.argv[4] === "spec" ? "spec" : "small",
    ),
  );
  server.listen(0, "127.0.0.1", () =>
    console.log(JSON.stringify({ port: (server.address() as { port: number }).port })),
  );
}
