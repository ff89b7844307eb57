// Checks one request or response of an operation against the spec, with the validators compiled at
// generation time (generated/validators.js). One ajv pass finds what breaks a schema and the fields the spec
// does not describe (every object is closed in the validators); only when it fails, a walk over the schema
// map along the data says which spec/ file (and line) to edit.
import {
  files,
  nodes,
  operations,
  pathsAt,
  validators,
  type OperationEntry,
  type ResponseEntry,
  type SchemaNode,
  type Validate,
} from "../../generated/validators.js";
import { redactTokens } from "../log.js";
import { escapeKey, router, unescapeKey } from "../spec.js";

/** What kind of disagreement between the spec and the traffic a {@link Problem} is. */
export type ProblemKind =
  | "type"
  | "required"
  | "enum"
  | "format"
  | "undocumented-field"
  | "undocumented-status"
  | "unknown-operation";

/** One place where the traffic and the spec disagree, and the spec file to edit. */
export interface Problem {
  /** `"GET /v2/droplets/{droplet_id}"`, or the method and path as sent when no operation matches. */
  operation: string;
  /** The response status: of the answer the problem is in, or, in recorded traffic, of the answer a request got. */
  status?: number;
  in: "request" | "response";
  /**
   * JSON pointer into the body (`/droplet/size/price_monthly`), or `/path/…`, `/query/…`, `/header/…` for
   * parameters and response headers.
   */
  pointer: string;
  /** `pointer` with array indexes and map keys as `*` (`/droplets/*` + `/size`): what repeats of one problem share. */
  pattern: string;
  kind: ProblemKind;
  message: string;
  /** The file under spec/ where the violated schema, parameter or response is written, relative to the repo. */
  specFile: string;
  line?: number;
  /** The JSON Schema keyword that failed (`type`, `minimum`, `pattern`, …), when one did. */
  keyword?: string;
}

/** Only `undocumented-field` is not a failure: the API adds fields over time. */
export const isFailure = (problem: Problem): boolean => problem.kind !== "undocumented-field";

/** One line for a problem: `type at /droplet/size/price_monthly: must be number, got string (spec/…/Size.yaml:55)`. */
export function formatProblem(p: Problem): string {
  return `${p.kind} at ${p.pointer || "/"}: ${p.message} (${p.specFile}${p.line ? `:${p.line}` : ""})`;
}

/** A body that was sent but is not JSON. */
export const NOT_JSON: unique symbol = Symbol("not JSON");

