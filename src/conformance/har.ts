// Checks recorded traffic (HAR 1.2: browsers' devtools, mitmproxy, Charles, Playwright) against the spec.
import { checkRequest, checkResponse, findOperation, parseBody, type Problem } from "./check.js";
import { scopesNeeded } from "./scopes.js";

/** The parts of a HAR 1.2 file that are read. */
export interface Har {
  log: { entries: HarEntry[] };
}

/** One entry of a HAR file: a request and the response it got. */
export interface HarEntry {
  request: {
    method: string;
    url: string;
    headers?: { name: string; value: string }[];
    postData?: { text?: string; encoding?: string };
  };
  response?: {
    status: number;
    headers?: { name: string; value: string }[];
    content?: { text?: string; encoding?: string };
  };
}

/** What checking some HAR files found. */
export interface HarReport {
  /** Entries checked: to the API's origin, with a response. */
  entries: number;
  /** Entries for other hosts, or without a response (failed or aborted requests). */
  skipped: number;
  problems: Problem[];
  /** Header values that must never be printed (Authorization, Cookie…) found in the files, each once. */
  secrets: string[];
}

const SECRET_HEADERS = new Set(["authorization", "cookie", "proxy-authorization", "x-auth-token"]);

/** The fields of an entry that are read, each with what it must be, and whether it must be there when its parent is. */
const FIELDS: [path: string, shape: "object" | "string" | "number" | "headers", required: boolean][] = [
  ["request", "object", true],
  ["request.method", "string", true],
  ["request.url", "string", true],
  ["request.headers", "headers", false],
  ["request.postData", "object", false],
  ["request.postData.text", "string", false],
  ["request.postData.encoding", "string", false],
  ["response", "object", false],
  ["response.status", "number", true],
  ["response.headers", "headers", false],
  ["response.content", "object", false],
  ["response.content.text", "string", false],
  ["response.content.encoding", "string", false],
];
const SHAPES = { object: "an object", string: "a string", number: "a number", headers: "an array of { name, value }" };

/** A value's kind in words: `a string`, `an object`, `null`, `missing`. */
const kind = (value: unknown) =>
  value === undefined
    ? "missing"
    : value === null
      ? "null"
      : Array.isArray(value)
        ? "an array"
        : `a${/^[aeiou]/.test(typeof value) ? "n" : ""} ${typeof value}`;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** What is wrong with `value` as `shape`, at `path`; undefined when nothing is. */
function misfit(value: unknown, shape: keyof typeof SHAPES, path: string): string | undefined {
  if (shape === "headers" && Array.isArray(value)) {
    const at = value.findIndex((h) => !isObject(h) || typeof h.name !== "string" || typeof h.value !== "string");
    if (at === -1) return undefined;
    const header = value[at];
    const field = !isObject(header) ? "" : typeof header.name !== "string" ? ".name" : ".value";
    return `${path}[${at}]${field} is ${kind(field ? header[field.slice(1)] : header)}, not ${field ? "a string" : "{ name, value }"}`;
  }
  const fits = shape === "object" ? isObject(value) : shape !== "headers" && typeof value === shape;
  return fits ? undefined : `${path} is ${kind(value)}, not ${SHAPES[shape]}`;
}

/** Why `value` is not a HAR entry, naming the field at fault (`request.headers is a string, not …`); undefined when it is one. */
export function entryProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `it is ${kind(value)}, not an object`;
  for (const [path, shape, required] of FIELDS) {
    const keys = path.split(".");
    const parent = keys.slice(0, -1).reduce<any>((node, key) => node?.[key], value);
    const field = parent?.[keys.at(-1)!];
    // An optional part left out (or null, as some tools write a missing response) has nothing to check.
    if (parent == null || (field == null && !required)) continue;
    const problem = misfit(field, shape, path);
    if (problem) return problem;
  }
  return undefined;
}

/** A HAR file as parsed JSON, or the reason it is not one (`entry 3: request.headers is a string, not …`). */
export function readHar(value: unknown): Har | string {
  const entries = (value as Har | undefined)?.log?.entries;
  if (!Array.isArray(entries)) return "no log.entries array";
  for (const [index, entry] of entries.entries()) {
    const problem = entryProblem(entry);
    if (problem) return `entry ${index}: ${problem}`;
  }
  return value as Har;
}

const decode = (body: { text?: string; encoding?: string } | undefined) =>
  body?.text === undefined
    ? undefined
    : body.encoding === "base64"
      ? Buffer.from(body.text, "base64").toString("utf8")
      : body.text;

