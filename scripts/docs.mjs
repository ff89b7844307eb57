// docs/ + generated/openapi.yaml → docs-site/: the guides and the API reference, one VitePress site that works
// offline and on any static host.
//
//   node scripts/docs.mjs                 build docs-site/
//   node scripts/docs.mjs --out DIR       build into DIR instead (tests build into a temp dir)
//   node scripts/docs.mjs --samples DIR   take the samples from DIR instead of docs/samples/
//
// The reference is written from the bundle and the operation table (generated/contract.js): one page per tag,
// each operation with its method and path, token scopes, its resource method's signature, parameters, request
// body, responses, its TypeScript sample (docs/samples/<operationId>.ts, in resource style) and the same call in
// path style, plus an index of every operation with its resource method and its path call. The build fails naming every operation without a sample and
// every sample without an operation, and if any page would load anything from another host. It runs on a copy
// of docs/ (with spec/README.md, which a guide links to), so parallel builds never share files, and the
// output directory is replaced in one step, only after everything succeeded.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { STORED_TABLE } from "../generated/contract.js";
import { operationsOf, resolve as resolveRef } from "../src/spec.js";
import { rowsOf } from "../src/table.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** How each operation is called, by operationId: the client's table (src/contract.ts reads it the same way). */
const OPERATIONS = rowsOf(STORED_TABLE);
const docs = join(root, "docs");

/** The directory given as `--name DIR` on the command line, else `fallback`. */
function dirOption(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  if (process.argv[i + 1]) return resolve(process.argv[i + 1]);
  console.error(`--${name} needs a directory.`);
  process.exit(1);
}

/** The samples by operationId; fails naming every operation without one and every sample without an operation. */
function samplesFor(operations, samplesDir) {
  const samples = new Map(
    readdirSync(samplesDir)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => [basename(f, ".ts"), readFileSync(join(samplesDir, f), "utf8").trimEnd()]),
  );
  const ids = new Set(operations.map(({ op }) => op.operationId));
  const problems = [
    ...[...ids]
      .filter((id) => !samples.has(id))
      .map((id) => `no sample for operation ${id}: add ${relative(root, join(samplesDir, `${id}.ts`))}`),
    ...[...samples.keys()]
      .filter((id) => !ids.has(id))
      .map((id) => `${relative(root, join(samplesDir, `${id}.ts`))} matches no operationId in generated/openapi.yaml`),
  ];
  if (problems.length) throw new Error(problems.join("\n"));
  return samples;
}

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** Spec prose as Markdown for a Vue-compiled page: outside code spans, `<` and `{{` are text, not HTML or Vue. */
function prose(text = "") {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 ? part : part.replaceAll("<", "&lt;").replaceAll("{{", "&#123;&#123;")))
    .join("");
}

/** Prose that fits a table cell: one line, pipes escaped. */
const cell = (text) =>
  prose(text)
    .replace(/\s*\n\s*/g, " ")
    .replaceAll("|", "\\|");

/** Follows a local `$ref` (`#/components/...`); `{}` for nothing. */
const deref = (bundle, node) => resolveRef(bundle, node) ?? {};

/** A schema's type as a reader would write it: `Droplet`, `string | null`, `"nyc3" | "sfo3"`, `{ vpc?: Vpc }`. */
function typeName(schema) {
  if (schema.$ref) return schema.$ref.slice(schema.$ref.lastIndexOf("/") + 1);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return variants.map(typeName).join(" | ");
  if (schema.allOf) return schema.allOf.map(typeName).join(" & ");
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.properties) {
    const required = schema.required ?? [];
    const members = Object.entries(schema.properties).map(
      ([key, value]) => `${key}${required.includes(key) ? "" : "?"}: ${typeName(value)}`,
    );
    return `{ ${members.join("; ")} }`;
  }
  const types = [schema.type ?? "object"].flat();
  return types.map((t) => (t === "array" ? `${typeName(schema.items ?? {})}[]` : t)).join(" | ");
}

/** The fields of an object schema (allOf merged), for a table: name, type, required, description. */
function fields(bundle, schema) {
  const resolved = deref(bundle, schema);
  const parts = resolved.allOf ? resolved.allOf.map((s) => deref(bundle, s)) : [resolved];
  return parts.flatMap((part) =>
    Object.entries(part.properties ?? {}).map(([name, property]) => ({
      name,
      type: typeName(property),
      required: (part.required ?? []).includes(name),
      description: deref(bundle, property).description ?? property.description ?? "",
    })),
  );
}