/** Parses a body as sent: `undefined` for none, {@link NOT_JSON} when it is not JSON. */
export function parseBody(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

interface Context {
  operation: string;
  status?: number;
  in: "request" | "response";
}

const KINDS: Record<string, ProblemKind> = { type: "type", required: "required", enum: "enum", const: "enum" };
const RANGES: Record<string, string> = { minimum: "≥", maximum: "≤", exclusiveMinimum: ">", exclusiveMaximum: "<" };

const typeOf = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
/** ajv's `type` param (`"array,null"` for `type: [array, null]`) as words. */
const types = (type: unknown) => String(type).split(",").join(" or ");
/** A value in a message: token-shaped strings redacted before it is cut short, where a cut token would no longer look like one. */
const show = (value: unknown) => {
  const text = redactTokens(JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

/** How well `value` fits `node`'s shape: picks the branch of a oneOf/anyOf that a value was meant to match. */
function score(node: SchemaNode, value: unknown): number {
  const type = typeOf(value);
  if (node.choices) return Math.max(...node.choices.map((i) => score(nodes[i]!, value)));
  if (node.types && !node.types.includes(type) && !(type === "integer" && node.types.includes("number"))) return 0;
  if (type !== "object" || !node.properties) return 1;
  return 1 + Object.keys(value as object).filter((key) => key in node.properties!).length;
}

/** The node that describes `value`, choosing among oneOf/anyOf branches by the value's shape. */
function choose(index: number, value: unknown): SchemaNode {
  let node = nodes[index]!;
  while (node.choices) {
    let best = node.choices[0]!;
    for (const i of node.choices) if (score(nodes[i]!, value) > score(nodes[best]!, value)) best = i;
    node = nodes[best]!;
  }
  return node;
}

/**
 * The node describing property or item `key` of an object/array described by `node`, and, for a property, the
 * node that names it (`node` or one of its allOf parts); items and map values have none.
 */
function child(node: SchemaNode, key: string): { index: number; owner?: SchemaNode } | undefined {
  const owner = [node, ...(node.parts ?? []).map((i) => nodes[i]!)].find((n) => n.properties?.[key] !== undefined);
  if (owner) return { index: owner.properties![key]!, owner };
  const index = node.additionalProperties ?? node.items;
  return index === undefined ? undefined : { index };
}

/** Where a value is described: the node it is checked against, and the node as written (a oneOf before a branch is chosen). */
interface Place {
  node: SchemaNode;
  written: SchemaNode;
  /** The pointer with array indexes and map keys as `*`. */
  pattern: string;
  /** Where the property holding the value is written, when it is written as a $ref to the schema. */
  reference?: { specFile: string; line?: number };
}

/** Follows `pointer` through the data and the schema map. */
function locate(root: number, pointer: string, data: unknown): Place {
  const place: Place = { node: choose(root, data), written: nodes[root]!, pattern: "" };
  const segments = pointer.split("/").slice(1);
  let value = data;
  for (const [i, segment] of segments.entries()) {
    const key = unescapeKey(segment);
    const next = child(place.node, key);
    if (next === undefined) {
      place.pattern += segments
        .slice(i)
        .map((s) => `/${s}`)
        .join("");
      break;
    }
    value = (value as Record<string, unknown> | undefined)?.[key];
    place.pattern += `/${next.owner ? segment : "*"}`;
    const line = next.owner?.references?.[key];
    place.reference = line === undefined ? undefined : { specFile: files[next.owner!.file]!, line };
    place.written = nodes[next.index]!;
    place.node = choose(next.index, value);
  }
  return place;
}

/** `required` of a node and its allOf parts. */
const requiredOf = (node: SchemaNode) => ({
  ...node.required,
  ...Object.assign({}, ...(node.parts ?? []).map((i) => nodes[i]!.required)),
});

/** Turns ajv's errors into problems, dropping the noise of oneOf branches the value was not meant to match. */
function schemaProblems(
  errors: NonNullable<Validate["errors"]>,
  root: number,
  data: unknown,
  ctx: Context,
  prefix: string,
): Problem[] {
  const problems: Problem[] = [];
  const reported = new Set<string>();
  const unions = new Set(
    errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf").map((e) => e.instancePath),
  );
  const explained = (path: string) =>
    errors.some(
      (e) =>
        e.instancePath.startsWith(`${path}/`) ||
        (e.instancePath === path && !["type", "oneOf", "anyOf"].includes(e.keyword)),
    );
  for (const e of errors) {
    const path = e.instancePath;
    const { node, written, pattern, reference } = locate(root, path, data);
    const value = path
      .split("/")
      .slice(1)
      .map(unescapeKey)
      .reduce<any>((v, k) => v?.[k], data);
    // A null the schema does not allow is fixed where the property refers to it, not in the referenced file.
    const nulled = value === null ? reference : undefined;
    const where = nulled ?? { specFile: files[node.file]!, line: node.line };
    const base = { ...ctx, keyword: e.keyword, pattern: prefix + pattern };
    if (e.keyword === "additionalProperties") {
      // Every object is closed in the validators, so this is a field the spec does not describe, unless a
      // oneOf branch the value was not meant to match said so.
      const name = e.params.additionalProperty as string;
      if (child(node, name) !== undefined || reported.has(`${path}/${name}`)) continue;
      reported.add(`${path}/${name}`);
      const message = `"${name}" is not described by the schema`;
      problems.push({
        ...ctx,
        pointer: `${prefix}${path}/${escapeKey(name)}`,
        pattern: `${prefix}${pattern}/${escapeKey(name)}`,
        kind: "undocumented-field",
        message,
        specFile: where.specFile,
        line: node.propertiesLine ?? node.line,
      });
      continue;
    }
    if (e.keyword === "type" && unions.has(path)) continue; // one branch of a union; the union speaks for it
    if (e.keyword === "oneOf" || e.keyword === "anyOf") {
      if (explained(path)) continue;
      const expected = [
        ...new Set(
          errors.filter((x) => x.instancePath === path && x.keyword === "type").map((x) => types(x.params.type)),
        ),
      ];
      const message = expected.length
        ? `must be ${expected.join(" or ")}, got ${typeOf(value)}`
        : `must match exactly one of its ${e.keyword} schemas`;
      problems.push({
        ...base,
        pointer: prefix + path,
        kind: "type",
        message,
        ...(nulled ?? { specFile: files[written.file]!, line: written.line }),
      });
    } else if (e.keyword === "required") {
      const name = e.params.missingProperty as string;
      const required = requiredOf(node);
      // Not from a oneOf branch the value was not meant to match, nor the same field from two branches.
      if (!(name in required) || reported.has(`${path}/${name}`)) continue;
      reported.add(`${path}/${name}`);
      problems.push({
        ...base,
        pointer: `${prefix}${path}/${escapeKey(name)}`,
        pattern: `${prefix}${pattern}/${escapeKey(name)}`,
        kind: "required",
        message: `required property "${name}" is missing`,
        specFile: where.specFile,
        line: required[name] ?? node.line,
      });
    } else {
      const kind =
        KINDS[e.keyword] ??
        (e.keyword === "format" ||
        e.keyword in RANGES ||
        /^(pattern|multipleOf|(min|max)(Length|Items|Properties)|uniqueItems)$/.test(e.keyword)
          ? "format"
          : "type");
      problems.push({ ...base, pointer: prefix + path, kind, message: describe(e, value), ...where });
    }
  }
  // The same problem found in two oneOf branches is one; failures first, undocumented fields after them.
  const distinct = new Map(
    problems.map((p) => [JSON.stringify([p.pointer, p.kind, p.message, p.specFile, p.line]), p]),
  );
  return [...distinct.values()].sort((a, b) => Number(!isFailure(a)) - Number(!isFailure(b)));
}

function describe(e: NonNullable<Validate["errors"]>[number], value: unknown): string {
  const p = e.params;
  switch (e.keyword) {
    case "type":
      return `must be ${types(p.type)}, got ${typeOf(value)}`;
    case "enum":
      return `${show(value)} is not one of ${(p.allowedValues as unknown[]).map(show).join(", ")}`;
    case "const":
      return `${show(value)} is not ${show(p.allowedValue)}`;
    case "format":
      return `${show(value)} is not a valid ${p.format}`;
    case "pattern":
      return `${show(value)} does not match ${p.pattern}`;
    default:
      if (e.keyword in RANGES) return `${show(value)} must be ${RANGES[e.keyword]} ${p.limit}`;
      return `${show(value)} breaks "${e.keyword}"${p.limit !== undefined ? ` (${p.limit})` : ""}`;
  }
}

/** A problem at `pointer` (default: the whole body or request) that the spec writes at `place`. */
const problemAt = (
  ctx: Context,
  kind: ProblemKind,
  message: string,
  place: { file: number; line?: number },
  pointer = "",
): Problem => ({ ...ctx, pointer, pattern: pointer, kind, message, specFile: files[place.file]!, line: place.line });

/** Everything wrong with `data` as a value of schema node `root` (validated by `check`). */
function checkValue(check: string, root: number, data: unknown, ctx: Context, prefix = ""): Problem[] {
  if (data === NOT_JSON) return [problemAt(ctx, "type", "the body is not JSON", nodes[root]!, prefix)];
  const validate = validators[check]!;
  return validate(data) ? [] : schemaProblems(validate.errors ?? [], root, data, ctx, prefix);
}

/** How text writes a number: decimal digits for an integer, JSON's syntax for a number. */
const NUMERALS: Record<string, RegExp> = {
  integer: /^-?\d+$/,
  number: /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/,
};

/** The type text must be read as at `index` ("integer" or "number"), or undefined when the schema takes a string. */
function numeric(index: number): string | undefined {
  const node = nodes[index]!;
  const types = [node, ...(node.choices ?? []).map((i) => nodes[i]!)].flatMap((n) => n.types ?? []);
  if (types.includes("string")) return undefined;
  return ["integer", "number"].find((type) => types.includes(type));
}

/**
 * The places in parameters or headers (text, as a URL or a header carries them) where JavaScript reads a number
 * that is not written as the spec's type, each a problem: the validators would coerce `0x10` to 16 and `1e400` to
 * Infinity.
 */
function numerals(root: number, data: Record<string, unknown>, ctx: Context, prefix: string): Problem[] {
  const problems: Problem[] = [];
  const walk = (index: number, value: unknown, pointer: string): void => {
    if (value && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) {
        const next = child(nodes[index]!, key);
        if (next) walk(next.index, v, `${pointer}/${escapeKey(key)}`);
      }
      return;
    }
    const type = typeof value === "string" ? numeric(index) : undefined;
    const n = Number(value);
    // Text that is no number at all is the validators' to report.
    if (!type || Number.isNaN(n) || !(value as string).trim()) return;
    const message = !NUMERALS[type]!.test(value as string)
      ? `${show(value)} is not ${type === "integer" ? "an integer in decimal digits" : "a number"}`
      : !(type === "integer" ? Number.isSafeInteger(n) : Number.isFinite(n))
        ? `${show(value)} is too large to be read exactly`
        : "";
    if (message) problems.push(problemAt(ctx, "type", message, nodes[index]!, pointer));
  };
  walk(root, data, prefix);
  return problems;
}

/** Everything wrong with text values (parameters, headers): numbers as the spec writes them, then the schema. */
function checkText(check: string, root: number, data: Record<string, unknown>, ctx: Context, prefix = ""): Problem[] {
  const misread = numerals(root, data, ctx, prefix);
  const refused = new Set(misread.map((p) => p.pointer));
  return [...misread, ...checkValue(check, root, data, ctx, prefix).filter((p) => !refused.has(p.pointer))];
}

/** Parameters as openapi-fetch takes them, or as read from a URL (strings, arrays for repeated query keys). */
export interface Params {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
}

const operation = (key: string): OperationEntry | undefined =>
  Object.hasOwn(operations, key) ? operations[key] : undefined;

const unknownOperation = (key: string, ctx: Omit<Context, "operation">): Problem =>
  problemAt({ operation: key, ...ctx }, "unknown-operation", `${key} matches no operation of the spec`, pathsAt);

/** The values of `given` whose names (in any case) `documented` lists, by their lower-case names. */
function documentedHeaders(given: Record<string, unknown>, documented: Record<string, number> = {}) {
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    if (Object.hasOwn(documented, name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  return headers;
}

/**
 * Checks the parameters of a request of `key` (`"GET /v2/droplets/{droplet_id}"`); values may be strings, as in
 * a URL, header names in any case. `values` are the parameters as the spec types them (`"20"` → 20), header names
 * lower case and only the documented ones.
 */
export function checkParameters(key: string, params: Params): { problems: Problem[]; values: Required<Params> } {
  const op = operation(key);
  const header = {};
  if (!op) return { problems: [unknownOperation(key, { in: "request" })], values: { path: {}, query: {}, header } };
  const locations = nodes[op.parameters]!.properties!;
  // Copies: the parameter validator coerces strings in place.
  const values = {
    path: { ...params.path },
    query: { ...params.query },
    header: documentedHeaders(params.header ?? {}, nodes[locations.header!]!.properties),
  };
  const problems = checkText(op.parametersCheck, op.parameters, values, { operation: key, in: "request" });
  return { problems, values };
}

/** Checks the JSON body of a request of `key`: `undefined` for none, {@link NOT_JSON} if not JSON. */
export function checkBody(key: string, body: unknown): Problem[] {
  const op = operation(key);
  const ctx: Context = { operation: key, in: "request" };
  if (!op) return [unknownOperation(key, { in: "request" })];
  if (op.body === undefined || op.bodyCheck === undefined) return [];
  if (body !== undefined) return checkValue(op.bodyCheck, op.body, body, ctx);
  return op.bodyRequired ? [problemAt(ctx, "required", "the request body is required", nodes[op.body]!)] : [];
}

/** Checks a request of `key`: its parameters ({@link checkParameters}) and its body ({@link checkBody}). */
export function checkRequest(key: string, params: Params, body: unknown): Problem[] {
  const { problems } = checkParameters(key, params);
  return operation(key) ? [...problems, ...checkBody(key, body)] : problems;
}

/** The response `op` documents for `status`: its own, its range's (`4XX`), or `default`, which covers errors only. */
export function responseOf(op: OperationEntry, status: number): ResponseEntry | undefined {
  const code = String(status);
  const success = status >= 200 && status < 300;
  return op.responses[code] ?? op.responses[`${code[0]}XX`] ?? (success ? undefined : op.responses.default);
}

/**
 * Checks a response of `key` with `status` and JSON body `body` (`undefined` for none): the status must be
 * documented (`default` covers errors, never an unlisted 2xx) and the body must match its schema. With
 * `headers` (names in any case), the headers the response documents are checked (`ratelimit-*`), and so is
 * `content-type` against its content.
 */
export function checkResponse(
  key: string,
  status: number,
  body: unknown,
  headers?: Record<string, string | undefined>,
): Problem[] {
  const op = operation(key);
  const ctx: Context = { operation: key, status, in: "response" };
  if (!op) return [unknownOperation(key, { status, in: "response" })];
  const answer = responseOf(op, status);
  if (!answer) {
    const listed = Object.keys(op.responses).join(", ");
    const message = `status ${status} is not documented (documented: ${listed})`;
    return [problemAt(ctx, "undocumented-status", message, { file: op.file, line: op.responsesLine ?? op.line })];
  }
  const problems =
    answer.body === undefined || answer.bodyCheck === undefined || body === undefined
      ? []
      : checkValue(answer.bodyCheck, answer.body, body, ctx);
  return headers ? [...problems, ...checkHeaders(answer, headers, body !== undefined, ctx)] : problems;
}

/** The documented headers of a response, and its `content-type` against the media types of its content. */
function checkHeaders(
  answer: ResponseEntry,
  headers: Record<string, string | undefined>,
  hasBody: boolean,
  ctx: Context,
): Problem[] {
  const sent = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const problems: Problem[] = [];
  if (answer.headers !== undefined && answer.headersCheck !== undefined) {
    const data = documentedHeaders(sent, nodes[answer.headers]!.properties);
    problems.push(...checkText(answer.headersCheck, answer.headers, data, ctx, "/header"));
  }
  const type = sent["content-type"]?.split(";")[0]?.trim().toLowerCase();
  const pointer = "/header/content-type";
  if (!hasBody || (type && answer.media?.includes(type))) return problems;
  const expected = answer.media?.map(show).join(", ");
  const [kind, message]: [ProblemKind, string] = !expected
    ? ["type", `a body was sent${type ? ` as ${type}` : ""}, but the response documents no content`]
    : type
      ? ["enum", `${show(type)} is not one of ${expected}`]
      : ["required", `content-type is missing; the response documents ${expected}`];
  return [...problems, problemAt(ctx, kind, message, answer, pointer)];
}

let route: ReturnType<typeof router<{ key: string; method: string; path: string }>> | undefined;

/**
 * The operation a request of `method` to `pathname` belongs to, with its path parameters, or `undefined`.
 * `pathname` is as sent (percent-encoded; one trailing slash is ignored); parameters are decoded.
 */
export function findOperation(
  method: string,
  pathname: string,
): { key: string; path: Record<string, string> } | undefined {
  route ??= router(
    Object.keys(operations).map((key) => {
      const [verb, path] = key.split(" ") as [string, string];
      return { key, method: verb, path };
    }),
  );
  const found = route(method, pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname);
  return found && "operation" in found ? { key: found.operation.key, path: found.params } : undefined;
}
