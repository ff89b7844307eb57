// Spec problems as text that names file:line:col, for lint (in the worker) and bundle (in generate.mjs).
import { isAbsolute, relative } from "node:path";

/** `spec/paths/x.yaml` from the working directory, or the absolute path when it lies outside. */
export function where(file) {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

/** An error's message, prefixed with `file:line:col ` when it carries them (a YAML parse error does). */
export function located(err) {
  const at =
    err?.source?.absoluteRef && err.line ? `${where(err.source.absoluteRef)}:${err.line}:${err.col ?? 1} ` : "";
  return `${at}${err?.message ?? err}`;
}

/** Redocly problems as `file:line:col severity message (rule)`, each with its code frame, at most `max`. */
export function formatProblems(core, problems, max = 50) {
  const shown = problems.slice(0, max).map((p) => {
    const loc = p.location?.[0] ? core.getLineColLocation(p.location[0]) : undefined;
    const at = loc ? `${where(loc.source.absoluteRef)}:${loc.start.line}:${loc.start.col}` : "(no location)";
    const frame = loc ? `\n${core.getCodeframe(loc, false).replace(/^/gm, "    ")}` : "";
    return `${at} ${p.severity} ${p.message} (${p.ruleId})${frame}`;
  });
  return shown.join("\n\n") + (problems.length > max ? `\n\n… and ${problems.length - max} more.` : "");
}
