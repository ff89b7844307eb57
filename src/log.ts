// What the client tells a logger: debug, one line per attempt; info, retries and waits; warn, store failures and
// holds. No message ever holds the token: the transport builds them from methods, paths, statuses and times, and
// bodies (debug only) pass through `redact` first.

/** Where the client's messages go: `console` works, as do pino, winston and the like. */
export interface Logger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
}

export type LogLevel = "debug" | "info" | "warn";

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn"];

/** The client's log: one function per level that is on, `undefined` for a level that is off (checked before any message is built). */
export type Log = { [L in LogLevel]?: (message: string) => void };

/**
 * The log of one client. `DIGITALOCEAN_LOG` (debug, info or warn) turns on that level and those above it, for the
 * given logger or else for `console`; without it, a given logger gets every level (it filters, as loggers do), and
 * `console` gets warnings only.
 */
export function createLog(logger: Logger | undefined, level = globalThis.process?.env.DIGITALOCEAN_LOG): Log {
  if (level && !LEVELS.includes(level as LogLevel)) {
    throw new TypeError(`DIGITALOCEAN_LOG must be one of ${LEVELS.join(", ")}; it is ${JSON.stringify(level)}.`);
  }
  const target = logger ?? console;
  const lowest = LEVELS.indexOf((level ?? (logger ? "debug" : "warn")) as LogLevel);
  const log: Log = {};
  for (const name of LEVELS.slice(lowest)) {
    const write = target[name];
    if (typeof write === "function") log[name] = (message) => write.call(target, `digitalocean-typed: ${message}`);
  }
  return log;
}

/**
 * Token-shaped strings: personal access and OAuth tokens, legacy 64-hex tokens, and what follows "Bearer" up to a
 * quote, comma or backslash (so that JSON stays JSON).
 */
const TOKENS = /\bdo[por]_v1_[A-Za-z0-9]+|\b[a-f0-9]{64}\b|(?<=Bearer\s+)[^\s"',\\]+/gi;

/**
 * `text` with every token-shaped string replaced by `[redacted]`, and `token` (the client's own), if given, wherever
 * it appears, its secret part too (`dop_v1_` stripped), even inside a longer word.
 */
export function redactTokens(text: string, token?: string): string {
  let hidden = text;
  if (token) {
    const secret = token.replace(/^do[por]_v1_/i, "");
    hidden = hidden.replaceAll(token, "[redacted]").replaceAll(secret, "[redacted]");
  }
  return hidden.replace(TOKENS, "[redacted]");
}

/** `text` with tokens hidden, cut to 1,000 characters on one line: a body fit for a debug line. */
export function redact(text: string): string {
  const flat = redactTokens(text).replace(/\s+/g, " ");
  return flat.length > 1_000 ? `${flat.slice(0, 1_000)}…` : flat;
}
