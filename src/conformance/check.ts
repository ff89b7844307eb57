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
  type SchemaNode,
  type Validate,
} from "../../generated/validators.js";

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
  /** The response status, when the problem is in a response. */
  status?: number;
  in: "request" | "response";
  /** JSON pointer into the body (`/droplet/size/price_monthly`), or `/path/…`, `/query/…`, `/header/…` for parameters. */
  pointer: string;
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

const escapeKey = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");
const unescapeKey = (key: string) => key.replace(/~1/g, "/").replace(/~0/g, "~");
const typeOf = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

/** How well `value` fits `node`'s shape: picks the branch of a oneOf/anyOf that a value was meant to match. */
function score(node: SchemaNode, value: unknown): number {
  const type = typeOf(value);
  if (node.o) return Math.max(...node.o.map((i) => score(nodes[i]!, value)));
  if (node.t && !node.t.includes(type) && !(type === "integer" && node.t.includes("number"))) return 0;
  if (type !== "object" || !node.p) return 1;
  return 1 + Object.keys(value as object).filter((key) => key in node.p!).length;
}

/** The node that describes `value`, choosing among oneOf/anyOf branches by the value's shape. */
function choose(index: number, value: unknown): SchemaNode {
  let node = nodes[index]!;
  while (node.o) {
    let best = node.o[0]!;
    for (const i of node.o) if (score(nodes[i]!, value) > score(nodes[best]!, value)) best = i;
    node = nodes[best]!;
  }
  return node;
}

/** The node describing property or item `key` of an object/array described by `node`. */
function child(node: SchemaNode, key: string): number | undefined {
  const own = node.p?.[key] ?? node.all?.map((i) => nodes[i]!.p?.[key]).find((i) => i !== undefined);
  return own ?? node.a ?? node.i;
}

/**
 * Follows `pointer` through the data and the schema map: the node the value there is checked against, and
 * the node as written there (a oneOf/anyOf before a branch is chosen).
 */
function locate(root: number, pointer: string, data: unknown): { node: SchemaNode; written: SchemaNode } {
  let written = nodes[root]!;
  let node = choose(root, data);
  let value = data;
  for (const key of pointer.split("/").slice(1).map(unescapeKey)) {
    const next = child(node, key);
    if (next === undefined) break;
    value = (value as Record<string, unknown> | undefined)?.[key];
    written = nodes[next]!;
    node = choose(next, value);
  }
  return { node, written };
}

