// The change report: a table of spec edits with the verdict each must get, then `npm run diff` end to end.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { diffSpecs, formatReport, impliedBump } from "../scripts/lib/diff.mjs";
import { bundle, ROOT } from "./helpers/spec.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

/** A spec small enough to read at a glance, for edits the real one has no place for. */
const minimal: Doc = {
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  paths: {
    "/v2/things": {
      get: {
        operationId: "things_list",
        parameters: [{ name: "limit", in: "query", schema: { type: "integer", maximum: 100 } }],
        responses: {
          "200": {
            description: "ok",
            headers: { "ratelimit-remaining": { description: "left", schema: { type: "integer" } } },
            content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
          },
        },
      },
    },
  },
  components: {
    schemas: { Thing: { type: "object", properties: { name: { type: "string" } } }, Unused: { type: "string" } },
  },
};

const VPC_OPS = [
  "GET /v2/vpcs",
  "POST /v2/vpcs",
  "GET /v2/vpcs/{vpc_id}",
  "PUT /v2/vpcs/{vpc_id}",
  "PATCH /v2/vpcs/{vpc_id}",
];
const PEERING_OPS = [
  "GET /v2/vpcs/{vpc_id}/peerings",
  "POST /v2/vpcs/{vpc_id}/peerings",
  "PATCH /v2/vpcs/{vpc_id}/peerings/{vpc_peering_id}",
];
const S = (d: Doc) => d.components.schemas;
const json = (d: Doc, path: string, method: string) => d.paths[path][method];

