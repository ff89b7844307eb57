// What a spec change does to people who use the typed client: the diff comes from api-smart-diff,
// which also classifies each change; a few rules of our own re-classify the cases where a typed
// client breaks differently from a wire-level client (see README, "The change report").
//
//   const report = await diffSpecs(baseDoc, headDoc); // { breaking, changes: [{ operation, breaking, message, … }] }
//   console.log(formatReport(report, "markdown"));
import { apiCompare, combinaryCompareResolver, compare, openapi3Rules, transformComapreRules } from "api-smart-diff";
import { METHODS, escapeKey, resolve } from "../../src/spec.js";

const isMethod = (key) => METHODS.includes(String(key));
// Keywords that constrain values without changing the generated types: openapi-typescript does not turn
// them into types, and the client does not validate responses, so in a response they break nobody.
const CONSTRAINTS = new Set([
  "maxLength",
  "minLength",
  "maximum",
  "minimum",
  "exclusiveMaximum",
  "exclusiveMinimum",
  "multipleOf",
  "pattern",
  "format",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxProperties",
  "minProperties",
]);

/**
 * Our own rules, tried in order; the first whose `when` matches decides `breaking`. Each applies only where
 * api-smart-diff answers differently (it judges wire compatibility; this client is also judged by the compiler).
 */
const RULES = [
  {
    id: "response-field-removed",
    why: "code that reads the field stops compiling",
    when: (c) => c.side === "response" && c.action === "remove" && c.parentKey === "properties",
    breaking: true,
  },
  {
    id: "response-type-changed",
    why: "the field's TypeScript type changes (a new `| null` included)",
    when: (c) => c.side === "response" && c.key === "type" && c.inSchema,
    breaking: true,
  },
  {
    id: "response-enum-value-removed",
    why: "a comparison or `case` with the removed value stops compiling (no overlap)",
    when: (c) => c.side === "response" && c.parentKey === "enum" && c.action === "remove",
    breaking: true,
  },
  {
    id: "response-constraint-changed",
    why: "constraints are not part of the generated types and responses are not validated",
    when: (c) => c.side === "response" && c.inSchema && CONSTRAINTS.has(String(c.key)),
    breaking: false,
  },
  {
    id: "request-field-removed",
    why: "an object literal that still sets it is an excess-property error",
    when: (c) =>
      c.side === "request" && c.action === "remove" && c.parentKey === "properties" && c.before?.readOnly !== true,
    breaking: true,
  },
  {
    id: "response-field-made-required",
    why: "code that reads the field compiles as before and needs no guard now; only code that builds such an answer itself (a mock) must fill it in",
    when: (c) =>
      c.side === "response" && c.inSchema && c.action === "add" && (c.parentKey === "required" || c.key === "required"),
    breaking: false,
  },
  {
    id: "response-header-made-required",
    why: "the generated types hold every documented response header as present already; only the promise is new",
    when: (c) => c.side === "response" && c.header !== undefined && c.key === "required" && c.after === true,
    breaking: false,
  },
  {
    id: "request-type-widened",
    why: "every value the old type allowed is still allowed",
    when: (c) => c.side === "request" && c.key === "type" && c.inSchema && widens(c.before, c.after),
    breaking: false,
  },
];

/**
 * api-smart-diff pairs the branches of a oneOf/anyOf by the fewest differences, so a change inside both branches
 * (a field of the Droplet that both answers of a Droplet create hold) can pair each with the other one and report
 * fields removed that are not. When both sides have as many branches, they are paired by position instead.
 */
function pairBranches(context) {
  const { before, after, rules, options } = context;
  const count = Array.isArray(before.value) ? before.value.length : -1;
  if (count !== (Array.isArray(after.value) ? after.value.length : -2)) return combinaryCompareResolver(context);
  const item = rules["/*"];
  const compared = before.value.map((branch, i) =>
    compare(
      branch,
      after.value[i],
      {
        ...options,
        rules: typeof item === "function" ? item({ key: i, path: before.path, value: before.value }) : item,
      },
      {
        before: { jsonPath: [...before.path, i], source: before.root },
        after: { jsonPath: [...after.path, i], source: after.root },
      },
    ),
  );
  return { diffs: compared.flatMap((r) => r.diffs), merged: compared.map((r) => r.merged) };
}

