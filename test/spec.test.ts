// The bundled spec covers every operation of the seeds, and every example in it is valid.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { bundle, operations, ROOT } from "./helpers/spec.js";

const seedOperations = readFileSync(`${ROOT}/../shared/seeds/README.md`, "utf8")
  .split("\n")
  .filter((line) => /^(GET|POST|PUT|PATCH|DELETE) \/v2\//.test(line))
  .map((line) => line.trim());

describe("coverage", () => {
  it("has exactly the 51 operations the seeds document", () => {
    expect(seedOperations).toHaveLength(51);
    const ours = operations.map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(ours.sort()).toEqual([...seedOperations].sort());
  });

  it("gives every operation a unique operationId, one tag, scopes and bearer security", () => {
    const ids = operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { op, operationId } of operations) {
      expect(op.tags, operationId).toHaveLength(1);
      expect(op["x-required-scopes"].length, operationId).toBeGreaterThan(0);
      expect(op.security, operationId).toEqual([{ bearer_auth: [] }]);
      expect(Object.keys(op.responses), operationId).toEqual(expect.arrayContaining(["401", "429", "500"]));
    }
  });
});

describe("examples", () => {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...bundle, $id: "spec" });
  const resolve = (node: any): any =>
    node?.$ref
      ? resolve(
          node.$ref
            .slice(2)
            .split("/")
            .reduce((n: any, k: string) => n[k.replace(/~1/g, "/").replace(/~0/g, "~")], bundle),
        )
      : node;
  // Inline schemas point into the bundle's components: make their local refs point at the registered bundle.
  const schemaRef = (schema: any) => JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"spec#/'));

  // Every media-type example (request bodies, responses) and parameter example, with the schema it must satisfy.
  const cases: [string, any, unknown][] = [];
  for (const { operationId, op } of operations) {
    for (const p of op.parameters ?? []) {
      const param = resolve(p);
      if (param.example !== undefined)
        cases.push([`${operationId} parameter ${param.name}`, param.schema, param.example]);
    }
    const body = resolve(op.requestBody)?.content?.["application/json"];
    if (body?.example !== undefined) cases.push([`${operationId} request body`, body.schema, body.example]);
    for (const [status, r] of Object.entries(op.responses)) {
      const media = resolve(r)?.content?.["application/json"];
      if (media?.example !== undefined) cases.push([`${operationId} ${status} response`, media.schema, media.example]);
    }
  }

  it("includes a success example for most operations", () => {
    expect(cases.filter(([name]) => / 20\d response$/.test(name)).length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)("%s validates against its schema", (_name, schema, example) => {
    const validate = ajv.compile(schemaRef(schema));
    const valid = validate(example);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it("rejects an example that breaks its schema (the check can fail)", () => {
    const [, schema, example] = cases.find(([name]) => name === "droplets_get 200 response")!;
    const broken = structuredClone(example) as { droplet: { id: unknown } };
    broken.droplet.id = "not-a-number";
    expect(ajv.compile(schemaRef(schema))(broken)).toBe(false);
  });
});
