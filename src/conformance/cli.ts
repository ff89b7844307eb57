#!/usr/bin/env node
// `npm run conformance -- <file.har> [...] [--json] [--base URL]` (installed: `digitalocean-typed-conformance`).
// Exit 0: nothing or only undocumented fields; 1: the traffic breaks the spec; 2: usage error.
// With --scopes (`npm run scopes -- <file.har>`), it prints the scopes the traffic needed instead.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatProblem, isFailure, type Problem } from "./check.js";
import { checkHar, readHar, scopesUsed, type Har, type HarReport } from "./har.js";

const USAGE = `Usage: digitalocean-typed-conformance <file.har> [<file.har> …] [--json] [--base URL]

Checks recorded traffic (HAR 1.2) against the spec: request parameters and body, response status, headers and body.
  --json      print one JSON object: { entries, skipped, problems: [ … ] }
  --base URL  the API origin whose entries are checked (default https://api.digitalocean.com); others are skipped
  --scopes    print the scopes the traffic needed instead, separated by commas: the least a custom token for
              it must have (with --json: { scopes: [ … ] })
Exit status: 1 when the traffic breaks the spec (undocumented fields alone do not), 2 on a usage error.`;

class UsageError extends Error {}

function read(file: string): Har {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not a HAR file: it is not JSON.`);
  }
  const har = readHar(value);
  if (typeof har === "string") throw new UsageError(`${file} is not a HAR file: ${har}.`);
  return har;
}

/** Tokens and other secrets never reach the output, whatever carried them. */
function redactor(secrets: string[]): (text: string) => string {
  const values = [...new Set(secrets.flatMap((s) => [s, s.replace(/^\S+\s+/, "")]))].filter((s) => s.length >= 8);
  return (text) => {
    let out = text.replace(/\b(?:do[opr]_v1_[A-Za-z0-9]+|Bearer\s+[^\s"',]+)/g, "[redacted]");
    for (const value of values) out = out.split(value).join("[redacted]");
    return out;
  };
}

/** The readable report: problems grouped by spec file, most frequent first; repeats of one problem counted. */
function human(report: HarReport): string {
  const failures = report.problems.filter(isFailure).length;
  const lines = [
    `Checked ${report.entries} entr${report.entries === 1 ? "y" : "ies"}; skipped ${report.skipped} (other hosts or no response).`,
    report.problems.length
      ? `${report.problems.length} problem(s): ${failures} where the traffic breaks the spec, ${report.problems.length - failures} undocumented field(s).`
      : "No problems: the traffic matches the spec.",
  ];
  const byFile = new Map<string, Map<string, { problem: Problem; count: number }>>();
  for (const p of report.problems) {
    const key = [p.kind, p.operation, p.status, p.in, p.pattern, p.line].join(" ");
    const group = byFile.get(p.specFile) ?? byFile.set(p.specFile, new Map()).get(p.specFile)!;
    const seen = group.get(key);
    if (seen) seen.count++;
    else group.set(key, { problem: { ...p, pointer: p.pattern }, count: 1 });
  }
  const total = (g: Map<string, { count: number }>) => [...g.values()].reduce((n, x) => n + x.count, 0);
  for (const [file, group] of [...byFile].sort((a, b) => total(b[1]) - total(a[1]))) {
    lines.push("", `${file} (${total(group)})`);
    for (const { problem: p, count } of [...group.values()].sort((a, b) => b.count - a.count)) {
      lines.push(
        `  ${count > 1 ? `${count}× ` : ""}${p.operation}${p.status ? ` → ${p.status}` : ""} ${p.in}: ${formatProblem(p)}`,
      );
    }
  }
  return lines.join("\n");
}

const OPTIONS = {
  json: { type: "boolean" },
  base: { type: "string" },
  scopes: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function main(argv: string[]): number {
  const args = parse(argv);
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!args.positionals.length) throw new UsageError("No HAR file given.");
  const base = args.values.base ?? "https://api.digitalocean.com";
  if (!URL.canParse(base)) throw new UsageError(`--base ${JSON.stringify(base)} is not an absolute URL.`);
  const hars = args.positionals.map(read);
  if (args.values.scopes) {
    const scopes = scopesUsed(hars, base);
    console.log(args.values.json ? JSON.stringify({ scopes }, null, 2) : scopes.join(","));
    return 0;
  }
  const report = checkHar(hars, base);
  const redact = redactor(report.secrets);
  if (args.values.json) {
    console.log(
      redact(JSON.stringify({ entries: report.entries, skipped: report.skipped, problems: report.problems }, null, 2)),
    );
  } else {
    console.log(redact(human(report)));
  }
  if (report.secrets.length)
    console.error(
      "Note: the HAR holds Authorization or Cookie headers; they are never printed. Strip them before sharing the file.",
    );
  return report.problems.some(isFailure) ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(
    error instanceof UsageError ? `${error.message}\n\n${USAGE}` : `conformance: ${(error as Error).message}`,
  );
  process.exitCode = 2;
}