/** api-smart-diff's rules with pairBranches; made for each comparison, since the rules cache resolved $refs. */
const compareRules = () =>
  transformComapreRules(openapi3Rules(), (rule) =>
    rule.compare === combinaryCompareResolver ? { ...rule, compare: pairBranches } : rule,
  );

/** `after` accepts every type `before` did (`"integer"` is covered by `"number"`). */
function widens(before, after) {
  const b = [before ?? []].flat();
  const a = new Set([after ?? []].flat());
  return b.length > 0 && b.every((t) => a.has(t) || (t === "integer" && a.has("number")));
}

/**
 * Compares two bundled OpenAPI 3.x documents (internal `$ref`s only) and reports every change, attributed to
 * the operation it belongs to (`"POST /v2/vpcs"`, or `null` for document-level changes).
 * @param {object} baseDoc the old document
 * @param {object} headDoc the new document
 * @param {{ prune?: boolean }} [options] `prune: false` hands api-smart-diff the whole documents, not just the
 *   parts that can differ (see withoutUnchanged): the same report, several times slower on a small edit
 */
export async function diffSpecs(baseDoc, headDoc, { prune = true } = {}) {
  const [base, head] = prune ? withoutUnchanged(baseDoc, headDoc) : [baseDoc, headDoc];
  const { diffs } = apiCompare(structuredClone(base), structuredClone(head), { rules: compareRules() });
  const changes = diffs.filter(reported).map((d) => toChange(d, baseDoc, headDoc));
  return { breaking: changes.filter((c) => c.breaking).length, changes };
}

const COMPONENT_REF = /^#\/components\/([^/]+)\/([^/]+)/;

/**
 * The two documents without what cannot differ: api-smart-diff dereferences and walks all of both, so on a
 * one-line edit nearly all its time goes to parts that are equal (bench/results.md). Dropped, from both:
 * - path items that are equal and use no component that differs, directly or through other components;
 * - components that are equal and that nothing kept uses.
 * Security schemes (used by name, not by $ref) and everything outside paths and components stay. A document
 * with $refs into anything but a component is compared whole.
 */
function withoutUnchanged(base, head) {
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  let foreign = false;
  /** The components a node uses directly, as "section/name". */
  const uses = (node, out = new Set()) => {
    if (!node || typeof node !== "object") return out;
    if (typeof node.$ref === "string") {
      const m = COMPONENT_REF.exec(node.$ref);
      if (m) out.add(`${m[1]}/${m[2]}`);
      else foreign = true;
    }
    for (const value of Object.values(node)) uses(value, out);
    return out;
  };
  const components = new Map(); // "section/name" → { changed, uses }
  for (const section of new Set([...Object.keys(base.components ?? {}), ...Object.keys(head.components ?? {})])) {
    const [b, h] = [base.components?.[section] ?? {}, head.components?.[section] ?? {}];
    for (const name of new Set([...Object.keys(b), ...Object.keys(h)])) {
      components.set(`${section}/${escapeKey(name)}`, {
        changed: !same(b[name], h[name]),
        uses: uses(h[name], uses(b[name])),
      });
    }
  }
  // A component differs if it changed or uses one that differs.
  const differs = new Set([...components].filter(([, c]) => c.changed).map(([key]) => key));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [key, c] of components) {
      if (differs.has(key) || ![...c.uses].some((u) => differs.has(u))) continue;
      differs.add(key);
      grew = true;
    }
  }
  const pathUses = new Map(
    [...new Set([...Object.keys(base.paths ?? {}), ...Object.keys(head.paths ?? {})])].map((p) => [
      p,
      uses(head.paths?.[p], uses(base.paths?.[p])),
    ]),
  );
  const paths = new Set(
    [...pathUses]
      .filter(([p, used]) => !same(base.paths?.[p], head.paths?.[p]) || [...used].some((u) => differs.has(u)))
      .map(([p]) => p),
  );
  // Kept: what the kept paths and the rest of the documents use, transitively, and whatever changed.
  // A changed component goes in through the queue, so that what it uses is kept too (api-smart-diff sees nothing
  // behind a $ref it cannot resolve).
  const kept = new Set();
  const rest = (doc) =>
    Object.entries(doc)
      .filter(([k]) => k !== "paths" && k !== "components")
      .map(([, v]) => v);
  const queue = [
    ...[...components].filter(([, c]) => c.changed).map(([key]) => key),
    ...[...paths].flatMap((p) => [...pathUses.get(p)]),
    ...[...rest(base), ...rest(head)].flatMap((n) => [...uses(n)]),
  ];
  while (queue.length) {
    const key = queue.pop();
    if (kept.has(key) || !components.has(key)) continue;
    kept.add(key);
    queue.push(...components.get(key).uses);
  }
  if (foreign) return [base, head];
  const pruned = (doc) => ({
    ...doc,
    ...(doc.paths ? { paths: Object.fromEntries(Object.entries(doc.paths).filter(([p]) => paths.has(p))) } : {}),
    ...(doc.components
      ? {
          components: Object.fromEntries(
            Object.entries(doc.components).map(([section, entries]) => [
              section,
              section === "securitySchemes"
                ? entries
                : Object.fromEntries(
                    Object.entries(entries ?? {}).filter(([name]) => kept.has(`${section}/${escapeKey(name)}`)),
                  ),
            ]),
          ),
        }
      : {}),
  });
  return [pruned(base), pruned(head)];
}

