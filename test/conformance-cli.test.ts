// `npm run conformance`: checks HAR files against the spec; exit codes, the JSON and readable reports,
// skipped entries, base64 bodies, usage errors without stacks, and no token in anything it prints.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkHar, type Har, type Problem, readHar } from "../src/conformance/index.js";
import { ROOT } from "./helpers/spec.js";

const FIXTURES = join(ROOT, "test/fixtures/conformance");
const TOKEN = `dop_v1_${"5f3c9a7e1b2d4c6f".repeat(4)}`;
const work = mkdtempSync(join(tmpdir(), "do-conformance-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the command as `npm run conformance` does; resolves with its exit code and output. */
function conformance(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const node = args.filter((a) => a.startsWith("--max-old-space-size"));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...node, "--import", "tsx", join(ROOT, "src/conformance/cli.ts"), ...args.filter((a) => !node.includes(a))],
      { cwd: ROOT },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** A copy of a fixture with `edit` applied, in a temp dir. */
function variant(name: string, fixture: string, edit: (har: any) => void): string {
  const har = JSON.parse(readFileSync(join(FIXTURES, fixture), "utf8"));
  edit(har);
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(har));
  return file;
}

const json = (stdout: string) => JSON.parse(stdout) as { entries: number; skipped: number; problems: Problem[] };
const brief = (problems: Problem[]) =>
  problems.map(({ operation, status, in: where, kind, pointer, specFile }) => ({
    operation,
    status,
    in: where,
    kind,
    pointer,
    specFile,
  }));

// Each case starts the command once or twice (tsx, then the validators): seconds each on a loaded machine.
/** What valid.har's third entry (a 404) gets without its ratelimit-remaining header. */
const MISSING_REMAINING = [
  {
    operation: "GET /v2/droplets/{droplet_id}",
    status: 404,
    in: "response",
    kind: "required",
    pointer: "/header/ratelimit-remaining",
    specFile: "spec/components/responses/not_found.yaml",
  },
];

describe("npm run conformance", { timeout: 60_000 }, () => {
  it("finds no problem in recorded traffic that matches the spec (a list page, a Droplet with nulls, an error, a create)", async () => {
    const { code, stdout, stderr } = await conformance(join(FIXTURES, "valid.har"), "--json");
    expect(json(stdout)).toEqual({ entries: 4, skipped: 2, problems: [] });
    expect(code).toBe(0);
    expect(stdout + stderr).not.toContain(TOKEN);
  });

  it("reports each problem with its kind, pointer and spec file, and exits 1", async () => {
    const { code, stdout } = await conformance(join(FIXTURES, "problems.har"), "--json");
    const report = json(stdout);
    expect({ entries: report.entries, skipped: report.skipped }).toEqual({ entries: 4, skipped: 1 });
    const get = { operation: "GET /v2/droplets/{droplet_id}", status: 200, in: "response" };
    const droplet = "spec/components/schemas/droplets/Droplet.yaml";
    expect(brief(report.problems)).toEqual([
      { ...get, kind: "required", pointer: "/droplet/memory", specFile: droplet },
      { ...get, kind: "enum", pointer: "/droplet/status", specFile: droplet },
      { ...get, kind: "format", pointer: "/droplet/created_at", specFile: droplet },
      {
        ...get,
        kind: "type",
        pointer: "/droplet/size/price_monthly",
        specFile: "spec/components/schemas/droplets/Size.yaml",
      },
      { ...get, kind: "undocumented-field", pointer: "/droplet/gpu_count", specFile: droplet },
      {
        operation: "POST /v2/droplets",
        status: 200,
        in: "response",
        kind: "undocumented-status",
        pointer: "",
        specFile: "spec/paths/droplets/droplets.yaml",
      },
      {
        operation: "GET /v2/images",
        status: 200,
        in: "request",
        kind: "unknown-operation",
        pointer: "",
        specFile: "spec/openapi.yaml",
      },
      {
        operation: "GET /v2/droplets",
        status: 200,
        in: "request",
        kind: "format",
        pointer: "/query/per_page",
        specFile: "spec/components/parameters/per_page.yaml",
      },
    ]);
    for (const p of report.problems) {
      expect(existsSync(join(ROOT, p.specFile)), p.specFile).toBe(true);
      expect(p.message).not.toBe("");
    }
    expect(report.problems[3]).toMatchObject({ message: "must be number, got string", line: expect.any(Number) });
    expect(code).toBe(1);
  });

  it("prints a readable report grouped by spec file, most frequent first", async () => {
    const { code, stdout, stderr } = await conformance(join(FIXTURES, "problems.har"));
    expect(stdout).toMatch(/^Checked 4 entries; skipped 1/);
    expect(stdout).toContain("8 problem(s): 7 where the traffic breaks the spec, 1 undocumented field(s).");
    const files = [...stdout.matchAll(/^(spec\/\S+) \((\d+)\)$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(files[0]).toEqual(["spec/components/schemas/droplets/Droplet.yaml", 4]);
    expect(files.map(([, n]) => n)).toEqual([...files.map(([, n]) => n)].sort((a, b) => Number(b) - Number(a)));
    expect(stdout).toContain(
      "type at /droplet/size/price_monthly: must be number, got string (spec/components/schemas/droplets/Size.yaml:",
    );
    expect(stderr).toContain("never printed");
    expect(stdout + stderr).not.toMatch(/dop_v1_|Authorization: |Bearer /);
    expect(code).toBe(1);
  });

  it("reports what recorded reference traffic shows: request problems with their answer's status, headers, a map's repeats, a null", async () => {
    const file = join(FIXTURES, "reference.har");
    const report = json((await conformance(file, "--json")).stdout);
    const line = (spec: string, text: string) => readFileSync(join(ROOT, spec), "utf8").split("\n").indexOf(text) + 1;
    const policies = {
      operation: "GET /v2/droplets/backups/policies",
      status: 200,
      in: "response",
      kind: "type",
      specFile: "spec/components/schemas/droplets/DropletBackupPolicyRecord.yaml",
    };
    expect(brief(report.problems)).toEqual([
      ...[3164444, 3165561, 3166678, 3167795, 3168912, 3170029, 3171146, 3172263, 3173380].map((id) => ({
        ...policies,
        pointer: `/policies/${id}/backup_enabled`,
      })),
      {
        operation: "POST /v2/droplets",
        status: 202,
        in: "request",
        kind: "type",
        pointer: "/tags",
        specFile: "spec/components/schemas/droplets/DropletCreateSingle.yaml",
      },
      {
        operation: "GET /v2/droplets/{droplet_id}",
        status: 200,
        in: "response",
        kind: "type",
        pointer: "/droplet/image",
        specFile: "spec/components/schemas/droplets/Droplet.yaml",
      },
      {
        operation: "GET /v2/vpcs",
        status: 200,
        in: "response",
        kind: "type",
        pointer: "/header/ratelimit-reset",
        specFile: "spec/components/headers/ratelimit-reset.yaml",
      },
      {
        operation: "GET /v2/projects",
        status: 200,
        in: "response",
        kind: "enum",
        pointer: "/header/content-type",
        specFile: "spec/paths/projects/projects.yaml",
      },
    ]);
    expect(report.problems[10]!.line).toBe(line("spec/components/schemas/droplets/Droplet.yaml", "  image:"));

    const { code, stdout } = await conformance(file);
    const lines = stdout.split("\n").filter((l) => l.startsWith("  "));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(
      `  9× GET /v2/droplets/backups/policies → 200 response: type at /policies/*/backup_enabled: must be boolean, got string (${policies.specFile}:${report.problems[0]!.line})`,
    );
    expect(stdout).toContain("POST /v2/droplets → 202 request: type at /tags: must be array or null, got string");
    expect(stdout).toContain('enum at /header/content-type: "text/plain" is not one of "application/json"');
    expect(code).toBe(1);
  });

  it("counts repeats of one problem across list items once per spec file line; exits 0 on undocumented fields alone", async () => {
    const file = variant("extra-field.har", "valid.har", (har) => {
      const page = JSON.parse(har.log.entries[0].response.content.text);
      for (const d of page.droplets) d.disk_encrypted = true;
      har.log.entries[0].response.content.text = JSON.stringify(page);
    });
    const { code, stdout } = await conformance(file);
    expect(stdout).toContain("2× GET /v2/droplets → 200 response: undocumented-field at /droplets/*/disk_encrypted");
    expect(code).toBe(0);
  });

  it("reports a recorded answer without ratelimit-remaining as a header problem, and exits 1", async () => {
    const file = variant("no-remaining.har", "valid.har", (har) => {
      const { headers } = har.log.entries[2].response;
      har.log.entries[2].response.headers = headers.filter((h: { name: string }) => h.name !== "ratelimit-remaining");
    });
    const { code, stdout } = await conformance(file, "--json");
    expect(brief(json(stdout).problems)).toEqual(MISSING_REMAINING);
    expect(code).toBe(1);
  });

  it("checks another origin with --base, and skips entries for other hosts", async () => {
    const file = variant("mock.har", "valid.har", (har) => {
      for (const e of har.log.entries)
        e.request.url = e.request.url.replace("https://api.digitalocean.com", "http://127.0.0.1:4010");
    });
    expect(json((await conformance(file, "--json")).stdout)).toMatchObject({ entries: 0, skipped: 6 });
    expect(json((await conformance(file, "--json", "--base", "http://127.0.0.1:4010")).stdout)).toEqual({
      entries: 4,
      skipped: 2,
      problems: [],
    });
  });

  it("never prints a token, even one the API echoed into a checked value", async () => {
    const file = variant("echo.har", "problems.har", (har) => {
      const body = JSON.parse(Buffer.from(har.log.entries[0].response.content.text, "base64").toString("utf8"));
      body.droplet.status = `token ${TOKEN} rejected`;
      body.droplet.name = `Bearer ${TOKEN}`;
      har.log.entries[0].response.content = { text: JSON.stringify(body), mimeType: "application/json" };
    });
    for (const args of [[file], [file, "--json"]]) {
      const { stdout, stderr } = await conformance(...args);
      expect(stdout).toContain("[redacted]");
      expect(stdout + stderr).not.toContain(TOKEN);
      expect(stdout + stderr).not.toContain(TOKEN.slice(7, 30));
    }
  });

  it("redacts a legacy 64-hex token inside a value, even where a long value is cut short to be shown", async () => {
    const legacy = "9c1b7e3f".repeat(8);
    const SECRET = `secret_${"Zq8".repeat(20)}`;
    const file = variant("legacy.har", "problems.har", (har) => {
      const body = JSON.parse(Buffer.from(har.log.entries[0].response.content.text, "base64").toString("utf8"));
      body.droplet.status = `failed for token=${legacy} on the first try`;
      har.log.entries[0].response.content = { text: JSON.stringify(body), mimeType: "application/json" };
      // A secret of no known shape, cut short where the problem shows the value.
      const entry = har.log.entries[3];
      entry.request.headers.push({ name: "X-Auth-Token", value: SECRET });
      entry.request.url = `${entry.request.url.split("?")[0]}?type=${SECRET}`;
    });
    for (const args of [[file], [file, "--json"]]) {
      const { stdout, stderr } = await conformance(...args);
      expect(stdout).toContain("[redacted]");
      expect(stdout).toContain('"[redacted]… is not one of');
      expect(stdout + stderr).not.toContain(legacy.slice(0, 16));
      expect(stdout + stderr).not.toContain(SECRET.slice(7, 23));
    }
  });

  it("accepts a HAR saved with a UTF-8 byte order mark", async () => {
    const file = join(work, "bom.har");
    writeFileSync(file, `\uFEFF${readFileSync(join(FIXTURES, "valid.har"), "utf8")}`);
    const { code, stdout } = await conformance(file, "--json");
    expect(json(stdout)).toEqual({ entries: 4, skipped: 2, problems: [] });
    expect(code).toBe(0);
  });

  it("reads a HAR an entry at a time: a file twice the size of the heap it is given", async () => {
    const file = join(work, "large.har");
    const text = "x".repeat(1 << 20);
    const entry = (i: number) => ({
      request: { method: "GET", url: `https://example.com/${i}` },
      response: { status: 200, content: { text } },
    });
    const entries = Array.from({ length: 96 }, (_, i) => JSON.stringify(entry(i)));
    writeFileSync(file, `{"log":{"version":"1.2","entries":[${entries.join(",")}]}}`);
    const { code, stdout, stderr } = await conformance("--max-old-space-size=48", file, "--json");
    expect(stderr).toBe("");
    expect(json(stdout)).toEqual({ entries: 0, skipped: 96, problems: [] });
    expect(code).toBe(0);
  });

  it.each([
    [
      "headers as a string",
      (e: any) => (e.request.headers = "Accept: */*"),
      "entry 1: request.headers is a string, not an array of { name, value }",
    ],
    [
      "response headers as an object",
      (e: any) => (e.response.headers = { "ratelimit-limit": "5000" }),
      "entry 1: response.headers is an object, not an array of { name, value }",
    ],
    [
      "a header's value as a number",
      (e: any) => (e.request.headers[0].value = 5),
      "entry 1: request.headers[0].value is a number, not a string",
    ],
    [
      "a status as a string",
      (e: any) => (e.response.status = "200"),
      "entry 1: response.status is a string, not a number",
    ],
    [
      "a body as an array",
      (e: any) => (e.response.content.text = ["{}"]),
      "entry 1: response.content.text is an array, not a string",
    ],
    ["no url", (e: any) => delete e.request.url, "entry 1: request.url is missing, not a string"],
    [
      "an entry that is not an object",
      (_e: any, har: any) => (har.log.entries[1] = "GET /v2/droplets"),
      "entry 1: it is a string, not an object",
    ],
    ["a file cut short inside an entry", "cut", "entry 2: it is not JSON: it ends early"],
  ] as const)("exits 2 on a HAR with %s, naming the entry and the field", async (_name, edit, message) => {
    const file =
      edit === "cut"
        ? join(work, "cut.har")
        : variant("malformed.har", "valid.har", (har) => edit(har.log.entries[1], har));
    if (edit === "cut") {
      const har = JSON.parse(readFileSync(join(FIXTURES, "valid.har"), "utf8"));
      const text = JSON.stringify(har);
      writeFileSync(file, text.slice(0, text.indexOf(JSON.stringify(har.log.entries[2])) + 100));
    }
    const { code, stdout, stderr } = await conformance(file);
    expect(stderr).toContain(`is not a HAR file: ${message}`);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toBe("");
    expect(code).toBe(2);
    if (edit !== "cut") {
      const har = JSON.parse(readFileSync(file, "utf8")) as Har;
      expect(readHar(har)).toBe(message);
      expect(() => checkHar([har])).toThrow(new TypeError(`checkHar: HAR 0 is not a HAR file: ${message}.`));
    }
  });

  it.each([
    ["a missing file", [join(FIXTURES, "nope.har")], /Cannot read .*nope\.har: ENOENT/],
    ["a file that is not JSON", [join(ROOT, "README.md")], /README\.md is not a HAR file: it is not JSON/],
    ["JSON that is not a HAR", [join(ROOT, "package.json")], /package\.json is not a HAR file: no log\.entries array/],
    ["no file", [], /No HAR file given/],
    ["an unknown option", [join(FIXTURES, "valid.har"), "--yaml"], /Unknown option '--yaml'/],
    ["a bad --base", [join(FIXTURES, "valid.har"), "--base", "nowhere"], /--base "nowhere" is not an absolute URL/],
  ])("exits 2 with a clear message and no stack on %s", async (_name, args, message) => {
    const { code, stdout, stderr } = await conformance(...args);
    expect(stderr).toMatch(message);
    expect(stderr).toContain("Usage: digitalocean-typed-conformance");
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toBe("");
    expect(code).toBe(2);
  });
});

describe("readHar and checkHar, from digitalocean-typed/conformance", () => {
  const read = (fixture: string) => readHar(JSON.parse(readFileSync(join(FIXTURES, fixture), "utf8")));

  it("give the report the command prints, with the secrets to keep out of it", () => {
    const report = checkHar([read("valid.har") as Har]);
    const { secrets: _, ...found } = report;
    expect(found).toEqual({ entries: 4, skipped: 2, problems: [] });
    // The entries' Authorization, each value once, compared without printing it.
    expect(report.secrets).toHaveLength(1);
    expect(report.secrets[0] === `Bearer ${TOKEN}`).toBe(true);
  });

  it("report an answer without ratelimit-remaining, and say why a file is not a HAR", () => {
    const har = read("valid.har") as Har;
    const answer = har.log.entries[2]!.response!;
    answer.headers = answer.headers!.filter((h) => h.name !== "ratelimit-remaining");
    expect(brief(checkHar([har]).problems)).toEqual(MISSING_REMAINING);
    expect(readHar({ log: {} })).toBe("no log.entries array");
  });
});
