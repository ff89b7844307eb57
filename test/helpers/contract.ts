// Builds a request for every operation from the spec's own examples and checks responses against the spec.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { DigitalOceanClient } from "../../src/index.js";
import { bundle, type Operation } from "./spec.js";

/** An obviously fake personal access token. */
export const FAKE_TOKEN = `dop_v1_${"0123456789abcdef".repeat(4)}`;

/** Follows a local `$ref` (`#/components/…`) in the bundled spec. */
export function resolve(node: any): any {
  if (!node?.$ref) return node;
  return resolve(
    node.$ref
      .slice(2)
      .split("/")
      .reduce((n: any, key: string) => n[key.replace(/~1/g, "/").replace(/~0/g, "~")], bundle),
  );
}

const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ ...bundle, $id: "spec" });

/** Validates `value` against a schema of the bundle; returns ajv's errors as text, or "" when valid. */
export function schemaErrors(schema: unknown, value: unknown): string {
  const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"spec#/')));
  return validate(value) ? "" : ajv.errorsText(validate.errors, { separator: "\n" });
}

/** The parts of a call, as openapi-fetch takes them. */
export interface CallInit {
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, unknown> };
  body?: unknown;
  headers?: Record<string, string>;
}

/** All parameters of an operation: path-item level and operation level. */
export function parametersOf({ path, op }: Operation): any[] {
  return [...(bundle.paths[path].parameters ?? []), ...(op.parameters ?? [])].map(resolve);
}

/**
 * A valid request for `operation` from the spec's examples: every parameter with an example, and the
 * request body example. Returns the reason instead when a required part has no example.
 */
export function exampleRequest(operation: Operation): CallInit | string {
  const params: CallInit["params"] = { path: {}, query: {}, header: {} };
  for (const param of parametersOf(operation)) {
    if (param.example === undefined) {
      if (param.required) return `required ${param.in} parameter ${param.name} has no example`;
      continue;
    }
    (params as Record<string, Record<string, unknown>>)[param.in]![param.name] = param.example;
  }
  const requestBody = resolve(operation.op.requestBody);
  if (!requestBody) return { params };
  const media = requestBody.content?.["application/json"];
  const body = media?.example;
  if (body === undefined) return requestBody.required ? "the required request body has no example" : { params };
  return { params, body };
}

/** What openapi-fetch resolves to. */
export interface CallResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** Calls `operation` through the typed client (typed loosely, since the path is only known at run time). */
export function call(client: DigitalOceanClient, { method, path }: Operation, init: CallInit): Promise<CallResult> {
  const send = client[method.toUpperCase() as "GET"] as unknown as (
    path: string,
    init: CallInit,
  ) => Promise<CallResult>;
  return send(path, init);
}

/**
 * Everything wrong with `result` as an answer of `operation`, or [] when it matches the spec: a documented
 * status, a body that validates against that status's schema (or no body if none is documented), and
 * documented headers that are present and valid.
 */
export function responseProblems({ op }: Operation, { data, error, response }: CallResult): string[] {
  const documented = op.responses[String(response.status)] ?? op.responses.default;
  if (!documented) return [`status ${response.status} is not documented`];
  const spec = resolve(documented);
  const problems: string[] = [];
  const schema = spec.content?.["application/json"]?.schema;
  const body = response.ok ? data : error;
  if (schema) {
    const errors = body === undefined ? "no body" : schemaErrors(schema, body);
    if (errors) problems.push(`body: ${errors}`);
  } else if (body !== undefined && body !== "") {
    problems.push(`undocumented body ${JSON.stringify(body).slice(0, 200)}`);
  }
  for (const [name, header] of Object.entries<any>(spec.headers ?? {})) {
    const value = response.headers.get(name);
    if (value === null) problems.push(`header ${name} is missing`);
    else {
      const { schema: headerSchema } = resolve(header);
      const parsed = headerSchema?.type === "integer" || headerSchema?.type === "number" ? Number(value) : value;
      const errors = schemaErrors(headerSchema, parsed);
      if (errors) problems.push(`header ${name}: ${errors}`);
    }
  }
  return problems;
}