// A change inside a component is also reported at every operation that uses it; only whole components
// added or removed (`Schema<"Name">` appearing or going away) and security schemes stand on their own.
function reported({ path }) {
  return path[0] !== "components" || path.length === 3 || path[1] === "securitySchemes";
}

function toChange(diff, baseDoc, headDoc) {
  const { path, action, type } = diff;
  const operation = path[0] === "paths" && isMethod(path[2]) ? `${String(path[2]).toUpperCase()} ${path[1]}` : null;
  const facts = {
    ...locate(path, action === "add" ? headDoc : baseDoc),
    action,
    key: path.at(-1),
    parentKey: path.at(-2),
    before: diff.before,
    after: diff.after,
  };
  const rule = RULES.find((r) => r.when(facts));
  const breaking = rule ? rule.breaking : type === "breaking";
  return {
    operation,
    breaking,
    message: describe(facts, operation, path),
    pointer: `/${path.map(escapeKey).join("/")}`,
    action,
    classification: type,
    ...(rule ? { rule: rule.id } : {}),
  };
}

/**
 * Where in an operation a diff path points: request or response side, a readable location
 * ("request body", "response 200", "query parameter `per_page`") and the field inside the schema (`vpc.name`).
 */
function locate(path, doc) {
  const rest = path.slice(3);
  const schemaAt = rest.indexOf("schema");
  const inSchema = schemaAt >= 0 && schemaAt < rest.length - 1;
  const base = { side: null, where: "", field: inSchema ? fieldPath(rest.slice(schemaAt + 1)) : "", inSchema };
  if (path[0] !== "paths" || !isMethod(path[2])) return base;
  if (rest[0] === "requestBody") return { ...base, side: "request", where: "request body" };
  if (rest[0] === "responses") {
    const where = rest.length > 1 ? `response ${rest[1]}` : "responses";
    return {
      ...base,
      side: "response",
      where,
      ...(rest[2] === "headers" && rest.length > 3 ? { header: rest[3] } : {}),
    };
  }
  if (rest[0] === "parameters" && rest.length > 1) {
    const param = resolve(doc, doc.paths?.[path[1]]?.[path[2]]?.parameters?.[rest[1]]) ?? {};
    return { ...base, side: "request", where: `${param.in ?? "a"} parameter \`${param.name ?? rest[1]}\``, param };
  }
  return base;
}

/**
 * The field a schema change is in: `properties/vpc/properties/name/description` → `vpc.name`, `items` → `[]`.
 * The changed keyword itself (with its item or property name) is left out.
 */
