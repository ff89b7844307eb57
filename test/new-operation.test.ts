// `npm run new-operation`: what it derives from the command line and the spec, and, in a copy of the repository,
// that generation passes on the scaffolded operation while the guards name what is still missing.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { plan } from "../scripts/new-operation.mjs";
import { ROOT } from "./helpers/spec.js";

describe("plan", () => {
  it.each([
    ["POST", "/v2/droplets/{droplet_id}/actions", "droplets_create_action", "droplet:create", "Droplets"],
    ["GET", "/v2/vpcs/{vpc_id}/routes", "vpcs_list_route", "vpc:read", "VPCs"],
    ["DELETE", "/v2/projects/{project_id}/resources", "projects_delete_resource", "project:delete", "Projects"],
    [
      "GET",
      "/v2/reserved_ipv6/{reserved_ipv6}/actions",
      "reserved_ipv6_list_action",
      "reserved_ip:read",
      "Reserved IPv6",
    ],
  ])("%s %s is %s, with the group's scope resource and tag", (method, path, operationId, scope, tag) => {
    expect(plan([method, path])).toMatchObject({ operationId, scope, tag });
  });

  it("takes the path parameters' examples from their shared components, and an explicit --id", () => {
    const op = plan([
      "PATCH",
      "/v2/vpcs/{vpc_id}/peerings/{vpc_peering_id}/routes",
      "--id",
      "vpcs_patch_peering_routes",
    ]);
    expect(op.params).toEqual(["vpc_id", "vpc_peering_id"]);
    expect(op.examples.vpc_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(op.operationId).toBe("vpcs_patch_peering_routes");
  });

  it.each([
    ["a method it does not know", ["FETCH", "/v2/droplets"], /usage: npm run new-operation/],
    ["a path outside /v2/", ["GET", "/droplets"], /usage/],
    ["a group spec/ does not have", ["GET", "/v2/volumes"], /no group spec\/paths\/volumes\//],
    ["a path that has its file", ["PUT", "/v2/vpcs/{vpc_id}"], /vpcs@\{vpc_id\}\.yaml exists/],
    ["a parameter with no shared component", ["GET", "/v2/droplets/{action_id}"], /parameters\/action_id\.yaml/],
  ])("refuses %s", (_what, args, message) => {
    expect(() => plan(args)).toThrow(message);
  });
});

describe("in a copy of the repository", () => {
  const scratch = mkdtempSync(join(tmpdir(), "do-new-operation-"));
  const repo = join(scratch, "repo");
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const run = (command: string, args: string[]) => {
    const r = spawnSync(command, args, { cwd: repo, encoding: "utf8" });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const copy = () => {
    for (const dir of ["spec", "scripts", "src", "test", "docs", "generated", "bench", "examples"])
      if (existsSync(join(ROOT, dir))) cpSync(join(ROOT, dir), join(repo, dir), { recursive: true });
    for (const file of ["package.json", "redocly.yaml", "tsconfig.json", "biome.json", ".gitignore"])
      cpSync(join(ROOT, file), join(repo, file));
    symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"));
    symlinkSync(join(ROOT, "../shared"), join(scratch, "shared"));
  };

  it("scaffolds the files, generation passes on them, the sample compiles and the guards name it", {
    timeout: 600_000,
  }, () => {
    copy();
    const scaffold = run(process.execPath, ["scripts/new-operation.mjs", "POST", "/v2/droplets/{droplet_id}/actions"]);
    expect(scaffold.status, scaffold.out).toBe(0);
    const item = parse(readFileSync(join(repo, "spec/paths/droplets/droplets@{droplet_id}@actions.yaml"), "utf8"));
    expect(item.parameters).toEqual([{ $ref: "../../components/parameters/droplet_id.yaml" }]);
    expect(item.post.responses["401"]).toEqual({ $ref: "../../components/responses/unauthorized.yaml" });

    const generate = run(process.execPath, ["scripts/generate.mjs"]);
    expect(generate.status, generate.out).toBe(0);
    expect(generate.out).toContain("POST /v2/droplets/{droplet_id}/actions");
    const typecheck = run(join(repo, "node_modules/.bin/tsc"), ["--noEmit", "-p", "."]);
    expect(typecheck.status, typecheck.out).toBe(0);

    // What the guards in test/fake.test.ts, test/contract.test.ts and test/docs-samples.test.ts compare.
    writeFileSync(
      join(repo, "guards.ts"),
      `import { FAKE_OPERATIONS, startFakeDigitalOcean } from "./src/testing/index.js";
import { exampleRequest } from "./test/helpers/contract.js";
import { operations } from "./test/helpers/spec.js";
const op = operations.find((o) => o.operationId === "droplets_create_action")!;
const fake = await startFakeDigitalOcean();
const answer = await fetch(fake.url + "/v2/droplets/3164444/actions", {
  method: "POST",
  headers: { authorization: "Bearer " + fake.token, "content-type": "application/json" },
  body: "{}",
});
const unimplemented = operations.map((o) => o.operationId).filter((id) => !FAKE_OPERATIONS.includes(id));
console.log(JSON.stringify({ unimplemented, status: answer.status, body: await answer.json(), request: exampleRequest(op) }));
await fake.close();
`,
    );
    const guards = run(join(repo, "node_modules/.bin/tsx"), ["guards.ts"]);
    expect(guards.status, guards.out).toBe(0);
    const seen = JSON.parse(guards.out.trim().split("\n").at(-1)!);
    expect(seen.unimplemented).toEqual(["droplets_create_action"]);
    expect(seen.status).toBe(500);
    expect(seen.body.message).toBe("droplets_create_action is not implemented by the fake yet (src/testing/).");
    expect(seen.request).toBe("the required request body has no example");
    expect(existsSync(join(repo, "docs/samples/droplets_create_action.ts"))).toBe(true);
  });
});
