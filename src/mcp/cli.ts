#!/usr/bin/env node
// `digitalocean-typed-mcp`: the DigitalOcean API as MCP tools, on stdio (default) or Streamable HTTP on loopback.
// stdout is the protocol: everything else goes to stderr.
import { parseArgs } from "node:util";
import { createDigitalOceanClient } from "../client.js";
import type { Logger } from "../log.js";
import type { DigitalOceanMcpOptions } from "./server.js";
import { RESOURCES } from "./tools.js";

const USAGE = `Usage: digitalocean-typed-mcp [options]

Serves the DigitalOcean API as MCP tools, read-only unless told otherwise. The token comes from DIGITALOCEAN_TOKEN,
the API's URL from DIGITALOCEAN_API_URL (default https://api.digitalocean.com).
  --resources a,b      only these resources' tools (${RESOURCES.join(", ")})
  --compact            three tools (search_operations, describe_operation, call_operation) instead of one per operation
  --allow-write        expose creates and updates
  --allow-destructive  expose deletes; each is confirmed by the user through the host (MCP elicitation)
  --scopes S           the token's scopes: full (default), read, or a list (droplet:read,vpc:read); others are hidden
  --rehearse           every call goes to an in-process fake: nothing real changes; rehearsal_summary says what would
  --state FILE         with --rehearse: start from this fake's state (fake.snapshot(), or the fake's --save)
  --redis URL          share the token's rate-limit budget with other processes through Redis (needs ioredis)
  --http PORT          serve Streamable HTTP on 127.0.0.1:PORT/mcp instead of stdio`;

/** The client's messages go to stderr: stdout carries the protocol. */
const stderr: Logger = {
  debug: (message) => console.error(message),
  info: (message) => console.error(message),
  warn: (message) => console.error(message),
};

function scopesOf(value: string | undefined): DigitalOceanMcpOptions["scopes"] {
  if (value === undefined || value === "full" || value === "read") return value ?? "full";
  return value
    .split(",")
    .map((scope) => scope.trim())
    .filter(Boolean);
}

async function pacingStore(url: string) {
  const [{ Redis }, { redisPacing }] = await Promise.all([import("ioredis"), import("../redis.js")]);
  return redisPacing(new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 }));
}

/** A saved account for the rehearsal, read as the fake's own --state reads it (loaded only for a rehearsal). */
async function savedState(file: string) {
  const { readStateFile } = await import("../testing/snapshot.js");
  return readStateFile(file);
}

/** The MCP SDK is an optional peer: without it, say how to get it rather than print a resolver's stack. */
async function sdk() {
  try {
    const [stdio, server, http] = await Promise.all([
      import("@modelcontextprotocol/server/stdio"),
      import("./server.js"),
      import("./http.js"),
    ]);
    return { ...stdio, ...server, ...http };
  } catch (error) {
    const missing = (error as { code?: string }).code === "ERR_MODULE_NOT_FOUND";
    if (!missing || !String((error as Error).message).includes("@modelcontextprotocol/server")) throw error;
    throw new Error("needs the MCP SDK: npm install @modelcontextprotocol/server");
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      resources: { type: "string" },
      compact: { type: "boolean" },
      "allow-write": { type: "boolean" },
      "allow-destructive": { type: "boolean" },
      scopes: { type: "string" },
      rehearse: { type: "boolean" },
      state: { type: "string" },
      redis: { type: "string" },
      http: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return void console.log(USAGE);
  const port = values.http === undefined ? undefined : Number(values.http);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536))
    throw new Error(`--http must be a port number, got ${values.http}.`);
  const rehearse = values.rehearse === true;
  if (values.state !== undefined && !rehearse) throw new Error("--state is the rehearsal's account: add --rehearse.");
  const { createDigitalOceanMcp, serveStdio, serveHttp } = await sdk();
  const mcp = await createDigitalOceanMcp({
    ...(rehearse
      ? {}
      : {
          client: createDigitalOceanClient({
            logger: stderr,
            ...(values.redis ? { pacing: { store: await pacingStore(values.redis) } } : {}),
          }),
        }),
    ...(values.resources ? { resources: values.resources.split(",").map((r) => r.trim()) } : {}),
    compact: values.compact === true,
    allowWrite: values["allow-write"] === true,
    allowDestructive: values["allow-destructive"] === true,
    scopes: scopesOf(values.scopes),
    rehearse: rehearse && values.state !== undefined ? { state: await savedState(values.state) } : rehearse,
  });
  console.error(
    `digitalocean-typed-mcp: ${mcp.tools.length} tools${rehearse ? " (rehearsal: nothing real changes)" : ""}`,
  );
  if (port === undefined) {
    const handle = serveStdio(() => mcp.server());
    process.stdin.once("end", () => void handle.close().then(() => mcp.close()));
    return;
  }
  const http = await serveHttp(mcp, port);
  console.error(`digitalocean-typed-mcp: listening on ${http.url}`);
  const stop = () =>
    void http
      .close()
      .then(() => mcp.close())
      .then(() => process.exit(0));
  process.once("SIGINT", stop).once("SIGTERM", stop);
}

main().catch((error: Error) => {
  console.error(`digitalocean-typed-mcp: ${error.message}\n\n${USAGE}`);
  process.exit(1);
});
