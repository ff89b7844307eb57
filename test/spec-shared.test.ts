// An operation's file holds only its own facts: shared facts are referenced (spec/README.md, "Components").
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./helpers/spec.js";

const METHODS = ["get", "put", "post", "delete", "patch"];
const files = readdirSync(join(ROOT, "spec/paths"), { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => [f, parse(readFileSync(join(ROOT, "spec/paths", f), "utf8"))] as const);

/** The path item's parameters and its operations' parameters. */
const parameters = (item: Record<string, any>) => [
  ...(item.parameters ?? []),
  ...METHODS.flatMap((m) => item[m]?.parameters ?? []),
];

describe("shared components", () => {
  it("reads every path item file", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s takes each path id from components/parameters", (file, item) => {
    const ids = [...file.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const inline = parameters(item).filter((p) => !p.$ref && p.in === "path");
    expect(inline).toEqual([]);
    const shared = parameters(item)
      .map((p) => p.$ref)
      .filter(Boolean);
    for (const id of ids) expect(shared).toContain(`../../components/parameters/${id}.yaml`);
  });

  it.each(files)("%s references the shared 401, 429 and 500 answers", (_file, item) => {
    for (const method of METHODS.filter((m) => item[m])) {
      const { responses } = item[method];
      expect(responses["401"], method).toEqual({ $ref: "../../components/responses/unauthorized.yaml" });
      expect(responses["429"], method).toEqual({ $ref: "../../components/responses/too_many_requests.yaml" });
      expect(responses["500"], method).toEqual({ $ref: "../../components/responses/server_error.yaml" });
    }
  });

  it.each(["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"])(
    "%s is required: the API sends it on every answer",
    (name) => {
      const header = parse(readFileSync(join(ROOT, "spec/components/headers", `${name}.yaml`), "utf8"));
      expect(header.required).toBe(true);
    },
  );
});
