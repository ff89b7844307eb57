// One process of a fleet sharing one token (see fleet.ts): it sets up its client, says "ready", and when the parent
// writes a line fires its GETs at once, then prints their statuses as one JSON line and exits.
import { once } from "node:events";
import { Redis } from "ioredis";
import { createDigitalOceanClient, type PacingStore } from "../src/index.js";
import { redisPacing } from "../src/redis.js";
import type { WorkerConfig } from "./fleet.js";
import { FAKE_TOKEN } from "./lib.js";

const config = JSON.parse(process.argv[2]!) as WorkerConfig;
const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1 }) : undefined;
// A fleet whose Redis cannot be reached measures nothing: say so and exit, which the parent reports. Once it was
// ready, losing it is the store's to handle (the lost fleet kills it).
const unreachable = (error: Error) => {
  console.error(`fleet-worker: Redis at ${config.redisUrl}: ${error.message}`);
  process.exit(1);
};
redis?.once("error", unreachable);
if (redis && redis.status !== "ready") await once(redis, "ready");
redis?.off("error", unreachable).on("error", () => {});

/** The store, keeping its unsettled dones: a done can outlast its request (a script loaded again), and must not be cut off at exit. */
const store = redis && redisPacing(redis, { key: config.key });
const ending = new Set<Promise<unknown>>();
const pacingStore: PacingStore | undefined = store && {
  ...store,
  done(budget, id) {
    const done = Promise.resolve(store.done(budget, id));
    ending.add(done);
    const settled = () => ending.delete(done);
    done.then(settled, settled);
    return done;
  },
};

const client = createDigitalOceanClient({
  token: FAKE_TOKEN,
  baseUrl: config.baseUrl,
  retry: false, // a 429 stays a 429, so the parent counts every refusal
  logger: {}, // the limited server's ratelimit-remaining: 0 holds are expected
  pacing: {
    requests: config.requests,
    windowMs: config.windowMs,
    hourly: false,
    store: pacingStore,
  },
});

process.stdout.write("ready\n");
await once(process.stdin, "data");
const answers = await Promise.all(
  Array.from({ length: config.count }, () =>
    client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: config.id } } }),
  ),
);
process.stdout.write(`${JSON.stringify(answers.map((a) => a.response.status))}\n`);
await Promise.allSettled(ending);
redis?.disconnect();
process.stdin.destroy();