/** One request of a HAR file, sent to the API's origin and answered. */
interface Sent {
  method: string;
  /** The URL path below the base's path. */
  pathname: string;
  /** The spec's operation and its path parameters, when the request matches one. */
  match: ReturnType<typeof findOperation>;
  query: Record<string, string | string[]>;
  header: Record<string, string>;
  body: unknown;
  entry: HarEntry;
  status: number;
}

const API = "https://api.digitalocean.com";

/**
 * Reads entries as requests sent to `base` (a path in `base` is stripped from request paths) with a response;
 * `report` counts them and the skipped ones (for which it gives undefined), and collects every entry's secrets,
 * each once.
 */
function sender(base: string, report: Omit<HarReport, "problems">): (entry: HarEntry) => Sent | undefined {
  const origin = new URL(base);
  const prefix = origin.pathname.replace(/\/+$/, "");
  return (entry) => {
    const headers = entry.request.headers ?? [];
    for (const h of headers)
      if (SECRET_HEADERS.has(h.name.toLowerCase()) && h.value && !report.secrets.includes(h.value))
        report.secrets.push(h.value);
    const url = URL.canParse(entry.request.url) ? new URL(entry.request.url) : undefined;
    const status = entry.response?.status ?? 0;
    if (!url || url.origin !== origin.origin || !url.pathname.startsWith(prefix) || status <= 0) {
      report.skipped++;
      return undefined;
    }
    report.entries++;
    const method = entry.request.method.toUpperCase();
    const pathname = url.pathname.slice(prefix.length);
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? values[0]! : values;
    }
    const header = Object.fromEntries(headers.map((h) => [h.name.toLowerCase(), h.value]));
    const body = parseBody(decode(entry.request.postData));
    return { method, pathname, match: findOperation(method, pathname), query, header, body, entry, status };
  };
}

/** The entries of `hars`, after {@link readHar}'s checks: a HAR it would refuse throws a TypeError with its reason. */
function* entriesOf(hars: Har[], caller: string): Generator<HarEntry> {
  for (const [n, har] of hars.entries()) {
    const read = readHar(har);
    if (typeof read === "string") throw new TypeError(`${caller}: HAR ${n} is not a HAR file: ${read}.`);
    yield* read.log.entries;
  }
}

/**
 * A check of entries one at a time against `base` (see {@link checkHar}), for files read an entry at a time;
 * `report` grows with each.
 */
export function harChecker(base = API): { check(entry: HarEntry): void; report: HarReport } {
  const report: HarReport = { entries: 0, skipped: 0, problems: [], secrets: [] };
  const send = sender(base, report);
  const check = (entry: HarEntry) => {
    const sent = send(entry);
    if (!sent) return;
    const { method, pathname, match, query, header, body, status } = sent;
    if (!match) {
      report.problems.push(...checkRequest(`${method} ${pathname}`, {}, undefined).map((p) => ({ ...p, status })));
      return;
    }
    const request = checkRequest(match.key, { path: match.path, query, header }, body);
    report.problems.push(...request.map((p) => ({ ...p, status })));
    const answered = entry.response?.headers;
    report.problems.push(
      ...checkResponse(
        match.key,
        status,
        parseBody(decode(entry.response?.content)),
        answered && Object.fromEntries(answered.map((h) => [h.name, h.value])),
      ),
    );
  };
  return { check, report };
}

/**
 * Checks every entry of `hars` sent to `base` (default `https://api.digitalocean.com`; a path in `base` is
 * stripped from request paths): request parameters and body, response status, headers and body. Request
 * problems carry the status of the answer the request got. A HAR that {@link readHar} would refuse throws a
 * TypeError with its reason.
 */
export function checkHar(hars: Har[], base = API): HarReport {
  const { check, report } = harChecker(base);
  for (const entry of entriesOf(hars, "checkHar")) check(entry);
  return report;
}

/** The scopes of entries taken one at a time against `base` (see {@link scopesUsed}). */
export function scopeCollector(base = API): { add(entry: HarEntry): void; scopes(): string[] } {
  const used = new Set<string>();
  const send = sender(base, { entries: 0, skipped: 0, secrets: [] });
  return {
    add(entry) {
      const sent = send(entry);
      if (sent?.match)
        for (const { scope } of scopesNeeded(sent.match.key, { query: sent.query }, sent.body)) used.add(scope);
    },
    scopes: () => [...used].sort(),
  };
}

/**
 * The scopes the requests of `hars` sent to `base` needed (see {@link checkHar}), sorted: the least a custom
 * token for the same traffic must have, by the spec's scope rules.
 */
export function scopesUsed(hars: Har[], base = API): string[] {
  const { add, scopes } = scopeCollector(base);
  for (const entry of entriesOf(hars, "scopesUsed")) add(entry);
  return scopes();
}
