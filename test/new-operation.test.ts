// `npm run new-operation`: what it derives from the command line and the spec, and, in a copy of the repository,
// that generation passes on the scaffolded operation while the guards name what is still missing.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { pathItem, plan } from "../scripts/new-operation.mjs";
import { ROOT } from "./helpers/spec.js";

/** The API reference the spec is written from, beside the repository where it is maintained. */
const SEEDS = join(ROOT, "../shared/seeds/README.md");

describe("plan", () => {
  it.each([
    ["POST", "/v2/droplets/{droplet_id}/actions", "droplets_create_action", "droplet:create", "Droplets"],
    ["GET", "/v2/vpcs/{vpc_id}/routes", "vpcs_list_routes", "vpc:read", "VPCs"],
    ["GET", "/v2/droplets/{droplet_id}/actions", "droplets_list_actions", "droplet:read", "Droplets"],
    ["DELETE", "/v2/projects/{project_id}/resources", "projects_delete_resource", "project:delete", "Projects"],
    [
      "GET",
      "/v2/reserved_ipv6/{reserved_ipv6}/actions",
      "reserved_ipv6_list_actions",
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

  it("gives a list page and per_page, and an answer of its items, links and meta", () => {
    const item = parse(pathItem(plan(["GET", "/v2/vpcs/{vpc_id}/routes"])));
    expect(item.get.parameters).toEqual([
      { $ref: "../../components/parameters/per_page.yaml" },
      { $ref: "../../components/parameters/page.yaml" },
    ]);
    const { schema } = item.get.responses["200"].content["application/json"];
    expect(Object.keys(schema.properties)).toEqual(["routes", "links", "meta"]);
    expect(schema.required).toEqual(["meta"]);
    expect(parse(pathItem(plan(["POST", "/v2/vpcs/{vpc_id}/routes"]))).post.parameters).toBeUndefined();
  });

  it("adds a method to a path that has its file, keeping what the file holds", () => {
    const op = plan(["DELETE", "/v2/vpcs/{vpc_id}/members"]);
    expect(op).toMatchObject({ adding: true, operationId: "vpcs_delete_member", scope: "vpc:delete" });
    const existing = readFileSync(op.file, "utf8");
    const item = parse(pathItem(op, existing));
    expect(item).toEqual({
      ...parse(existing),
      delete: expect.objectContaining({ operationId: "vpcs_delete_member" }),
    });
  });

  it.each([
    ["a method it does not know", ["FETCH", "/v2/droplets"], /usage: npm run new-operation/],
    ["a path outside /v2/", ["GET", "/droplets"], /usage/],
    ["a group spec/ does not have", ["GET", "/v2/volumes"], /no group spec\/paths\/volumes\//],
    ["a method its path has", ["PATCH", "/v2/vpcs/{vpc_id}"], /vpcs@\{vpc_id\}\.yaml has PATCH already/],
    ["a parameter with no shared component", ["GET", "/v2/droplets/{action_id}"], /parameters\/action_id\.yaml/],
  ])("refuses %s", (_what, args, message) => {
    expect(() => plan(args)).toThrow(message);
  });
});

/** A copy of the repository in a scratch directory, with the seeds beside it when they are beside this one. */
function copyOfRepository() {
  const scratch = mkdtempSync(join(tmpdir(), "do-new-operation-"));
  const repo = join(scratch, "repo");
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const run = (command: string, args: string[]) => {
    const r = spawnSync(command, args, { cwd: repo, encoding: "utf8" });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const copy = () => {
    for (const dir of ["spec", "scripts", "src", "test", "docs", "generated", "bench", "examples", ".github"])
      if (existsSync(join(ROOT, dir))) cpSync(join(ROOT, dir), join(repo, dir), { recursive: true });
    for (const file of ["package.json", "redocly.yaml", "tsconfig.json", "biome.json", ".gitignore", "CHANGELOG.md"])
      cpSync(join(ROOT, file), join(repo, file));
    // The packages, but a cache of its own: the docs build works in node_modules/.cache, and VitePress finds no
    // pages in a directory it reaches through a symlink.
    mkdirSync(join(repo, "node_modules"));
    for (const entry of readdirSync(join(ROOT, "node_modules")))
      if (entry !== ".cache") symlinkSync(join(ROOT, "node_modules", entry), join(repo, "node_modules", entry));
    if (existsSync(SEEDS)) cpSync(dirname(SEEDS), join(scratch, "shared/seeds"), { recursive: true });
  };
  return { scratch, repo, run, copy };
}

describe("in a copy of the repository", () => {
  const { repo, run, copy } = copyOfRepository();

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

describe("adding a made-up operation by spec/README.md's checklist, in a copy of the repository", () => {
  const { scratch, repo, run, copy } = copyOfRepository();
  const edit = (file: string, change: (text: string) => string) =>
    writeFileSync(join(repo, file), change(readFileSync(join(repo, file), "utf8")));
  /** The section of the checklist, and the tests it names as guarding operations. */
  const checklist = readFileSync(join(ROOT, "spec/README.md"), "utf8")
    .split("## Adding an operation")[1]!
    .split("\n## ")[0]!;
  const guards = [...checklist.matchAll(/^- `(test\/[\w-]+\.test\.ts)`/gm)].map((m) => m[1]!);

  it("names the tests that guard operations, each a test file", () => {
    expect(guards).toEqual(
      expect.arrayContaining(["test/spec.test.ts", "test/docs-samples.test.ts", "test/fake.test.ts"]),
    );
    expect(guards).not.toContain("test/new-operation.test.ts");
    for (const file of guards) expect(existsSync(join(ROOT, file)), file).toBe(true);
  });

  it("generates, type-checks and passes every test the checklist names", { timeout: 1_800_000 }, () => {
    copy();
    // The seeds list it first: the API has no such operation, so the copy's seeds are the real ones and it.
    if (existsSync(SEEDS))
      edit("../shared/seeds/README.md", (text) =>
        text.replace("\nGET /v2/vpcs\n", "\nGET /v2/vpcs\nGET /v2/vpcs/{vpc_id}/routes\n"),
      );
    // 1. The scaffold.
    const scaffold = run(process.execPath, ["scripts/new-operation.mjs", "GET", "/v2/vpcs/{vpc_id}/routes"]);
    expect(scaffold.status, scaffold.out).toBe(0);
    expect(scaffold.out).toContain("scaffolded as vpcs_list_routes");
    // 2. The spec file's TODOs, as the seeds would say them, and an example.
    edit("spec/paths/vpcs/vpcs@{vpc_id}@routes.yaml", (text) =>
      text
        .replace(/TODO (\w)/g, (_, first: string) => first.toUpperCase())
        .replace(
          "$ref: ../../components/schemas/Meta.yaml\n",
          "$ref: ../../components/schemas/Meta.yaml\n          example:\n            routes: []\n            links: {}\n            meta:\n              total: 0\n",
        ),
    );
    // 3. The sample.
    edit("docs/samples/vpcs_list_routes.ts", (text) =>
      text
        .replace(/\/\/ TODO\(new-operation\).*/, "// The routes of a VPC, a page at a time.")
        .replace("console.log(answer);", "console.log(answer.routes);"),
    );
    // 4. The fake's handler, and a test that drives it.
    edit("src/testing/vpcs.ts", (text) => {
      const handled = text.replace(
        'vpcs_list_routes: notImplemented("vpcs_list_routes"),',
        "vpcs_list_routes: (req, state) => {\n    state.vpcs.get(req.path.vpc_id);\n    return { status: 200, body: { routes: [], links: {}, meta: { total: 0 } } };\n  },",
      );
      return /notImplemented\(/.test(handled) ? handled : handled.replace(/,\s*notImplemented\b/, "");
    });
    edit("test/fake.test.ts", (text) =>
      text.replace(
        'describe("coverage guard"',
        `describe("VPC routes", () => {
  it("lists the routes of a VPC", async () => {
    const { vpc } = await expectAnswer("vpcs_create", 201, client.POST("/v2/vpcs", { body: { name: "routed", region: "nyc3" } }));
    const path = { vpc_id: vpc!.id! };
    const page = await expectAnswer("vpcs_list_routes", 200, client.GET("/v2/vpcs/{vpc_id}/routes", { params: { path } }));
    expect(page.routes).toEqual([]);
  });
});

describe("coverage guard"`,
      ),
    );
    // 5. Words for users.
    edit("CHANGELOG.md", (text) =>
      text.replace("## Unreleased\n", "## Unreleased\n\n- `GET /v2/vpcs/{vpc_id}/routes` lists a VPC's routes.\n"),
    );

    const generate = run(process.execPath, ["scripts/generate.mjs"]);
    expect(generate.status, generate.out).toBe(0);
    const typecheck = run(join(repo, "node_modules/.bin/tsc"), ["--noEmit", "-p", "."]);
    expect(typecheck.status, typecheck.out).toBe(0);
    const tests = run(join(repo, "node_modules/.bin/vitest"), ["run", ...guards]);
    expect(tests.status, tests.out.slice(-4000)).toBe(0);
    // Each named test ran; the seeds' coverage too, where the seeds are.
    for (const file of guards) expect(tests.out).toContain(file);
    if (existsSync(join(scratch, "shared"))) expect(tests.out).not.toContain("Skipped");
  });
});