// [edit, spec, mutation, breaking?, operations the changes are attributed to]
const edits: [string, "real" | "minimal", (d: Doc) => void, boolean, (string | null)[]][] = [
  // Breaking
  ["an operation removed", "real", (d) => delete d.paths["/v2/vpcs"].post, true, ["POST /v2/vpcs"]],
  [
    "a required query parameter added",
    "real",
    (d) =>
      json(d, "/v2/vpcs", "get").parameters.push({
        name: "tag",
        in: "query",
        required: true,
        description: "t",
        schema: { type: "string" },
      }),
    true,
    ["GET /v2/vpcs"],
  ],
  [
    "a query parameter made required",
    "minimal",
    (d) => (json(d, "/v2/things", "get").parameters[0].required = true),
    true,
    ["GET /v2/things"],
  ],
  [
    "a request field added as required",
    "real",
    (d) => {
      S(d).VpcCreate.properties.tags = { type: "string", description: "t" };
      S(d).VpcCreate.required = [...(S(d).VpcCreate.required ?? []), "tags"];
    },
    true,
    ["POST /v2/vpcs"],
  ],
  [
    "a request field made required",
    "real",
    (d) => (S(d).VpcCreate.required = [...(S(d).VpcCreate.required ?? []), "description"]),
    true,
    ["POST /v2/vpcs"],
  ],
  [
    "a request enum value removed",
    "real",
    (d) => S(d).PartnerAttachmentCreate.properties.region.enum.pop(),
    true,
    ["POST /v2/partner_network_connect/attachments"],
  ],
  [
    "a request maxLength lowered",
    "real",
    (d) => (S(d).VpcCreate.properties.description.maxLength = 100),
    true,
    ["POST /v2/vpcs"],
  ],
  [
    "a query parameter maximum lowered",
    "minimal",
    (d) => (json(d, "/v2/things", "get").parameters[0].schema.maximum = 50),
    true,
    ["GET /v2/things"],
  ],
  [
    "a request pattern added",
    "real",
    (d) => (S(d).VpcCreate.properties.region.pattern = "^[a-z0-9]+$"),
    true,
    ["POST /v2/vpcs"],
  ],
  [
    "a request field's type changed",
    "real",
    (d) => (S(d).VpcCreate.properties.region.type = "integer"),
    true,
    ["POST /v2/vpcs"],
  ],
  ["a request field removed", "real", (d) => delete S(d).VpcCreate.properties.ip_range, true, ["POST /v2/vpcs"]],
  [
    "a response field's type changed",
    "real",
    (d) => (S(d).VpcPeering.properties.name.type = "integer"),
    true,
    PEERING_OPS,
  ],
  ["a response field removed", "real", (d) => delete S(d).Vpc.properties.name, true, VPC_OPS],
  [
    "a response field made optional",
    "real",
    (d) => (json(d, "/v2/vpcs", "get").responses["200"].content["application/json"].schema.required = []),
    true,
    ["GET /v2/vpcs"],
  ],
  [
    "a response field made nullable",
    "real",
    (d) => (S(d).VpcPeering.properties.name.type = ["string", "null"]),
    true,
    PEERING_OPS,
  ],
  [
    "a value added to a response enum",
    "real",
    (d) => S(d).VpcPeering.properties.status.enum.push("FAILED"),
    true,
    PEERING_OPS,
  ],
  [
    "a value removed from a response enum",
    "real",
    (d) => S(d).VpcPeering.properties.status.enum.pop(),
    true,
    PEERING_OPS,
  ],
  ["a whole component schema removed", "minimal", (d) => delete S(d).Unused, true, [null]],
  // Not breaking
  [
    "a new operation",
    "real",
    (d) => (d.paths["/v2/vpcs/{vpc_id}/tags"] = { get: structuredClone(json(d, "/v2/vpcs/{vpc_id}", "get")) }),
    false,
    ["GET /v2/vpcs/{vpc_id}/tags"],
  ],
  [
    "a new optional query parameter",
    "real",
    (d) =>
      json(d, "/v2/vpcs", "get").parameters.push({
        name: "tag",
        in: "query",
        description: "t",
        schema: { type: "string" },
      }),
    false,
    ["GET /v2/vpcs"],
  ],
  [
    "a new optional request field",
    "real",
    (d) => (S(d).VpcCreate.properties.tags = { type: "string", description: "t" }),
    false,
    ["POST /v2/vpcs"],
  ],
  [
    "a request field made optional",
    "real",
    (d) =>
      (S(d).PartnerAttachmentCreate.required = S(d).PartnerAttachmentCreate.required.filter(
        (f: string) => f !== "region",
      )),
    false,
    ["POST /v2/partner_network_connect/attachments"],
  ],
  [
    "a request maxLength raised",
    "real",
    (d) => (S(d).VpcCreate.properties.description.maxLength = 500),
    false,
    ["POST /v2/vpcs"],
  ],
  [
    "a query parameter maximum raised",
    "minimal",
    (d) => (json(d, "/v2/things", "get").parameters[0].schema.maximum = 500),
    false,
    ["GET /v2/things"],
  ],
  ["a request pattern removed", "real", (d) => delete S(d).VpcCreate.properties.name.pattern, false, ["POST /v2/vpcs"]],
  [
    "a value added to a request enum",
    "real",
    (d) => S(d).PartnerAttachmentCreate.properties.region.enum.push("lon"),
    false,
    ["POST /v2/partner_network_connect/attachments"],
  ],
  [
    "a request field's type widened to nullable",
    "real",
    (d) => (S(d).VpcCreate.properties.region.type = ["string", "null"]),
    false,
    ["POST /v2/vpcs"],
  ],
  [
    "a new response field",
    "real",
    (d) => (S(d).Vpc.properties.tags = { type: "string", description: "t" }),
    false,
    VPC_OPS,
  ],
  ["a response field made required", "minimal", (d) => (S(d).Thing.required = ["name"]), false, ["GET /v2/things"]],
  [
    "a response header made required",
    "minimal",
    (d) => (json(d, "/v2/things", "get").responses["200"].headers["ratelimit-remaining"].required = true),
    false,
    ["GET /v2/things"],
  ],
  [
    "a response constraint changed",
    "real",
    (d) => (S(d).VpcPeering.properties.vpc_ids.maxItems = 3),
    false,
    PEERING_OPS,
  ],
  [
    "a new error response",
    "real",
    (d) =>
      (json(d, "/v2/vpcs/{vpc_id}", "delete").responses["403"] = json(d, "/v2/vpcs/{vpc_id}", "delete").responses[
        "401"
      ]),
    false,
    ["DELETE /v2/vpcs/{vpc_id}"],
  ],
  [
    "a field description changed",
    "real",
    (d) => (S(d).VpcCreate.properties.name.description = "The VPC's name."),
    false,
    ["POST /v2/vpcs"],
  ],
  [
    "an operation summary changed",
    "real",
    (d) => (json(d, "/v2/vpcs", "get").summary = "List VPCs"),
    false,
    ["GET /v2/vpcs"],
  ],
  [
    "a request example changed",
    "real",
    (d) => (json(d, "/v2/vpcs", "post").requestBody.content["application/json"].example.name = "other"),
    false,
    ["POST /v2/vpcs"],
  ],
  [
    "a schema example changed",
    "real",
    (d) => (S(d).VpcCreate.properties.region.example = "ams3"),
    false,
    ["POST /v2/vpcs"],
  ],
  ["the document's version changed", "real", (d) => (d.info.version = "2.1.0"), false, [null]],
  [
    // Both answers of a Droplet create hold a Droplet: enough changes in it once paired each with the other.
    "descriptions changed inside both branches of a oneOf",
    "real",
    (d) => {
      for (const field of Object.values<Doc>(S(d).Image.properties)) field.description = "Changed.";
    },
    false,
    [
      "GET /v2/droplets",
      "POST /v2/droplets",
      "GET /v2/droplets/{droplet_id}",
      "GET /v2/droplets/{droplet_id}/neighbors",
      "GET /v2/reserved_ipv6",
      "POST /v2/reserved_ipv6",
      "GET /v2/reserved_ipv6/{reserved_ipv6}",
    ],
  ],
];

