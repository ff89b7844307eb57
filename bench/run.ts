// `npm run bench`: every benchmark in one run, printed as ratios and written to bench/results.md.
//   npm run bench                      everything (about 5 minutes on 2 cores)
//   npm run bench -- overhead typecheck   a subset, printed only (results.md is written by full runs)
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { benchConformance } from "./conformance.js";
import { benchFake } from "./fake.js";
import { benchFleet, benchSlowStore, benchStoreOverhead, FLEETS, type Fleet } from "./fleet.js";
import { benchGenerate } from "./generate.js";
import { benchMcpTools } from "./mcp.js";
import { installPackage } from "./install.js";
import { machine } from "./lib.js";
import { benchOverhead, VARIANTS, type BodyResult, type Variant } from "./overhead.js";
import { benchPagination, type PaginationRow } from "./pagination.js";
import { benchRateLimit } from "./ratelimit.js";
import { benchTypecheck, type TypecheckRow } from "./typecheck.js";
import { startRedis } from "../test/helpers/redis.js";

const ALL = [
  "overhead",
  "pagination",
  "generate",
  "typecheck",
  "ratelimit",
  "fake",
  "conformance",
  "install",
  "fleet",
  "mcp",
] as const;
const chosen = process.argv.slice(2);
const unknown = chosen.filter((c) => !(ALL as readonly string[]).includes(c));
if (unknown.length) throw new Error(`Unknown benchmark ${unknown.join(", ")}; choose from ${ALL.join(", ")}.`);
const wanted = (name: (typeof ALL)[number]) => chosen.length === 0 || chosen.includes(name);

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? "✅ met" : "❌ missed");
/** How wide `text` shows: an emoji such as ✅ takes two columns. */
const width = (text: string) => [...text].reduce((w, c) => w + (/\p{Emoji_Presentation}/u.test(c) ? 2 : 1), 0);

/** A Markdown table with its columns padded, as the formatter (`biome check`) writes them. */
function table(head: string[], rows: (string | number)[][]) {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(3, ...cells.map((r) => width(r[i]!))));
  const line = (r: string[]) => `| ${r.map((c, i) => c + " ".repeat(widths[i]! - width(c))).join(" | ")} |`;
  return [line(cells[0]!), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n");
}

const load = loadavg()[0]!;
const sections: string[] = [];
function section(title: string, body: string) {
  sections.push(`## ${title}\n\n${body}\n`);
  console.log(`\n${title}\n${body}`);
}

