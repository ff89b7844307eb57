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
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from "yaml";
import {
  METHODS,
  follow,
  operationsOf,
  parameterName,
  parameterSchema,
  resolve as resolveRef,
  scopeRules,
} from "../src/spec.js";

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
    return deref(
      at(
        file,
        follow(load(file).doc.contents, pointer, (node, key) => node?.get(key, true)),
      ),
    );
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
 * Builds the schema map from spec/: `nodes[i]` is one schema with its `file` (an index into `files`) and `line`,
 * and, as it applies, its `types`, `properties` (name → node) and the line of `properties:` (`propertiesLine`),
 * `required` (name → line), `items`, `additionalProperties` (a node), `choices` (its oneOf/anyOf nodes), `parts`
 * (its allOf nodes) and `references` (property written as a $ref → line of its key). $refs are followed, so a
 * property written as `$ref: Size.yaml` points at Size.yaml's node.
 */
function schemaMap(spec) {
  const files = [];
  const nodes = [];
  const seen = new Map();
  const fileIndex = (name) => (files.includes(name) ? files.indexOf(name) : files.push(name) - 1);
  const add = (node) => nodes.push(node) - 1;
  const visit = (raw, lineHint) => {
    const place = spec.deref(raw);
    const key = `${place.file}:${place.node?.range?.[0]}`;
    if (seen.has(key)) return seen.get(key);
    const node = { file: fileIndex(place.name), line: place === raw && lineHint ? lineHint : spec.line(place) };
    const index = add(node);
    seen.set(key, index);
    if (!isMap(place.node)) return index;
    const type = place.node.get("type", false)?.toJSON?.() ?? place.node.get("type");
    if (type) node.types = [type].flat();
    const child = (item) => visit(spec.at(place.file, item), spec.line(place, item));
    const properties = spec.get(place, "properties");
    if (properties && isMap(properties.node)) {
      node.properties = {};
      node.propertiesLine = spec.keyLine(place, "properties");
      for (const pair of properties.node.items) {
        const name = String(pair.key.value);
        const value = spec.at(place.file, pair.value);
        node.properties[name] = visit(value, spec.line(place, pair.key));
        // A property written as a $ref: where it is written, which the referenced schema's node cannot say.
        if (spec.deref(value) !== value) node.references = { ...node.references, [name]: spec.line(place, pair.key) };
      }
    }
    const required = place.node.get("required", true);
    if (isSeq(required))
      node.required = Object.fromEntries(required.items.map((item) => [String(item.value), spec.line(place, item)]));
    for (const keyword of ["items", "additionalProperties"]) {
      const schema = place.node.get(keyword, true);
      if (isMap(schema)) node[keyword] = child(schema);
    }
    for (const [keyword, field] of [
      ["oneOf", "choices"],
      ["anyOf", "choices"],
      ["allOf", "parts"],
    ]) {
      const list = place.node.get(keyword, true);
      if (isSeq(list)) node[field] = [...(node[field] ?? []), ...list.items.map(child)];
    }
    return index;
  };
  /** An object node whose properties are the nodes given: a parameter location, a response's headers. */
  const object = (where, properties, required) => add({ ...where, types: ["object"], properties, required });
  return { files, nodes, visit, fileIndex, add, object };
}

