// @ts-check
// What an OpenAPI document says, read in one place: its operations, JSON pointers and $refs, the parameters of an
// operation as one schema, its scope rules, and the router from a method and URL path to an operation. Plain JavaScript with types
// in JSDoc, so that the build scripts (plain node) and the package at run time (the fake, conformance) share it.
// It imports nothing: the caller loads the document.

/** The methods a path item can hold, in the order OpenAPI lists them. */
export const METHODS = /** @type {const} */ (["get", "put", "post", "delete", "patch", "head", "options", "trace"]);

/** One key as a segment of a JSON pointer. */
export const escapeKey = (/** @type {string | number} */ key) =>
  String(key).replaceAll("~", "~0").replaceAll("/", "~1");

/** A segment of a JSON pointer as the key it names. */
export const unescapeKey = (/** @type {string} */ segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~");

/**
 * The node at `pointer` (`#/components/schemas/Droplet`, `/paths/…`, or "" for `root` itself), read key by key
 * with `child`: plain objects by default; the spec/ reader passes one for YAML nodes. `undefined` when missing.
 * @template T
 * @param {T} root
 * @param {string} pointer
 * @param {(node: T, key: string) => T} [child]
 * @returns {T | undefined}
 */
export function follow(root, pointer, child = (node, key) => /** @type {any} */ (node)?.[key]) {
  let node = root;
  for (const segment of pointer.replace(/^#/, "").split("/").slice(1)) {
    if (node === undefined) return undefined;
    node = child(node, unescapeKey(segment));
  }
  return node;
}

/**
 * `node`, or what its `$ref` into `document` (`#/…`) points at, followed until a node that is not a reference.
 * @param {any} document
 * @param {any} node
 * @returns {any}
 */
export function resolve(document, node) {
  const seen = new Set();
  while (typeof node?.$ref === "string" && node.$ref.startsWith("#") && !seen.has(node)) {
    seen.add(node);
    node = follow(document, node.$ref);
  }
  return node;
}

/**
 * @typedef {object} Operation One operation of a document, its references resolved one level.
 * @property {string} key `"GET /v2/droplets/{droplet_id}"`
 * @property {string} method upper case, `"GET"`
 * @property {string} path the templated path
 * @property {string} operationId
 * @property {any[]} parameters the path item's parameters, then the operation's
 * @property {any} [requestBody]
 * @property {Record<string, any>} responses by status
 * @property {any} operation the operation object as the document has it
 */

/**
 * Every operation of `document`, in document order.
 * @param {any} document
 * @returns {Operation[]}
 */
export function operationsOf(document) {
  return Object.entries(document.paths ?? {}).flatMap(([path, value]) => {
    const item = resolve(document, value);
    return METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method];
      const responses = Object.entries(operation.responses ?? {});
      return {
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        parameters: [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => resolve(document, p)),
        requestBody: resolve(document, operation.requestBody),
        responses: Object.fromEntries(responses.map(([status, r]) => [status, resolve(document, r)])),
        operation,
      };
    });
  });
}

/**
 * @typedef {object} ScopeRules The token scopes an operation needs: `scopes` for every request
 * (`x-required-scopes` of the operation), and in `fields` more for each parameter or top-level body field that lists
 * its own `x-required-scopes`, by where a request carries it: `query/tag_name`, `body/tags`.
 * @property {string[]} scopes
 * @property {Record<string, string[]>} fields
 */

/**
 * The scope rules of `operation`, one of {@link operationsOf}(`document`).
 * @param {any} document
 * @param {Operation} operation
 * @returns {ScopeRules}
 */
export function scopeRules(document, operation) {
  /** @type {Record<string, string[]>} */
  const fields = {};
  for (const parameter of operation.parameters)
    if (parameter["x-required-scopes"])
      fields[`${parameter.in}/${parameterName(parameter)}`] = parameter["x-required-scopes"];
  const body = operation.requestBody?.content?.["application/json"]?.schema;
  for (const [name, property] of bodyProperties(document, body)) {
    // Beside a $ref the property's own list counts, else the referenced schema's.
    const scopes = property["x-required-scopes"] ?? resolve(document, property)?.["x-required-scopes"];
    if (scopes) fields[`body/${name}`] = scopes;
  }
  return { scopes: operation.operation["x-required-scopes"] ?? [], fields };
}