if (wanted("overhead")) {
  const r = await benchOverhead();
  const bodies = Object.entries(r.bodies);
  const kb = (bytes: number) => `${fmt(bytes / 1000, 1)} KB`;
  const span = (b: BodyResult, v: Variant) => `${fmt(b.cpuRatioRange[v][0], 2)}–${fmt(b.cpuRatioRange[v][1], 2)}×`;
  const rows = bodies.flatMap(([name, b]) =>
    VARIANTS.map((v) => [
      `${name} (${kb(b.bytes)})`,
      v,
      fmt(b.cpuUs[v]),
      `${fmt(b.cpuRatio[v], 2)}×`,
      span(b, v),
      fmt(b.wallUs[v]),
      `${fmt(b.wallRatio[v], 2)}×`,
      v.startsWith("digitalocean-typed,") ? `${fmt(b.cpuRatioToPathStyle[v], 2)}×` : "—",
    ]),
  );
  const ratios = bodies.map(([name, b]) => `${name} ${fmt(b.cpuRatio["digitalocean-typed"], 2)}×`);
  const met = bodies.every(([, b]) => b.cpuRatio["digitalocean-typed"] <= 1.05);
  const resource = "digitalocean-typed, resource methods";
  const resourceRatios = bodies.map(
    ([name, b]) =>
      `${name} ${fmt(b.cpuRatioToPathStyle[resource], 2)}× (sets ${fmt(b.cpuRatioToPathStyleRange[resource][0], 2)}–${fmt(b.cpuRatioToPathStyleRange[resource][1], 2)}×)`,
  );
  const resourceMet = bodies.every(([, b]) => b.cpuRatioToPathStyle[resource] <= 1.02);
  const timeout = bodies.map(
    ([name, b]) =>
      `${name} ${fmt((b.cpuRatio["digitalocean-typed, defaults"] - b.cpuRatio["digitalocean-typed"]) * b.cpuUs["openapi-fetch"])} µs`,
  );
  section(
    "1. Per-request overhead",
    `Sequential GETs of three bodies from a keep-alive node:http server in its own process: one Droplet, a 20-Droplet page and a 200-Droplet page, ` +
      `each Droplet complete as the spec documents it. Each variant runs in a node process of its own; the processes take turns, ${r.rounds} rounds ` +
      `of every body (${bodies.map(([name, b]) => `${name} ${fmt(b.requests)} requests`).join(", ")}), in a rotating order, and each ratio is taken ` +
      `within a round against openapi-fetch. All of that is repeated in ${r.sets} sets of fresh processes; the table shows the median over sets, with ` +
      `the range of the sets' CPU ratios (a median of ratios, so not always the quotient of the medians beside it). CPU is the client process's CPU ` +
      `time per request (the client side's work); wall is elapsed time.\n\n` +
      "`digitalocean-typed` sends the token, retries (up to 3), tracks rate limits and paces requests (to a limit this never reaches, " +
      "so the pacer keeps its books on every request without making one wait), with `timeoutMs: 0`, in path style " +
      '(`client.GET("/v2/droplets/{droplet_id}", …)`); `digitalocean-typed, resource methods` is the same client called as ' +
      "`client.droplets.get(1)` and `client.droplets.list({ per_page })`, its last column the CPU ratio to path style within each round; " +
      "`digitalocean-typed, defaults` also has the default 30 s per-attempt timeout.\n\n" +
      table(
        [
          "body",
          "client",
          "µs CPU / request",
          "× openapi-fetch",
          "range over sets",
          "µs wall / request",
          "× openapi-fetch",
          "CPU × path style",
        ],
        rows,
      ) +
      `\n\nTarget ≤ 1.05× bare openapi-fetch for each body (CPU, auth + retries + rate limits + pacing): ${ratios.join(", ")} — ${verdict(met)}. ` +
      `Target ≤ 1.02× path style for resource methods: ${resourceRatios.join(", ")} — ${verdict(resourceMet)}. ` +
      `The timeout costs per request: ${timeout.join(", ")} (one AbortSignal per attempt, which Node's fetch has to follow).`,
  );
}

if (wanted("pagination")) {
  const rows = await benchPagination();
  const [, seq, par] = rows as [PaginationRow, PaginationRow, PaginationRow];
  const rounds = 1 + Math.ceil((seq.requests - 1) / 4);
  section(
    "2. Pagination",
    `10,000 droplets, 20 ms server latency per request, read item by item. Sequential per_page=200 and paginate take turns for ${par.runs} rounds; ` +
      `each speedup is taken within a round, and the median counts. Sequential per_page=20 ran in ${rows[0]!.runs} of them. ` +
      `Every run is checked to return all 10,000 in order.\n\n` +
      table(
        ["how", "median ms", "requests", "max in flight at the server", "× faster than sequential per_page=200"],
        rows.map((r) => [r.name, fmt(r.ms), r.requests, r.maxInFlight, `${fmt(r.speedup, 2)}×`]),
      ) +
      `\n\nTarget ≥ 3.5× faster than sequential per_page=200 with ≤ 4 in flight: ${fmt(par.speedup, 2)}×, max ${par.maxInFlight} in flight — ${verdict(par.speedup >= 3.5 && par.maxInFlight <= 4)}. ` +
      `For reference, with latency alone (no time spent per page) fetching the first page, then the other ${seq.requests - 1} four at a time, gives ${seq.requests} / ${rounds} = ${fmt(seq.requests / rounds, 2)}×.`,
  );
}

