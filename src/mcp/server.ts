// The MCP server: the spec's operations as tools over the client (pacing, retries, the token's budget), read-only
// unless told otherwise, scoped to the token, destructive calls confirmed by the user through the host, and a
// rehearsal mode where every call goes to an in-process fake.
import {
  CLIENT_CAPABILITIES_META_KEY,
  type CallToolResult,
  type ClientCapabilities,
  type ServerContext,
  McpServer,
  acceptedContent,
  createRequestStateCodec,
  fromJsonSchema,
  inputRequired,
} from "@modelcontextprotocol/server";
import { createHash, randomBytes } from "node:crypto";
import { createDigitalOceanClient, type DigitalOceanClient } from "../client.js";
import { isApiError, RequestError, unwrap } from "../errors.js";
import { redactTokens } from "../log.js";
import { WaitTimeoutError } from "../wait.js";
import type { FakeState } from "../testing/index.js";
import { VERSION } from "../version.js";
import { type Access, type JsonSchema, type OperationTool, operationTools, RESOURCES } from "./tools.js";
import { type WaiterTool, waiterTools } from "./waiters.js";
import { type Rehearsal, startRehearsal } from "./rehearsal.js";

/** Options of {@link createDigitalOceanMcp}. */
export interface DigitalOceanMcpOptions {
  /** The client the tools call. Default: one from `DIGITALOCEAN_TOKEN` and `DIGITALOCEAN_API_URL`. */
  client?: DigitalOceanClient;
  /** Only the tools of these resources (`droplets`, `vpcs`, `partnerNetworkConnect`, …). Default: all. */
  resources?: readonly string[];
  /** Three tools (search the operations, describe one, call one) instead of one per operation. */
  compact?: boolean;
  /** Expose creates and updates. Default: read-only. */
  allowWrite?: boolean;
  /** Expose deletes; each is confirmed by the user through the host before it is sent. */
  allowDestructive?: boolean;
  /** The token's scopes: tools it cannot call are hidden. `"full"` (default) or `"read"`, as tokens are made. */
  scopes?: readonly string[] | "full" | "read";
  /**
   * Call an in-process fake instead of the API: nothing real changes. `true` starts from a new account;
   * `{ state }` from a fake's `snapshot()` (the bin's `--state file.json`).
   */
  rehearse?: boolean | { state: FakeState };
}

/** A running MCP server definition: a fresh {@link McpServer} per connection, over the same client. */
export interface DigitalOceanMcp {
  /** Names of the tools it serves, in order. */
  readonly tools: readonly string[];
  /** A new MCP server instance with the tools registered (what `serveStdio` and `createMcpHandler` ask for). */
  server(): McpServer;
  /** Stops the rehearsal's fake, if any. */
  close(): Promise<void>;
}

const NAME = "digitalocean-typed";

/** A tool's MCP annotations, from what it may do and its HTTP method. */
const annotationsOf = (tool: OperationTool) => ({
  title: tool.title,
  readOnlyHint: tool.access === "read",
  destructiveHint: tool.access === "destructive",
  idempotentHint: ["GET", "PUT", "DELETE"].includes(tool.method),
  openWorldHint: true,
});

/** Whether `scopes` grant every scope a tool needs. */
function granted(tool: OperationTool, scopes: DigitalOceanMcpOptions["scopes"] = "full"): boolean {
  if (scopes === "full") return true;
  if (scopes === "read") return tool.scopes.every((scope) => scope.endsWith(":read"));
  return tool.scopes.every((scope) => scopes.includes(scope));
}

/** The tools these options expose: the operations', then the waiters', in order. */
export function selectTools(options: DigitalOceanMcpOptions): OperationTool[] {
  const unknown = options.resources?.filter((name) => !(RESOURCES as readonly string[]).includes(name)) ?? [];
  if (unknown.length)
    throw new TypeError(`Unknown resources ${unknown.join(", ")}; choose from ${RESOURCES.join(", ")}.`);
  const allowed: Record<Access, boolean> = {
    read: true,
    write: options.allowWrite === true,
    destructive: options.allowDestructive === true,
  };
  return [...operationTools(), ...waiterTools()].filter(
    (tool) =>
      allowed[tool.access] &&
      granted(tool, options.scopes) &&
      (!options.resources || options.resources.includes(tool.resource)),
  );
}

