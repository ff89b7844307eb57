// The MCP server (`digitalocean-typed-mcp`), driven as a host drives it: the official SDK's Client over stdio and
// over Streamable HTTP, against the fake standing in for the API.
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { operationTools, waiterTools } from "../src/mcp/index.js";
import { type FakeDigitalOcean, startFakeDigitalOcean } from "../src/testing/index.js";
import { ROOT } from "./helpers/spec.js";

// Each test starts the server as a process (tsx compiles it): bounded generously, never waited on by time.
vi.setConfig({ testTimeout: 60_000 });

const CLI = ["--import", "tsx", "src/mcp/cli.ts"];
const all = [...operationTools(), ...waiterTools()];
const names = (access: string[]) => all.filter((tool) => access.includes(tool.access)).map((tool) => tool.name);

let fake: FakeDigitalOcean;
beforeAll(async () => {
  fake = await startFakeDigitalOcean({ provisionMs: 0 });
});
afterAll(() => fake.close());

type Answer = "accept" | "decline" | "none";

/** A host: the SDK's Client over stdio to the bin with `args`; `answer` is what its user says to a confirmation. */
async function connect(args: string[], answer: Answer = "none", env: Record<string, string> = {}) {
  const client = new Client(
    { name: "test-host", version: "1.0.0" },
    { capabilities: answer === "none" ? {} : { elicitation: { form: {} } } },
  );
  const asked: string[] = [];
  if (answer !== "none") {
    client.setRequestHandler("elicitation/create", async (request) => {
      asked.push(String(request.params.message));
      return answer === "accept" ? { action: "accept", content: { confirm: true } } : { action: "decline" };
    });
  }
  let stderr = "";
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...CLI, ...args],
    cwd: ROOT,
    env: { PATH: process.env.PATH!, DIGITALOCEAN_API_URL: fake.url, DIGITALOCEAN_TOKEN: fake.token, ...env },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk) => (stderr += chunk));
  await client.connect(transport);
  return { client, asked, stderr: () => stderr, close: () => client.close() };
}

const toolNames = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name).sort();
const textOf = (result: Awaited<ReturnType<Client["callTool"]>>) =>
  (result.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");

describe("the tool list", () => {
  it("is read-only by default, with writes and deletes only when allowed", async () => {
    for (const [args, access] of [
      [[], ["read"]],
      [["--allow-write"], ["read", "write"]],
      [
        ["--allow-write", "--allow-destructive"],
        ["read", "write", "destructive"],
      ],
    ] as const) {
      const host = await connect([...args]);
      try {
        expect(await toolNames(host.client)).toEqual(names([...access]).sort());
      } finally {
        await host.close();
      }
    }
  });

  it("is scoped: by resource, and to what the token's scopes allow", async () => {
    const host = await connect(["--allow-write", "--resources", "vpcs", "--scopes", "vpc:read,vpc:create"]);
    try {
      const expected = all.filter(
        (t) => t.resource === "vpcs" && t.scopes.every((s) => ["vpc:read", "vpc:create"].includes(s)),
      );
      expect(await toolNames(host.client)).toEqual(expected.map((t) => t.name).sort());
      expect(expected.map((t) => t.name)).toContain("vpcs_create");
    } finally {
      await host.close();
    }
  });

  it("has titles and annotations derived from the method and scopes", async () => {
    const host = await connect(["--allow-write", "--allow-destructive"]);
    try {
      const tools = new Map((await host.client.listTools()).tools.map((tool) => [tool.name, tool]));
      expect(tools.get("droplets_get")?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(tools.get("droplets_create")?.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false });
      // A POST that needs delete scopes destroys: it is annotated, and confirmed, as a delete.
      expect(tools.get("droplets_retry_destroy_with_associated_resources")?.annotations?.destructiveHint).toBe(true);
      expect(tools.get("droplets_get")?.title).toBe(all.find((t) => t.name === "droplets_get")?.title);
      expect(tools.get("droplets_get")?.description).toBeTruthy();
      expect(tools.get("droplets_get")?.inputSchema.properties).toHaveProperty("droplet_id.description");
    } finally {
      await host.close();
    }
  });

  it("compact mode has three tools that reach every allowed operation", async () => {
    const host = await connect(["--compact"]);
    try {
      expect(await toolNames(host.client)).toEqual(["call_operation", "describe_operation", "search_operations"]);
      const found = await host.client.callTool({ name: "search_operations", arguments: { query: "vpc members" } });
      expect(found.structuredContent).toEqual({ operations: [expect.objectContaining({ name: "vpcs_list_members" })] });
      const listed = await host.client.callTool({
        name: "call_operation",
        arguments: { name: "projects_get_default", arguments: {} },
      });
      expect(listed.structuredContent).toHaveProperty("project.is_default", true);
      const refused = await host.client.callTool({ name: "call_operation", arguments: { name: "vpcs_create" } });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/--allow-write/);
    } finally {
      await host.close();
    }
  });
});