if (wanted("generate")) {
  const r = await benchGenerate();
  const s = (ms: number) => `${fmt(ms / 1000, 2)} s`;
  section(
    "3. Generation",
    `\`node scripts/generate.mjs\` (lint, bundle, types, validators and change report in one process) against the three CLIs alone (\`redocly lint\`, ` +
      `\`redocly bundle\`, \`openapi-typescript\`, one after another), each a fresh process on a temp copy of spec/ (run directly with node, without npm's ~0.3 s in front). ${r.rounds} rounds, the two alternating ` +
      `(order swapped every round); every round first edits a description, runs both, then runs the one-process generation again on the ` +
      `unchanged spec. Ratios are medians of the per-round ratios; CPU is user + system time of all processes and threads, which the machine's load hardly moves. Watch: \`--watch\` running, ${r.watchEdits.length} description edits taking turns with ` +
      `${r.watchSchemaEdits.length} constraint edits (\`maxLength\`: the conformance validators are compiled anew), one save after another, each timed from the ` +
      `write until the watcher prints that generated/ was written.\n\n` +
      table(
        ["run", "median wall", "× the chain (wall)", "× the chain (CPU)", "target (wall)"],
        [
          ["the three CLIs", s(r.chainMs), "1.00×", `1.00× (${s(r.chainCpuMs)})`, "—"],
          [
            "one process, after a spec edit",
            s(r.editedMs),
            `${fmt(r.editedRatio, 2)}×`,
            `${fmt(r.editedCpuRatio, 2)}×`,
            `≤ 0.8× — ${verdict(r.editedRatio <= 0.8)}`,
          ],
          [
            "one process, spec unchanged",
            s(r.unchangedMs),
            `${fmt(r.unchangedRatio, 2)}×`,
            `${fmt(r.unchangedCpuRatio, 2)}×`,
            `≤ 0.4× — ${verdict(r.unchangedRatio <= 0.4)}`,
          ],
          [
            "watch: save → generated/ written (description edit)",
            s(r.watchMs),
            "—",
            "—",
            `≤ 1 s — ${verdict(r.watchMs <= 1000)}`,
          ],
          [
            "watch: save → generated/ written (constraint edit)",
            s(r.watchSchemaMs),
            "—",
            "—",
            `≤ 1 s — ${verdict(r.watchSchemaMs <= 1000)}`,
          ],
        ],
      ) +
      `\n\nWatch, each save in ms: descriptions ${r.watchEdits.map((ms) => fmt(ms)).join(", ")}; constraints ${r.watchSchemaEdits.map((ms) => fmt(ms)).join(", ")}.`,
  );
}

if (wanted("typecheck")) {
  const rows = benchTypecheck();
  const [base, paths, resources] = rows as [TypecheckRow, TypecheckRow, TypecheckRow];
  const added = (r: TypecheckRow) =>
    `${fmt((r.checkMs - base.checkMs) / 1000, 2)} s of check time (${fmt((r.checkMs - base.checkMs) / r.calls)} ms per call) and ${fmt(r.memoryMB - base.memoryMB)} MB`;
  section(
    "4. Type-checking cost",
    "`tsc --noEmit` (strict, skipLibCheck) of a consumer file against the shipped declarations, median of 3 runs. " +
      `The ${paths.calls}-call files call every operation with its path and required parameters and the spec's request-body examples, ` +
      "once in path style and once through resource methods.\n\n" +
      table(
        ["consumer file", "wall s", "tsc check time s", "tsc memory MB"],
        rows.map((r) => [r.name, fmt(r.wallMs / 1000, 2), fmt(r.checkMs / 1000, 2), fmt(r.memoryMB)]),
      ) +
      `\n\nPath style adds ${added(paths)}; resource methods add ${added(resources)}. ` +
      `Target: resource methods cost no more check time than path style: ${fmt(resources.checkMs / paths.checkMs, 2)}× — ${verdict(resources.checkMs <= paths.checkMs)}.`,
  );
}

