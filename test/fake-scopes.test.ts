// Scoped tokens in the fake, by the spec's scope rules (x-required-scopes of each operation, and of the
// parameters and body fields that add one): every operation is refused without each scope it needs and accepted
// with exactly them; `read` tokens; unknown request fields reported apart from the fake's own problems.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scopesUsed } from "../src/conformance/index.js";
import { isApiError, unwrap } from "../src/index.js";
import { scopeRules } from "../src/spec.js";
import { type FakeDigitalOcean, startFakeDigitalOcean } from "../src/testing/index.js";
import { runExample } from "./helpers/examples.js";
import { startRecorder } from "./helpers/recorder.js";
import { useServers } from "./helpers/server.js";
import { bundle, type Operation, operations, ROOT } from "./helpers/spec.js";
import { tsBlocks } from "./helpers/typecheck.js";

/** A request of `operation` built from the spec's examples: path ids, required query and header values, the body. */
function exampleRequest(operation: Operation) {
  const example = (p: any) => p.example ?? p.schema?.example;
  let path = operation.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of operation.parameters) {
    if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(String(example(p))));
    else if (p.required && p.in === "query") query.set(p.name, String(example(p)));
    else if (p.required && p.in === "header") headers[p.name] = String(example(p));
  }
  const body = operation.requestBody?.content?.["application/json"]?.example;
  return { url: `${path}${query.size ? `?${query}` : ""}`, headers, body, query: Object.fromEntries(query) };
}

/** The scopes the example request of `operation` needs, read from the spec: the operation's, and its fields'. */
function scopesOfExample(operation: Operation): string[] {
  const { scopes, fields } = scopeRules(bundle, operation);
  const { query, body } = exampleRequest(operation);
  const used = Object.entries(fields).filter(([field]) => {
    const [where, name] = field.split("/") as [string, string];
    return (where === "body" ? body : query)?.[name] != null;
  });
  return [...new Set([...scopes, ...used.flatMap(([, s]) => s)])];
}

const cases = operations.map((operation, i) => ({ operation, i, needed: scopesOfExample(operation) }));
/** Per operation: a token with exactly the scopes its example needs, and one lacking each of them in turn. */
const tokens = Object.fromEntries(
  cases.flatMap(({ i, needed }) => [
    [`exact-${i}`, needed],
    ...needed.map((scope) => [`lacking-${i}-${scope}`, needed.filter((s) => s !== scope)]),
  ]),
);

