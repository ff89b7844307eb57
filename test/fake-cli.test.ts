// `npm run fake` (installed: `digitalocean-typed-fake`, tested in package.test.ts): the fake as a standalone server,
// usable from anything that speaks HTTP.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/spec.js";

/** Listens on `port` (0: any) for a moment: the port it got, or undefined when it is taken. */
async function tryPort(port: number): Promise<number | undefined> {
  const server = createServer();
  const ok = await new Promise<boolean>((resolve) =>
    server.once("error", () => resolve(false)).listen(port, "127.0.0.1", () => resolve(true)),
  );
  if (!ok) return undefined;
  const got = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return got;
}

/** Starts `npm run fake` with `args`; resolves with its output once it printed `until` (or exited). */
function runFake(args: string[], until: RegExp) {
  const child = spawn("npm", ["run", "--silent", "fake", "--", ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  const printed = new Promise<string>((resolve) => {
    const check = (chunk: Buffer) => {
      output += chunk;
      if (until.test(output)) resolve(output);
    };
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    void exited.then(() => resolve(output));
  });
  return { printed, exited, stop: () => process.kill(-child.pid!, "SIGTERM") };
}

describe("npm run fake", () => {
  it("serves on the given port, prints the URL and token, answers curl-style requests, stops on SIGTERM", async () => {
    const port = (await tryPort(0))!;
    const fake = runFake(["--port", String(port), "--provision-ms", "0"], /Ctrl-C stops it\./);
    try {
      const output = await fake.printed;
      expect(output).toContain(`Fake DigitalOcean API (stateful, checked against the spec): http://127.0.0.1:${port}`);
      const token = /Token: (dop_v1_[0-9a-f]{64})/.exec(output)?.[1];
      expect(token).toBeDefined();
      const url = `http://127.0.0.1:${port}/v2/vpcs`;
      const created = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "from-curl", region: "ams3" }),
      });
      expect(created.status).toBe(201);
      const listed = (await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        vpcs: { name: string }[];
      };
      expect(listed.vpcs.map((v) => v.name)).toEqual(["from-curl"]);
      expect((await fetch(url, { headers: { authorization: "Bearer dop_v1_wrong" } })).status).toBe(401);
    } finally {
      fake.stop();
    }
    await fake.exited;
    expect(await tryPort(port)).toBe(port);
  }, 60_000);

  it("accepts a fixed --token, and says how to point a client at it", async () => {
    const token = "dop_v1_fixedtoken";
    const fake = runFake(["--port", "0", "--token", token], /Ctrl-C stops it\./);
    try {
      const output = await fake.printed;
      expect(output).toContain(`Token: ${token}`);
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
      expect(output).toContain(`DIGITALOCEAN_API_URL=${url} DIGITALOCEAN_TOKEN=${token}`);
      expect((await fetch(`${url}/v2/vpcs`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      fake.stop();
    }
    await fake.exited;
  }, 60_000);

  it("gives --token the --scopes listed: what they allow is answered, the rest gets a 403", async () => {
    const token = "dop_v1_scoped";
    const fake = runFake(["--port", "0", "--token", token, "--scopes", "vpc:read,droplet:read"], /Ctrl-C stops it\./);
    try {
      const output = await fake.printed;
      expect(output).toContain(`Token: ${token} (scopes: vpc:read,droplet:read)`);
      const url = `${/(http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!}/v2/vpcs`;
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      expect((await fetch(url, { headers })).status).toBe(200);
      const body = JSON.stringify({ name: "refused", region: "nyc3" });
      const refused = await fetch(url, { method: "POST", headers, body });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { message: string }).message).toContain("lacks the scope vpc:create");
    } finally {
      fake.stop();
    }
    await fake.exited;
  }, 60_000);

  it("keeps an account across runs: --save writes the state on exit, --state starts from it", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "fake-state-")), "account.json");
    const run = async (args: string[], work: (url: string, token: string) => Promise<void>) => {
      const fake = runFake(["--port", "0", ...args], /Ctrl-C stops it\./);
      const output = await fake.printed;
      try {
        await work(/(http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!, /Token: (\S+)/.exec(output)![1]!);
      } finally {
        fake.stop();
      }
      await fake.exited;
    };
    await run(["--save", file], async (url, token) => {
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      const body = JSON.stringify({ name: "kept", region: "ams3" });
      expect((await fetch(`${url}/v2/vpcs`, { method: "POST", headers, body })).status).toBe(201);
    });
    expect(readFileSync(file, "utf8")).toContain('"kept"');
    await run(["--state", file], async (url, token) => {
      const listed = await fetch(`${url}/v2/vpcs`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await listed.json()) as { vpcs: { name: string }[] }).vpcs.map((v) => v.name)).toEqual(["kept"]);
    });
  }, 60_000);

  it.each([
    [["--scopes", "vpc:read,"], "--scopes must list scopes separated by commas, got vpc:read,."],
    [["--scopes", "vpc:raed"], "unknown scope vpc:raed; the spec's scopes are"],
    [["--state", "/nonexistent/account.json"], "--state /nonexistent/account.json: ENOENT"],
    [["--port", "http"], "--port must be a whole number, got http."],
    [["--provision-ms", "1.5"], "--provision-ms must be a whole number, got 1.5."],
    [["--colour"], "Unknown option '--colour'"],
  ])(
    "refuses %j with a clear message, the usage and exit code 1",
    async (args, message) => {
      const fake = runFake(args, /Usage: digitalocean-typed-fake/);
      expect(await fake.printed).toContain(message);
      expect(await fake.exited).toBe(1);
    },
    60_000,
  );
});