/** `required` of a node and its allOf parts. */
const requiredOf = (node: SchemaNode) => ({
  ...node.r,
  ...Object.assign({}, ...(node.all ?? []).map((i) => nodes[i]!.r)),
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
    const { node, written } = locate(root, path, data);
    const where = { specFile: files[node.f]!, line: node.l };
    const value = path
      .split("/")
      .slice(1)
      .map(unescapeKey)
      .reduce<any>((v, k) => v?.[k], data);
    const base = { ...ctx, keyword: e.keyword };
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
        kind: "undocumented-field",
        message,
        specFile: where.specFile,
        line: node.pl ?? node.l,
      });
      continue;
    }
    if (e.keyword === "type" && unions.has(path)) continue; // one branch of a union; the union speaks for it
    if (e.keyword === "oneOf" || e.keyword === "anyOf") {
      if (explained(path)) continue;
      const types = [
        ...new Set(errors.filter((x) => x.instancePath === path && x.keyword === "type").map((x) => x.params.type)),
      ];
      const message = types.length
        ? `must be ${types.join(" or ")}, got ${typeOf(value)}`
        : `must match exactly one of its ${e.keyword} schemas`;
      problems.push({
        ...base,
        pointer: prefix + path,
        kind: "type",
        message,
        specFile: files[written.f]!,
        line: written.l,
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
        kind: "required",
        message: `required property "${name}" is missing`,
        specFile: where.specFile,
        line: required[name] ?? node.l,
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
  // Failures first, undocumented fields after them.
  return problems.sort((a, b) => Number(!isFailure(a)) - Number(!isFailure(b)));
}

function describe(e: NonNullable<Validate["errors"]>[number], value: unknown): string {
  const p = e.params;
  switch (e.keyword) {
    case "type":
      return `must be ${p.type}, got ${typeOf(value)}`;
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

/** Everything wrong with `data` as a value of schema node `root` (validated by `check`). */
function checkValue(check: string, root: number, data: unknown, ctx: Context, prefix = ""): Problem[] {
  const where = nodes[root]!;
  if (data === NOT_JSON)
    return [
      {
        ...ctx,
        pointer: prefix,
        kind: "type",
        message: "the body is not JSON",
        specFile: files[where.f]!,
        line: where.l,
      },
    ];
  const validate = validators[check]!;
  return validate(data) ? [] : schemaProblems(validate.errors ?? [], root, data, ctx, prefix);
}

/** Parameters as openapi-fetch takes them, or as read from a URL (strings, arrays for repeated query keys). */
export interface Params {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
}

const operation = (key: string): OperationEntry | undefined =>
  Object.hasOwn(operations, key) ? operations[key] : undefined;

const unknownOperation = (key: string, ctx: Omit<Context, "operation">): Problem => ({
  operation: key,
  ...ctx,
  pointer: "",
  kind: "unknown-operation",
  message: `${key} matches no operation of the spec`,
  specFile: files[pathsAt.f]!,
  line: pathsAt.l,
});

/**
 * Checks a request of `key` (`"GET /v2/droplets/{droplet_id}"`): its parameters (values may be strings, as
 * in a URL; header names in any case) and its JSON body (`undefined` for none, {@link NOT_JSON} if not JSON).
 */
export function checkRequest(key: string, params: Params, body: unknown): Problem[] {
  const op = operation(key);
  const ctx: Context = { operation: key, in: "request" };
  if (!op) return [unknownOperation(key, { in: "request" })];
  const paramsNode = nodes[op.params]!;
  const documentedHeaders = nodes[paramsNode.p!.header!]!.p ?? {};
  const header: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params.header ?? {})) {
    if (name.toLowerCase() in documentedHeaders) header[name.toLowerCase()] = value;
  }
  // A copy: the parameter validator coerces strings in place.
  const data = { path: { ...params.path }, query: { ...params.query }, header };
  const problems = checkValue(op.paramsCheck, op.params, data, ctx);
  if (op.body === undefined || op.bodyCheck === undefined) return problems;
  if (body === undefined) {
    if (!op.bodyRequired) return problems;
    const where = nodes[op.body]!;
    return [
      ...problems,
      {
        ...ctx,
        pointer: "",
        kind: "required",
        message: "the request body is required",
        specFile: files[where.f]!,
        line: where.l,
      },
    ];
  }
  return [...problems, ...checkValue(op.bodyCheck, op.body, body, ctx)];
}

/**
 * Checks a response of `key` with `status` and JSON body `body` (`undefined` for none): the status must be
 * documented (`default` covers errors, never an unlisted 2xx) and the body must match its schema.
 */
export function checkResponse(key: string, status: number, body: unknown): Problem[] {
  const op = operation(key);
  const ctx: Context = { operation: key, status, in: "response" };
  if (!op) return [unknownOperation(key, { status, in: "response" })];
  const code = String(status);
  const answer =
    op.responses[code] ??
    op.responses[`${code[0]}XX`] ??
    (status >= 200 && status < 300 ? undefined : op.responses.default);
  if (!answer) {
    const listed = Object.keys(op.responses).join(", ");
    return [
      {
        ...ctx,
        pointer: "",
        kind: "undocumented-status",
        message: `status ${status} is not documented (documented: ${listed})`,
        specFile: files[op.f]!,
        line: op.rl ?? op.l,
      },
    ];
  }
  if (answer.node === undefined || answer.check === undefined || body === undefined) return [];
  return checkValue(answer.check, answer.node, body, ctx);
}

/** Operation templates as regular expressions, literal segments before parameters (`/projects/default` before `/projects/{id}`). */
let matchers: { method: string; template: string; regex: RegExp; names: string[] }[] | undefined;

/**
 * The operation a request of `method` to `pathname` belongs to, with its path parameters, or `undefined`.
 * `pathname` is as sent (percent-encoded); parameters are decoded.
 */
export function findOperation(
  method: string,
  pathname: string,
): { key: string; path: Record<string, string> } | undefined {
  matchers ??= Object.keys(operations)
    .map((key) => {
      const [m, template] = key.split(" ") as [string, string];
      const names: string[] = [];
      const source = template.split(/\{([^}]+)\}/).map((part, i) => {
        if (!(i % 2)) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
        names.push(part);
        return "([^/]+)";
      });
      return { method: m, template, regex: new RegExp(`^${source.join("")}/?$`), names };
    })
    .sort((a, b) => a.names.length - b.names.length);
  const upper = method.toUpperCase();
  for (const m of matchers) {
    const match = m.method === upper ? m.regex.exec(pathname) : null;
    if (match)
      return {
        key: `${upper} ${m.template}`,
        path: Object.fromEntries(m.names.map((n, i) => [n, safeDecode(match[i + 1]!)])),
      };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