function fieldTable(rows) {
  return [
    "| field | type | required | description |",
    "| --- | --- | --- | --- |",
    ...rows.map((f) => `| \`${f.name}\` | \`${cell(f.type)}\` | ${f.required ? "yes" : ""} | ${cell(f.description)} |`),
  ];
}

/** The request body: its type and, for an object (or each variant of a oneOf), its fields. */
function requestBody(bundle, op) {
  const body = deref(bundle, op.requestBody);
  const schema = body.content?.["application/json"]?.schema;
  if (!schema) return [];
  const resolved = deref(bundle, schema);
  const variants = resolved.oneOf ?? resolved.anyOf ?? [schema];
  return [
    // A named union says what it is: `DropletCreate` = `DropletCreateSingle | DropletCreateMultiple`.
    `**Request body** (\`application/json\`${body.required ? ", required" : ""}): \`${typeName(schema)}\`${schema.$ref && variants.length > 1 ? ` = \`${typeName(resolved)}\`` : ""}`,
    "",
    ...variants.flatMap((variant) => {
      const rows = fields(bundle, variant);
      if (!rows.length) return [];
      return [...(variants.length > 1 ? [`One of: \`${typeName(variant)}\``, ""] : []), ...fieldTable(rows), ""];
    }),
  ];
}

function parameters(params) {
  if (!params.length) return [];
  return [
    "**Parameters**",
    "",
    "| name | in | type | required | description |",
    "| --- | --- | --- | --- | --- |",
    ...params.map(
      (p) =>
        `| \`${p.name}\` | ${p.in} | \`${cell(typeName(p.schema ?? {}))}\` | ${p.required ? "yes" : ""} | ${cell(p.description)} |`,
    ),
    "",
  ];
}

