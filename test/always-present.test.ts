// What the API always sends is typed as present. The fields an answer always holds are those every example of
// it in the spec (the seeds' examples) shows, unless the field is deprecated, its description or its object's says
// it may be absent, or a request body shares the object (there `required` means "must be sent"). A program that
// reads each of them, in every success body and every schema an answer holds, without `?.`, `!` or `in`,
// compiles; and no field is required that an example leaves out.
import { describe, expect, it } from "vitest";
import { resolve } from "../src/spec.js";
import { bundle, operations } from "./helpers/spec.js";
import { typecheck } from "./helpers/typecheck.js";

type Node = Record<string, any>;

/** The success bodies: operationId, status and JSON schema of every 2xx answer with a body. */
const bodies = operations.flatMap(({ operationId, op }) =>
  Object.entries(op.responses as Record<string, Node>).flatMap(([status, response]) => {
    const media = resolve(bundle, response).content?.["application/json"];
    return status.startsWith("2") && media
      ? [{ operationId, status, schema: media.schema, example: media.example }]
      : [];
  }),
);

/** The component schemas that answers hold, by name. */
function answerSchemas(): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    const ref = (node as Node).$ref as string | undefined;
    if (ref?.startsWith("#/components/schemas/")) {
      const name = ref.slice(ref.lastIndexOf("/") + 1);
      if (!names.has(name)) {
        names.add(name);
        visit(bundle.components.schemas[name]);
      }
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  for (const { schema } of bodies) visit(schema);
  return names;
}

type Described = { schema: Node; value: Node }[];

/** The objects an example holds where `schema` describes them, each with its (resolved) schema. */
function described(schema: Node, value: unknown, found: Described = []): Described {
  const resolved = resolve(bundle, schema) as Node;
  if (value === null || typeof value !== "object") return found;
  if (Array.isArray(value)) {
    for (const item of value) described(resolved.items ?? {}, item, found);
    return found;
  }
  const variants = (resolved.oneOf ?? resolved.anyOf) as Node[] | undefined;
  if (variants) {
    // The branch whose required fields the example has: the one it is an example of.
    const branch = variants
      .map((v) => resolve(bundle, v) as Node)
      .find((v) => v.properties && (v.required ?? []).every((f: string) => f in value));
    return branch ? described(branch, value, found) : found;
  }
  if (!resolved.properties) return found;
  found.push({ schema: resolved, value: value as Node });
  for (const [key, child] of Object.entries(value))
    if (resolved.properties?.[key]) described(resolved.properties[key], child, found);
  return found;
}

const examples = new Map<Node, Node[]>();
for (const { schema, example } of bodies)
  for (const found of described(schema, example))
    examples.set(found.schema, [...(examples.get(found.schema) ?? []), found.value]);

/** The schemas a request body uses, resolved. */
function requestSchemas(): Set<Node> {
  const found = new Set<Node>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    const resolved = resolve(bundle, node) as Node;
    if (resolved !== node) {
      if (found.has(resolved)) return;
      found.add(resolved);
    }
    for (const value of Object.values(resolved)) visit(value);
  };
  for (const { op } of operations) visit(op.requestBody);
  return found;
}
const sentInRequests = requestSchemas();

const ABSENT = /\babsent\b/i;

/** The fields of `schema` that every example of it shows and nothing says may be absent. */
function alwaysSent(schema: Node): string[] {
  const seen = examples.get(schema) ?? [];
  if (!seen.length || sentInRequests.has(schema) || ABSENT.test(schema.description ?? "")) return [];
  return Object.entries(schema.properties as Record<string, Node>)
    .filter(
      ([field, property]) =>
        !property.deprecated && !ABSENT.test(property.description ?? "") && seen.every((value) => field in value),
    )
    .map(([field]) => field);
}

/**
 * Statements that read each always-sent field of `expression` (typed by `schema`) into a `{} | null`, a type
 * `undefined` is not assignable to, going into inline objects and arrays; a `$ref` is read where it is declared.
 */
function reads(schema: Node, expression: string, depth = 0): string[] {
  if (schema.$ref || !schema.properties) return [];
  return alwaysSent(schema).flatMap((field) => {
    const property = schema.properties[field];
    const read = `${expression}.${field}`;
    const nested =
      property.type === "array" && property.items?.properties
        ? [`for (const item${depth} of ${read}) {`, ...reads(property.items, `item${depth}`, depth + 1), "}"]
        : reads(property, read, depth);
    return [`present(${read});`, ...nested];
  });
}

const program = [
  'import type { operations, Schema } from "digitalocean-typed";',
  'import type { Readable } from "openapi-typescript-helpers";',
  "declare function present(value: {} | null): void;",
  ...bodies.flatMap(({ operationId, status, schema }) => {
    const name = `${operationId}_${status}`;
    return [
      `declare const ${name}: Readable<operations["${operationId}"]["responses"][${status}]["content"]["application/json"]>;`,
      ...reads(schema, name),
    ];
  }),
  ...[...answerSchemas()].flatMap((name) => [
    `declare const ${name}: Schema<"${name}">;`,
    ...reads(bundle.components.schemas[name], name),
  ]),
].join("\n");

describe("fields the API always sends", () => {
  it("can each be read without ?., ! or in, in every success body and every schema of an answer", {
    timeout: 120_000,
  }, () => {
    expect(program.split("\n").filter((line) => line.startsWith("present(")).length).toBeGreaterThan(bodies.length);
    expect(program).not.toMatch(/\?\.|!\.|!\)| in /);
    expect(typecheck("always-present", [program])).toBe("");
  });

  it("are each in every example of an answer", () => {
    expect(bodies.filter((b) => b.example === undefined).map((b) => b.operationId)).toEqual([]);
    const missing = [...examples].flatMap(([schema, values]) =>
      ((schema.required ?? []) as string[])
        .filter((field) => values.some((value) => !(field in value)))
        .map((field) => `${schema.description ?? "an object"}: ${field}`),
    );
    expect(missing).toEqual([]);
  });
});
