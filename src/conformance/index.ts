// `digitalocean-typed/conformance`: checks live traffic against the spec, as openapi-fetch middleware, and
// recorded traffic (HAR files), as the command does.
import type { Middleware } from "openapi-fetch";
import { INFO } from "../errors.js";
import type { Body } from "../response.js";
import { checkRequest, checkResponse, formatProblem, isFailure, parseBody, type Problem } from "./check.js";

export {
  checkRequest,
  checkResponse,
  findOperation,
  formatProblem,
  isFailure,
  NOT_JSON,
  parseBody,
  type Params,
  type Problem,
  type ProblemKind,
} from "./check.js";
export { checkHar, type Har, type HarReport, readHar, scopesUsed } from "./har.js";
export { type NeededScope, scopesNeeded } from "./scopes.js";

/** Options of {@link conformance}. */
export interface ConformanceOptions {
  /**
   * Called once per distinct problem (the same field of every item of a list, or of every value of a map, is one problem).
   * Default: `console.warn`.
   */
  onProblem?: (problem: Problem) => void;
  /**
   * Make a call whose request or response breaks the spec fail with a {@link ConformanceError} (for tests).
   * Undocumented fields never fail a call; they still go to `onProblem`. Default `false`.
   */
  throw?: boolean;
}

/** A call whose request or response breaks the spec, with `conformance({ throw: true })`. */
export class ConformanceError extends Error {
  override name = "ConformanceError";
  constructor(readonly problems: Problem[]) {
    super(
      `The ${problems[0]!.in} of ${problems[0]!.operation} does not match the spec:\n${problems.map(formatProblem).join("\n")}`,
    );
  }
}

const warn = (p: Problem) =>
  console.warn(
    `digitalocean-typed conformance: ${p.operation}${p.status ? ` → ${p.status}` : ""} ${p.in}: ${formatProblem(p)}`,
  );

/**
 * Middleware that checks each call's request (parameters, body) and response (status, headers, body) against the
 * spec, with validators compiled when the package was built. Nothing is checked unless you add it.
 *
 * @example
 * client.use(conformance({ onProblem: (p) => log.warn(p) })); // default: console.warn, once per distinct problem
 * client.use(conformance({ throw: true }));                    // in tests: a mismatch fails the call
 */
export function conformance(options: ConformanceOptions = {}): Middleware {
  const { onProblem = warn, throw: fail = false } = options;
  const seen = new Set<string>();
  const report = (problems: Problem[]) => {
    for (const p of problems) {
      const key = [p.operation, p.status, p.in, p.kind, p.pattern, p.specFile, p.line].join(" ");
      if (seen.has(key)) continue;
      seen.add(key);
      onProblem(p);
    }
    const failures = problems.filter(isFailure);
    if (fail && failures.length) throw new ConformanceError(failures);
  };
  // A request's problems wait for its answer, to carry its status, unless they fail the call before it is sent.
  const asked = new Map<string, Problem[]>();
  const answered = (id: string, status?: number) => {
    const problems = asked.get(id) ?? [];
    asked.delete(id);
    return problems.map((p) => ({ ...p, status }));
  };
  return {
    async onRequest({ id, request, schemaPath, params }) {
      const body = request.body ? parseBody(await request.clone().text()) : undefined;
      const problems = checkRequest(`${request.method} ${schemaPath}`, params, body);
      if (fail && problems.some(isFailure)) report(problems);
      else if (problems.length) asked.set(id, problems);
    },
    async onResponse({ id, request, response, schemaPath }) {
      // This client's transport has read the body already and keeps what the API sent; any other fetch: read a copy.
      const read = (response as Response & { [INFO]?: Body })[INFO];
      const body = read
        ? read.received !== undefined
          ? parseBody(read.received)
          : read.data
        : parseBody(await response.clone().text());
      const headers = Object.fromEntries(response.headers);
      report([
        ...answered(id, response.status),
        ...checkResponse(`${request.method} ${schemaPath}`, response.status, body, headers),
      ]);
    },
    onError({ id }) {
      report(answered(id));
    },
  };
}