function fieldPath(segments) {
  const pairs = new Set(["properties", "enum", "required", "allOf", "anyOf", "oneOf"]);
  const inside = segments.slice(0, pairs.has(String(segments.at(-2))) ? -2 : -1);
  let field = "";
  for (let i = 0; i < inside.length; i++) {
    const s = inside[i];
    if (s === "properties") field += `${field ? "." : ""}${inside[++i]}`;
    else if (s === "items") field += "[]";
    else if (s === "additionalProperties") field += "[key]";
    else if (["allOf", "anyOf", "oneOf"].includes(s)) i++;
  }
  return field;
}

const show = (v) => {
  const s = Array.isArray(v) && v.every((x) => typeof x !== "object") ? v.join(" | ") : JSON.stringify(v);
  return s && s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

/** One line saying what changed, without the operation (it has a field of its own). */
function describe(c, operation, path) {
  const { action, key, parentKey, where, field, before, after } = c;
  const at = (what) => (field ? `\`${field}\`${what ? ` ${what}` : ""}` : what || "the schema");
  const inWhere = where ? ` in the ${where}` : "";
  if (operation && path.length === 3) return `operation ${action === "add" ? "added" : "removed"}`;
  if (!operation && path[0] === "components" && path.length === 3)
    return `${path[1].replace(/s$/, "")} \`${path[2]}\` ${action === "add" ? "added" : "removed"}`;
  if (parentKey === "responses" && path.length === 5)
    return `response ${key} ${action === "add" ? "added" : action === "remove" ? "removed" : "changed"}`;
  if (parentKey === "parameters" && c.param) {
    if (action === "add") return `${where} added${c.param.required ? " (required)" : " (optional)"}`;
    if (action === "remove") return `${where} removed`;
  }
  if (c.header !== undefined && !c.inSchema) {
    const of = `header \`${c.header}\` of the ${where}`;
    if (path.length === 7) return `${of} ${action === "add" ? "added" : "removed"}`;
    if (key === "required") return `${of} made ${after ? "required" : "optional"}`;
  }
  if (key === "required" && c.param && where.includes("parameter"))
    return `${where} made ${after ? "required" : "optional"}`;
  if (parentKey === "required" && c.inSchema) {
    const name = action === "add" ? after : before;
    const full = field ? `${field}.${name}` : name;
    return `\`${full}\` ${action === "add" ? "made required" : "made optional"}${inWhere}`;
  }
  if (parentKey === "properties" && (action === "add" || action === "remove")) {
    const full = field ? `${field}.${key}` : key;
    return `field \`${full}\` ${action === "add" ? "added to" : "removed from"} the ${where || "schema"}`;
  }
  if (parentKey === "enum")
    return action === "add"
      ? `value ${show(after)} added to ${at("")}${inWhere}`
      : `value ${show(before)} removed from ${at("")}${inWhere}`;
  if (key === "type" && c.inSchema)
    return `type of ${field ? `\`${field}\`${inWhere}` : `the ${where}`} changed: ${[before].flat().join(" | ") || "none"} → ${[after].flat().join(" | ") || "none (see its branches)"}`;
  const what = operation ? (typeof key === "number" ? `${parentKey}[${key}]` : key) : path.join(".");
  const of = field ? ` of ${at("")}${inWhere}` : where ? ` of the ${where}` : "";
  if (["description", "summary"].includes(what))
    return `\`${what}\`${of} ${action === "add" ? "added" : action === "remove" ? "removed" : "changed"}`;
  if (action === "add") return `\`${what}\`${of} added: ${show(after)}`;
  if (action === "remove") return `\`${what}\`${of} removed (was ${show(before)})`;
  return `\`${what}\`${of} changed: ${show(before)} → ${show(after)}`;
}

/**
 * What the report means for the package version (semver; while the version is 0.x, a breaking change bumps
 * the minor version and anything else the patch version).
 * @param {{ breaking: number, changes: { classification?: string }[] }} report
 * @param {string} [version] the current version, e.g. "0.1.0"
 */