if (wanted("ratelimit")) {
  const r = await benchRateLimit();
  const m = r.median;
  const windows = r.minimumMs / r.windowMs;
  section(
    "5. Pacing under a rate limit",
    `${r.n} GETs fired at once through a client with \`pacing: { requests: ${r.limit}, windowMs: ${r.windowMs} }\`, against a local server that ` +
      `allows ${r.limit} requests in any rolling ${r.windowMs} ms (counted on arrival, with ratelimit-* headers, a 429 beyond). The least the limit allows ` +
      `is ${windows} windows (ceil(${r.n} / ${r.limit}) - 1), ${fmt(r.minimumMs)} ms. Median of ${r.runs} runs, each against a fresh server.\n\n` +
      table(
        ["client", "429s", "most requests in any window at the server", "total ms", "× the least the limit allows"],
        [
          [
            `paced (${r.limit} per ${r.windowMs} ms)`,
            m.tooMany,
            m.peak,
            fmt(m.ms),
            `${fmt(m.ratio, 2)}× (runs ${fmt(r.ratioRange[0], 2)}–${fmt(r.ratioRange[1], 2)}×)`,
          ],
          ["pacing: false, retry: false", r.unpaced.tooMany, r.unpaced.peak, "—", "—"],
        ],
      ) +
      `\n\nTarget 0 429s and ≤ 1.15× the least time: ${m.tooMany} and ${fmt(m.ratio, 2)}× — ${verdict(m.tooMany === 0 && m.ratio <= 1.15)}.`,
  );
}

const install = wanted("fake") || wanted("install") ? await installPackage() : undefined;

if (install && wanted("fake")) {
  const r = await benchFake(install);
  section(
    "6. The fake DigitalOcean",
    `Start-up to first answer: a fresh node process starts the fake as a user has it (\`digitalocean-typed/testing\` from the packed tarball, installed with its production dependencies) or the Prism mock on the same bundle (\`generated/openapi.yaml\`), and the parent ` +
      `polls GET /v2/vpcs every 5 ms until it answers 200. The two take turns for ${r.rounds} rounds; the ratio is taken within each round, and the median counts.\n\n` +
      table(
        ["server", "median ms to first answer"],
        [
          ["fake (digitalocean-typed/testing)", fmt(r.fakeMs)],
          ["Prism mock", fmt(r.prismMs)],
        ],
      ) +
      `\n\nTarget ≤ 0.15× Prism's start-up: ${fmt(r.ratio, 2)}× — ${verdict(r.ratio <= 0.15)}.\n\n` +
      `Throughput: ${fmt(r.requests)} sequential GET /v2/droplets/{droplet_id} through the client against an in-process fake (each request and answer validated against the spec), ` +
      `median of 3 runs after a warm-up: **${fmt(r.perSecond)} requests/s**.`,
  );
}

if (wanted("conformance")) {
  const r = await benchConformance();
  section(
    "7. Conformance middleware",
    `Sequential GETs of a 200-item droplet list page (complete droplets as the spec documents them, ${fmt(r.requests)} per round) from a ` +
      `keep-alive local server in its own process, through the client without and with \`conformance()\`; the two take turns in alternating ` +
      `order for ${r.rounds} rounds, each ratio is taken within a round, and the median counts. CPU is the client process's time per request.\n\n` +
      table(
        ["client", "µs CPU / request"],
        [
          ["without the middleware", fmt(r.offUs)],
          ["with `conformance()`", fmt(r.onUs)],
        ],
      ) +
      `\n\nTarget ≤ 1.5× (CPU, with vs without): ${fmt(r.ratio, 2)}× (rounds ${fmt(r.range[0], 2)}–${fmt(r.range[1], 2)}×) — ${verdict(r.ratio <= 1.5)}.`,
  );
}

if (install && wanted("install")) {
  const mb = install.bytes / 1_000_000;
  section(
    "8. Installed size",
    "`npm pack`, then the tarball installed offline with `--omit=dev` into an empty project, with its production dependencies " +
      "as the lockfile has them; the size is the bytes of every file under its node_modules.\n\n" +
      table(["installed", "packages"], [[`${fmt(mb, 2)} MB`, install.packages.join(", ")]]) +
      `\n\nTarget ≤ 2.5 MB: ${fmt(mb, 2)} MB — ${verdict(mb <= 2.5)}.`,
  );
}
install?.remove();