/**
 * The top-level properties of an object schema, across its oneOf/anyOf/allOf branches, as [name, schema] pairs.
 * @param {any} document
 * @param {any} schema
 * @returns {[string, any][]}
 */
function bodyProperties(document, schema) {
  const node = resolve(document, schema);
  if (!node || typeof node !== "object") return [];
  const branches = ["oneOf", "anyOf", "allOf"].flatMap((keyword) => node[keyword] ?? []);
  /** @type {[string, any][]} */
  const own = Object.entries(node.properties ?? {});
  return [...own, ...branches.flatMap((branch) => bodyProperties(document, branch))];
}

/** Where OpenAPI puts parameters that the parameter schema covers. */
const LOCATIONS = /** @type {const} */ (["path", "query", "header"]);

/**
 * The parameters of an operation as one object schema, `{ path: {…}, query: {…}, header: {…} }`, each an object
 * of the parameters there (header names lower case, as HTTP has them); cookie parameters are left out.
 * @param {any[]} parameters resolved, as {@link Operation}'s
 */
export function parameterSchema(parameters) {
  /** @type {Record<string, { type: "object", properties: Record<string, any>, required: string[] }>} */
  const groups = Object.fromEntries(LOCATIONS.map((l) => [l, { type: "object", properties: {}, required: [] }]));
  for (const parameter of parameters) {
    const group = groups[parameter.in];
    if (!group) continue;
    const name = parameterName(parameter);
    group.properties[name] = parameter.schema ?? {};
    if (parameter.required) group.required.push(name);
  }
  return { type: "object", properties: groups };
}

/** A parameter's name as a request carries it: header names lower case. */
export const parameterName = (/** @type {{ in: string, name: string }} */ parameter) =>
  parameter.in === "header" ? parameter.name.toLowerCase() : parameter.name;

/**
 * @template {{ method: string, path: string }} T
 * @typedef {{ operation: T, params: Record<string, string> } | { allowed: string[] } | undefined} Route
 * The operation a request is for, with its path parameters (decoded); or, when only the method is wrong, the
 * methods the path allows; or `undefined`.
 */

/**
 * A router over `operations` (`method` upper case, `path` templated): a literal segment wins over a parameter
 * (`/v2/projects/default` before `/v2/projects/{project_id}`), a parameter matches one whole segment, and a
 * trailing slash is a different path.
 * @template {{ method: string, path: string }} T
 * @param {T[]} operations
 * @returns {(method: string, pathname: string) => Route<T>}
 */
export function router(operations) {
  const templates = operations.map((operation) => ({ operation, segments: operation.path.split("/") }));
  // Literal segments first, segment by segment: the first template that matches is the most specific one.
  const rank = (/** @type {string[]} */ segments) => segments.map((s) => (s.startsWith("{") ? "1" : "0")).join("");
  templates.sort((a, b) => rank(a.segments).localeCompare(rank(b.segments)));
  /** @param {string[]} segments */
  const match = (segments, /** @type {string[]} */ template) => {
    if (segments.length !== template.length) return undefined;
    /** @type {Record<string, string>} */
    const params = {};
    for (let i = 0; i < template.length; i++) {
      const part = /** @type {string} */ (template[i]);
      const segment = /** @type {string} */ (segments[i]);
      if (part.startsWith("{") && part.endsWith("}") && segment) params[part.slice(1, -1)] = decode(segment);
      else if (part !== segment) return undefined;
    }
    return params;
  };
  return (method, pathname) => {
    const segments = pathname.split("/");
    const upper = method.toUpperCase();
    /** @type {string[]} */
    const allowed = [];
    for (const { operation, segments: template } of templates) {
      const params = match(segments, template);
      if (!params) continue;
      if (operation.method === upper) return { operation, params };
      if (!allowed.includes(operation.method)) allowed.push(operation.method);
    }
    return allowed.length ? { allowed } : undefined;
  };
}

/** A path segment decoded, or as it is when it is not valid percent-encoding. */
function decode(/** @type {string} */ segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