describe("diffSpecs: the verdict for each spec edit", () => {
  // Each edit diffs the whole bundled spec once (prune: false): about a second on an idle machine, several under load.
  it.each(edits)("%s", { timeout: 60_000 }, async (_edit, spec, mutate, breaking, operations) => {
    const base = spec === "real" ? bundle : minimal;
    const head = structuredClone(base);
    mutate(head);
    const report = await diffSpecs(base, head);

    expect(report.changes.length).toBeGreaterThan(0);
    expect(report.changes.map((c) => [c.breaking, c.message])).toEqual(
      report.changes.map((c) => [breaking, c.message]),
    );
    expect(report.breaking).toBe(breaking ? report.changes.length : 0);
    expect([...new Set(report.changes.map((c) => c.operation))].sort()).toEqual([...operations].sort());
    // Leaving out what cannot differ (the default) changes nothing in the report.
    expect(report).toEqual(await diffSpecs(base, head, { prune: false }));
  });

  it("has at least 20 edits, on both sides of the line", () => {
    expect(edits.length).toBeGreaterThanOrEqual(20);
    expect(edits.filter((e) => e[3]).length).toBeGreaterThanOrEqual(10);
    expect(edits.filter((e) => !e[3]).length).toBeGreaterThanOrEqual(10);
  });

  it("reports nothing for identical documents", async () => {
    expect(await diffSpecs(bundle, structuredClone(bundle))).toEqual({ breaking: 0, changes: [] });
  });

  it("says what changed where, and which of our own rules decided", async () => {
    const head = structuredClone(bundle);
    S(head).VpcCreate.required = [...(S(head).VpcCreate.required ?? []), "description"];
    delete S(head).ReservedIpv6.properties.droplet;
    S(head).VpcCreate.properties.region.description = "Where the VPC lives.";
    const { changes } = await diffSpecs(bundle, head);
    expect(changes).toContainEqual(
      expect.objectContaining({
        operation: "POST /v2/vpcs",
        breaking: false,
        message: "`description` of `region` in the request body changed",
      }),
    );
    expect(changes).toContainEqual(
      expect.objectContaining({
        operation: "POST /v2/vpcs",
        breaking: true,
        message: "`description` made required in the request body",
        pointer: expect.stringMatching(
          /^\/paths\/~1v2~1vpcs\/post\/requestBody\/content\/application~1json\/schema\/required\/\d+$/,
        ),
      }),
    );
    expect(changes).toContainEqual(
      expect.objectContaining({
        operation: "GET /v2/reserved_ipv6/{reserved_ipv6}",
        breaking: true,
        message: "field `reserved_ipv6.droplet` removed from the response 200",
        classification: "non-breaking",
        rule: "response-field-removed",
      }),
    );
  });

  it("classes a response field made required as not breaking, by a rule of its own", async () => {
    const head = structuredClone(minimal);
    S(head).Thing.required = ["name"];
    expect((await diffSpecs(minimal, head)).changes).toEqual([
      expect.objectContaining({
        operation: "GET /v2/things",
        breaking: false,
        rule: "response-field-made-required",
      }),
    ]);
  });

  it("names the header a response now promises", async () => {
    const head = structuredClone(minimal);
    json(head, "/v2/things", "get").responses["200"].headers["ratelimit-remaining"].required = true;
    expect((await diffSpecs(minimal, head)).changes).toEqual([
      expect.objectContaining({
        operation: "GET /v2/things",
        breaking: false,
        message: "header `ratelimit-remaining` of the response 200 made required",
        rule: "response-header-made-required",
      }),
    ]);
  });
});