/** Output schemas without descriptions: the shape is what a host checks, and descriptions would double the list. */
function shape(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema)) return schema.map(shape);
  if (schema === null || typeof schema !== "object") return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => key !== "description")
      .map(([key, value]) => [
        key,
        key === "properties"
          ? Object.fromEntries(Object.entries(value).map(([name, v]) => [name, shape(v as JsonSchema)]))
          : shape(value),
      ]),
  );
}

export async function createDigitalOceanMcp(options: DigitalOceanMcpOptions = {}): Promise<DigitalOceanMcp> {
  const tools = selectTools(options);
  const { rehearse } = options;
  const rehearsal = rehearse ? await startRehearsal(rehearse === true ? undefined : rehearse.state) : undefined;
  const client = rehearsal?.client ?? options.client ?? createDigitalOceanClient();
  const call = caller(client, rehearsal);
  const codec = createRequestStateCodec<string>({ key: randomBytes(32) });
  const toolNames = options.compact ? COMPACT_TOOLS : tools.map((tool) => tool.name);
  return {
    tools: rehearsal ? [...toolNames, "rehearsal_summary"] : toolNames,
    server() {
      const server = new McpServer(
        { name: NAME, version: VERSION },
        { capabilities: { tools: {} }, requestState: { verify: codec.verify } },
      );
      const confirm = confirmer(server, client, codec);
      const run = async (tool: OperationTool, args: Record<string, unknown>, ctx: ServerContext) => {
        if (tool.access === "destructive") {
          const answer = await confirm(tool, args, ctx);
          if (answer) return answer;
        }
        return call(tool, args, ctx.mcpReq.signal);
      };
      if (options.compact) registerCompact(server, tools, run);
      else for (const tool of tools) registerOperation(server, tool, run);
      if (rehearsal) registerSummary(server, rehearsal);
      return server;
    },
    close: async () => rehearsal?.close(),
  };
}

type Run = (tool: OperationTool, args: Record<string, unknown>, ctx: ServerContext) => Promise<CallToolResult>;

function registerOperation(server: McpServer, tool: OperationTool, run: Run): void {
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: fromJsonSchema(tool.inputSchema),
      ...(tool.outputSchema ? { outputSchema: fromJsonSchema(shape(tool.outputSchema)) } : {}),
      annotations: annotationsOf(tool),
    },
    (args, ctx) => run(tool, args as Record<string, unknown>, ctx),
  );
}

const COMPACT_TOOLS = ["search_operations", "describe_operation", "call_operation"];

