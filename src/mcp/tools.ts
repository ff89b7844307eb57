// The MCP tools: one per operation of the contract (generated/contract.js), named by its operationId, grouped by
// its resource, with an input schema (its path and query parameters, and its body as `body`) and an output schema
// (its success body) read from the bundled spec, a title, and what it may do to an account (`read`, `write` or
// `destructive`), from its method and scopes.
import { readFileSync } from "node:fs";
import { OPERATIONS, type OperationId, type ResourceName } from "../contract.js";
import { follow, operationsOf, type Operation } from "../spec.js";

/** The bundled spec shipped in the package (the same path from src/mcp/ and dist/mcp/). */
const SPEC_URL = new URL("../../generated/openapi.json", import.meta.url);

export type JsonSchema = Record<string, any>;

/** What a tool may do: read the account, change it, or delete from it. */
export type Access = "read" | "write" | "destructive";

/** One operation as a tool. */
export interface OperationTool {
  /** The operationId: `droplets_list_backups`. */
  name: string;
  /** The client's resource it belongs to: `droplets`, `partnerNetworkConnect`. */
  resource: ResourceName;
  title: string;
  description: string;
  access: Access;
  /** The token scopes it needs (`x-required-scopes`). */
  scopes: string[];
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  /**
   * Headers the operation requires with one allowed value, sent as that value: an acknowledgement such as
   * `X-Dangerous: true`, which the user's confirmation gives, not the model.
   */
  headers: Record<string, string>;
  /** For a list, the key of its items in the success body: `droplets`. */
  list?: string;
  inputSchema: JsonSchema;
  /** The success body's schema; none for an operation that answers 204. */
  outputSchema?: JsonSchema;
}

/** Keywords of OpenAPI, not JSON Schema, and examples: left out of tool schemas, which a model reads whole. */
const LEFT_OUT = new Set(["example", "examples", "discriminator", "xml", "externalDocs"]);
/** Keywords whose value maps names to schemas (its keys are names, not keywords). */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs"]);
/** The list parameters a tool replaces with `limit` and `cursor`. */
const PAGE_PARAMS = ["page", "per_page"];

/** `schema` with its `$ref`s inlined (a cycle becomes `{}`) and what a tool schema does not need left out. */
function inline(document: JsonSchema, schema: unknown, seen: readonly string[] = []): any {
  if (Array.isArray(schema)) return schema.map((item) => inline(document, item, seen));
  if (schema === null || typeof schema !== "object") return schema;
  const ref = (schema as JsonSchema).$ref;
  if (typeof ref === "string") return seen.includes(ref) ? {} : inline(document, follow(document, ref), [...seen, ref]);
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (LEFT_OUT.has(key) || key.startsWith("x-")) continue;
    out[key] = SCHEMA_MAPS.has(key)
      ? Object.fromEntries(Object.entries(value as JsonSchema).map(([name, v]) => [name, inline(document, v, seen)]))
      : inline(document, value, seen);
  }
  return out;
}

/** `schema` without the properties the API sets (`readOnly`), at every depth: what a request may send. */
function writable(schema: any): any {
  if (Array.isArray(schema)) return schema.map(writable);
  if (schema === null || typeof schema !== "object") return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties") {
      const kept = Object.entries(value as JsonSchema).filter(([, property]) => !property?.readOnly);
      out.properties = Object.fromEntries(kept.map(([name, property]) => [name, writable(property)]));
    } else out[key] = SCHEMA_MAPS.has(key) ? value : writable(value);
  }
  if (Array.isArray(out.required) && out.properties)
    out.required = out.required.filter((n: string) => n in out.properties);
  return out;
}

/** Read, write or destructive: a DELETE, or anything that needs a `:delete` scope (a retried destroy), destroys. */
function accessOf(method: string, scopes: readonly string[]): Access {
  if (method === "DELETE" || scopes.some((scope) => scope.endsWith(":delete"))) return "destructive";
  return method === "GET" ? "read" : "write";
}

/** The JSON schema of an operation's first 2xx answer with a body. */
function successSchema(operation: Operation): JsonSchema | undefined {
  const success = Object.entries(operation.responses).find(([status]) => /^2/.test(status));
  return success?.[1]?.content?.["application/json"]?.schema;
}

function toolOf(document: JsonSchema, operation: Operation): OperationTool {
  const { operation: spec, parameters } = operation;
  const contract = OPERATIONS[operation.operationId as OperationId];
  const list = "items" in contract ? contract.items : undefined;
  const properties: JsonSchema = {};
  const required: string[] = [];
  for (const parameter of parameters) {
    if (parameter.in !== "path" && parameter.in !== "query") continue;
    if (list && PAGE_PARAMS.includes(parameter.name)) continue;
    properties[parameter.name] = { ...inline(document, parameter.schema), description: parameter.description };
    if (parameter.required) required.push(parameter.name);
  }
  if (list) Object.assign(properties, PAGING);
  const body = operation.requestBody?.content?.["application/json"]?.schema;
  if (body) {
    properties.body = writable(inline(document, body));
    if (operation.requestBody.required) required.push("body");
  }
  const output = successSchema(operation);
  const outputSchema = output && inline(document, output);
  return {
    name: operation.operationId,
    resource: contract.resource,
    title: spec.summary ?? operation.operationId,
    description: spec.description ?? spec.summary ?? "",
    access: accessOf(contract.httpMethod, contract.scopes),
    scopes: [...contract.scopes],
    method: contract.httpMethod,
    path: contract.path,
    pathParams: [...contract.pathParams],
    queryParams: [...contract.query],
    headers: constantHeaders(parameters),
    ...(list ? { list } : {}),
    inputSchema: { type: "object", properties, required, additionalProperties: false },
    ...(outputSchema ? { outputSchema: list ? withCursor(outputSchema) : outputSchema } : {}),
  };
}

/** The headers an operation requires with one allowed value (`X-Dangerous: true`), as they are sent. */
function constantHeaders(parameters: Operation["parameters"]): Record<string, string> {
  const constant = parameters.filter((p) => p.in === "header" && p.schema?.enum?.length === 1);
  return Object.fromEntries(constant.map((p) => [p.name, String(p.schema.enum[0])]));
}

/** How a list tool pages: at most `limit` items a call, and a `cursor` from the last answer for the next ones. */
const PAGING: JsonSchema = {
  limit: {
    type: "integer",
    minimum: 1,
    maximum: 200,
    default: 20,
    description: "At most this many items (1–200, default 20).",
  },
  cursor: {
    type: "string",
    pattern: "^[1-9][0-9]{0,8}$",
    description: "`next_cursor` of the previous answer, for the items after it.",
  },
};

/** A list's success body with `next_cursor`, present when there are more items. */
function withCursor(schema: JsonSchema): JsonSchema {
  const next_cursor = { type: "string", description: "Pass as `cursor` for the next items; absent on the last page." };
  return { ...schema, properties: { ...schema.properties, next_cursor } };
}

/** The client's resources, in the contract's order: what `--resources` may name. */
export const RESOURCES: readonly ResourceName[] = [...new Set(Object.values(OPERATIONS).map((o) => o.resource))];

let cached: OperationTool[] | undefined;

/** Every operation of the bundled spec as a tool, in the spec's order. */
export function operationTools(): OperationTool[] {
  if (!cached) {
    const document = JSON.parse(readFileSync(SPEC_URL, "utf8"));
    cached = operationsOf(document).map((operation) => toolOf(document, operation));
  }
  return cached;
}
