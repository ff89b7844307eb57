// The bundled spec, loaded once for tests, and its operations as the spec module reads them.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { operationsOf } from "../../src/spec.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const bundle: Record<string, any> = JSON.parse(readFileSync(`${ROOT}/generated/openapi.json`, "utf8"));

/** Every operation of the bundled spec; `method` lower case and `op` the operation object, as tests use them. */
export const operations = operationsOf(bundle).map((operation) => ({
  ...operation,
  method: operation.method.toLowerCase(),
  op: operation.operation,
}));

export type Operation = (typeof operations)[number];
