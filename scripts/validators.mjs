// The conformance validators: generated/validators.js (+ its .d.ts), written by scripts/generate.mjs.
//
// The bundled document's schemas are compiled once, here, into ajv standalone code (bundled with its few
// runtime helpers by esbuild, so nothing needs ajv at run time), next to an index of the operations and a
// "map" of every schema: which spec/ file and line it is written at, which properties it describes. The
// bundle forgets where a $ref came from, so the map is built by walking spec/ itself (yaml keeps lines).
// In one process (watch mode, tests) a spec file is parsed again only when its text changed, and the code is
// compiled again only when what ajv compiles changed: annotations are left out of it, and the map, which moves
// with every line, is appended as plain JSON after the compiled code.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import standaloneCode from "ajv/dist/standalone/index.js";
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from "yaml";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** Every spec file parsed so far, with its text: a file whose text is unchanged is not parsed again (watch mode). */
const parsed = new Map();

/** The source map of spec/: YAML files parsed once, with line numbers, and $refs followed. */
function specReader(entry, root) {
  const files = new Map();
  const load = (file) => {
    if (!files.has(file)) {
      const text = readFileSync(file, "utf8");
      if (parsed.get(file)?.text !== text) {
        const lineCounter = new LineCounter();
        parsed.set(file, { text, lineCounter, doc: parseDocument(text, { lineCounter, keepSourceTokens: false }) });
      }
      files.set(file, parsed.get(file));
    }
    return files.get(file);
  };
  /** A place in spec/: the YAML node, the file it is in, and that file's relative name. */
  const at = (file, node) => ({ file, node, name: relative(root, file).split("\\").join("/") });
  const line = (place, node = place.node) =>
    node?.range ? load(place.file).lineCounter.linePos(node.range[0]).line : undefined;
  /** Follows `$ref` (a file, optionally with a #/pointer) until a node that is not a reference. */
  const deref = (place) => {
    const ref = isMap(place.node) ? place.node.get("$ref") : undefined;
    if (typeof ref !== "string") return place;
    const [path, pointer = ""] = ref.split("#");
    const file = path ? resolve(dirname(place.file), path) : place.file;
    let node = load(file).doc.contents;
    for (const key of pointer.split("/").filter(Boolean))
      node = node.get(key.replace(/~1/g, "/").replace(/~0/g, "~"), true);
    return deref(at(file, node));
  };
  const get = (place, key) =>
    isMap(place.node) && place.node.has(key) ? deref(at(place.file, place.node.get(key, true))) : undefined;
  /** The line of `key:` in a map. */
  const keyLine = (place, key) => {
    const pair = isMap(place.node)
      ? place.node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key)
      : undefined;
    return pair ? line(place, pair.key) : undefined;
  };
  return { root: deref(at(entry, load(entry).doc.contents)), get, deref, line, keyLine, at };
}

/**
 * Builds the schema map from spec/: `nodes[i]` is one schema with its file (`f`, an index into `files`) and
 * line (`l`), and, as it applies, `t` (types), `p` (property → node), `r` (required property → line), `pl`
 * (line of `properties:`), `i` (items node), `a` (additionalProperties node), `o` (oneOf/anyOf nodes), `all`
 * (allOf nodes), `refs` (property written as a $ref → line of its key). $refs are followed, so a property
 * written as `$ref: Size.yaml` points at Size.yaml's node.
 */
