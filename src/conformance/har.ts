// Checks recorded traffic (HAR 1.2: browsers' devtools, mitmproxy, Charles, Playwright) against the spec.
import { checkRequest, checkResponse, findOperation, parseBody, type Problem } from "./check.js";

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

/**
 * Checks every entry of `hars` sent to `base` (default `https://api.digitalocean.com`; a path in `base` is
 * stripped from request paths): request parameters and body, response status, headers and body. Request
 * problems carry the status of the answer the request got.
 */
export function checkHar(hars: Har[], base = "https://api.digitalocean.com"): HarReport {
  const origin = new URL(base);
  const prefix = origin.pathname.replace(/\/+$/, "");
  const report: HarReport = { entries: 0, skipped: 0, problems: [], secrets: [] };
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
    const match = findOperation(method, pathname);
    if (!match) {
      report.problems.push(...checkRequest(`${method} ${pathname}`, {}, undefined).map((p) => ({ ...p, status })));
      continue;
    }
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? values[0]! : values;
    }
    const header = Object.fromEntries(headers.map((h) => [h.name.toLowerCase(), h.value]));
    const request = checkRequest(
      match.key,
      { path: match.path, query, header },
      parseBody(decode(entry.request.postData)),
    );
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