describe("calls", () => {
  it("every read tool's result validates against its output schema", async () => {
    const seeded = fake.client();
    const { data: vpcAnswer } = await seeded.POST("/v2/vpcs", { body: { name: "mcp-vpc", region: "nyc3" } });
    const { data: dropletAnswer } = await seeded.POST("/v2/droplets", {
      body: { name: "mcp-web", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" },
    });
    const { data: destroyed } = await seeded.POST("/v2/droplets", {
      body: { name: "mcp-gone", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" },
    });
    const destroyedId = (destroyed as { droplet: { id: number } }).droplet.id;
    await seeded.DELETE("/v2/droplets/{droplet_id}/destroy_with_associated_resources/dangerous", {
      params: { path: { droplet_id: destroyedId }, header: { "X-Dangerous": true } },
    });
    const host = await connect([]);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    try {
      const { tools } = await host.client.listTools();
      const ids: Record<string, unknown> = {
        vpc_id: vpcAnswer!.vpc!.id,
        droplet_id: (dropletAnswer as { droplet: { id: number } }).droplet.id,
      };
      let checked = 0;
      for (const tool of tools) {
        const spec = all.find((t) => t.name === tool.name)!;
        if (!spec.pathParams.every((name) => name in ids)) continue;
        // The status of a destroy, and its waiter, need a Droplet being destroyed.
        const destroying = ["droplets_get_destroy_associated_resources_status", "wait_for_droplet_destroyed"];
        const id = (name: string) =>
          destroying.includes(tool.name) && name === "droplet_id" ? destroyedId : ids[name];
        const args = Object.fromEntries(spec.pathParams.map((name) => [name, id(name)]));
        const result = await host.client.callTool({ name: tool.name, arguments: args });
        expect(result.isError, `${tool.name}: ${textOf(result)}`).toBeFalsy();
        const valid = ajv.validate(tool.outputSchema!, result.structuredContent);
        expect(valid, `${tool.name}: ${ajv.errorsText()}`).toBe(true);
        checked++;
      }
      expect(checked).toBeGreaterThan(20);
    } finally {
      await host.close();
    }
  });

  it("lists a page at a time with a cursor", async () => {
    const seeded = fake.client();
    for (const name of ["page-a", "page-b", "page-c"])
      await seeded.POST("/v2/projects", { body: { name, purpose: "Service or API" } });
    const host = await connect([]);
    try {
      const first = await host.client.callTool({ name: "projects_list", arguments: { limit: 2 } });
      const page = first.structuredContent as { projects: unknown[]; next_cursor?: string };
      expect(page.projects).toHaveLength(2);
      expect(page.next_cursor).toBe("2");
      const next = await host.client.callTool({
        name: "projects_list",
        arguments: { limit: 2, cursor: page.next_cursor },
      });
      expect((next.structuredContent as { projects: unknown[] }).projects.length).toBeGreaterThan(0);
      // A cursor this server did not give is refused before any request, as the input schema says.
      const before = fake.requests.length;
      for (const cursor of ["abc", "0", "1.5", "-1"]) {
        const made = await host.client.callTool({ name: "projects_list", arguments: { cursor } });
        expect(made.isError).toBe(true);
        expect(textOf(made)).toContain("cursor");
      }
      expect(fake.requests.length).toBe(before);
    } finally {
      await host.close();
    }
  });

  it("creates in write mode", async () => {
    const host = await connect(["--allow-write"]);
    try {
      const result = await host.client.callTool({
        name: "vpcs_create",
        arguments: { body: { name: "made-by-mcp", region: "nyc3" } },
      });
      expect(result.structuredContent).toHaveProperty("vpc.name", "made-by-mcp");
      const { data } = await fake.client().GET("/v2/vpcs", {});
      expect(data?.vpcs?.map((vpc) => vpc.name)).toContain("made-by-mcp");
    } finally {
      await host.close();
    }
  });
});

describe("the client's machinery", () => {
  it("refuses a path id that is a dot segment, which would address another path: the API sees no request", async () => {
    const before = fake.requests.length;
    const host = await connect([]);
    try {
      const result = await host.client.callTool({ name: "partner_network_connect_get", arguments: { pa_id: ".." } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('is "..", which would address another path');
      expect(fake.requests.slice(before)).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it("a 429 is waited out and retried", async () => {
    fake.fail("droplets_list_neighbors_ids", 429, { headers: { "retry-after": "1" } });
    const before = fake.requests.length;
    const host = await connect([]);
    try {
      const result = await host.client.callTool({ name: "droplets_list_neighbors_ids", arguments: {} });
      expect(result.isError, textOf(result)).toBeFalsy();
      const statuses = fake.requests.slice(before).filter((r) => r.operationId === "droplets_list_neighbors_ids");
      expect(statuses.map((r) => r.status)).toEqual([429, 200]);
    } finally {
      await host.close();
    }
  });

  it("waits as a tool: until a Droplet is active", async () => {
    let now = Date.now();
    const slow = await startFakeDigitalOcean({ provisionMs: 60_000, clock: () => now });
    const client = slow.client();
    const { data } = await client.POST("/v2/droplets", {
      body: { name: "waited", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" },
    });
    const id = (data as { droplet: { id: number } }).droplet.id;
    const host = await connect([], "none", { DIGITALOCEAN_API_URL: slow.url, DIGITALOCEAN_TOKEN: slow.token });
    try {
      const waited = host.client.callTool({ name: "wait_for_droplet_active", arguments: { droplet_id: id } });
      // Once the waiter has seen the Droplet still new, time passes its provisioning.
      await vi.waitFor(() => expect(slow.requests.filter((r) => r.operationId === "droplets_get")).not.toEqual([]), {
        timeout: 30_000,
      });
      now += 60_000;
      const result = await waited;
      expect(result.structuredContent).toHaveProperty("droplet.status", "active");
    } finally {
      await host.close();
      await slow.close();
    }
  });
});

describe("destructive calls", () => {
  async function newDroplet(name: string, volumes: string[] = []) {
    const { data } = await fake.client().POST("/v2/droplets", {
      body: { name, region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", volumes },
    });
    return (data as { droplet: { id: number } }).droplet.id;
  }
  const exists = async (id: number) =>
    (await fake.client().GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: id } } })).response.ok;

  it("asks the user, showing the Droplet's name, and deletes when confirmed", async () => {
    const id = await newDroplet("confirm-me");
    const host = await connect(["--allow-destructive"], "accept");
    try {
      const result = await host.client.callTool({ name: "droplets_delete", arguments: { droplet_id: id } });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(host.asked).toHaveLength(1);
      expect(host.asked[0]).toMatch(/confirm-me/);
      expect(await exists(id)).toBe(false);
    } finally {
      await host.close();
    }
  });

  it("shows what goes with a Droplet destroyed with its associated resources", async () => {
    const id = await newDroplet("with-friends", ["7724db7c-e098-11e5-b522-000f53304e51"]);
    const host = await connect(["--allow-destructive"], "accept");
    try {
      const result = await host.client.callTool({
        name: "droplets_destroy_with_all_associated_resources",
        arguments: { droplet_id: id },
      });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(host.asked[0]).toMatch(/with-friends/);
      expect(host.asked[0]).toMatch(/volumes: \S+/);
      const status = await fake.client().GET("/v2/droplets/{droplet_id}/destroy_with_associated_resources/status", {
        params: { path: { droplet_id: id } },
      });
      expect(status.response.ok).toBe(true);
    } finally {
      await host.close();
    }
  });

  it("is refused when the user declines, and when the host cannot ask", async () => {
    const id = await newDroplet("keep-me");
    for (const answer of ["decline", "none"] as const) {
      const host = await connect(["--allow-destructive"], answer);
      try {
        const result = await host.client.callTool({ name: "droplets_delete", arguments: { droplet_id: id } });
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(answer === "none" ? /cannot ask the user to confirm/ : /did not confirm/);
        expect(await exists(id)).toBe(true);
      } finally {
        await host.close();
      }
    }
  });
});

describe("rehearsal", () => {
  it("changes nothing real: the API sees no request, and the summary lists what would have changed", async () => {
    const before = fake.requests.length;
    const host = await connect(["--rehearse", "--allow-write", "--allow-destructive"], "accept");
    try {
      const created = await host.client.callTool({
        name: "droplets_create",
        arguments: { body: { name: "rehearsed", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" } },
      });
      expect(textOf(created)).toMatch(/nothing real changed/);
      const id = (created.structuredContent as { droplet: { id: number } }).droplet.id;
      const deleted = await host.client.callTool({ name: "droplets_delete", arguments: { droplet_id: id } });
      expect(deleted.isError, textOf(deleted)).toBeFalsy();
      const summary = await host.client.callTool({ name: "rehearsal_summary", arguments: {} });
      expect(summary.structuredContent).toMatchObject({
        created: [{ operation: "droplets_create", target: expect.stringContaining("rehearsed") }],
        changed: [],
        deleted: [{ operation: "droplets_delete", target: `droplet_id=${id}` }],
      });
      expect(fake.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
    } finally {
      await host.close();
    }
  });
});

describe("a rehearsal from a saved account", () => {
  it("starts from --state: the account's Droplet is there, and the real API sees nothing", async () => {
    const saved = await startFakeDigitalOcean({ provisionMs: 0 });
    const { data } = await saved.client().POST("/v2/droplets", {
      body: { name: "from-state", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" },
    });
    const id = (data as { droplet: { id: number } }).droplet.id;
    const file = join(mkdtempSync(join(tmpdir(), "mcp-state-")), "state.json");
    writeFileSync(file, JSON.stringify(saved.snapshot()));
    await saved.close();
    const before = fake.requests.length;
    const host = await connect(["--rehearse", "--state", file]);
    try {
      const result = await host.client.callTool({ name: "droplets_get", arguments: { droplet_id: id } });
      expect(result.structuredContent).toHaveProperty("droplet.name", "from-state");
      expect(fake.requests.length).toBe(before);
    } finally {
      await host.close();
    }
  });
});

describe("the token", () => {
  it("appears in no tool result, error or log line", async () => {
    const host = await connect(["--allow-write"], "none", { DIGITALOCEAN_LOG: "debug" });
    const seen: string[] = [];
    try {
      for (const [name, args] of [
        ["droplets_get", { droplet_id: 1 }],
        ["vpcs_create", { body: { name: "x", region: "nowhere" } }],
        ["droplets_list", { limit: 1 }],
      ] as const) {
        const result = await host.client.callTool({ name, arguments: args });
        seen.push(JSON.stringify(result));
      }
    } finally {
      await host.close();
    }
    seen.push(host.stderr());
    expect(seen.join("\n")).not.toContain(fake.token);
    expect(host.stderr()).toMatch(/GET \/v2\/droplets/);
  });

  it("is redacted from a success body when a server echoes it", async () => {
    // Between the bin and the fake: the default project comes back with the request's Authorization in it.
    const echo = createServer(async (req, res) => {
      const answer = await fetch(`${fake.url}${req.url}`, { headers: { authorization: req.headers.authorization! } });
      const body = await answer.json();
      body.project.description = `echoed: ${req.headers.authorization}`;
      res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    const host = await connect([], "none", { DIGITALOCEAN_API_URL: url });
    try {
      const result = await host.client.callTool({ name: "projects_get_default", arguments: {} });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(JSON.stringify(result)).not.toContain(fake.token);
      expect(result.structuredContent).toMatchObject({ project: { description: "echoed: Bearer [redacted]" } });
    } finally {
      await host.close();
      echo.close();
    }
  });
});

describe("over Streamable HTTP", () => {
  let child: ReturnType<typeof spawn>;
  let url: string;
  beforeAll(async () => {
    child = spawn(process.execPath, [...CLI, "--http", "0", "--allow-write", "--allow-destructive"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, DIGITALOCEAN_API_URL: fake.url, DIGITALOCEAN_TOKEN: fake.token },
      stdio: ["ignore", "ignore", "pipe"],
    });
    url = await new Promise<string>((resolve, reject) => {
      let output = "";
      child.stderr!.on("data", (chunk) => {
        output += chunk;
        const found = /listening on (\S+)/.exec(output);
        if (found) resolve(found[1]!);
      });
      child.once("exit", () => reject(new Error(`exited: ${output}`)));
    });
  }, 60_000);
  afterAll(() => void child.kill());

  /** A host over HTTP: `modern` negotiates protocol 2026-07-28 (stateless, input asked for in the result). */
  async function httpHost(era: "modern" | "legacy", asked: string[] = []) {
    const client = new Client(
      { name: "http-host", version: "1.0.0" },
      {
        capabilities: { elicitation: { form: {} } },
        ...(era === "modern" ? { versionNegotiation: { mode: "auto" as const } } : {}),
      },
    );
    client.setRequestHandler("elicitation/create", async (request) => {
      asked.push(String(request.params.message));
      return { action: "accept", content: { confirm: true } };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return client;
  }

  it("serves the same tools on loopback", async () => {
    const client = await httpHost("legacy");
    try {
      expect((await toolNames(client)).length).toBe(names(["read", "write", "destructive"]).length);
      const result = await client.callTool({ name: "projects_get_default", arguments: {} });
      expect(result.structuredContent).toHaveProperty("project.is_default", true);
    } finally {
      await client.close();
    }
  });

  it("confirms a delete with a host on protocol 2026-07-28, and refuses it where the host cannot be asked", async () => {
    const { data } = await fake.client().POST("/v2/droplets", {
      body: { name: "http-delete", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" },
    });
    const id = (data as { droplet: { id: number } }).droplet.id;
    const exists = async () =>
      (await fake.client().GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: id } } })).response.ok;
    // Stateless 2025-era HTTP has no way to ask the user.
    const legacy = await httpHost("legacy");
    try {
      const refused = await legacy.callTool({ name: "droplets_delete", arguments: { droplet_id: id } });
      expect(textOf(refused)).toMatch(/cannot ask the user to confirm/);
      expect(await exists()).toBe(true);
    } finally {
      await legacy.close();
    }
    const asked: string[] = [];
    const modern = await httpHost("modern", asked);
    try {
      const done = await modern.callTool({ name: "droplets_delete", arguments: { droplet_id: id } });
      expect(done.isError, textOf(done)).toBeFalsy();
      expect(asked[0]).toMatch(/http-delete/);
      expect(await exists()).toBe(false);
    } finally {
      await modern.close();
    }
  });

  it("refuses a request naming another host (a page reaching the port through a rebound DNS name)", async () => {
    const { port } = new URL(url);
    const status = await new Promise<number | undefined>((resolve, reject) =>
      request({ port, host: "127.0.0.1", path: "/mcp", method: "POST", headers: { host: `evil.example:${port}` } })
        .once("response", (res) => resolve(res.resume().statusCode))
        .once("error", reject)
        .end(),
    );
    expect(status).toBe(403);
  });
});
