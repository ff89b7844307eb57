// The spec the fake obeys: generated/openapi.yaml, routed with find-my-way and validated with ajv (JSON Schema
// 2020-12, the dialect of OpenAPI 3.1). Validators are compiled on first use of each operation, so start-up
// costs only parsing the YAML (js-yaml: a few times faster than the `yaml` package on this file) and building
// the routing tree.
import { readFileSync } from "node:fs";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import FindMyWay from "find-my-way";
import { load } from "js-yaml";

/** The bundled spec shipped in the package (the same path from src/testing/ and dist/testing/). */
const SPEC_URL = new URL("../../generated/openapi.yaml", import.meta.url);

const METHODS = ["get", "put", "post", "delete", "patch"] as const;
type Json = Record<string, any>;

/** One operation of the spec, as routed. */
export interface Operation {
  operationId: string;
  method: string;
  /** The templated path, e.g. `/v2/droplets/{droplet_id}`. */
  path: string;
  /** The operation object of the spec. */
  spec: Json;
}

/** A request the fake understood: the operation, and its parameters and body coerced and validated. */
export interface Matched {
  operation: Operation;
  path: Record<string, any>;
  query: Record<string, any>;
  headers: Record<string, any>;
}

/** What the router and validators need to know about the spec. */
export interface Spec {
  operations: Operation[];
  /** The operation for a method and URL path, with raw path parameters; `allowed` lists the path's methods when only the method is wrong. */
  route(
    method: string,
    pathname: string,
  ): { operation: Operation; params: Record<string, string | undefined> } | { allowed: string[] } | undefined;
  /** Validates and coerces parameters; returns an error message or the typed parameters. */
  parameters(
    operation: Operation,
    raw: { path: Record<string, string | undefined>; query: URLSearchParams; headers: Record<string, unknown> },
  ): string | Omit<Matched, "operation">;
  /** Validates a request body; returns an error message or "". */
  body(operation: Operation, body: unknown): string;
  /** Everything wrong with an answer: an undocumented status, a body or a header that does not match; [] when valid. */
  response(operation: Operation, status: number, body: unknown, headers: Record<string, string>): string[];
  /** The documented example of a component schema or response, by JSON pointer (`#/components/…`). */
  resolve(node: unknown): any;
}

/** Loads and indexes the spec. */
export function loadSpec(file: URL = SPEC_URL): Spec {
  const bundle = load(readFileSync(file, "utf8")) as Json;
  const resolve = (node: any): any =>
    node?.$ref
      ? resolve(
          node.$ref
            .slice(2)
            .split("/")
            .reduce((n: Json, key: string) => n[key.replace(/~1/g, "/").replace(/~0/g, "~")], bundle),
        )
      : node;
  const spec = (schema: unknown) => JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"spec#/'));
  // validateSchema: false: lint has checked every schema of the spec (npm run generate), and checking the whole
  // bundle against JSON Schema's meta-schema again cost 85 ms of start-up.
  const ajv = (coerceTypes: boolean) =>
    addFormats.default(new Ajv2020.default({ strict: false, allErrors: true, coerceTypes, validateSchema: false }));
  // Bodies and answers: exact types, $refs into the bundle. Parameters and headers arrive as text, so their
  // (inline, $ref-free) schemas are checked with type coercion: `per_page=20` is the integer 20.
  const strict = ajv(false).addSchema({ ...bundle, $id: "spec" });
  const coercing = ajv(true);
  const errors = (validate: ValidateFunction, what: string) =>
    strict.errorsText(validate.errors, { dataVar: what, separator: "; " });

  const operations: Operation[] = [];
  const router = FindMyWay({ ignoreTrailingSlash: false, caseSensitive: true });
  for (const [path, item] of Object.entries<Json>(bundle.paths)) {
    for (const method of METHODS) {
      if (!item[method]) continue;
      const operation = {
        operationId: item[method].operationId,
        method: method.toUpperCase(),
        path,
        spec: {
          ...item[method],
          parameters: [...(item.parameters ?? []), ...(item[method].parameters ?? [])].map(resolve),
        },
      };
      operations.push(operation);
      router.on(operation.method as "GET", path.replace(/\{(\w+)\}/g, ":$1"), () => undefined, operation);
    }
  }

  const cache = new Map<string, any>();
  const memo = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key);
  };

  /** One object schema per parameter location, compiled with type coercion (query strings become numbers, booleans). */
  const parameterValidators = (operation: Operation) =>
    memo(
      `params ${operation.operationId}`,
      () =>
        Object.fromEntries(
          (["path", "query", "header"] as const).map((location) => {
            const params = operation.spec.parameters.filter((p: Json) => p.in === location);
            const key = (p: Json) => (location === "header" ? p.name.toLowerCase() : p.name);
            const schema = {
              type: "object",
              properties: Object.fromEntries(params.map((p: Json) => [key(p), p.schema])),
              required: params.filter((p: Json) => p.required).map(key),
            };
            return [location, coercing.compile(schema)];
          }),
        ) as Record<"path" | "query" | "header", ValidateFunction>,
    );

  return {
    operations,
    resolve,
    route(method, pathname) {
      const found = router.find(method as "GET", pathname);
      if (found) return { operation: found.store as Operation, params: found.params };
      const allowed = METHODS.map((m) => m.toUpperCase()).filter((m) => router.find(m as "GET", pathname));
      return allowed.length ? { allowed } : undefined;
    },
    parameters(operation, raw) {
      const validators = parameterValidators(operation);
      const query: Json = {};
      for (const [name, value] of raw.query)
        query[name] = name in query ? [].concat(query[name], value as never) : value;
      const values = { path: { ...raw.path }, query, header: { ...raw.headers } };
      for (const location of ["path", "query", "header"] as const) {
        const validate = validators[location];
        if (!validate(values[location])) return errors(validate, location === "header" ? "headers" : location);
      }
      return { path: values.path, query: values.query, headers: values.header };
    },
    body(operation, body) {
      const requestBody = resolve(operation.spec.requestBody);
      if (!requestBody) return "";
      if (body === undefined) return requestBody.required ? "the request body is required (application/json)" : "";
      const validate = memo(`body ${operation.operationId}`, () =>
        strict.compile(spec(requestBody.content["application/json"].schema)),
      );
      return validate(body) ? "" : errors(validate, "body");
    },
    response(operation, status, body, headers) {
      const documented = resolve(operation.spec.responses[String(status)] ?? operation.spec.responses.default);
      if (!documented) return [`status ${status} is not documented for ${operation.operationId}`];
      const problems: string[] = [];
      const schema = documented.content?.["application/json"]?.schema;
      if (schema) {
        const validate = memo(`response ${operation.operationId} ${status}`, () => strict.compile(spec(schema)));
        if (!validate(body)) problems.push(errors(validate, "body"));
      } else if (body !== undefined)
        problems.push(`status ${status} of ${operation.operationId} has no documented body`);
      for (const [name, header] of Object.entries<Json>(documented.headers ?? {})) {
        if (headers[name] === undefined) problems.push(`header ${name} is missing`);
        else if (!memo(`header ${name}`, () => coercing.compile(resolve(header).schema))(headers[name]))
          problems.push(`header ${name} is invalid`);
      }
      return problems;
    },
  };
}