describe("formatReport", () => {
  const report = {
    breaking: 1,
    changes: [
      {
        operation: "POST /v2/vpcs",
        breaking: true,
        message: "`name` made required in the request body",
        pointer: "/x",
        action: "add" as const,
        classification: "breaking" as const,
      },
      {
        operation: null,
        breaking: false,
        message: "`info.version` changed",
        pointer: "/y",
        action: "replace" as const,
        classification: "annotation" as const,
      },
    ],
  };

  it("groups breaking changes first, by operation, and names the bump", () => {
    const text = formatReport(report, "text", { version: "0.1.0" });
    expect(text).toMatch(/1 breaking, 1 not breaking.*bump.*minor/);
    expect(text.indexOf("Breaking:")).toBeLessThan(text.indexOf("Not breaking:"));
    expect(text).toContain("  POST /v2/vpcs\n    - `name` made required in the request body");
    expect(text).toContain("  Document\n    - `info.version` changed");
  });

  it("renders markdown for a pull-request comment", () => {
    const md = formatReport(report, "markdown", { version: "1.4.0" });
    expect(md).toMatch(/^### API changes: 1 breaking, 1 not breaking/);
    expect(md).toContain("Version bump this implies: **major**");
    expect(md).toContain("#### Breaking\n\n- **`POST /v2/vpcs`**\n  - `name` made required in the request body");
    expect(md).toContain("#### Not breaking\n\n- **Document**\n  - `info.version` changed");
  });

  /** A not-breaking change of `operation`, saying `message`. */
  const change = (operation: string | null, message: string) => ({
    operation,
    breaking: false,
    message,
    pointer: "/z",
    action: "replace" as const,
    classification: "non-breaking" as const,
  });

  it("says once what differs only in the response it is in, naming each response", () => {
    const header = (status: string) =>
      change("GET /v2/vpcs", `header \`ratelimit-reset\` of the response ${status} made required`);
    const md = formatReport(
      {
        breaking: 0,
        changes: [header("200"), header("404"), change("GET /v2/vpcs", "`description` changed"), header("default")],
      },
      "markdown",
    );
    expect(md).toContain(
      "- **`GET /v2/vpcs`**\n  - header `ratelimit-reset` of the responses 200, 404 and default made required\n" +
        "  - `description` changed\n",
    );
    const one = formatReport({ breaking: 0, changes: [header("200")] }, "text");
    expect(one).toContain("    - header `ratelimit-reset` of the response 200 made required\n");
  });

  it("lists operations with the same changes together, and keeps the rest and the document apart", () => {
    const added = "field `vpc.tags` added to the response 200";
    const text = formatReport(
      {
        breaking: 0,
        changes: [
          change("GET /v2/vpcs/{vpc_id}", added),
          change("POST /v2/vpcs", "field `vpc.tags` added to the response 201"),
          change("PATCH /v2/vpcs/{vpc_id}", added),
          change(null, added),
        ],
      },
      "text",
    );
    expect(text).toContain(`  GET /v2/vpcs/{vpc_id}, PATCH /v2/vpcs/{vpc_id}\n    - ${added}\n`);
    expect(text).toContain("  POST /v2/vpcs\n    - field `vpc.tags` added to the response 201\n");
    expect(text).toContain(`  Document\n    - ${added}\n`);
    expect(text.match(/vpc\.tags/g)).toHaveLength(3);
  });

  it("implies minor for breaking changes at 0.x, and less without them", () => {
    expect(impliedBump(report, "0.1.0")).toBe("minor");
    expect(impliedBump(report, "1.0.0")).toBe("major");
    const additions = { breaking: 0, changes: [{ classification: "non-breaking" as const }] };
    expect(impliedBump(additions, "0.2.0")).toBe("patch");
    expect(impliedBump(additions, "1.0.0")).toBe("minor");
    expect(impliedBump({ breaking: 0, changes: [] }, "1.0.0")).toBe("none");
  });
});

describe("npm run diff", () => {
  let repo: string;
  const scratch = mkdtempSync(join(tmpdir(), "do-diff-test-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts/diff.mjs"), ...args], {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, INIT_CWD: repo },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const git = (...args: string[]) => {
    const r = spawnSync(
      "git",
      ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args],
      { cwd: repo, encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
  };
  const vpcCreate = () => join(repo, "spec/components/schemas/vpcs/VpcCreate.yaml");
  const editYaml = (file: string, edit: (d: Doc) => void) => {
    const doc = parse(readFileSync(file, "utf8"));
    edit(doc);
    writeFileSync(file, stringify(doc));
  };

  // A repository of its own: one commit with today's spec, one that makes a request field required.
  beforeAll(() => {
    repo = join(scratch, "repo");
    mkdirSync(repo);
    cpSync(join(ROOT, "spec"), join(repo, "spec"), { recursive: true });
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    editYaml(vpcCreate(), (d) => (d.required = [...(d.required ?? []), "description"]));
    git("commit", "-q", "-am", "description required");
  });

  it("--json prints exactly one JSON object for two git refs", { timeout: 60_000 }, () => {
    const { status, stdout } = run("HEAD~1", "HEAD", "--json");
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(["breaking", "changes"]);
    expect(report.breaking).toBe(1);
    expect(report.changes).toEqual([
      expect.objectContaining({
        operation: "POST /v2/vpcs",
        breaking: true,
        message: "`description` made required in the request body",
      }),
    ]);
  });

  it("compares with the working tree's spec/ when no head is given", { timeout: 60_000 }, () => {
    editYaml(vpcCreate(), (d) => (d.properties.tags = { type: "string", description: "t" }));
    try {
      const { status, stdout } = run("HEAD", "--json");
      expect(status).toBe(0);
      expect(JSON.parse(stdout)).toEqual({
        breaking: 0,
        changes: [
          expect.objectContaining({ operation: "POST /v2/vpcs", message: "field `tags` added to the request body" }),
        ],
      });
    } finally {
      git("checkout", "--", "spec");
    }
  });

  it("--markdown prints the report for a pull-request comment; text is the default", { timeout: 60_000 }, () => {
    const md = run("HEAD~1", "HEAD", "--markdown");
    expect(md.status).toBe(0);
    expect(md.stdout).toContain("### API changes: 1 breaking, 0 not breaking");
    expect(md.stdout).toContain("- **`POST /v2/vpcs`**\n  - `description` made required in the request body");
    const text = run("HEAD~1", "HEAD");
    expect(text.stdout).toContain("Breaking:\n  POST /v2/vpcs\n    - `description` made required in the request body");
  });

  it("--fail-on-breaking exits 1 only when something breaks", { timeout: 60_000 }, () => {
    expect(run("HEAD~1", "HEAD", "--fail-on-breaking").status).toBe(1);
    expect(run("HEAD", "HEAD~1", "--fail-on-breaking", "--json").status).toBe(0); // the reverse only makes a field optional
    expect(run("HEAD~1", "HEAD").status).toBe(0);
  });

  it("takes OpenAPI files and spec directories as well as refs", { timeout: 60_000 }, () => {
    const before = join(scratch, "before.yaml");
    const after = join(scratch, "after.json");
    writeFileSync(before, stringify(minimal));
    const head = structuredClone(minimal);
    head.paths["/v2/things"].get.parameters[0].schema.maximum = 10;
    writeFileSync(after, JSON.stringify(head));
    const files = run(before, after, "--json");
    expect(files.status).toBe(0);
    expect(JSON.parse(files.stdout).changes).toEqual([
      expect.objectContaining({
        operation: "GET /v2/things",
        breaking: true,
        message: "`maximum` of the query parameter `limit` changed: 100 → 10",
      }),
    ]);

    const dirs = run("HEAD~1", join(repo, "spec"), "--json");
    expect(JSON.parse(dirs.stdout).breaking).toBe(1);
  });

  it.each([
    ["an unknown ref", ["no-such-ref"], /no-such-ref is neither a file, a directory nor a git ref/],
    ["an unknown option", ["HEAD", "--yaml"], /unknown option --yaml/],
    ["no base", [], /give a base/],
    ["--json with --markdown", ["HEAD", "--json", "--markdown"], /exclude each other/],
    ["a directory without a spec", ["HEAD", "."], /directory without an openapi\.yaml/],
    ["a file that is not YAML", ["HEAD", "bad.yaml"], /cannot (read|bundle) .*bad\.yaml/],
    ["a file that is not OpenAPI", ["HEAD", "plain.yaml"], /plain\.yaml is not an OpenAPI 3 document/],
    [
      "a dangling $ref",
      ["HEAD", "dangling.yaml"],
      /cannot bundle .*dangling\.yaml:\d+: Can't resolve \$ref.*Nope\.yaml/,
    ],
  ])("exits 2 with a clear message on %s", { timeout: 60_000 }, (_what, args, message) => {
    writeFileSync(join(repo, "bad.yaml"), "openapi: 3.1.0\npaths: [unclosed\n");
    writeFileSync(join(repo, "plain.yaml"), "just: a map\n");
    writeFileSync(
      join(repo, "dangling.yaml"),
      stringify({ ...minimal, components: { schemas: { Thing: { $ref: "Nope.yaml" } } } }),
    );
    const { status, stdout, stderr } = run(...args);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain("usage: npm run diff");
    expect(stderr).not.toMatch(/\n\s+at /); // no stack
    expect(stdout).toBe("");
  });
});

describe("the first real entry: request fields the API requires", () => {
  const body = (path: string, method: string): Doc => {
    const schema = json(bundle, path, method).requestBody.content["application/json"].schema;
    return schema.$ref ? S(bundle)[schema.$ref.split("/").at(-1)] : schema;
  };

  it.each([
    ["/v2/vpcs", "post", ["name", "region"]],
    ["/v2/vpcs/{vpc_id}", "put", ["name"]],
    ["/v2/vpcs/{vpc_id}/peerings/{vpc_peering_id}", "patch", ["name"]],
    ["/v2/projects", "post", ["name", "purpose"]],
  ])("%s %s requires %j", (path, method, fields) => {
    expect(body(path, method).required).toEqual(fields);
  });

  it("leaves the partial update of a VPC partial", () => {
    expect(body("/v2/vpcs/{vpc_id}", "patch").required).toBeUndefined();
  });

  it("is in CHANGELOG.md, under Unreleased, with the bump it implies", () => {
    const changelog = readFileSync(join(ROOT, "CHANGELOG.md"), "utf8");
    const unreleased = changelog.slice(changelog.indexOf("## Unreleased"));
    expect(unreleased).toContain("### API changes: 6 breaking");
    expect(unreleased).toContain(
      "- **`PATCH /v2/vpcs/{vpc_id}/peerings/{vpc_peering_id}`**\n  - `name` made required in the request body",
    );
    expect(unreleased).toContain("Version bump this implies: **minor**");
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version).toBe("0.2.0");
  });
});

describe("the pull-request workflow", () => {
  const workflow: Doc = parse(readFileSync(join(ROOT, ".github/workflows/api-diff.yml"), "utf8"));
  const steps: Doc[] = workflow.jobs.report.steps;

  it("runs the markdown report against origin/main on every pull request and posts it as one comment", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.permissions["pull-requests"]).toBe("write");
    expect(steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.["fetch-depth"]).toBe(0);
    const runs = steps.map((s) => s.run).filter(Boolean);
    expect(runs).toContain("npm ci --no-audit --no-fund");
    expect(runs).toContain("npm run --silent diff -- origin/main --markdown > api-diff.md");
    const script: string = steps.find((s) => s.uses?.startsWith("actions/github-script@"))?.with?.script;
    expect(script).toMatch(/readFileSync\("api-diff\.md"/);
    expect(script).toMatch(/updateComment[\s\S]*createComment/);
  });

  it("uses a script that package.json defines", () => {
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.diff).toBe("node scripts/diff.mjs");
  });
});