function schemaMap(spec) {
  const files = [];
  const nodes = [];
  const seen = new Map();
  const fileIndex = (name) => (files.includes(name) ? files.indexOf(name) : files.push(name) - 1);
  const visit = (raw, lineHint) => {
    const place = spec.deref(raw);
    const key = `${place.file}:${place.node?.range?.[0]}`;
    if (seen.has(key)) return seen.get(key);
    const node = { f: fileIndex(place.name), l: place === raw && lineHint ? lineHint : spec.line(place) };
    const index = nodes.push(node) - 1;
    seen.set(key, index);
    if (!isMap(place.node)) return index;
    const js = (k) => place.node.get(k, false)?.toJSON?.() ?? place.node.get(k);
    const type = js("type");
    if (type) node.t = [type].flat();
    const properties = spec.get(place, "properties");
    if (properties && isMap(properties.node)) {
      node.p = {};
      node.pl = spec.keyLine(place, "properties");
      for (const pair of properties.node.items) {
        const name = String(pair.key.value);
        const value = spec.at(place.file, pair.value);
        node.p[name] = visit(value, spec.line(place, pair.key));
        // A property written as a $ref: where it is written, which the referenced schema's node cannot say.
        if (spec.deref(value) !== value) node.refs = { ...node.refs, [name]: spec.line(place, pair.key) };
      }
    }
    const required = place.node.get("required", true);
    if (isSeq(required))
      node.r = Object.fromEntries(required.items.map((item) => [String(item.value), spec.line(place, item)]));
    const items = place.node.get("items", true);
    if (isMap(items)) node.i = visit(spec.at(place.file, items), spec.line(place, items));
    const additional = place.node.get("additionalProperties", true);
    if (isMap(additional)) node.a = visit(spec.at(place.file, additional), spec.line(place, additional));
    for (const [k, field] of [
      ["oneOf", "o"],
      ["anyOf", "o"],
      ["allOf", "all"],
    ]) {
      const list = place.node.get(k, true);
      if (isSeq(list))
        node[field] = [
          ...(node[field] ?? []),
          ...list.items.map((item) => visit(spec.at(place.file, item), spec.line(place, item))),
        ];
    }
    return index;
  };
  return { files, nodes, visit, fileIndex };
}

/** Every operation of the spec, with where it is written and the map nodes of its parameters and bodies. */
function operationsOf(spec, map) {
  const operations = {};
  const headerNodes = new Map();
  const paths = spec.get(spec.root, "paths");
  for (const pair of paths.node.items) {
    const path = String(pair.key.value);
    const item = spec.deref(spec.at(paths.file, pair.value));
    const shared = spec.get(item, "parameters");
    for (const method of METHODS) {
      const op = spec.get(item, method);
      if (!op) continue;
      const where = {
        f: map.fileIndex(op.name),
        l: item.file === op.file ? spec.keyLine(item, method) : spec.line(op),
      };
      const params = {
        path: { ...where, t: ["object"], p: {}, r: {} },
        query: { ...where, t: ["object"], p: {}, r: {} },
        header: { ...where, t: ["object"], p: {}, r: {} },
      };
      for (const list of [shared, spec.get(op, "parameters")]) {
        for (const raw of list?.node.items ?? []) {
          const param = spec.deref(spec.at(list.file, raw));
          const name = param.node.get("name");
          const place = params[param.node.get("in")];
          if (!place) continue;
          const key = place === params.header ? name.toLowerCase() : name;
          const schema = spec.get(param, "schema");
          place.p[key] = schema
            ? map.visit(schema, spec.keyLine(param, "schema"))
            : map.nodes.push({ f: map.fileIndex(param.name), l: spec.line(param) }) - 1;
          if (param.node.get("required")) place.r[key] = spec.line(param);
        }
      }
      params.query.pl = spec.keyLine(op, "parameters") ?? where.l;
      const paramNode =
        map.nodes.push({
          ...where,
          t: ["object"],
          p: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, map.nodes.push(v) - 1])),
        }) - 1;
      const body = spec.get(op, "requestBody");
      const bodySchema =
        body && spec.get(spec.get(spec.get(body, "content") ?? {}, "application/json") ?? {}, "schema");
      const responses = spec.get(op, "responses");
      const answers = {};
      for (const r of responses.node.items) {
        const status = String(r.key.value);
        const response = spec.deref(spec.at(responses.file, r.value));
        const media = spec.get(spec.get(response, "content") ?? {}, "application/json");
        const schema = media && spec.get(media, "schema");
        const content = spec.get(response, "content");
        const where = {
          f: map.fileIndex(response.name),
          l: response === r.value ? spec.line(response, r.key) : spec.line(response),
        };
        answers[status] = {
          ...where,
          ...(schema && { node: map.visit(schema) }),
          ...(content && { media: content.node.items.map((pair) => String(pair.key.value)) }),
          ...headersNode(spec, map, response, where, headerNodes),
        };
      }
      operations[`${method.toUpperCase()} ${path}`] = {
        ...where,
        rl: spec.keyLine(op, "responses"),
        params: paramNode,
        ...(bodySchema && { body: map.visit(bodySchema), bodyRequired: Boolean(body.node.get("required")) }),
        responses: answers,
      };
    }
  }
  return operations;
}

