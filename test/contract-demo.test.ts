// `npm run demo` without DIGITALOCEAN_TOKEN starts the fake itself, runs every step and exits cleanly.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/spec.js";

/** Runs `npm run demo` in its own process group, killed as a whole if it outlives `timeoutMs`. */
function runDemo(
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn("npm", ["run", "--silent", "demo"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
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
  it("runs a create → wait → list → delete tour on the fake when DIGITALOCEAN_TOKEN is unset, and says so", async () => {
    const { DIGITALOCEAN_TOKEN: _unset, ...env } = process.env;
    const { code, stdout, stderr } = await runDemo(env, 120_000);

    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(
      /DIGITALOCEAN_TOKEN is not set, so this runs against the local fake at http:\/\/127\.0\.0\.1:\d+/,
    );
    const vpc = /Created VPC (demo-\d+) \([0-9a-f-]{36}\) in nyc1, IP range (10\.\d+\.\d+)\.0\/20\./.exec(stdout);
    expect(vpc, stdout).not.toBeNull();
    const droplet = /Created Droplet demo-web-1 \((\d+)\): new\. Waiting until it is active…/.exec(stdout);
    expect(droplet, stdout).not.toBeNull();
    // The private address lies in the VPC's range: the fake assigned it when the Droplet became active.
    expect(stdout).toMatch(
      new RegExp(
        `Droplet demo-web-1 is active: private IP ${vpc![2]!.replace(/\./g, "\\.")}\\.\\d+ .*public IP 203\\.0\\.113\\.\\d+\\.`,
      ),
    );
    expect(stdout).toContain(`Droplets:\n  ${droplet![1]}  demo-web-1  active  nyc1\n`);
    expect(stdout).toMatch(/Rate limit: \d+ of 5000 requests left/);
    expect(stdout).toMatch(
      /as expected: UnprocessableEntityError 422 \(unprocessable_entity\): body\/name: "not a valid name!" does not match/,
    );
    expect(stdout).toContain(`Deleted Droplet ${droplet![1]}; Droplets left: 0.`);
    expect(stdout).toContain(`Kept VPC ${vpc![1]}: VPC ${vpc![1]} is the default VPC of nyc1 and cannot be deleted.`);
    expect(stdout).not.toContain("Unexpected");
    expect(stdout + stderr).not.toMatch(/do[po]_v1_/);
  }, 150_000);
});