export function impliedBump(report, version) {
  const zero = version ? version.startsWith("0.") : undefined;
  if (report.breaking > 0) return zero === undefined ? "major (minor while 0.x)" : zero ? "minor" : "major";
  const features = report.changes.some((c) => c.classification === "non-breaking");
  if (features) return zero === undefined ? "minor (patch while 0.x)" : zero ? "patch" : "minor";
  return report.changes.length ? "patch" : "none";
}

/** The response a message names ("… of the response 404 …"). */
const RESPONSE = /\bthe response (\S+)/;

/** "200", "200 and 404", "200, 404 and default". */
const listed = (items) => (items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : items[0]);

/**
 * One operation's messages, those that differ only in the response they name made one line: a change to a
 * shared component (an error response, a header) reads "… of the responses 200, 404 and default …".
 * @param {string[]} messages
 */
function mergeResponses(messages) {
  /** @type {Map<string | symbol, string[]>} */
  const lines = new Map();
  for (const message of messages) {
    const status = RESPONSE.exec(message)?.[1];
    const key = status ? message.replace(RESPONSE, "the response \0") : Symbol(message);
    lines.set(key, [...(lines.get(key) ?? []), status ?? message]);
  }
  return [...lines].map(([key, items]) => {
    if (typeof key === "symbol") return items[0];
    return key.replace("the response \0", `the response${items.length > 1 ? "s" : ""} ${listed(items)}`);
  });
}

/**
 * The operations of `changes` with their lines: operations whose lines are the same share one entry, so a change
 * to what many operations use is listed once, under all of them. Changes of no operation stay apart.
 * @param {{ operation: string | null, message: string }[]} changes
 * @returns {{ operations: string[], lines: string[] }[]}
 */
function groupOperations(changes) {
  /** @type {Map<string | null, string[]>} */
  const byOperation = new Map();
  for (const c of changes) byOperation.set(c.operation, [...(byOperation.get(c.operation) ?? []), c.message]);
  /** @type {Map<string, { operations: string[], lines: string[] }>} */
  const groups = new Map();
  for (const [operation, messages] of byOperation) {
    const lines = mergeResponses(messages);
    const key = operation === null ? "\0document" : lines.join("\n");
    const group = groups.get(key);
    if (group) group.operations.push(operation ?? "Document");
    else groups.set(key, { operations: [operation ?? "Document"], lines });
  }
  return [...groups.values()];
}

/**
 * Renders a report for a terminal (`"text"`) or a pull-request comment / changelog (`"markdown"`),
 * breaking changes first, grouped by operation (operations with the same changes together).
 * @param {{ breaking: number, changes: { operation: string | null, breaking: boolean, message: string }[] }} report
 * @param {"text" | "markdown"} format
 * @param {{ version?: string }} [options] the current package version, to name the bump
 */
export function formatReport(report, format, { version } = {}) {
  const md = format === "markdown";
  const other = report.changes.length - report.breaking;
  const bump = impliedBump(report, version);
  const head = md
    ? [
        `### API changes: ${report.breaking} breaking, ${other} not breaking`,
        "",
        `Version bump this implies: **${bump}**.`,
      ]
    : [`API changes: ${report.breaking} breaking, ${other} not breaking. Version bump this implies: ${bump}.`];
  if (!report.changes.length)
    return `${head.join("\n")}\n${md ? "\nNo change to the API.\n" : "No change to the API.\n"}`;
  const lines = [...head];
  for (const [title, breaking] of [
    ["Breaking", true],
    ["Not breaking", false],
  ]) {
    const groups = groupOperations(report.changes.filter((c) => c.breaking === breaking));
    if (!groups.length) continue;
    lines.push(md ? `\n#### ${title}\n` : `\n${title}:`);
    for (const { operations, lines: messages } of groups) {
      const named = operations.map((o) => (o === "Document" || !md ? o : `\`${o}\``)).join(", ");
      lines.push(md ? `- **${named}**` : `  ${named}`);
      for (const message of messages) lines.push(md ? `  - ${message}` : `    - ${message}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
