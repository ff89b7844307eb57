// Loads the bundled spec once for tests.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  op: Record<string, any>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const bundle: Record<string, any> = parse(readFileSync(`${ROOT}/generated/openapi.yaml`, "utf8"));

/** Every operation of the bundled spec. */
export const operations: Operation[] = Object.entries(bundle.paths as Record<string, Record<string, any>>).flatMap(
  ([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({
      method,
      path,
      operationId: item[method].operationId,
      op: item[method],
    })),
);