describe("issue 20: what real clients send and what the API answers", () => {
  const S20 = S(bundle);
  /** Today's spec with each of issue 20's facts taken back out: the spec before it. */
  const before = structuredClone(bundle);
  const schemas = S(before);
  const plain = (schema: string, fields: string[]) => {
    for (const f of fields) schemas[schema].properties[f].type = [schemas[schema].properties[f].type].flat()[0];
  };
  plain("ProjectPatch", ["name", "description", "purpose", "environment", "is_default"]);
  plain("VpcPatch", ["name", "description", "default"]);
  plain("PartnerAttachmentUpdate", ["name", "vpc_ids"]);
  for (const create of ["DropletCreateSingle", "DropletCreateMultiple"]) {
    plain(create, ["ssh_keys"]);
    schemas[create].properties.volumes.items = { type: "string", format: "uuid" };
    delete schemas[create].properties.public_networking;
  }
  delete schemas.DropletCreateVolume;
  plain("Image", ["slug", "min_disk_size", "size_gigabytes", "tags"]);
  schemas.DiskInfo.properties.type.enum = schemas.DiskInfo.properties.type.enum.filter((v: string) => v !== "boot");
  schemas.DropletBackupPolicyRecord.properties.next_backup_window = {
    $ref: "#/components/schemas/DropletNextBackupWindow",
  };
  plain("Firewall", ["tags"]);
  plain("FirewallRuleTarget", ["tags"]);
  delete schemas.FirewallRuleTarget.properties.kubernetes_ids;
  const report = diffSpecs(before, bundle);

  it("takes the facts out of a spec that has them (the test's premise)", () => {
    expect(S20.DropletCreateVolume).toBeDefined();
    expect(JSON.stringify(before)).not.toEqual(JSON.stringify(bundle));
  });

  it("reports the same as a comparison of the whole documents", { timeout: 60_000 }, async () => {
    expect(await report).toEqual(await diffSpecs(before, bundle, { prune: false }));
  });

  it.each([
    ["PATCH /v2/projects/{project_id}", "type of `name` in the request body changed: string → string | null"],
    ["PATCH /v2/projects/default", "type of `is_default` in the request body changed: boolean → boolean | null"],
    ["PATCH /v2/vpcs/{vpc_id}", "type of `default` in the request body changed: boolean → boolean | null"],
    [
      "PATCH /v2/partner_network_connect/attachments/{pa_id}",
      "type of `vpc_ids` in the request body changed: array → array | null",
    ],
    ["POST /v2/droplets", "type of `ssh_keys` in the request body changed: array → array | null"],
    ["POST /v2/droplets", "type of `volumes[]` in the request body changed: string → none (see its branches)"],
    ["POST /v2/droplets", "field `public_networking` added to the request body"],
  ])("%s: %s, not breaking (a widened request type)", async (operation, message) => {
    expect((await report).changes).toContainEqual(expect.objectContaining({ operation, message, breaking: false }));
  });

  it.each([
    [
      "GET /v2/droplets/{droplet_id}",
      "type of `droplet.image.slug` in the response 200 changed: string → string | null",
    ],
    [
      "GET /v2/droplets/{droplet_id}",
      "type of `droplet.image.min_disk_size` in the response 200 changed: integer → integer | null",
    ],
    [
      "GET /v2/droplets/{droplet_id}",
      "type of `droplet.image.size_gigabytes` in the response 200 changed: number → number | null",
    ],
    ["GET /v2/droplets/{droplet_id}", "type of `droplet.image.tags` in the response 200 changed: array → array | null"],
    ["GET /v2/droplets/{droplet_id}", 'value "boot" added to `droplet.disk_info[].type` in the response 200'],
    ["GET /v2/droplets/{droplet_id}", 'value "boot" added to `droplet.size.disk_info[].type` in the response 200'],
    [
      "GET /v2/reserved_ipv6/{reserved_ipv6}",
      "type of `reserved_ipv6.droplet.image.slug` in the response 200 changed: string → string | null",
    ],
    [
      "GET /v2/droplets/{droplet_id}/firewalls",
      "type of `firewalls[].tags` in the response 200 changed: array → array | null",
    ],
    [
      "GET /v2/droplets/{droplet_id}/firewalls",
      "type of `firewalls[].inbound_rules[].sources.tags` in the response 200 changed: array → array | null",
    ],
  ])("%s: %s, breaking (code must now handle it)", async (operation, message) => {
    expect((await report).changes).toContainEqual(expect.objectContaining({ operation, message, breaking: true }));
  });

  it("lists the new kubernetes_ids, and the null backup window as breaking", async () => {
    const messages = (await report).changes.map((c) => `${c.operation}: ${c.message}`);
    expect(messages).toContain(
      "GET /v2/droplets/{droplet_id}/firewalls: field `firewalls[].outbound_rules[].destinations.kubernetes_ids` added to the response 200",
    );
    // A $ref that became `oneOf: [$ref, null]` reads as branches added and removed, but the verdict is right.
    const window = (await report).changes.filter((c) => c.message.includes("`policy.next_backup_window`"));
    expect(window.some((c) => c.breaking && c.operation === "GET /v2/droplets/{droplet_id}/backups/policy")).toBe(true);
  });

  it("breaks nothing on the request side, and reports no field removed (both answers of a Droplet create kept apart)", async () => {
    const { changes } = await report;
    expect(changes.filter((c) => c.breaking && !/ in the response /.test(c.message))).toEqual([]);
    expect(changes.filter((c) => /removed from the response|made optional in the response/.test(c.message))).toEqual(
      [],
    );
  });
});