/** The compact mode: three tools over the same operations, for hosts that struggle with many. */
function registerCompact(server: McpServer, tools: OperationTool[], run: Run): void {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const known = (name: string) => byName.get(name);
  server.registerTool(
    "search_operations",
    {
      title: "Search the DigitalOcean operations",
      description: "Finds the operations this server may call by words of their name, title or description.",
      inputSchema: fromJsonSchema({
        type: "object",
        properties: { query: { type: "string", description: "Words to look for, e.g. 'droplet backups'." } },
        required: ["query"],
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      const words = String((args as { query: string }).query)
        .toLowerCase()
        .split(/\W+/)
        .filter(Boolean);
      const found = tools
        .filter((tool) => words.every((word) => `${tool.name} ${tool.description}`.toLowerCase().includes(word)))
        .map(({ name, title, access }) => ({ name, title, access }));
      return json({ operations: found });
    },
  );
  server.registerTool(
    "describe_operation",
    {
      title: "Describe a DigitalOcean operation",
      description: "The input and output schemas of one operation, as call_operation takes and answers them.",
      inputSchema: fromJsonSchema({
        type: "object",
        properties: { name: { type: "string", description: "The operation's name, from search_operations." } },
        required: ["name"],
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      const tool = known((args as { name: string }).name);
      if (!tool) return unknownOperation((args as { name: string }).name, tools);
      const { name, title, description, access, scopes, inputSchema, outputSchema } = tool;
      return json({ name, title, description, access, scopes, inputSchema, outputSchema: outputSchema ?? null });
    },
  );
  server.registerTool(
    "call_operation",
    {
      title: "Call a DigitalOcean operation",
      description:
        "Calls one operation with arguments that match its input schema (describe_operation). Deletes are confirmed by the user first.",
      inputSchema: fromJsonSchema({
        type: "object",
        properties: {
          name: { type: "string", description: "The operation's name." },
          arguments: { type: "object", description: "Its arguments.", default: {} },
        },
        required: ["name"],
      }),
      annotations: { readOnlyHint: false, destructiveHint: tools.some((t) => t.access === "destructive") },
    },
    async (args, ctx) => {
      const { name, arguments: given = {} } = args as { name: string; arguments?: Record<string, unknown> };
      const tool = known(name);
      if (!tool) return unknownOperation(name, tools);
      const problem = checkArguments(tool, given);
      return problem ?? run(tool, given, ctx);
    },
  );
}

/** A clear refusal for an operation this server does not expose, naming the flags that would. */
function unknownOperation(name: string, tools: OperationTool[]): CallToolResult {
  const hint = operationTools().find((tool) => tool.name === name)
    ? "It exists but is not exposed: writes need --allow-write, deletes --allow-destructive, and the token its scopes."
    : `Search with search_operations; ${tools.length} operations are available.`;
  return failure(`No operation "${name}". ${hint}`);
}

/** The arguments' top-level names checked against the operation's schema (the API checks the rest). */
function checkArguments(tool: OperationTool, args: Record<string, unknown>): CallToolResult | undefined {
  const unknown = Object.keys(args).filter((key) => !(key in tool.inputSchema.properties));
  const missing = (tool.inputSchema.required as string[]).filter((key) => args[key] === undefined);
  if (!unknown.length && !missing.length) return undefined;
  const parts = [
    unknown.length ? `unknown arguments ${unknown.join(", ")}` : "",
    missing.length ? `missing ${missing.join(", ")}` : "",
  ].filter(Boolean);
  return failure(`Invalid arguments for ${tool.name}: ${parts.join("; ")}. See describe_operation.`);
}

function registerSummary(server: McpServer, rehearsal: Rehearsal): void {
  server.registerTool(
    "rehearsal_summary",
    {
      title: "What the rehearsal would have done",
      description:
        "Lists what the calls of this rehearsal would have created, changed and deleted. Nothing real changed.",
      inputSchema: fromJsonSchema({ type: "object", properties: {} }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => json(rehearsal.summary()),
  );
}

/** Calls an operation through the client and answers with its body, or with what went wrong as a tool error. */
function caller(client: DigitalOceanClient, rehearsal: Rehearsal | undefined) {
  return async (tool: OperationTool, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> => {
    const { limit, cursor, body, ...rest } = args;
    const pick = (names: string[]) =>
      Object.fromEntries(names.filter((n) => rest[n] !== undefined).map((n) => [n, rest[n]]));
    const query = pick(tool.queryParams);
    if (tool.list) Object.assign(query, { per_page: limit ?? 20, page: cursor === undefined ? 1 : Number(cursor) });
    const init = {
      params: { path: pick(tool.pathParams), query },
      headers: tool.headers,
      signal,
      ...(body === undefined ? {} : { body }),
    };
    try {
      const data = (await ("wait" in tool
        ? waitUntil(client, tool as WaiterTool, args, signal)
        : send(client, tool, init))) as Record<string, any> | undefined;
      rehearsal?.record(tool, args, data);
      const result = tool.list ? withNextCursor(data ?? {}, query.page as number) : data;
      const note = rehearsal ? "Rehearsal: this ran against an in-process fake; nothing real changed." : undefined;
      return result === undefined ? text(note ?? `Done: ${tool.title}.`) : json(withoutTokens(result), note);
    } catch (error) {
      return failure(describeError(tool, error));
    }
  };
}

/** What a failed call says to the model: the API's answer (for a 403, the scopes to add), or the client's reason. */
function describeError(tool: OperationTool, error: unknown): string {
  if (isApiError(error)) {
    const scopes = error.status === 403 ? ` The token needs the scopes ${tool.scopes.join(", ")}.` : "";
    return `${error.status} ${error.id}: ${error.body.message}${scopes}`;
  }
  if (error instanceof RequestError || error instanceof WaitTimeoutError) return error.message;
  throw error;
}

function send(client: DigitalOceanClient, tool: OperationTool, init: object) {
  const method = client[tool.method as "GET"] as (path: string, init: object) => ReturnType<DigitalOceanClient["GET"]>;
  return unwrap(method(tool.path, init));
}

/** Runs a waiter; its timeout is the tool's `timeout_seconds`, and a host's cancel stops it. */
function waitUntil(client: DigitalOceanClient, tool: WaiterTool, args: Record<string, unknown>, signal: AbortSignal) {
  const { timeout_seconds = 600 } = args as { timeout_seconds?: number };
  return tool.wait(client, args, { timeoutMs: timeout_seconds * 1000, intervalMs: 2_000, signal });
}

/** A list page with `next_cursor` when the API links a next page. */
function withNextCursor(page: Record<string, any>, number: number): Record<string, any> {
  return page.links?.pages?.next ? { ...page, next_cursor: String(number + 1) } : page;
}

type Codec = ReturnType<typeof createRequestStateCodec<string>>;

/**
 * Asks the user, through the host's elicitation, to confirm a destructive call, showing what it would delete. The
 * answer is bound to these exact arguments (a signed digest), so a model cannot confirm one call for another; a
 * host that cannot elicit gets a refusal.
 */
function confirmer(server: McpServer, client: DigitalOceanClient, codec: Codec) {
  return async (
    tool: OperationTool,
    args: Record<string, unknown>,
    ctx: ServerContext,
  ): Promise<CallToolResult | undefined> => {
    const digest = createHash("sha256")
      .update(JSON.stringify([tool.name, args]))
      .digest("hex");
    const capabilities = (ctx.mcpReq.envelope as Record<string, ClientCapabilities> | undefined)?.[
      CLIENT_CAPABILITIES_META_KEY
    ];
    if (!(capabilities ?? server.server.getClientCapabilities())?.elicitation) {
      return failure(
        `Refused: ${tool.name} deletes, and this host cannot ask the user to confirm (MCP elicitation). Nothing was deleted.`,
      );
    }
    const answer = acceptedContent<{ confirm?: boolean }>(ctx.mcpReq.inputResponses, "confirm");
    if (ctx.mcpReq.inputResponses) {
      if (answer?.confirm === true && ctx.mcpReq.requestState<string>() === digest) return undefined;
      return failure(`Refused: the user did not confirm ${tool.name}. Nothing was deleted.`);
    }
    return inputRequired({
      inputRequests: {
        confirm: inputRequired.elicit({
          message: await describeTarget(client, tool, args),
          requestedSchema: {
            type: "object",
            properties: { confirm: { type: "boolean", title: "Delete", description: "Yes, delete it." } },
            required: ["confirm"],
          },
        }),
      },
      requestState: await codec.mint(digest),
    }) as unknown as CallToolResult;
  };
}

/** What a destructive call would delete, in words: the names the API gives for its path (and what goes with it). */
async function describeTarget(client: DigitalOceanClient, tool: OperationTool, args: Record<string, unknown>) {
  const lines = [`${tool.title}?`];
  for (const read of targetReads(tool)) {
    const params = {
      path: Object.fromEntries(read.pathParams.map((n) => [n, args[n]])),
      query: Object.fromEntries(read.queryParams.filter((n) => args[n] !== undefined).map((n) => [n, args[n]])),
    };
    const got = await client.GET(read.path as "/v2/vpcs", { params } as object).catch(() => undefined);
    if (got?.data) lines.push(...namesIn(got.data));
  }
  lines.push(`Arguments: ${JSON.stringify(args)}`);
  return lines.join("\n");
}

/** The reads that name what a destructive tool acts on: the GETs of its path and of the paths above it. */
function targetReads(tool: OperationTool): OperationTool[] {
  return [...operationTools(), ...waiterTools()].filter(
    (other) =>
      other.method === "GET" &&
      (tool.path === other.path || tool.path.startsWith(`${other.path}/`)) &&
      other.pathParams.every((name) => tool.pathParams.includes(name)) &&
      other.pathParams.length > 0 === tool.pathParams.length > 0,
  );
}

/** "Droplet: web-01 (3164444)" lines for every named object of a response body, one level into lists. */
function namesIn(body: Record<string, any>): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === "links" || key === "meta") continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item && typeof item === "object" && ("name" in item || "ip" in item)) {
        lines.push(`${key}: ${item.name ?? item.ip}${item.id === undefined ? "" : ` (${item.id})`}`);
      } else if (item && typeof item === "object") lines.push(...namesIn(item).map((line) => `${key} ${line}`));
    }
  }
  return lines;
}

/**
 * The API's answer with every token-shaped string replaced by `[redacted]`: a server that echoes the token into a
 * body must not hand it to the model. (Redaction never touches JSON's quotes or backslashes, so it stays JSON.)
 */
const withoutTokens = (value: unknown): unknown => JSON.parse(redactTokens(JSON.stringify(value)));

const text = (value: string): CallToolResult => ({ content: [{ type: "text", text: value }] });

function json(value: unknown, note?: string): CallToolResult {
  const content: CallToolResult["content"] = [{ type: "text", text: JSON.stringify(value) }];
  if (note) content.push({ type: "text", text: note });
  return { content, structuredContent: value as Record<string, unknown> };
}

const failure = (message: string): CallToolResult => ({ ...text(message), isError: true });