if (wanted("fleet")) {
  const redis = await startRedis();
  try {
    const f = await benchFleet(redis);
    const o = await benchStoreOverhead(redis.url);
    const slow = await benchSlowStore(redis);
    const total = f.work.reduce((a, b) => a + b, 0);
    const how: Record<Fleet, string> = {
      shared: `each the whole limit, through \`redisPacing\` on one Redis`,
      split: `each a share in memory (${f.runs.split.paced} per window)`,
      alone: "each the whole limit in memory",
      lost: "through `redisPacing`, Redis killed as the second window opens",
    };
    const { shared, lost } = f.runs;
    section(
      "9. Many processes, one token",
      `${f.work.length} node processes with uneven work (${f.work.join(", ")} GETs, each process firing its own at once when all are ready) ` +
        `against a local server that allows ${f.limit} requests in any rolling ${fmt(f.windowMs)} ms (counted on arrival, 429 beyond), ` +
        `retries off so every refusal is counted. The least the limit allows for all ${total} is ${fmt(shared.minimumMs)} ms ` +
        `(ceil(${total} / ${f.limit}) - 1 windows). Median run by time of ${f.rounds}, the fleets taking turns. ` +
        `Round trips are the scripts Redis ran (its commandstats), over the requests sent.\n\n` +
        table(
          [
            "processes pace",
            "429s",
            "most requests in any window at the server",
            "ms to the last answer",
            "× the least",
            "busiest process's most in a window",
            "Redis round trips / request",
          ],
          FLEETS.map((fleet) => {
            const r = f.runs[fleet];
            const trips = r.roundTripsPerRequest ? fmt(r.roundTripsPerRequest, 2) : "—";
            return [how[fleet], r.tooMany, r.peak, fmt(r.ms), `${fmt(r.ratio, 2)}×`, r.busiestPeak, trips];
          }),
        ) +
        `\n\nTarget 0 429s and ≤ 1.15× the least time with the shared store: ${shared.tooMany} and ${fmt(shared.ratio, 2)}× — ${verdict(shared.tooMany === 0 && shared.ratio <= 1.15)}.\n\n` +
        `Target 0 429s when Redis is lost, every request sent once: ${lost.tooMany} of ${lost.requests} refused — ${verdict(lost.tooMany === 0 && lost.requests === total)}.\n\n` +
        `Per-request cost of the store: ${fmt(o.requests)} sequential GETs to a keep-alive local server, one client with in-memory pacing and one ` +
        `with \`redisPacing\` (loopback Redis), in one process, ${o.rounds} alternating rounds: ${fmt(o.memoryUs)} µs in memory, ${fmt(o.redisUs)} µs ` +
        `with Redis (${fmt(o.ratio, 2)}×, +${fmt(o.redisUs - o.memoryUs)} µs), ${fmt(o.roundTripsPerRequest, 2)} Redis round trips per request.\n\n` +
        `A Redis ${fmt(2 * slow.latencyMs)} ms away (a proxy delaying each way ${fmt(slow.latencyMs)} ms): one client firing ${slow.requests} GETs ` +
        `under ${slow.limit} per ${fmt(slow.windowMs)} ms took ${fmt(slow.ms)} ms, ${fmt(slow.ms / slow.minimumMs, 2)}× the ${fmt(slow.minimumMs)} ms the limit ` +
        `allows (${slow.tooMany} × 429). A place frees a window after Redis hears of its answer, and the take that claims it travels too, so ` +
        `each window costs at least a round trip more.`,
    );
  } finally {
    await redis.stop();
  }
}

if (wanted("mcp")) {
  const sizes = await benchMcpTools();
  section(
    "10. The MCP server's tool list",
    "What a host puts in the model's context before the first call: the `tools/list` answer of `digitalocean-typed-mcp` in each mode, " +
      "read through the MCP SDK's Client, in tokens at 4 characters each. Output schemas are sent without descriptions; input schemas keep them.\n\n" +
      table(
        ["mode", "tools", "≈ tokens"],
        sizes.map((s) => [s.mode, s.tools, fmt(s.tokens)]),
      ),
  );
}

/** What bench/results.md says below "## Notes": measurements made once by hand (profiles), kept across runs. */
const NOTES = "\n## Notes\n";
const notes = (() => {
  const text = readFileSync(new URL("results.md", import.meta.url), "utf8");
  return text.includes(NOTES) ? text.slice(text.indexOf(NOTES)) : "";
})();

if (chosen.length === 0) {
  const header = `# Benchmark results\n\nWritten by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.\n\nMachine: ${machine()}; 1-minute load average ${fmt(load, 1)} at the start.\n`;
  writeFileSync(new URL("results.md", import.meta.url), `${header}\n${sections.join("\n")}${notes}`);
  console.log("\nWritten to bench/results.md.");
}