/**
 * The headers a response documents, as one object node (names lower case, as HTTP has them): `{ headers }` or
 * `{}`. A response shared by many operations (a component) gets one node, kept in `made`.
 */
function headersNode(spec, map, response, where, made) {
  const headers = spec.get(response, "headers");
  if (!headers) return {};
  if (made.has(headers.node)) return { headers: made.get(headers.node) };
  const node = { ...where, l: spec.keyLine(response, "headers") ?? where.l, t: ["object"], p: {}, r: {} };
  for (const pair of headers.node.items) {
    const name = String(pair.key.value).toLowerCase();
    const header = spec.deref(spec.at(headers.file, pair.value));
    const schema = spec.get(header, "schema");
    node.p[name] = schema
      ? map.visit(schema, spec.keyLine(header, "schema"))
      : map.nodes.push({ f: map.fileIndex(header.name), l: spec.line(header) }) - 1;
    if (header.node.get("required")) node.r[name] = spec.line(header);
  }
  made.set(headers.node, map.nodes.push(node) - 1);
  return { headers: made.get(headers.node) };
}

/** The headers a response of the bundle documents as one JSON schema (names lower case), or undefined. */
function headersSchema(doc, response) {
  const headers = Object.entries(response?.headers ?? {}).map(([name, raw]) => [name.toLowerCase(), follow(doc, raw)]);
  if (!headers.length) return undefined;
  return {
    type: "object",
    properties: Object.fromEntries(headers.map(([name, header]) => [name, header.schema ?? {}])),
    required: headers.filter(([, header]) => header.required).map(([name]) => name),
  };
}

// Each component schema gets an absolute id of its own, so it is compiled into one function however many use it.
const ID = "https://spec.invalid/schemas/";
const rewriteRefs = (schema) =>
  JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\/components\/schemas\//g, `"$ref":"${ID}`));
const follow = (doc, node) =>
  node?.$ref
    ? follow(
        doc,
        node.$ref
          .slice(2)
          .split("/")
          .reduce((n, k) => n[k.replace(/~1/g, "/").replace(/~0/g, "~")], doc),
      )
    : node;

/** Keywords that validate nothing. Left out of what ajv compiles, so that editing them reuses the compiled code. */
const ANNOTATIONS = new Set([
  "description",
  "title",
  "summary",
  "example",
  "examples",
  "$comment",
  "externalDocs",
  "deprecated",
]);

/**
 * A copy of `schema` as ajv gets it: without annotations (ANNOTATIONS and x- extensions), and every object schema
 * with `properties` and no `additionalProperties` (or `true`) gets `additionalProperties: false`, so one ajv pass
 * also finds the fields the spec does not describe (they are reported as undocumented, never as failures).
 * allOf members are left open: they describe part of an object.
 */
function closeObjects(schema, open = false) {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const out = Object.fromEntries(
    Object.entries(schema).filter(([key]) => !ANNOTATIONS.has(key) && !key.startsWith("x-")),
  );
  const each = (list, leaveOpen) => list.map((s) => closeObjects(s, leaveOpen));
  const values = (map) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k, closeObjects(v)]));
  if (out.properties) out.properties = values(out.properties);
  if (out.$defs) out.$defs = values(out.$defs);
  for (const key of ["items", "not", "contains"]) if (out[key]) out[key] = closeObjects(out[key]);
  if (out.additionalProperties && typeof out.additionalProperties === "object")
    out.additionalProperties = closeObjects(out.additionalProperties);
  for (const key of ["oneOf", "anyOf", "prefixItems"]) if (Array.isArray(out[key])) out[key] = each(out[key], false);
  if (Array.isArray(out.allOf)) out.allOf = each(out.allOf, true);
  if (
    !open &&
    !out.allOf &&
    out.properties &&
    (out.additionalProperties === undefined || out.additionalProperties === true)
  )
    out.additionalProperties = false;
  return out;
}

/** Component schemas that are allOf members somewhere: they must stay open. */
function allOfMembers(doc) {
  const names = new Set();
  const visit = (node) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node.allOf))
      for (const m of node.allOf) if (m?.$ref?.startsWith("#/components/schemas/")) names.add(m.$ref.split("/").pop());
    for (const value of Object.values(node)) visit(value);
  };
  visit(doc);
  return names;
}

