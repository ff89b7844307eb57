// The bundled spec covers every operation of the seeds, and every example in it is valid.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkBody, checkParameters } from "../src/conformance/check.js";
import { bodyProblems } from "./helpers/contract.js";
import { operations, ROOT } from "./helpers/spec.js";

/** The API reference the spec is written from: beside the repository while it is maintained, not in a clone of it. */
const SEEDS = join(ROOT, "../shared/seeds/README.md");

describe("coverage", () => {
  it("has exactly the operations the seeds document", (context) => {
    if (!existsSync(SEEDS)) {
      const why = `no ${SEEDS}: the seeds sit beside the repository where it is maintained, not in a clone`;
      console.warn(`Skipped "has exactly the operations the seeds document": ${why}.`);
      context.skip(why);
    }
    const seedOperations = readFileSync(SEEDS, "utf8")
      .split("\n")
      .filter((line) => /^(GET|POST|PUT|PATCH|DELETE) \/v2\//.test(line))
      .map((line) => line.trim());
    expect(seedOperations.length).toBeGreaterThan(0);
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
  // Every media-type example (request bodies, responses) and parameter example, checked by the validators
  // generated from the spec: [name, problems of the example].
  const cases: [string, () => unknown[]][] = [];
  for (const operation of operations) {
    const { key, operationId } = operation;
    for (const param of operation.parameters) {
      if (param.example === undefined) continue;
      const params = { [param.in]: { [param.name]: param.example } };
      // Only this parameter's problems: the others are missing from `params`.
      const own = (p: { pointer: string }) => p.pointer.startsWith(`/${param.in}/${param.name.toLowerCase()}`);
      cases.push([`${operationId} parameter ${param.name}`, () => checkParameters(key, params).problems.filter(own)]);
    }
    const body = operation.requestBody?.content?.["application/json"];
    if (body?.example !== undefined) cases.push([`${operationId} request body`, () => checkBody(key, body.example)]);
    for (const [status, response] of Object.entries(operation.responses)) {
      const example = response.content?.["application/json"]?.example;
      const code = status === "default" ? 599 : Number(status);
      if (example !== undefined)
        cases.push([`${operationId} ${status} response`, () => bodyProblems(operation, code, example)]);
    }
  }

  it("includes a success example for most operations", () => {
    expect(cases.filter(([name]) => / 20\d response$/.test(name)).length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)("%s validates against its schema", (_name, problems) => {
    expect(problems()).toEqual([]);
  });

  it("rejects an example that breaks its schema (the check can fail)", () => {
    const operation = operations.find((o) => o.operationId === "droplets_get")!;
    const broken = structuredClone(operation.responses["200"].content["application/json"].example);
    broken.droplet.id = "not-a-number";
    expect(bodyProblems(operation, 200, broken)).toEqual([expect.stringMatching(/^type at \/droplet\/id: /)]);
  });
});