/** Every operation as spec/ writes it: where it is, and the map nodes of its parameters, body and responses. */
function sourceOperations(spec, map) {
  const operations = {};
  const headerNodes = new Map();
  const paths = spec.get(spec.root, "paths");
  for (const pair of paths.node.items) {
    const path = String(pair.key.value);
    const item = spec.deref(spec.at(paths.file, pair.value));
    for (const method of METHODS) {
      const op = spec.get(item, method);
      if (!op) continue;
      const where = {
        file: map.fileIndex(op.name),
        line: item.file === op.file ? spec.keyLine(item, method) : spec.line(op),
      };
      const locations = { path: {}, query: {}, header: {} };
      const required = { path: {}, query: {}, header: {} };
      for (const list of [spec.get(item, "parameters"), spec.get(op, "parameters")]) {
        for (const raw of list?.node.items ?? []) {
          const param = spec.deref(spec.at(list.file, raw));
          const location = param.node.get("in");
          if (!locations[location]) continue;
          const name = parameterName({ in: location, name: param.node.get("name") });
          const schema = spec.get(param, "schema");
          locations[location][name] = schema
            ? map.visit(schema, spec.keyLine(param, "schema"))
            : map.add({ file: map.fileIndex(param.name), line: spec.line(param) });
          if (param.node.get("required")) required[location][name] = spec.line(param);
        }
      }
      const queryWhere = { ...where, propertiesLine: spec.keyLine(op, "parameters") ?? where.line };
      const parameters = map.object(where, {
        path: map.object(where, locations.path, required.path),
        query: map.object(queryWhere, locations.query, required.query),
        header: map.object(where, locations.header, required.header),
      });
      const body = spec.get(op, "requestBody");
      const bodySchema =
        body && spec.get(spec.get(spec.get(body, "content") ?? {}, "application/json") ?? {}, "schema");
      const responses = spec.get(op, "responses");
      const answers = {};
      for (const r of responses.node.items) {
        const response = spec.deref(spec.at(responses.file, r.value));
        const answer = {
          file: map.fileIndex(response.name),
          line: response === r.value ? spec.line(response, r.key) : spec.line(response),
        };
        const content = spec.get(response, "content");
        const media = content && spec.get(content, "application/json");
        const schema = media && spec.get(media, "schema");
        if (schema) answer.body = map.visit(schema);
        if (content) answer.media = content.node.items.map((pair) => String(pair.key.value));
        const headers = headersNode(spec, map, response, answer, headerNodes);
        if (headers !== undefined) answer.headers = headers;
        answers[String(r.key.value)] = answer;
      }
      operations[`${method.toUpperCase()} ${path}`] = {
        operationId: op.node.get("operationId"),
        ...where,
        responsesLine: spec.keyLine(op, "responses"),
        parameters,
        ...(bodySchema && { body: map.visit(bodySchema), bodyRequired: Boolean(body.node.get("required")) }),
        responses: answers,
      };
    }
  }
  return operations;
}

/**
 * The headers `response` documents, as one object node (names lower case), or undefined. A response shared by
 * many operations (a component) gets one node, kept in `made`.
 */
function headersNode(spec, map, response, where, made) {
  const headers = spec.get(response, "headers");
  if (!headers || !isMap(headers.node)) return undefined;
  if (!made.has(headers.node)) {
    const described = {};
    const required = {};
    for (const pair of headers.node.items) {
      const name = String(pair.key.value).toLowerCase();
      const header = spec.deref(spec.at(headers.file, pair.value));
      const schema = spec.get(header, "schema");
      described[name] = schema
        ? map.visit(schema, spec.keyLine(header, "schema"))
        : map.add({ file: map.fileIndex(header.name), line: spec.line(header) });
      // A missing header is reported where the response lists it: the node is in the response's file.
      if (header.node.get("required")) required[name] = spec.line(headers, pair.key);
    }
    const line = spec.keyLine(response, "headers") ?? where.line;
    made.set(headers.node, map.object({ file: where.file, line }, described, required));
  }
  return made.get(headers.node);
}

// Each component schema gets an absolute id of its own, so it is compiled into one function however many use it.
const ID = "https://spec.invalid/schemas/";
const rewriteRefs = (schema) =>
  JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\/components\/schemas\//g, `"$ref":"${ID}`));

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

/**
 * The source of generated/validators.js for the bundled OpenAPI document `doc` (parsed), with the schema
 * map computed from the spec at `specEntry` (its root file). `root` is the directory paths are relative to.
 */