let fake: FakeDigitalOcean;
beforeAll(async () => {
  fake = await startFakeDigitalOcean({ provisionMs: 0, tokens: { ...tokens, reader: "read" } });
  // Something to delete, and to see still there: a VPC, a tagged Droplet, a project, a reserved IPv6.
  const client = fake.client();
  await client.POST("/v2/vpcs", { body: { name: "kept", region: "nyc3" } });
  await client.POST("/v2/droplets", {
    body: { name: "kept", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", tags: ["env:test"] },
  });
  await client.POST("/v2/projects", { body: { name: "kept", purpose: "Service or API" } });
  await client.POST("/v2/reserved_ipv6", { body: { region_slug: "nyc3" } });
});
afterAll(() => fake.close());

const send = (operation: Operation, token: string, request = exampleRequest(operation)) =>
  fetch(`${fake.url}${request.url}`, {
    method: operation.method.toUpperCase(),
    headers: {
      authorization: `Bearer ${token}`,
      ...request.headers,
      ...(request.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });

/** Every list the account answers (the GET operations without path parameters), as the full-access token sees them. */
async function everything() {
  const lists = operations.filter((o) => o.method === "get" && !o.path.includes("{"));
  return Promise.all(lists.map(async (o) => [o.path, await (await send(o, fake.token)).json()]));
}

describe("scoped tokens", () => {
  it("refuse every operation with a 403 naming each scope it needs that the token lacks, and change nothing", async () => {
    const before = await everything();
    for (const { operation, i, needed } of cases) {
      expect(needed.length, operation.operationId).toBeGreaterThan(0);
      for (const scope of needed) {
        const answer = await send(operation, `lacking-${i}-${scope}`);
        const body = (await answer.json()) as { id: string; message: string; request_id: string };
        expect([operation.operationId, answer.status, body.id]).toEqual([operation.operationId, 403, "forbidden"]);
        expect(body.message).toContain(scope);
        expect(body.message).toContain(operation.operationId);
        expect(body.request_id).toBeTypeOf("string");
      }
    }
    expect(await everything()).toEqual(before);
    expect(fake.problems).toEqual([]);
  });

  it("accept every operation with exactly the scopes it needs", async () => {
    for (const { operation, i } of cases) {
      const { status } = await send(operation, `exact-${i}`);
      expect([operation.operationId, [401, 403].includes(status)]).toEqual([operation.operationId, false]);
    }
    expect(fake.problems).toEqual([]);
  });

  it("need the extra scope of a query parameter only when it is used", async () => {
    const lister = await startFakeDigitalOcean({
      tokens: { plain: ["droplet:read"], tagged: ["droplet:read", "tag:read"] },
    });
    const list = (token: string, query = "") =>
      fetch(`${lister.url}/v2/droplets${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await list("plain")).status).toBe(200);
    const refused = await list("plain", "?tag_name=env:prod");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toBe(
      "You are not authorized to perform this operation: the token lacks the scope tag:read (for the query parameter tag_name), which droplets_list needs.",
    );
    expect((await list("tagged", "?tag_name=env:prod")).status).toBe(200);
    expect(lister.scopesUsed()).toEqual(["droplet:read", "tag:read"]);
    await lister.close();
  });

  it("need the extra scope of a body field only when it carries something", async () => {
    const creator = await startFakeDigitalOcean({ tokens: { maker: ["droplet:create", "image:read"] } });
    const body = { name: "web", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" };
    const create = (extra: object) =>
      fetch(`${creator.url}/v2/droplets`, {
        method: "POST",
        headers: { authorization: "Bearer maker", "content-type": "application/json" },
        body: JSON.stringify({ ...body, ...extra }),
      });
    const refused = await create({ tags: ["web"], vpc_uuid: "760e09ef-dc84-11e8-981e-3cfdfeaae000" });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toContain(
      "the token lacks the scopes tag:create (for the body field tags), vpc:read (for the body field vpc_uuid)",
    );
    expect((await create({ tags: [], ssh_keys: null })).status).toBe(202);
    const { droplets } = await creator
      .client()
      .GET("/v2/droplets")
      .then((r) => r.data!);
    expect(droplets?.length).toBe(1); // the refused create made nothing
    await creator.close();
  });

  it("that are `read` get every :read scope, and nothing else", async () => {
    for (const { operation, needed } of cases) {
      const { status } = await send(operation, "reader");
      const readOnly = needed.every((scope) => scope.endsWith(":read"));
      expect([operation.operationId, status === 403]).toEqual([operation.operationId, !readOnly]);
    }
    expect(cases.some(({ needed }) => needed.every((s) => s.endsWith(":read")))).toBe(true);
  });

  it("are checked when the fake starts: a scope the spec does not know, a token of tokens that is the full one", async () => {
    await expect(startFakeDigitalOcean({ tokens: { t: ["droplet:raed"] } })).rejects.toThrow(
      /unknown scope droplet:raed; the spec's scopes are .*droplet:read/,
    );
    await expect(startFakeDigitalOcean({ token: "same", tokens: { same: "read" } })).rejects.toThrow(TypeError);
    await expect(startFakeDigitalOcean({ tokens: { t: "write" as never } })).rejects.toThrow(/"full" or "read"/);
    await expect(startFakeDigitalOcean({ tokens: { "with space": "full" } })).rejects.toThrow(/printable ASCII/);
  });
});

describe("unknown request fields", () => {
  it("are reported naming the operation and the field, once each, apart from the fake's problems", async () => {
    const other = await startFakeDigitalOcean();
    const client = other.client();
    const body = { name: "web", regoin: "sfo3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" };
    for (let n = 0; n < 2; n++) {
      const { response } = await client.POST("/v2/droplets", { body: body as never });
      expect(response.status).toBe(202); // the API ignores them, and so does the fake
    }
    await client.GET("/v2/vpcs", { params: { query: { colour: "red" } as never } });
    expect(other.unknownFields).toEqual([
      { operationId: "droplets_create", field: "body/regoin" },
      { operationId: "vpcs_list", field: "query/colour" },
    ]);
    expect(other.problems).toEqual([]);
    await other.close();
  });
});

describe("the spec's scope rules", () => {
  it("list the scope of every request parameter and body field whose description says it needs one", () => {
    const said = /needs the `([a-z_]+:[a-z]+)` scope/i;
    let described = 0;
    for (const operation of operations) {
      const { fields } = scopeRules(bundle, operation);
      for (const p of operation.parameters) {
        const scope = said.exec(p.description ?? "")?.[1];
        if (scope) expect(fields[`${p.in}/${p.name}`], `${operation.operationId} ${p.name}`).toContain(scope);
        if (scope) described++;
      }
      const schema = operation.requestBody?.content?.["application/json"]?.schema;
      const branches = schema?.oneOf ?? (schema ? [schema] : []);
      for (const branch of branches) {
        const node = branch.$ref ? bundle.components.schemas[branch.$ref.split("/").pop()] : branch;
        for (const [name, property] of Object.entries<any>(node.properties ?? {})) {
          const scope = said.exec(property.description ?? "")?.[1];
          if (scope) expect(fields[`body/${name}`], `${operation.operationId} ${name}`).toContain(scope);
          if (scope) described++;
        }
      }
    }
    expect(described).toBeGreaterThan(0);
  });
});

describe("the least-privilege recipe", () => {
  it("the testing guide prints is what scopesUsed() gives after its suite", { timeout: 120_000 }, () => {
    const guide = readFileSync(join(ROOT, "docs/guide/testing.md"), "utf8");
    const section = guide.split("\n## A least-privilege token\n")[1]!.split("\n## ")[0]!;
    const [suite] = tsBlocks(section);
    const printed = /It prints:\n\n```\n(.*)\n```/.exec(section)?.[1];
    expect(printed).toMatch(/^Custom token scopes: [a-z_:,]+$/);
    const { status, output } = runExample("least-privilege-recipe", suite!);
    expect(status, output).toBe(0);
    expect(output.split("\n")).toContain(printed);
  });

  it("from recorded traffic (npm run scopes, scopesUsed) is what the fake counted", { timeout: 60_000 }, async () => {
    const served = await startFakeDigitalOcean({ provisionMs: 0 });
    const recorder = await startRecorder(served.url);
    const client = served.client({ baseUrl: recorder.url });
    await client.GET("/v2/droplets", { params: { query: { tag_name: "web" } } });
    const body = { name: "web", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", ssh_keys: [289794] };
    await client.POST("/v2/droplets", { body });
    await client.GET("/v2/projects/default");
    await recorder.close();
    await served.close();
    const expected = served.scopesUsed();
    expect(expected).toEqual([
      "droplet:create",
      "droplet:read",
      "image:read",
      "project:read",
      "ssh_key:read",
      "tag:read",
    ]);
    expect(scopesUsed([recorder.har], served.url)).toEqual(expected);
    expect(scopesUsed([recorder.har])).toEqual([]); // none of it went to the API's origin

    const work = mkdtempSync(join(tmpdir(), "do-scopes-"));
    const file = join(work, "traffic.har");
    writeFileSync(file, JSON.stringify(recorder.har));
    const printed = await new Promise<string>((resolve, reject) =>
      execFile("npm", ["run", "--silent", "scopes", "--", file, "--base", served.url], { cwd: ROOT }, (e, out) =>
        e ? reject(e) : resolve(out),
      ),
    );
    rmSync(work, { recursive: true, force: true });
    expect(printed).toBe(`${expected.join(",")}\n`);
  });
});

describe("the client's error for a 403", () => {
  const { serve } = useServers({ retry: false, pacing: false });

  it("names the scopes the operation needs, from the spec, for every operation", async () => {
    const { client } = await serve(() => ({
      status: 403,
      body: { id: "forbidden", message: "You are not authorized to perform this operation." },
    }));
    for (const operation of operations) {
      const { headers, body } = exampleRequest(operation);
      const example = (p: any) => p.example ?? p.schema?.example;
      const path = Object.fromEntries(
        operation.parameters.filter((p) => p.in === "path").map((p) => [p.name, example(p)]),
      );
      const query = Object.fromEntries(
        operation.parameters.filter((p) => p.in === "query" && p.required).map((p) => [p.name, example(p)]),
      );
      const call = (client as any)[operation.method.toUpperCase()](operation.path, {
        params: { path, query, header: headers },
        body,
      });
      const error = await unwrap(call).catch((e: unknown) => e);
      const scopes: string[] = operation.op["x-required-scopes"];
      expect(isApiError(error) && error.message).toContain(
        `You are not authorized to perform this operation. ${operation.operationId} needs a token with the scope${scopes.length > 1 ? "s" : ""} ${scopes.join(", ")}.`,
      );
    }
  });

  it("from the fake says what the token lacks, and what the operation needs", async () => {
    const scoped = await startFakeDigitalOcean({ tokens: { dop_v1_reader: "read" } });
    const reader = scoped.client({ token: "dop_v1_reader", retry: false });
    const error = await unwrap(reader.POST("/v2/vpcs", { body: { name: "app", region: "nyc3" } })).catch((e) => e);
    expect(isApiError(error) && error.status).toBe(403);
    expect(error.message).toMatch(
      /failed with 403 forbidden: You are not authorized to perform this operation: the token lacks the scope vpc:create, which vpcs_create needs\. vpcs_create needs a token with the scope vpc:create\.$/,
    );
    await scoped.close();
  });
});
