// Scaffolds a new operation: `npm run new-operation -- POST /v2/droplets/{droplet_id}/actions [--id droplets_create_action]`.
// Writes the path item file (shared parameters, errors and headers already referenced; a list's page and
// per_page, links and meta) and registers it in spec/openapi.yaml, or adds the method to the path's file when it
// has one; then a docs sample stub and a fake handler stub that answers "not implemented by the fake" until it is
// written. What the scaffold cannot know is marked TODO; spec/README.md, "Adding an operation", lists what is left.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { camel } from "../src/table.js";
import { nameOf } from "./contract.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = "usage: npm run new-operation -- <GET|POST|PUT|PATCH|DELETE> /v2/<path> [--id <operationId>]";
const VERBS = { get: "get", post: "create", put: "update", patch: "patch", delete: "delete" };
const SCOPE_VERBS = { get: "read", post: "create", put: "update", patch: "update", delete: "delete" };
const STATUS = { get: "200", post: "201", put: "200", patch: "200", delete: "204" };

/** What to scaffold, from the command line; throws a usage error. */
export function plan(args, root = ROOT) {
  const [method = "", path = "", ...rest] = args;
  const m = method.toLowerCase();
  if (!(m in VERBS) || !/^\/v2\/[a-z0-9_{}/]+$/.test(path)) throw new Error(USAGE);
  if (rest.length && (rest[0] !== "--id" || rest.length !== 2)) throw new Error(USAGE);
  const segments = path.slice("/v2/".length).split("/");
  const group = segments[0];
  const groupDir = join(root, "spec/paths", group);
  if (!existsSync(groupDir)) throw new Error(`no group spec/paths/${group}/: the first segment names the group`);
  const file = join(groupDir, `${segments.join("@")}.yaml`);
  const adding = existsSync(file);
  if (adding && parse(readFileSync(file, "utf8"))?.[m])
    throw new Error(`${relative(root, file)} has ${method.toUpperCase()} already`);
  const params = segments.filter((s) => s.startsWith("{")).map((s) => s.slice(1, -1));
  for (const name of params)
    if (!existsSync(join(root, "spec/components/parameters", `${name}.yaml`)))
      throw new Error(`no shared parameter spec/components/parameters/${name}.yaml: write it first`);
  const examples = Object.fromEntries(
    params.map((name) => [
      name,
      parse(readFileSync(join(root, "spec/components/parameters", `${name}.yaml`), "utf8")).example,
    ]),
  );
  // A GET of a collection lists it, and a list is named as its items are, plural: droplets_list_backups.
  const list = m === "get" && !segments.at(-1).startsWith("{");
  const nouns = segments.slice(1).filter((s) => !s.startsWith("{"));
  const noun = nouns.length ? `_${list ? nouns.at(-1) : nouns.at(-1).replace(/s$/, "")}` : "";
  const operationId = rest[1] ?? `${group}_${list ? "list" : VERBS[m]}${noun}`;
  const items = nouns.at(-1) ?? group;
  const { tag, resource } = groupFacts(groupDir);
  return {
    method: m,
    path,
    group,
    file,
    adding,
    list,
    items,
    params,
    examples,
    operationId,
    tag,
    scope: `${resource}:${SCOPE_VERBS[m]}`,
  };
}

/** The tag and the scope resource the group's operations already use. */
function groupFacts(groupDir) {
  for (const name of readdirSync(groupDir).sort()) {
    const item = parse(readFileSync(join(groupDir, name), "utf8"));
    for (const op of Object.values(item)) {
      const scope = op?.["x-required-scopes"]?.[0];
      if (op?.tags?.[0] && scope) return { tag: op.tags[0], resource: scope.split(":")[0] };
    }
  }
  throw new Error(`no operation in ${groupDir} to take the tag and scopes from`);
}

/** The path item file's text: a new file, or `existing` with the method added. */
export function pathItem({ method, params, list, items, operationId, tag, scope }, existing) {
  const status = STATUS[method];
  const headers = ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"]
    .map((h) => `        ${h}:\n          $ref: ../../components/headers/${h}.yaml\n`)
    .join("");
  const body =
    method === "post" || method === "put" || method === "patch"
      ? `  requestBody:
    required: true
    content:
      application/json:
        schema:
          type: object
          description: TODO what the request sends (fields from the seeds, each with a description).
          properties: {}
`
      : "";
  const content =
    status === "204"
      ? ""
      : list
        ? `      content:
        application/json:
          schema:
            type: object
            required:
              - meta
            properties:
              ${items}:
                type: array
                description: TODO what each page lists.
                items:
                  type: object
                  description: TODO one item (a schema of its own under components/schemas/ once it has fields).
                  properties: {}
              links:
                $ref: ../../components/schemas/PageLinks.yaml
              meta:
                $ref: ../../components/schemas/Meta.yaml
`
        : `      content:
        application/json:
          schema:
            type: object
            description: TODO what the answer holds.
            properties: {}
`;
  const paging = list
    ? `  parameters:
    - $ref: ../../components/parameters/per_page.yaml
    - $ref: ../../components/parameters/page.yaml
`
    : "";
  const errors = [
    ["401", "unauthorized"],
    ...(params.length ? [["404", "not_found"]] : []),
    ["429", "too_many_requests"],
    ["500", "server_error"],
  ]
    .map(([code, name]) => `    '${code}':\n      $ref: ../../components/responses/${name}.yaml\n`)
    .join("");
  const operation = `${method}:
  operationId: ${operationId}
  summary: TODO a short summary
  description: TODO what the operation does.
  tags:
    - ${tag}
  security:
    - bearer_auth: []
  x-required-scopes:
    - ${scope}
${paging}${body}  responses:
    '${status}':
      description: TODO what this answer means.
      headers:
${headers}${content}${errors}    default:
      $ref: ../../components/responses/unexpected_error.yaml
`;
  if (existing !== undefined) return `${existing.trimEnd()}\n${operation}`;
  return `# Scaffolded by npm run new-operation: replace each TODO with what the seeds say (spec/README.md, "Adding an operation").
${params.length ? `parameters:\n${params.map((p) => `  - $ref: ../../components/parameters/${p}.yaml\n`).join("")}` : ""}${operation}`;
}

