// Builds a request for every operation from the spec's own examples and checks responses against the spec, with
// the validators generated from it (as conformance and the fake do).
import { checkResponse, formatProblem, isFailure, responseOf } from "../../src/conformance/check.js";
import { OPERATIONS, type DigitalOceanClient, type OperationId, type OperationRow } from "../../src/index.js";
import { resolve as resolveRef } from "../../src/spec.js";
import { operations as entries } from "../../generated/validators.js";
import { bundle, type Operation } from "./spec.js";

/** An obviously fake personal access token. */
export const FAKE_TOKEN = `dop_v1_${"0123456789abcdef".repeat(4)}`;

/** Follows a local `$ref` (`#/components/…`) in the bundled spec. */
export const resolve = (node: any): any => resolveRef(bundle, node);

/** Everything wrong with `body` as the answer `status` of `operation`, one line each; [] when it matches. */
export function bodyProblems({ key }: Operation, status: number, body: unknown): string[] {
  return checkResponse(key, status, body).filter(isFailure).map(formatProblem);
}

/** The parts of a call, as openapi-fetch takes them. */
export interface CallInit {
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, unknown> };
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A valid request for `operation` from the spec's examples: every parameter with an example, and the
 * request body example. Returns the reason instead when a required part has no example.
 */
export function exampleRequest(operation: Operation): CallInit | string {
  const params: CallInit["params"] = { path: {}, query: {}, header: {} };
  for (const param of operation.parameters) {
    if (param.example === undefined) {
      if (param.required) return `required ${param.in} parameter ${param.name} has no example`;
      continue;
    }
    (params as Record<string, Record<string, unknown>>)[param.in]![param.name] = param.example;
  }
  const { requestBody } = operation;
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
export function responseProblems(operation: Operation, { data, error, response }: CallResult): string[] {
  const body = response.ok ? data : error;
  const sent = body === "" ? undefined : body;
  const problems = checkResponse(operation.key, response.status, sent, Object.fromEntries(response.headers))
    .filter(isFailure)
    .map(formatProblem);
  const documented = responseOf(entries[operation.key]!, response.status);
  if (documented?.bodyCheck && sent === undefined) problems.push("no body");
  return problems;
}

/**
 * The arguments of `operation`'s resource method for a request `init`: path values in path order, then one object
 * of the query, header and body fields when the operation takes any.
 */
export function resourceArgs({ operationId }: Operation, init: CallInit): unknown[] {
  const row = OPERATIONS[operationId as OperationId] as OperationRow;
  const path = row.pathParams.map((name) => init.params.path[name]);
  const takesFields = row.body || row.query.length + row.header.length > 0;
  return takesFields
    ? [...path, { ...init.params.query, ...init.params.header, ...(init.body as object | undefined) }]
    : path;
}

/** Calls `operation` through its resource method (`client.droplets.get(…)`), typed loosely as the id is run-time. */
export function callResource(client: DigitalOceanClient, operation: Operation, init: CallInit): Promise<unknown> {
  const row = OPERATIONS[operation.operationId as OperationId] as OperationRow;
  const method = (client as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>)[
    row.resource
  ]![row.method]!;
  return method(...resourceArgs(operation, init));
}