/** The parameters of an operation as one JSON schema: { path: {…}, query: {…}, header: {…} } (header names lower-case). */
function paramsSchema(doc, pathItem, op) {
  const group = () => ({ type: "object", properties: {}, required: [] });
  const schema = { type: "object", properties: { path: group(), query: group(), header: group() } };
  for (const raw of [...(pathItem.parameters ?? []), ...(op.parameters ?? [])]) {
    const param = follow(doc, raw);
    const name = param.in === "header" ? param.name.toLowerCase() : param.name;
    const group = schema.properties[param.in];
    if (!group) continue;
    group.properties[name] = param.schema ?? {};
    if (param.required) group.required.push(name);
  }
  return schema;
}

/**
 * The source of generated/validators.js for the bundled OpenAPI document `doc` (parsed), with the schema
 * map computed from the spec at `specEntry` (its root file). `root` is the directory paths are relative to.
 */
export async function validatorsSource(doc, specEntry, root) {
  const spec = specReader(resolve(specEntry), resolve(root));
  const map = schemaMap(spec);
  const operations = operationsOf(spec, map);
  const open = allOfMembers(doc);
  // What ajv compiles, per instance: [id, schema] — each component schema once, then one schema per distinct
  // parameter set, request body and response body of the operations.
  const schemas = { bodies: [], params: [] };
  for (const list of Object.values(schemas)) {
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}))
      list.push([ID + name, rewriteRefs(closeObjects(schema, open.has(name)))]);
  }
  const ids = new Map();
  const add = (list, prefix, schema) => {
    const prepared = rewriteRefs(closeObjects(schema));
    const key = prefix + JSON.stringify(prepared);
    if (!ids.has(key)) {
      ids.set(key, `${prefix}${ids.size}`);
      list.push([ids.get(key), prepared]);
    }
    return ids.get(key);
  };
  const exports = { bodies: {}, params: {} };
  for (const [key, entry] of Object.entries(operations)) {
    const [method, path] = key.split(" ");
    const pathItem = doc.paths?.[path];
    const op = pathItem?.[method.toLowerCase()];
    if (!op) throw new Error(`${key} is in spec/ but not in the bundle`);
    entry.paramsCheck = add(schemas.params, "p", paramsSchema(doc, pathItem, op));
    exports.params[entry.paramsCheck] = entry.paramsCheck;
    const body = follow(doc, op.requestBody)?.content?.["application/json"]?.schema;
    if (body && entry.body !== undefined) {
      entry.bodyCheck = add(schemas.bodies, "v", body);
      exports.bodies[entry.bodyCheck] = entry.bodyCheck;
    }
    for (const [status, answer] of Object.entries(entry.responses)) {
      const response = follow(doc, op.responses?.[status]);
      const schema = response?.content?.["application/json"]?.schema;
      if (schema && answer.node !== undefined) {
        answer.check = add(schemas.bodies, "v", schema);
        exports.bodies[answer.check] = answer.check;
      }
      // Header values arrive as text, so they are checked with the parameters' coercion ("5000" → 5000).
      const headers = headersSchema(doc, response);
      if (headers && answer.headers !== undefined) {
        answer.headersCheck = add(schemas.params, "p", headers);
        exports.params[answer.headersCheck] = answer.headersCheck;
      }
    }
  }
  const pathsAt = { f: map.fileIndex(spec.root.name), l: spec.keyLine(spec.root, "paths") };
  const header = "// Generated by scripts/validators.mjs from spec/ (npm run generate). Do not edit.\n";
  // The map is plain JSON, so it is appended as it is: only the compiled code goes through esbuild, and that
  // code is reused as long as what ajv compiles is the same (a description edit, or any edit that moves lines).
  const mapExports = [
    `export const files = ${JSON.stringify(map.files)};`,
    `export const nodes = ${JSON.stringify(map.nodes)};`,
    `export const operations = ${JSON.stringify(operations)};`,
    `export const pathsAt = ${JSON.stringify(pathsAt)};`,
  ];
  return `${header}${await compiled(schemas, exports, root)}${mapExports.join("\n")}\n`;
}

