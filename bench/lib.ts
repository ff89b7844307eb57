// Shared helpers of the benchmarks: the fake API in a child process, timing, statistics, machine info.
import { spawn } from "node:child_process";
import { cpus, totalmem, release } from "node:os";
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

/** Starts bench/server.ts in a child process and waits until it listens. */
export function startServer(latencyMs = 0, items = 10_000): Promise<FakeServer> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("server.ts", import.meta.url)), String(latencyMs), String(items)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
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
