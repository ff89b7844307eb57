// A Prism mock of generated/openapi.yaml on 127.0.0.1: `npm run mock [-- --port 4010] [-- --dynamic]`.
// Also imported by the contract tests and examples/demo.ts, which start and stop their own mock.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The bundled spec the mock serves. */
export const SPEC_FILE = `${ROOT}generated/openapi.yaml`;
const PRISM = createRequire(import.meta.url).resolve("@stoplight/prism-cli/dist/index.js");
const HOST = "127.0.0.1";
const DIE_WITH_PARENT = encodeURIComponent("process.stdin.on('end', () => process.exit(0)).resume();");

/** Options of {@link startMock}. */
export interface MockOptions {
  /** Port to listen on; default: a free one. */
  port?: number;
  /** Generate responses from the schemas (json-schema-faker) instead of returning the spec's examples. */
  dynamic?: boolean;
  /** Give up if Prism does not accept connections within this many milliseconds (default 30,000). */
  startTimeoutMs?: number;
  /** Copy Prism's log to this process's stdout (default false: kept in memory, see {@link Mock.log}). */
  echo?: boolean;
  /**
   * Serve {@link SPEC_FILE} itself, so Prism restarts with the new spec after `npm run generate`. Default false:
   * serve a copy taken now, so a regeneration during a test run cannot restart (and briefly stop) the mock.
   */
  watch?: boolean;
}

/** A running Prism mock. */
export interface Mock {
  /** Base URL to pass as the client's `baseUrl`, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** Prism's recent log lines (request validation errors show up here). */
  log(): string;
  /** Stops Prism: SIGTERM, then SIGKILL after 5 s. Safe to call twice. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, HOST, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** True if something accepts TCP connections on `port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true)).once("error", () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

/** Resolves when `child` has exited, or after `ms` with false. */
function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts Prism on {@link SPEC_FILE} at 127.0.0.1 with request validation (its default) and waits, at most
 * `startTimeoutMs`, until it says it listens and accepts connections. Prism exits when this process does.
 */
export async function startMock(options: MockOptions = {}): Promise<Mock> {
  const { dynamic = false, startTimeoutMs = 30_000, echo = false, watch = false } = options;
  const port = options.port ?? (await freePort());
  if (await accepts(port)) throw new Error(`Cannot start the Prism mock: port ${port} on ${HOST} is already in use.`);
  const copyDir = watch ? undefined : mkdtempSync(join(tmpdir(), "do-mock-"));
  const spec = copyDir ? join(copyDir, "openapi.yaml") : SPEC_FILE;
  if (copyDir) copyFileSync(SPEC_FILE, spec);
  // Prism reads nothing from stdin: it exits when the pipe closes, i.e. when this process dies, however it dies.
  const args = [
    "--import",
    `data:text/javascript,${DIE_WITH_PARENT}`,
    PRISM,
    "mock",
    spec,
    "--host",
    HOST,
    "--port",
    String(port),
    ...(dynamic ? ["--dynamic"] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  const recorder = () => {
    let partial = "";
    return (chunk: Buffer) => {
      if (echo) process.stdout.write(chunk);
      const parts = (partial + chunk.toString()).split("\n");
      partial = parts.pop() ?? "";
      lines.push(...parts.filter(Boolean));
      lines.splice(0, Math.max(0, lines.length - 200));
    };
  };
  child.stdout?.on("data", recorder());
  child.stderr?.on("data", recorder());
  child.once("exit", (code, signal) => lines.push(`[mock] Prism exited (code ${code}, signal ${signal})`));

  const mock: Mock = {
    url: `http://${HOST}:${port}`,
    log: () => lines.join("\n"),
    async stop() {
      if (!(await exited(child, 0))) {
        child.kill("SIGTERM");
        if (!(await exited(child, 5_000))) child.kill("SIGKILL");
        await exited(child, 5_000);
      }
      if (copyDir) rmSync(copyDir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + startTimeoutMs;
  const listening = () => lines.some((line) => line.includes("Prism is listening on"));
  while (!(listening() && (await accepts(port)))) {
    const gone = child.exitCode !== null || child.signalCode !== null;
    if (gone || Date.now() > deadline) {
      await mock.stop();
      const why = gone
        ? `exited with ${child.exitCode ?? child.signalCode}`
        : `did not listen within ${startTimeoutMs} ms`;
      throw new Error(`Prism mock on port ${port} ${why}. Its last output:\n${lines.slice(-20).join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return mock;
}

/** `npm run mock`: serves until Ctrl-C. */
async function main(argv: string[]): Promise<void> {
  const portArg = argv.indexOf("--port");
  const given = portArg >= 0 ? argv[portArg + 1] : (process.env.PORT ?? "4010");
  const port = Number(given);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`--port (or PORT) must be a port number, got ${given}.`);
  const dynamic = argv.includes("--dynamic");
  const mock = await startMock({ port, dynamic, echo: true, watch: true });
  console.log(
    `\nMock DigitalOcean API (Prism, ${dynamic ? "dynamic" : "static examples"}, request validation on): ${mock.url}`,
  );
  console.log("It reloads generated/openapi.yaml whenever `npm run generate` rewrites it.");
  console.log(
    `Try: createDigitalOceanClient({ baseUrl: "${mock.url}", token: "dop_v1_" + "0".repeat(64) }). Ctrl-C stops it.`,
  );
  const stop = () => void mock.stop().then(() => process.exit(0));
  process.once("SIGINT", stop).once("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
