// Checks recorded traffic (HAR 1.2: browsers' devtools, mitmproxy, Charles, Playwright) against the spec.
import { checkRequest, checkResponse, findOperation, parseBody, type Problem } from "./check.js";
import { scopesNeeded } from "./scopes.js";

/** The parts of a HAR 1.2 file that are read. */
export interface Har {
  log: { entries: HarEntry[] };
}

interface HarEntry {
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
  /** Header values that must never be printed (Authorization, Cookie…) found in the files. */
  secrets: string[];
}

const SECRET_HEADERS = new Set(["authorization", "cookie", "proxy-authorization", "x-auth-token"]);

/** A HAR file as parsed JSON, or the reason it is not one. */
export function readHar(value: unknown): Har | string {
  const entries = (value as Har | undefined)?.log?.entries;
  if (!Array.isArray(entries)) return "no log.entries array";
  const bad = entries.findIndex(
    (e: Partial<HarEntry>) => typeof e?.request?.url !== "string" || typeof e.request.method !== "string",
  );
  return bad === -1 ? (value as Har) : `entry ${bad} has no request.method and request.url`;
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

/**
 * The entries of `hars` sent to `base` (a path in `base` is stripped from request paths) with a response, as
 * requests; `report` counts them and the skipped ones, and collects the secrets of every entry.
 */
function* sentTo(hars: Har[], base: string, report: Omit<HarReport, "problems">): Generator<Sent> {
  const origin = new URL(base);
  const prefix = origin.pathname.replace(/\/+$/, "");
  for (const entry of hars.flatMap((har) => har.log.entries)) {
    const headers = entry.request.headers ?? [];
    for (const h of headers) if (SECRET_HEADERS.has(h.name.toLowerCase()) && h.value) report.secrets.push(h.value);
    const url = URL.canParse(entry.request.url) ? new URL(entry.request.url) : undefined;
    const status = entry.response?.status ?? 0;
    if (!url || url.origin !== origin.origin || !url.pathname.startsWith(prefix) || status <= 0) {
      report.skipped++;
      continue;
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
    yield { method, pathname, match: findOperation(method, pathname), query, header, body, entry, status };
  }
}

const API = "https://api.digitalocean.com";

/**
 * Checks every entry of `hars` sent to `base` (default `https://api.digitalocean.com`; a path in `base` is
 * stripped from request paths): request parameters and body, response status, headers and body. Request
 * problems carry the status of the answer the request got.
 */
export function checkHar(hars: Har[], base = API): HarReport {
  const report: HarReport = { entries: 0, skipped: 0, problems: [], secrets: [] };
  for (const { method, pathname, match, query, header, body, entry, status } of sentTo(hars, base, report)) {
    if (!match) {
      report.problems.push(...checkRequest(`${method} ${pathname}`, {}, undefined).map((p) => ({ ...p, status })));
      continue;
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
  }
  return report;
}

/**
 * The scopes the requests of `hars` sent to `base` needed (see {@link checkHar}), sorted: the least a custom
 * token for the same traffic must have, by the spec's scope rules.
 */
export function scopesUsed(hars: Har[], base = API): string[] {
  const used = new Set<string>();
  for (const { match, query, body } of sentTo(hars, base, { entries: 0, skipped: 0, secrets: [] }))
    if (match) for (const { scope } of scopesNeeded(match.key, { query }, body)) used.add(scope);
  return [...used].sort();
}
