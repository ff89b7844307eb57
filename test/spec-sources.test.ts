// Facts from outside the docs are cited one way (spec/README.md, "Facts that do not come from the docs").
import { describe, expect, it } from "vitest";
import { bundle } from "./helpers/spec.js";

/** Every `x-source` in the bundle, with where it is. */
function sources(node: unknown, at = "#"): [string, unknown][] {
  if (!node || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === "x-source" ? [[at, value] as [string, unknown]] : sources(value, `${at}/${key}`),
  );
}

describe("x-source", () => {
  const found = sources(bundle);

  it("is used (the check can see them)", () => {
    expect(found.length).toBeGreaterThan(0);
  });

  it.each(found)("%s cites an issue and what showed the fact", (_at, value) => {
    expect(value).toMatch(/^issue \d+: \S.{10,}$/);
  });
});