/** spec/openapi.yaml with the path registered after the group's last one. */
export function registered(root, { path, group, file }) {
  const lines = root.split("\n");
  const ref = `    $ref: paths/${group}/`;
  const last = lines.findLastIndex((l) => l.startsWith(ref));
  if (last < 0) throw new Error(`spec/openapi.yaml lists no path of the group ${group}`);
  lines.splice(last + 1, 0, `  ${path}:`, `${ref}${file.split("/").at(-1)}`);
  return lines.join("\n");
}

/** The docs sample stub: a call of its resource method that compiles, for the samples guard and the reference page. */
export function sample({ method, params, examples, operationId, tag }) {
  const { resource, name } = nameOf(tag, operationId);
  const ids = params.map((p) => `const ${camel(p)} = ${JSON.stringify(examples[p])};\n`).join("");
  const fields = ["post", "put", "patch"].includes(method) ? ["{}"] : [];
  const args = [...params.map(camel), ...fields].join(", ");
  return `import { createDigitalOceanClient } from "digitalocean-typed";

const client = createDigitalOceanClient(); // reads DIGITALOCEAN_TOKEN
${ids}
// TODO(new-operation): a realistic call with the spec's example values, and what to do with the answer.
const answer = await client.${camel(resource)}.${camel(name)}(${args});
console.log(answer);
`;
}

/** The group's fake handlers file with a stub entry for the operation, importing notImplemented. */
export function withStub(source, { operationId }) {
  const lines = source.split("\n");
  const start = lines.findIndex((l) => /^export const \w+Handlers: Handlers<"\w+"> = \{$/.test(l));
  const end = lines.findIndex((l, i) => i > start && l === "};");
  if (start < 0 || end < 0) throw new Error('no `export const …Handlers: Handlers<"…"> = {` … `};` block');
  lines.splice(end, 0, `  ${operationId}: notImplemented("${operationId}"),`);
  const text = lines.join("\n");
  const imports = /import \{([^}]*)\} from "\.\/backend\.js";/;
  if (!imports.test(text)) throw new Error('no `import { … } from "./backend.js";` to add notImplemented to');
  if (/\bnotImplemented\b/.test(text.match(imports)[1])) return text;
  return text.replace(
    imports,
    (_, names) => `import { ${names.trim().replace(/,$/, "")}, notImplemented } from "./backend.js";`,
  );
}

function main(args) {
  const op = plan(args);
  const fakeFile = join(ROOT, "src/testing", `${op.group.replaceAll("_", "-")}.ts`);
  const sampleFile = join(ROOT, "docs/samples", `${op.operationId}.ts`);
  if (!existsSync(fakeFile)) throw new Error(`no fake handlers file ${relative(ROOT, fakeFile)}`);
  if (existsSync(sampleFile)) throw new Error(`${relative(ROOT, sampleFile)} exists`);
  const rootFile = join(ROOT, "spec/openapi.yaml");
  const outputs = [
    [op.file, pathItem(op, op.adding ? readFileSync(op.file, "utf8") : undefined)],
    ...(op.adding ? [] : [[rootFile, registered(readFileSync(rootFile, "utf8"), op)]]),
    [sampleFile, sample(op)],
    [fakeFile, withStub(readFileSync(fakeFile, "utf8"), op)],
  ];
  for (const [file, text] of outputs) writeFileSync(file, text);
  const biome = spawnSync(join(ROOT, "node_modules/.bin/biome"), ["format", "--write", sampleFile, fakeFile], {
    encoding: "utf8",
  });
  if (biome.status !== 0) throw new Error(`biome format failed:\n${biome.stderr}`);
  console.log(
    `${op.method.toUpperCase()} ${op.path} scaffolded as ${op.operationId}:\n` +
      outputs.map(([file]) => `  ${relative(ROOT, file)}`).join("\n") +
      `\nNext (spec/README.md, "Adding an operation"): fill in the TODOs from the seeds, npm run generate,` +
      ` write the sample and the fake's handler and its test; npm run release writes the API change into CHANGELOG.md.`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`new-operation: ${error.message}`);
    process.exit(2);
  }
}
