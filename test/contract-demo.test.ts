// `npm run demo` without DIGITALOCEAN_TOKEN starts the mock itself, runs every step and exits cleanly.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { bundle, ROOT } from "./helpers/spec.js";

/** Runs `npm run demo` in its own process group, killed as a whole if it outlives `timeoutMs`. */
function runDemo(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn("npm", ["run", "--silent", "demo"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("npm run demo", () => {
  it("runs against the local mock when DIGITALOCEAN_TOKEN is unset, and says so", async () => {
    const { DIGITALOCEAN_TOKEN: _unset, ...env } = process.env;
    const { code, stdout, stderr } = await runDemo(env, 90_000);

    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/DIGITALOCEAN_TOKEN is not set, so this runs against the local mock at http:\/\/127\.0\.0\.1:\d+/);
    // The mock answers with the spec's examples, so the demo must print exactly those.
    const { droplets } = bundle.paths["/v2/droplets"].get.responses["200"].content["application/json"].example;
    for (const { id, name } of droplets) expect(stdout).toContain(`${id}  ${name}`);
    const { vpc } = bundle.paths["/v2/vpcs"].post.responses["201"].content["application/json"].example;
    expect(stdout).toContain(`Created VPC ${vpc.name} (${vpc.id})`);
    const header = (name: string) => bundle.components.headers[name].example;
    expect(stdout).toContain(`Rate limit: ${header("ratelimit-remaining")} of ${header("ratelimit-limit")} requests left`);
    expect(stdout).toMatch(/as expected: ApiError 422 \(\w+\)/);
    expect(stdout).not.toContain("Unexpected");
    expect(stdout + stderr).not.toMatch(/do[po]_v1_/);
  }, 120_000);
});
