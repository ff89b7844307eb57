// Benchmark 5: the stateful fake (digitalocean-typed/testing). Start-up to first answer, side by side with the
// Prism mock: each variant in a fresh node process, the parent polling until GET /v2/vpcs answers 200, the
// variants taking turns round by round; the fake as a user has it, from the packed tarball installed with its
// production dependencies (bench/install.ts). Then 1,000 sequential GETs through the client against an
// in-process fake: requests per second.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { createDigitalOceanClient, unwrap } from "../src/index.js";
import { startFakeDigitalOcean } from "../src/testing/index.js";
import type { Install } from "./install.js";
import { FAKE_TOKEN, median, ROOT } from "./lib.js";

const PRISM = createRequire(import.meta.url).resolve("@stoplight/prism-cli/dist/index.js");
/** A child that starts the installed fake on the port it is given and prints the fake's token. */
const fakeChild = (install: Install) => `const { startFakeDigitalOcean } = await import(${JSON.stringify(
  join(install.dir, "node_modules/digitalocean-typed/dist/testing/index.js"),
)});
const fake = await startFakeDigitalOcean({ port: Number(process.argv[1]) });
console.log(fake.token);`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Milliseconds from spawning `args` to the first 200 of GET /v2/vpcs on `port`, polling every 5 ms. The token is
 * `token`, or (for the fake, whose token is random) the first line the child prints.
 */
async function firstAnswer(args: string[], port: number, token?: string): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", token ? "ignore" : "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk));
  try {
    const bearer =
      token ??
      (await new Promise<string>((resolve) =>
        child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim())),
      ));
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(
          `${args[0] === PRISM ? "Prism" : "The fake"} exited with ${child.exitCode} before answering:\n${stderr.slice(-2000)}`,
        );
      const status = await fetch(`http://127.0.0.1:${port}/v2/vpcs`, {
        headers: { authorization: `Bearer ${bearer}` },
      }).then(
        (r) => {
          void r.body?.cancel();
          return r.status;
        },
        () => 0,
      );
      if (status === 200) return performance.now() - start;
      if (performance.now() - start > 60_000)
        throw new Error(`no 200 from ${args[0]} within 60 s (last status ${status})`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill("SIGKILL");
    await new Promise((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once("exit", resolve),
    );
  }
}

export interface FakeBench {
  rounds: number;
  /** Median start-up to first answer, ms. */
  fakeMs: number;
  prismMs: number;
  /** Fake over Prism within each round; the median. */
  ratio: number;
  requests: number;
  /** Sequential GETs per second through the client, median of the runs. */
  perSecond: number;
}

export async function benchFake(install: Install, rounds = 5, requests = 1_000, runs = 3): Promise<FakeBench> {
  const child = fakeChild(install);
  const fake: number[] = [];
  const prism: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const fakePort = await freePort();
    const prismPort = await freePort();
    const variants = [
      async () => fake.push(await firstAnswer(["--input-type=module", "-e", child, String(fakePort)], fakePort)),
      async () =>
        prism.push(
          await firstAnswer(
            [PRISM, "mock", `${ROOT}generated/openapi.yaml`, "--host", "127.0.0.1", "--port", String(prismPort)],
            prismPort,
            FAKE_TOKEN,
          ),
        ),
    ];
    for (const variant of round % 2 ? variants.reverse() : variants) await variant();
    ratios.push(fake.at(-1)! / prism.at(-1)!);
  }

  const server = await startFakeDigitalOcean({ provisionMs: 0 });
  const perSecond: number[] = [];
  try {
    // No pacing: the fake has no per-minute limit to respect, and pacing's default (250 a minute) would measure itself.
    const client = createDigitalOceanClient({ baseUrl: server.url, token: server.token, pacing: false });
    const created = await unwrap(
      client.POST("/v2/droplets", {
        body: { name: "bench", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" },
      }),
    );
    const droplet_id = "droplet" in created ? created.droplet.id : 0;
    const get = () => unwrap(client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id } } }));
    for (let i = 0; i < 50; i++) await get(); // warm-up: code optimised, connections open
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      for (let i = 0; i < requests; i++) await get();
      perSecond.push(requests / ((performance.now() - start) / 1000));
    }
    if (server.problems.length) throw new Error(`the fake broke the spec during the bench: ${server.problems[0]}`);
  } finally {
    await server.close();
  }
  return {
    rounds,
    fakeMs: median(fake),
    prismMs: median(prism),
    ratio: median(ratios),
    requests,
    perSecond: median(perSecond),
  };
}
