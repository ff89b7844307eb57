// Shared helpers of the benchmarks: the fake API in a child process, timing, statistics, machine info.
import { spawn } from "node:child_process";
import { cpus, totalmem, release } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** An obviously fake token in the DigitalOcean shape; never a real one. */
export const FAKE_TOKEN = `dop_v1_${"0123456789abcdef".repeat(4)}`;

/** A running bench/server.ts. */
export interface FakeServer {
  url: string;
  stats(): Promise<{ requests: number; maxInFlight: number }>;
  reset(): Promise<void>;
  stop(): void;
}

/** Starts bench/server.ts in a child process and waits until it listens; `shape` is its droplets' (`small` or `spec`). */
export function startServer(latencyMs = 0, items = 10_000, shape = "small"): Promise<FakeServer> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("server.ts", import.meta.url)), String(latencyMs), String(items), shape],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench/server.ts exited with ${code} before listening`)));
    child.stdout.once("data", (chunk: Buffer) => {
      const url = `http://127.0.0.1:${(JSON.parse(chunk.toString()) as { port: number }).port}`;
      resolve({
        url,
        stats: async () => (await fetch(`${url}/__stats`)).json() as Promise<{ requests: number; maxInFlight: number }>,
        reset: async () => void (await fetch(`${url}/__reset`, { method: "POST" })).body?.cancel(),
        stop: () => void child.removeAllListeners("exit").kill(),
      });
    });
  });
}

/** Milliseconds `fn` takes. */
export async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The median of `values`. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One line naming the machine the numbers come from. */
export function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Linux ${release()}, Node ${process.versions.node}`;
}

/** Microseconds per request of one variant in one round. */
export interface Sample {
  cpuUs: number;
  wallUs: number;
}

/** In a variant's process: `requests` sequential calls, timed. */
async function measure(call: () => Promise<unknown>, requests: number): Promise<Sample> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < requests; i++)
    if ((await call()) === undefined) throw new Error("a benchmark request returned no data");
  const wallUs = ((performance.now() - start) * 1000) / requests;
  const used = process.cpuUsage(cpuStart);
  return { cpuUs: (used.user + used.system) / requests, wallUs };
}

/**
 * The body of a variant's process: for each line on stdin (a request count, and what to request when the variant
 * makes more than one call), runs that many of `callOf(what)` and prints a {@link Sample}.
 */
export async function serveRounds(callOf: (what: string) => () => Promise<unknown>): Promise<void> {
  for await (const line of createInterface({ input: process.stdin })) {
    const [count, what = ""] = line.split("\t");
    console.log(JSON.stringify(await measure(callOf(what), Number(count))));
  }
}

/** A variant's own process: `round(n, what)` runs n requests (of `what`) there and resolves to their cost per request. */
export interface Worker {
  round(requests: number, what?: string): Promise<Sample>;
  stop(): void;
}

/** Starts `script` (a module URL whose main calls {@link serveRounds}) with `args` in a node process of its own. */
export function startWorker(script: string, args: string[]): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(script), ...args], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async round(requests, what = "") {
      child.stdin.write(`${requests}\t${what}\n`);
      const { value, done } = await lines.next();
      if (done) throw new Error(`${fileURLToPath(script)} ${args[0]} exited with ${child.exitCode}`);
      return JSON.parse(value) as Sample;
    },
    stop: () => void child.kill(),
  };
}
