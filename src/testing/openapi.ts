// The spec the fake obeys: routed by the spec module's router and checked with the validators compiled at
// generation time (generated/validators.js, through conformance's checks), so nothing is compiled at start-up.
// The bundle itself (generated/openapi.json) is read for the examples the fake serves.
import { readFileSync } from "node:fs";
import { checkBody, checkParameters, checkResponse, isFailure, type Problem } from "../conformance/check.js";
import { type NeededScope, scopesNeeded } from "../conformance/scopes.js";
import { operationsOf, resolve, router } from "../spec.js";

/** The bundled spec shipped in the package (the same path from src/testing/ and dist/testing/). */
const SPEC_URL = new URL("../../generated/openapi.json", import.meta.url);

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
  /** Validates and coerces parameters; returns an error message or the typed parameters and the query's unknown fields. */
  parameters(
    operation: Operation,
    raw: { path: Record<string, string | undefined>; query: URLSearchParams; headers: Record<string, unknown> },
  ): string | { values: Omit<Matched, "operation">; unknown: string[] };
  /** Validates a request body; returns why it is refused ("" when it is not) and the fields the spec does not know. */
  body(operation: Operation, body: unknown): { refused: string; unknown: string[] };
  /** The scopes a request needs, by the spec's rules: its operation's, then those of the fields it uses. */
  scopes(operation: Operation, query: Record<string, unknown>, body: unknown): NeededScope[];
  /** Everything wrong with an answer: an undocumented status, a body or a header that does not match; [] when valid. */
  response(operation: Operation, status: number, body: unknown, headers: Record<string, string>): string[];
  /** The documented example of a component schema or response, by JSON pointer (`#/components/…`). */
  resolve(node: unknown): any;
}

const keyOf = (operation: Operation) => `${operation.method} ${operation.path}`;

/**
 * The failures among `problems` (an undocumented field is none), each as where, then what: `query/per_page: …`,
 * `body/region_slug: …`. `inBody` tells the problems whose pointer is into a body; the others' pointers start with
 * their location (`/query/…`, `/header/…`) or are empty (an undocumented status).
 */
function failures(problems: Problem[], inBody: (problem: Problem) => boolean): string[] {
  return problems.filter(isFailure).map((problem) => {
    const where = `${inBody(problem) ? "body" : ""}${problem.pointer}`.replace(/^\//, "");
    return where ? `${where}: ${problem.message}` : problem.message;
  });
}

/** The fields among `problems` that the spec does not describe, each once, by where: `query/tag`, `body/regoin` (array indexes as `*`). */
const unknownFields = (problems: Problem[], prefix: string) => [
  ...new Set(problems.filter((p) => !isFailure(p)).map((p) => `${prefix}${p.pattern}`.replace(/^\//, ""))),
];

/** Loads and indexes the spec. */
export function loadSpec(): Spec {
  const document = JSON.parse(readFileSync(SPEC_URL, "utf8")) as Json;
  const operations: Operation[] = operationsOf(document).map(({ operationId, method, path, operation }) => ({
    operationId,
    method,
    path,
    spec: operation,
  }));
  const route = router(operations);
  return {
    operations,
    resolve: (node) => resolve(document, node),
    route,
    parameters(operation, raw) {
      const query: Json = {};
      for (const [name, value] of raw.query)
        query[name] = name in query ? [].concat(query[name], value as never) : value;
      const { problems, values } = checkParameters(keyOf(operation), { path: raw.path, query, header: raw.headers });
      const refused = failures(problems, () => false);
      if (refused.length) return refused.join("; ");
      return {
        values: { path: values.path, query: values.query, headers: values.header },
        unknown: unknownFields(problems, ""),
      };
    },
    body(operation, body) {
      const problems = checkBody(keyOf(operation), body);
      return { refused: failures(problems, () => true).join("; "), unknown: unknownFields(problems, "body") };
    },
    scopes: (operation, query, body) => scopesNeeded(keyOf(operation), { query }, body),
    response(operation, status, body, headers) {
      // Every body the fake sends is JSON.
      const sent = body === undefined ? headers : { "content-type": "application/json", ...headers };
      return failures(
        checkResponse(keyOf(operation), status, body, sent),
        (problem) => problem.kind !== "undocumented-status" && !problem.pointer.startsWith("/header/"),
      );
    },
  };
}