export async function validatorsSource(doc, specEntry, root, cacheDir) {
  const spec = specReader(resolve(specEntry), resolve(root));
  const map = schemaMap(spec);
  const operations = sourceOperations(spec, map);
  const open = allOfMembers(doc);
  // What ajv compiles, per instance: [id, schema] — each component schema once, then one schema per distinct
  // parameter set, response header set, request body and response body of the operations.
  const schemas = { bodies: [], params: [] };
  for (const list of Object.values(schemas)) {
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}))
      list.push([ID + name, rewriteRefs(closeObjects(schema, open.has(name)))]);
  }
  const ids = new Map();
  const exports = { bodies: {}, params: {} };
  const add = (kind, schema) => {
    const prepared = rewriteRefs(closeObjects(schema));
    const prefix = kind === "params" ? "p" : "v";
    const key = prefix + JSON.stringify(prepared);
    if (!ids.has(key)) {
      ids.set(key, `${prefix}${ids.size}`);
      schemas[kind].push([ids.get(key), prepared]);
      exports[kind][ids.get(key)] = ids.get(key);
    }
    return ids.get(key);
  };
  const bundled = new Map(operationsOf(doc).map((o) => [o.key, o]));
  for (const [key, entry] of Object.entries(operations)) {
    const op = bundled.get(key);
    if (!op) throw new Error(`${key} is in spec/ but not in the bundle`);
    entry.parametersCheck = add("params", parameterSchema(op.parameters));
    const { scopes, fields } = scopeRules(doc, op);
    entry.scopes = scopes;
    if (Object.keys(fields).length) entry.fieldScopes = fields;
    const body = op.requestBody?.content?.["application/json"]?.schema;
    if (body && entry.body !== undefined) entry.bodyCheck = add("bodies", body);
    for (const [status, answer] of Object.entries(entry.responses)) {
      const response = op.responses[status];
      const schema = response?.content?.["application/json"]?.schema;
      if (schema && answer.body !== undefined) answer.bodyCheck = add("bodies", schema);
      if (answer.headers !== undefined) answer.headersCheck = add("params", headerSchema(doc, response.headers));
    }
  }
  const pathsAt = { file: map.fileIndex(spec.root.name), line: spec.keyLine(spec.root, "paths") };
  const header = "// Generated by scripts/validators.mjs from spec/ (npm run generate). Do not edit.\n";
  // The map is plain JSON, so it is appended as it is: only the compiled code goes through esbuild, and that
  // code is reused as long as what ajv compiles is the same (a description edit, or any edit that moves lines).
  const mapExports = [
    `export const files = ${JSON.stringify(map.files)};`,
    `export const nodes = ${JSON.stringify(map.nodes)};`,
    `export const operations = ${JSON.stringify(operations)};`,
    `export const pathsAt = ${JSON.stringify(pathsAt)};`,
  ];
  return `${header}${await compiled(schemas, exports, root, cacheDir)}${mapExports.join("\n")}\n`;
}

/** A response's headers as one JSON schema (names lower case, as HTTP has them). */
function headerSchema(doc, headers) {
  const entries = Object.entries(headers).map(([name, h]) => [name.toLowerCase(), resolveRef(doc, h)]);
  return {
    type: "object",
    properties: Object.fromEntries(entries.map(([name, header]) => [name, header.schema ?? {}])),
    required: entries.filter(([, header]) => header.required).map(([name]) => name),
  };
}

// Bodies are checked as they are; parameters and headers arrive as text (URLs, headers), so theirs coerce
// ("3" → 3). inlineRefs: false compiles each component once however often it is used; messages are written at
// run time from keyword and params; ajv's code optimisation is off: it costs compile time and bought no
// validation speed here (bench/results.md).
const OPTIONS = {
  strict: false,
  allErrors: true,
  inlineRefs: false,
  messages: false,
  code: { source: true, esm: true, lines: true, optimize: false },
};

const require = createRequire(import.meta.url);
/** What else shapes the compiled code: the compilers' versions. */
const COMPILERS = ["ajv", "ajv-formats", "esbuild"].map((name) => `${name}@${require(`${name}/package.json`).version}`);

/** The last code compiled or read in this process: { key, code }. */
let last;

/**
 * The ajv standalone code of `schemas` with the validators named in `exports`, bundled with ajv's runtime helpers
 * by esbuild into one minified ES module that exports `validators`. Compiled only when no earlier run compiled
 * the same: the code is kept in `cacheDir` (when given) under a hash of exactly what it is made from, so a cold
 * generation after an edit that changes no schema (a description, a moved line) compiles nothing.
 */