/** The last code compiled: { key, code }. */
let last;

/**
 * The ajv standalone code of `schemas` with the validators named in `exports`, bundled with ajv's runtime helpers
 * by esbuild into one minified ES module that exports `validators`. Compiled again only when its inputs changed
 * since the last call in this process.
 */
async function compiled(schemas, exports, root) {
  const key = createHash("sha256")
    .update(JSON.stringify([schemas, exports, root]))
    .digest("hex");
  if (last?.key === key) return last.code;
  // Bodies are checked as they are; parameters arrive as text (URLs, headers), so theirs coerce ("3" → 3).
  // inlineRefs: false compiles each component once however often it is used; messages are written at run time
  // from keyword and params; ajv's code optimisation made no measurable difference to validation speed here
  // but 40% to compile time, so it is off.
  const options = {
    strict: false,
    allErrors: true,
    inlineRefs: false,
    messages: false,
    code: { source: true, esm: true, lines: true, optimize: false },
  };
  const code = ["bodies", "params"].map((kind) => {
    const ajv = new Ajv2020.default(kind === "params" ? { ...options, coerceTypes: "array" } : options);
    addFormats.default(ajv, { mode: "fast" });
    for (const [id, schema] of schemas[kind]) ajv.addSchema(schema, id);
    return standaloneCode.default(ajv, exports[kind]);
  });
  const entry = [
    ...code.map((_, i) => `import * as code${i} from "./code${i}.js";`),
    `export const validators = { ${code.map((_, i) => `...code${i}`).join(", ")} };`,
  ].join("\n");
  const result = await build({
    stdin: { contents: entry, resolveDir: root, sourcefile: "validators.js", loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    write: false,
    logLevel: "silent",
    legalComments: "none",
    minify: true,
    plugins: [
      {
        name: "standalone-code",
        setup(b) {
          b.onResolve({ filter: /^\.\/code\d\.js$/ }, (a) => ({ path: a.path, namespace: "code" }));
          b.onLoad({ filter: /.*/, namespace: "code" }, (a) => ({
            contents: code[Number(a.path.match(/\d/)[0])],
            loader: "js",
            resolveDir: root,
          }));
        },
      },
    ],
  });
  last = { key, code: result.outputFiles[0].text };
  return last.code;
}

/** generated/validators.d.ts: the shape of what generated/validators.js exports. */
export const VALIDATORS_DTS = `// Generated by scripts/validators.mjs (npm run generate). Do not edit.
/** An ajv standalone validator: true when valid, else false with \`errors\` set. */
export interface Validate {
  (data: unknown): boolean;
  errors?: null | { instancePath: string; keyword: string; params: Record<string, any>; message?: string }[];
}
/** One schema of spec/: file index and line, types, properties, required (→ line), items, additionalProperties, oneOf/anyOf, allOf. */
export interface SchemaNode {
  f: number;
  l?: number;
  t?: string[];
  p?: Record<string, number>;
  pl?: number;
  /** The line of each property written as a $ref (the referenced schema's node is where it is defined). */
  refs?: Record<string, number | undefined>;
  r?: Record<string, number | undefined>;
  i?: number;
  a?: number;
  o?: number[];
  all?: number[];
}
/** One documented response: where it is written, its schema node and validator (when it has a JSON body). */
export interface ResponseEntry {
  f: number;
  l?: number;
  node?: number;
  check?: string;
  /** The media types of its content (\`["application/json"]\`); none when it has no body. */
  media?: string[];
  /** The headers it documents, as one object node (names lower case), and their validator. */
  headers?: number;
  headersCheck?: string;
}
/** One operation: where it is written, its responses, and the nodes and validators of its parameters and body. */
export interface OperationEntry {
  f: number;
  l?: number;
  rl?: number;
  params: number;
  paramsCheck: string;
  body?: number;
  bodyCheck?: string;
  bodyRequired?: boolean;
  responses: Record<string, ResponseEntry>;
}
export declare const files: string[];
export declare const nodes: SchemaNode[];
export declare const operations: Record<string, OperationEntry>;
/** Where the spec lists its paths: what a request matching no operation points at. */
export declare const pathsAt: { f: number; l?: number };
export declare const validators: Record<string, Validate>;
`;
