// digitalocean-typed/redis: pacing windows in Redis, shared by every client (in any process, on any machine) that
// uses the same token and the same Redis. Each operation is one Lua script, so it is atomic and one round trip.
//
// Not rate-limiter-flexible: its limiters count a request when it is consumed, in fixed windows, so a window can
// receive twice its points across a boundary, and a slow answer's place is not held until a window after it. The
// API's limit needs the rule the in-memory pacer keeps: a place from the send until `windowMs` after the answer.
import { createHash } from "node:crypto";
import type { Budget, PacingStore } from "./pacing.js";

/** What the store needs of an ioredis client: its `Redis` (or `Cluster`) fits as it is. */
export interface IoRedisClient {
  evalsha(sha: string, keys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown>;
  /** ioredis's connection state: anything but connecting or ready fails at once, rather than queue the command. */
  readonly status?: string;
}

/** What the store needs of a node-redis client (`createClient()` of `redis`, v4 or later). */
export interface NodeRedisClient {
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** Until it is ready, the store fails at once, rather than leave the command in node-redis's offline queue. */
  readonly isReady: boolean;
}

/** The Redis clients the store takes: ioredis or node-redis, told apart by their methods. */
export type RedisClient = IoRedisClient | NodeRedisClient;

export interface RedisPacingOptions {
  /** The budget's key in Redis, in place of the hash of the token: clients with the same key share one budget. */
  key?: string;
}

/** The time in Redis, in epoch ms: one clock for every process. */
const NOW = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * KEYS: the hold, the clients, then one sorted set per window (members: place ids; scores: when each place frees).
 * ARGV: the client, the lease, each window's requests and windowMs, then the place ids. Takes as many places as are
 * free, in order; answers how many, the ms to wait for the next unless it took them all, and the clients that asked
 * in the first window (a sorted set of client ids by when each leaves it).
 */
const TAKE = `${NOW}
local windows = #KEYS - 2
local first = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZADD', KEYS[2], now + first, ARGV[1])
redis.call('PEXPIRE', KEYS[2], first)
local clients = redis.call('ZCARD', KEYS[2])
local held = (tonumber(redis.call('GET', KEYS[1])) or 0) - now
local wanted = #ARGV - 2 - 2 * windows
local free = wanted
if held > 0 then free = 0 end
for i = 1, windows do
  redis.call('ZREMRANGEBYSCORE', KEYS[i + 2], '-inf', now)
  free = math.min(free, math.max(tonumber(ARGV[2 * i + 1]) - redis.call('ZCARD', KEYS[i + 2]), 0))
end
local lease = tonumber(ARGV[2])
for i = 1, windows do
  local window = tonumber(ARGV[2 * i + 2])
  for j = 1, free do
    redis.call('ZADD', KEYS[i + 2], now + window + lease, ARGV[2 + 2 * windows + j])
  end
  if free > 0 then redis.call('PEXPIRE', KEYS[i + 2], window + lease) end
end
if free == wanted then return {free, 0, clients} end
local wait = held
for i = 1, windows do
  local requests, window = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
  if redis.call('ZCARD', KEYS[i + 2]) >= requests then
    -- The oldest place frees first; one still in flight frees no sooner than a window from now.
    local oldest = tonumber(redis.call('ZRANGE', KEYS[i + 2], 0, 0, 'WITHSCORES')[2])
    wait = math.max(wait, math.min(oldest, now + window) - now)
  end
end
return {free, wait, clients}`;

/**
 * KEYS: the clients, then one sorted set per window. ARGV: the place id, then each windowMs. The place frees a
 * window from now. Answers the clients that asked in the first window.
 */
const DONE = `${NOW}
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], 'XX', now + tonumber(ARGV[i]), ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])`;

/** KEYS: the hold. ARGV: until when (epoch ms). Only ever lengthens the hold. */
const HOLD = `${NOW}
local until_ = tonumber(ARGV[1])
if until_ > now and until_ > (tonumber(redis.call('GET', KEYS[1])) or 0) then
  redis.call('SET', KEYS[1], until_, 'PX', until_ - now)
end
return 0`;

interface Script {
  lua: string;
  sha: string;
}

const script = (lua: string): Script => ({ lua, sha: createHash("sha1").update(lua).digest("hex") });
const SCRIPTS = { take: script(TAKE), done: script(DONE), hold: script(HOLD) };

/** Connection states in which ioredis would queue a command until it reconnects: fail at once instead. */
const DOWN = new Set(["reconnecting", "close", "end"]);

/** The one shape the store runs scripts on, whichever client it was given. */
interface Scripts {
  evalsha(sha: string, keys: string[], args: string[]): Promise<unknown>;
  eval(lua: string, keys: string[], args: string[]): Promise<unknown>;
  /** Why a command now would wait for a reconnection instead of failing, if it would. */
  down(): string | undefined;
}

const has = (redis: unknown, method: string) =>
  typeof (redis as Record<string, unknown> | null)?.[method] === "function";

/** node-redis names it `evalSha`, ioredis `evalsha`: that tells them apart. */
function scriptsOf(redis: RedisClient): Scripts {
  if (has(redis, "evalSha")) {
    const client = redis as NodeRedisClient;
    return {
      evalsha: (sha, keys, args) => client.evalSha(sha, { keys, arguments: args }),
      eval: (lua, keys, args) => client.eval(lua, { keys, arguments: args }),
      down: () => (client.isReady ? undefined : "Redis (node-redis) is not ready"),
    };
  }
  if (has(redis, "evalsha")) {
    const client = redis as IoRedisClient;
    return {
      evalsha: (sha, keys, args) => client.evalsha(sha, keys.length, ...keys, ...args),
      eval: (lua, keys, args) => client.eval(lua, keys.length, ...keys, ...args),
      down: () => (client.status && DOWN.has(client.status) ? `Redis is ${client.status}` : undefined),
    };
  }
  throw new TypeError(
    `redisPacing takes an ioredis client (with evalsha) or a node-redis client (with evalSha), got ${Object.prototype.toString.call(redis)}`,
  );
}

/**
 * A pacing store in Redis: `createDigitalOceanClient({ pacing: { store: redisPacing(new Redis(url)) } })`, with an
 * ioredis client or a connected node-redis one (`await createClient({ url }).connect()`). Every
 * client with the same token (or `key`) and Redis shares one budget; the key in Redis is a hash of the token.
 * If Redis fails or takes over a second, each client paces in memory with the same limits until it answers again.
 */
export function redisPacing(redis: RedisClient, options: RedisPacingOptions = {}): PacingStore {
  const scripts = scriptsOf(redis);
  const keysOf = (budget: Budget) => {
    const base = `digitalocean-typed:pacing:{${options.key ?? budget.key}}`;
    return {
      hold: `${base}:hold`,
      clients: `${base}:clients`,
      windows: budget.windows.map((w) => `${base}:${w.windowMs}`),
    };
  };

  /** Runs a script by its hash, loading it once if Redis does not know it (first use, or after a restart). */
  async function run({ lua, sha }: Script, keys: string[], values: (string | number)[]): Promise<unknown> {
    const down = scripts.down();
    if (down) throw new Error(down);
    const args = values.map(String); // node-redis takes strings only
    try {
      return await scripts.evalsha(sha, keys, args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith("NOSCRIPT")) throw error;
      return scripts.eval(lua, keys, args);
    }
  }

  return {
    async take(budget, ids) {
      const { hold, clients, windows } = keysOf(budget);
      const limits = budget.windows.flatMap((w) => [w.requests, w.windowMs]);
      const args = [budget.client, budget.leaseMs, ...limits, ...ids];
      const [taken, wait, count] = ((await run(SCRIPTS.take, [hold, clients, ...windows], args)) as unknown[]).map(
        Number,
      );
      return { taken: taken!, wait: wait!, clients: count! };
    },
    async done(budget, id) {
      const { clients, windows } = keysOf(budget);
      return {
        clients: Number(await run(SCRIPTS.done, [clients, ...windows], [id, ...budget.windows.map((w) => w.windowMs)])),
      };
    },
    async hold(budget, until) {
      await run(SCRIPTS.hold, [keysOf(budget).hold], [until]);
    },
  };
}