async function compiled(schemas, exports, root, cacheDir) {
  const key = createHash("sha256")
    .update(JSON.stringify([schemas, exports, root, OPTIONS, COMPILERS]))
    .digest("hex");
  if (last?.key === key) return last.code;
  const file = cacheDir && join(cacheDir, `validators-${key.slice(0, 32)}.js`);
  const kept = file && readCached(file);
  last = { key, code: kept ?? (await compile(schemas, exports, root)) };
  if (file && kept === undefined) keep(cacheDir, file, last.code);
  return last.code;
}

/** How many compiled versions the cache keeps (the newest): enough to go back and forth between branches. */
const KEPT = 8;

function readCached(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Writes `code` to `file` in one step, and drops all but the newest {@link KEPT} versions. */
function keep(cacheDir, file, code) {
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(`${file}.${process.pid}.tmp`, code);
  renameSync(`${file}.${process.pid}.tmp`, file);
  const versions = readdirSync(cacheDir)
    .filter((name) => /^validators-[0-9a-f]+\.js$/.test(name))
    .map((name) => ({ path: join(cacheDir, name), time: statSync(join(cacheDir, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const { path } of versions.slice(KEPT)) rmSync(path, { force: true });
}

/** Compiles `schemas` (see {@link compiled}). */
async function compile(schemas, exports, root) {
  const code = ["bodies", "params"].map((kind) => {
    const ajv = new Ajv2020.default(kind === "params" ? { ...OPTIONS, coerceTypes: "array" } : OPTIONS);
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
  return result.outputFiles[0].text;
}

/** generated/validators.d.ts: the shape of what generated/validators.js exports. */
export const VALIDATORS_DTS = `// Generated by scripts/validators.mjs (npm run generate). Do not edit.
/** An ajv standalone validator: true when valid, else false with \`errors\` set. */
export interface Validate {
  (data: unknown): boolean;
  errors?: null | { instancePath: string; keyword: string; params: Record<string, any>; message?: string }[];
}
/** Where something is written in spec/: an index into \`files\`, and the line. */
export interface Place {
  file: number;
  line?: number;
}
/** One schema of spec/: where it is written, and what it says that a problem report needs (nodes by index). */
export interface SchemaNode extends Place {
  types?: string[];
  properties?: Record<string, number>;
  /** The line of \`properties:\`, where a field the schema does not describe would be added. */
  propertiesLine?: number;
  /** The line of each required property. */
  required?: Record<string, number | undefined>;
  items?: number;
  additionalProperties?: number;
  /** oneOf and anyOf. */
  choices?: number[];
  /** allOf. */
  parts?: number[];
  /** The line of each property written as a $ref (the referenced schema's node is where it is defined). */
  references?: Record<string, number | undefined>;
}
/** One documented response: where it is written, and the nodes and validators of its JSON body and its headers. */
export interface ResponseEntry extends Place {
  body?: number;
  bodyCheck?: string;
  /** The media types of its content (\`["application/json"]\`); none when it has no body. */
  media?: string[];
  /** The headers it documents, as one object node (names lower case), and their validator. */
  headers?: number;
  headersCheck?: string;
}
/** One operation: where it is written, its responses, and the nodes and validators of its parameters and body. */
export interface OperationEntry extends Place {
  operationId: string;
  responsesLine?: number;
  /** An object node: { path, query, header }, each an object node of the parameters there. */
  parameters: number;
  parametersCheck: string;
  body?: number;
  bodyCheck?: string;
  bodyRequired?: boolean;
  responses: Record<string, ResponseEntry>;
  /** The token scopes every request needs (\`x-required-scopes\`). */
  scopes: string[];
  /** More scopes for a parameter or body field a request uses, by where it is: \`query/tag_name\`, \`body/tags\`. */
  fieldScopes?: Record<string, string[]>;
}
export declare const files: string[];
export declare const nodes: SchemaNode[];
/** By \`"GET /v2/droplets/{droplet_id}"\`, in the order of the spec. */
export declare const operations: Record<string, OperationEntry>;
/** Where the spec lists its paths: what a request matching no operation points at. */
export declare const pathsAt: Place;
export declare const validators: Record<string, Validate>;
`;
