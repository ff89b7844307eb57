// The MCP server's tool list in each mode: what a host puts in the model's context before the first call. Sized
// from the real `tools/list` answer, through the SDK's Client, in tokens at 4 characters each.
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/server";
import { createDigitalOceanClient } from "../src/client.js";
import { createDigitalOceanMcp, type DigitalOceanMcpOptions } from "../src/mcp/index.js";

export const MCP_MODES: [string, DigitalOceanMcpOptions][] = [
  ["read-only (default)", {}],
  ["--allow-write", { allowWrite: true }],
  ["--allow-write --allow-destructive", { allowWrite: true, allowDestructive: true }],
  ["--resources droplets (read-only)", { resources: ["droplets"] }],
  ["--scopes read --allow-write --allow-destructive", { scopes: "read", allowWrite: true, allowDestructive: true }],
  ["--compact --allow-write --allow-destructive", { compact: true, allowWrite: true, allowDestructive: true }],
];

export interface McpModeSize {
  mode: string;
  tools: number;
  tokens: number;
}

export async function benchMcpTools(): Promise<McpModeSize[]> {
  // No request is made: the client only needs to exist.
  const client = createDigitalOceanClient({ token: `dop_v1_${"0".repeat(64)}`, baseUrl: "http://127.0.0.1:9" });
  const sizes: McpModeSize[] = [];
  for (const [mode, options] of MCP_MODES) {
    const mcp = await createDigitalOceanMcp({ ...options, client });
    const [near, far] = InMemoryTransport.createLinkedPair();
    await mcp.server().connect(near);
    const host = new Client({ name: "bench", version: "1.0.0" });
    await host.connect(far);
    const { tools } = await host.listTools();
    sizes.push({ mode, tools: tools.length, tokens: Math.round(JSON.stringify(tools).length / 4) });
    await host.close();
    await mcp.close();
  }
  return sizes;
}