function responses(bundle, op) {
  return [
    "**Responses**",
    "",
    "| status | description | body |",
    "| --- | --- | --- |",
    ...Object.entries(op.responses ?? {}).map(([status, response]) => {
      const resolved = deref(bundle, response);
      const schema = resolved.content?.["application/json"]?.schema;
      return `| ${status} | ${cell(resolved.description)} | ${schema ? `\`${cell(typeName(schema))}\`` : ""} |`;
    }),
    "",
  ];
}

/**
 * Whether the resource method's fields argument is required, as its type says: a required query or header
 * parameter, or a body that requires a field (every choice of a oneOf does).
 */
function fieldsRequired(bundle, op, params) {
  if (params.some((p) => p.in !== "path" && p.required)) return true;
  const schema = deref(bundle, deref(bundle, op.requestBody).content?.["application/json"]?.schema);
  const choices = (schema.oneOf ?? schema.anyOf ?? [schema]).map((choice) => deref(bundle, choice));
  return op.requestBody !== undefined && choices.every((choice) => (choice.required ?? []).length > 0);
}

/** The resource method's signature: `client.vpcs.patchPeering(vpc_id, vpc_peering_id, fields, options?)`. */
function signature(bundle, { op, parameters: params }) {
  const row = OPERATIONS[op.operationId];
  const takesFields = row.body || row.query.length + row.header.length > 0;
  const fields = takesFields ? [fieldsRequired(bundle, op, params) ? "fields" : "fields?"] : [];
  return `client.${row.resource}.${row.method}(${[...row.pathParams, ...fields, "options?"].join(", ")})`;
}

/** What a resource method's fields object holds, and what a list call gives. */
function signatureNote(row) {
  const named = [...row.query, ...row.header].map((name) => `\`${name}\``);
  const fields = named.length
    ? `\`fields\`: ${named.join(", ")}${row.body ? " and the body's fields" : ""}.`
    : row.body && "`fields`: the request body.";
  const list =
    row.items &&
    `Awaited, the first page; iterated with \`for await\`, every item of \`${row.items}\` across pages; \`.toArray({ limit })\` collects them.`;
  return [fields, list].filter(Boolean).join(" ");
}

/** A call, its init object one member a line: `callee(args, {\n  params,\n})`, or `callee(args)` with none. */
function callText(callee, args, init) {
  if (!init.length) return [`${callee}(${args})`];
  return [`${callee}(${args}, {`, ...init.map((member) => `  ${member},`), "})"];
}

/** `lines` as the argument of `await unwrap(…)`. */
function unwrapped(lines) {
  if (lines.length === 1) return [`await unwrap(${lines[0]});`];
  return ["await unwrap(", ...lines.map((line, i) => `  ${line}${i === lines.length - 1 ? "," : ""}`), ");"];
}

/** The same call in path style, as openapi-fetch makes it: `await unwrap(client.PATCH("/v2/…", { params, body }))`. */
function pathStyle(row) {
  const params = [
    row.pathParams.length > 0 && `path: { ${row.pathParams.join(", ")} }`,
    row.query.length > 0 && "query",
    row.header.length > 0 && "header",
  ].filter(Boolean);
  const init = [params.length > 0 && `params: { ${params.join(", ")} }`, row.body && "body"].filter(Boolean);
  const send = unwrapped(callText(`client.${row.httpMethod}`, `"${row.path}"`, init));
  if (!row.items) return send;
  const every = callText("paginate", `client, "${row.path}"`, init);
  return ["// The first page:", ...send, "// Every item across pages:", ...every.slice(0, -1), `${every.at(-1)};`];
}

/** One operation's section of its tag's page; `{#operationId}` is its anchor. */
function operationSection(bundle, operation, sample) {
  const { method, path, op, parameters: params } = operation;
  const row = OPERATIONS[op.operationId];
  const scopes = op["x-required-scopes"] ?? [];
  return [
    `## ${prose(op.summary ?? op.operationId)} {#${op.operationId}}`,
    "",
    `\`${signature(bundle, operation)}\``,
    "",
    `\`${method.toUpperCase()} ${path}\` · \`${op.operationId}\`${scopes.length ? ` · **Token scopes:** ${scopes.map((s) => `\`${s}\``).join(", ")}` : ""}`,
    "",
    signatureNote(row),
    "",
    prose(op.description),
    "",
    ...parameters(params),
    ...requestBody(bundle, op),
    ...responses(bundle, op),
    "```ts",
    sample,
    "```",
    "",
    "The same call in path style:",
    "",
    "```ts",
    ...pathStyle(row),
    "```",
    "",
  ];
}

/** The path call of an operation, as the index lists it. */
function call({ method, path, op, parameters: params }) {
  const args = [params.length > 0 && "params", op.requestBody && "body"].filter(Boolean);
  return `client.${method.toUpperCase()}("${path}"${args.length ? `, { ${args.join(", ")} }` : ""})`;
}

/** The reference pages: reference/<tag>.md per tag, reference/index.md, and pages.json for the sidebar. */
function writeReference(bundle, operations, samples, dir) {
  mkdirSync(dir, { recursive: true });
  const tags = bundle.tags.map((tag) => ({ ...tag, slug: slug(tag.name) }));
  const tagOf = (op) => tags.find((tag) => tag.name === op.tags?.[0]) ?? tags[0];
  for (const tag of tags) {
    const own = operations.filter(({ op }) => tagOf(op) === tag);
    const lines = [`# ${tag.name}`, "", prose(tag.description), ""];
    for (const operation of own)
      lines.push(...operationSection(bundle, operation, samples.get(operation.op.operationId)));
    writeFileSync(join(dir, `${tag.slug}.md`), lines.join("\n"));
  }
  // No outline beside the index, so that its three columns fit the page.
  const index = [
    "---",
    "aside: false",
    "---",
    "",
    "# Every operation",
    "",
    `Every operation of the spec (${prose(bundle.info.title)} ${bundle.info.version}), with its resource method on`,
    "`createDigitalOceanClient()` and the same call in path style. Each links to its section: parameters, body,",
    "responses and a sample that `npm test` compiles and runs. The OpenAPI 3.1 file itself:",
    "[openapi.yaml](../openapi.yaml){download}.",
    "",
    ...tags.flatMap((tag) => [
      `## ${tag.name}`,
      "",
      "| resource method | path style | summary |",
      "| --- | --- | --- |",
      ...operations
        .filter(({ op }) => tagOf(op) === tag)
        .map(
          (o) =>
            `| [\`${cell(signature(bundle, o))}\`](./${tag.slug}#${o.op.operationId}) | \`${cell(call(o))}\` | ${cell(o.op.summary)} |`,
        ),
      "",
    ]),
  ];
  writeFileSync(join(dir, "index.md"), index.join("\n"));
  writeFileSync(
    join(dir, "pages.json"),
    JSON.stringify(tags.map((tag) => ({ text: tag.name, link: `/reference/${tag.slug}` }))),
  );
}

/**
 * Remote URLs a file of the site would load, as opposed to mere links: in HTML and CSS every script, style,
 * image, font and preload; in JavaScript only imports (the theme's code holds an icon-service URL in a CSS
 * template for social links, which this site has none of; the browser test sees what is really requested).
 */
function remoteLoads(text, ext) {
  const imports = [/@import\s+["']((?:https?:)?\/\/[^"']+)/gi, /\bimport\s*(?:\(\s*)?["']((?:https?:)?\/\/[^"']+)/g];
  const markup = [
    /<(?:script|img|iframe|source|embed)\b[^>]*\bsrc=["']?((?:https?:)?\/\/[^"'\s>]+)/gi,
    /<link\b[^>]*\bhref=["']?((?:https?:)?\/\/[^"'\s>]+)/gi,
    /url\(\s*["']?((?:https?:)?\/\/[^"')\s]+)/gi,
    /(https?:\/\/fonts\.(?:googleapis|gstatic)\.com[^"'`\s)]*)/g,
  ];
  const patterns = ext === ".js" ? imports : [...imports, ...markup];
  return [...new Set(patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1])))];
}

// Pages of the repository outside docs/ that the guides link to (`../../spec/README.md`): each is published
// inside the site, and the guides' links to it are pointed at that copy, so the same link works in both.
const LINKED_PAGES = ["spec/README.md"];

function publishLinkedPages(source) {
  for (const page of LINKED_PAGES) cpSync(join(root, page), join(source, page));
  const guides = join(source, "guide");
  for (const file of readdirSync(guides)) {
    const text = readFileSync(join(guides, file), "utf8");
    const linked = LINKED_PAGES.reduce((t, page) => t.replaceAll(`](../../${page}`, `](../${page}`), text);
    if (linked !== text) writeFileSync(join(guides, file), linked);
  }
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

const started = performance.now();
const out = dirOption("out", join(root, "docs-site"));
const samplesDir = dirOption("samples", join(docs, "samples"));
// Inside the project, so that the copy resolves vitepress and vue from its node_modules.
const work = join(root, "node_modules/.cache/digitalocean-typed", `docs-${process.pid}`);
const staging = `${out}.tmp-${process.pid}`;
try {
  const bundle = JSON.parse(readFileSync(join(root, "generated/openapi.json"), "utf8"));
  const operations = operationsOf(bundle).map((operation) => ({ ...operation, op: operation.operation }));
  const samples = samplesFor(operations, samplesDir);

  const source = join(work, "docs");
  // docs/reference/ holds what the repository shows in place of the reference pages written below.
  const skipped = [join(docs, "samples"), join(docs, "reference")];
  cpSync(docs, source, { recursive: true, filter: (path) => !skipped.some((dir) => path.startsWith(dir)) });
  publishLinkedPages(source);
  writeReference(bundle, operations, samples, join(source, "reference"));
  cpSync(join(docs, "assets"), join(source, "public/assets"), { recursive: true });
  cpSync(join(root, "generated/openapi.yaml"), join(source, "public/openapi.yaml"));
  writeFileSync(join(source, "public/.nojekyll"), "");

  rmSync(staging, { recursive: true, force: true });
  // In a process of its own, to show VitePress's progress lines and warnings only when it fails.
  const vitepress = spawnSync(
    process.execPath,
    [join(root, "node_modules/vitepress/bin/vitepress.js"), "build", source, "--outDir", staging],
    { cwd: root, encoding: "utf8" },
  );
  if (vitepress.status !== 0)
    throw new Error(`vitepress build failed:\n${`${vitepress.stdout}${vitepress.stderr}`.trim()}`);

  const remote = filesUnder(staging)
    .filter((file) => [".html", ".js", ".css"].includes(extname(file)))
    .flatMap((file) =>
      remoteLoads(readFileSync(join(staging, file), "utf8"), extname(file)).map((url) => `${file}: ${url}`),
    );
  if (remote.length)
    throw new Error(`the site would load from other hosts, so it would not work offline:\n  ${remote.join("\n  ")}`);

  if (existsSync(out)) rmSync(out, { recursive: true });
  renameSync(staging, out);
  const pages = filesUnder(out).filter((file) => file.endsWith(".html")).length;
  console.log(
    `Docs site written to ${out}/ in ${((performance.now() - started) / 1000).toFixed(1)} s (${pages} pages).`,
  );
} catch (err) {
  console.error(`Docs build failed: ${err.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
}
