#!/usr/bin/env node
// `npm run conformance -- <file.har> [...] [--json] [--base URL]` (installed: `digitalocean-typed-conformance`).
// Exit 0: nothing or only undocumented fields; 1: the traffic breaks the spec; 2: usage error.
// With --scopes (`npm run scopes -- <file.har>`), it prints the scopes the traffic needed instead.
import { parseArgs } from "node:util";
import { redactTokens } from "../log.js";
import { formatProblem, isFailure, type Problem } from "./check.js";
import { entryProblem, type HarEntry, type HarReport, harChecker, scopeCollector } from "./har.js";
import { HarFileError, harEntries } from "./har-file.js";

const USAGE = `Usage: digitalocean-typed-conformance <file.har> [<file.har> …] [--json] [--base URL]

Checks recorded traffic (HAR 1.2) against the spec: request parameters and body, response status, headers and body.
  --json      print one JSON object: { entries, skipped, problems: [ … ] }
  --base URL  the API origin whose entries are checked (default https://api.digitalocean.com); others are skipped
  --scopes    print the scopes the traffic needed instead, separated by commas: the least a custom token for
              it must have (with --json: { scopes: [ … ] })
Exit status: 1 when the traffic breaks the spec (undocumented fields alone do not), 2 on a usage error.`;

class UsageError extends Error {}

/** Gives the entries of `file` to `check`, read one at a time; a usage error when it is not a HAR file. */
function checkFile(file: string, check: (entry: HarEntry) => void): void {
  let index = 0;
  try {
    for (const entry of harEntries(file)) {
      const problem = entryProblem(entry);
      if (problem) throw new HarFileError(`entry ${index}: ${problem}`);
      check(entry as HarEntry);
      index++;
    }
  } catch (error) {
    if (error instanceof HarFileError) throw new UsageError(`${file} is not a HAR file: ${error.message}.`);
    const { code } = error as NodeJS.ErrnoException;
    throw code ? new UsageError(`Cannot read ${file}: ${code}.`) : error;
  }
}

/** Tokens and other secrets never reach the output, whatever carried them. */
function redactor(secrets: string[]): (text: string) => string {
  const values = [...new Set(secrets.flatMap((s) => [s, s.replace(/^\S+\s+/, "")]))].filter((s) => s.length >= 8);
  return (text) => {
    let out = redactTokens(text);
    for (const value of values) out = out.split(value).join("[redacted]");
    // A secret cut short where a problem shortens a long value to show it: `…"Bearer 5f3c9a7e…`.
    return out.replace(/(\S{8,})…/g, (cut, before: string) => {
      for (let start = 0; start <= before.length - 8; start++)
        if (values.some((v) => v.startsWith(before.slice(start)))) return `${before.slice(0, start)}[redacted]…`;
      return cut;
    });
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
  if (args.values.scopes) {
    const { add, scopes } = scopeCollector(base);
    for (const file of args.positionals) checkFile(file, add);
    console.log(args.values.json ? JSON.stringify({ scopes: scopes() }, null, 2) : scopes().join(","));
    return 0;
  }
  const { check, report } = harChecker(base);
  for (const file of args.positionals) checkFile(file, check);
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
