// A real node:http server on 127.0.0.1 (random port) whose answers a test scripts request by request,
// recording what it saw: method, URL, headers, body, arrival time and how many requests were in flight.
//
// Its URL ends in a random path of its own, and only requests under it are recorded and answered: on a busy
// machine a port freed by one test process is soon given to another, and a late request meant for the old
// server (a retry after its test ended) must not count as one of this test's.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import { createDigitalOceanClient, type DigitalOceanClientOptions } from "../../src/index.js";

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}

/** What to do with one request: a response, or a fault (no answer, a reset, a body that stalls or drips). */
export type Reply =
  /** A body given as bytes (a Buffer) is sent as is. */
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  | { hang: true }
  | { reset: true }
  | { partial: string }
  | { drip: string; everyMs: number };

export type Handler = (req: SeenRequest, index: number) => Reply | Promise<Reply>;

export const TOKEN = `dop_v1_${"0123456789abcdef".repeat(4)}`;

export async function startServer(handler: Handler) {
  const seen: SeenRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sockets = new Set<import("node:net").Socket>();
  /** Promises waiting for the server to have seen a number of requests. */
  const waiting: { count: number; resolve: () => void }[] = [];

  const prefix = `/${randomUUID()}`;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith(`${prefix}/`)) {
      res
        .writeHead(421, { "content-type": "application/json" })
        .end('{"id":"misdirected","message":"not a request for this test server"}');
      return;
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    let body = "";
    for await (const chunk of req) body += chunk;
    const request = {
      method: req.method ?? "",
      url: req.url.slice(prefix.length),
      headers: req.headers,
      body,
      at: Date.now(),
    };
    seen.push(request);
    for (const w of waiting.filter((w) => seen.length >= w.count)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
    const reply = await handler(request, seen.length - 1);
    if ("hang" in reply) return;
    if ("reset" in reply) {
      req.socket.destroy();
      return;
    }
    if ("partial" in reply) {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(reply.partial);
      return;
    }
    if ("drip" in reply) {
      res.writeHead(200, { "content-type": "application/json" });
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < reply.drip.length) res.write(reply.drip[sent++]);
        else res.end(clearInterval(timer));
      }, reply.everyMs);
      res.on("close", () => clearInterval(timer));
      return;
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    const { body: given } = reply;
    const text =
      given === undefined
        ? ""
        : typeof given === "string" || given instanceof Uint8Array
          ? given
          : JSON.stringify(given);
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(text);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    seen,
    get maxInFlight() {
      return maxInFlight;
    },
    /** Resolves once the server has seen `count` requests in all (their bodies read, the handler about to run). */
    received(count: number): Promise<void> {
      return seen.length >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve }));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Rate-limit headers as the API sends them. */
export function rateLimitHeaders(
  remaining: number,
  resetEpochSeconds = Math.ceil(Date.now() / 1000) + 60,
): Record<string, string> {
  return {
    "ratelimit-limit": "5000",
    "ratelimit-remaining": String(remaining),
    "ratelimit-reset": String(resetEpochSeconds),
  };
}

export type TestServer = Awaited<ReturnType<typeof startServer>>;

/**
 * For a test file: `start(handler)` starts a scripted server, `serve(handler, options)` also creates a client
 * pointed at it (fake token, `defaults`, then `options`). Every server is closed after each test.
 */
export function useServers(defaults: DigitalOceanClientOptions = {}) {
  const open: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  const start = async (handler: Handler) => {
    const server = await startServer(handler);
    open.push(server);
    return server;
  };
  const serve = async (handler: Handler, options: DigitalOceanClientOptions = {}) => {
    const server = await start(handler);
    return { server, client: createDigitalOceanClient({ token: TOKEN, baseUrl: server.url, ...defaults, ...options }) };
  };
  return { start, serve };
}
