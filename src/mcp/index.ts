// `digitalocean-typed/mcp`: the DigitalOcean API as MCP tools, on the official MCP TypeScript SDK (an optional peer).
export { createDigitalOceanMcp, selectTools, type DigitalOceanMcp, type DigitalOceanMcpOptions } from "./server.js";
export { serveHttp, type HttpServer } from "./http.js";
export { operationTools, RESOURCES, type Access, type OperationTool } from "./tools.js";
export { waiterTools, type WaiterTool } from "./waiters.js";
export type { RehearsalSummary, RehearsedChange } from "./rehearsal.js";
