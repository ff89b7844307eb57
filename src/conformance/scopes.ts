// The token scopes a request needs, by the spec's scope rules (spec/README.md, "Scopes"): its operation's
// `x-required-scopes`, and those of the parameters and body fields it uses that list their own, as
// generated/validators.js carries them.
import { operations } from "../../generated/validators.js";
import type { Params } from "./check.js";

/** One scope a request needs, and the parameter or body field that needs it (`query/tag_name`, `body/tags`) when not the operation itself. */
export interface NeededScope {
  scope: string;
  field?: string;
}

/** A field is used when it carries something: left out, `null` or an empty list ask for nothing. */
const used = (value: unknown) => value !== undefined && value !== null && !(Array.isArray(value) && !value.length);

/** The value a field key (`query/tag_name`, `body/tags`) names in a request. */
function valueAt(field: string, params: Params, body: unknown): unknown {
  const [where = "", name = ""] = field.split(/\/(.*)/s);
  const values = where === "body" ? body : params[where as keyof Params];
  return values && typeof values === "object" ? (values as Record<string, unknown>)[name] : undefined;
}

/**
 * The scopes a request of `key` (`"POST /v2/droplets"`) needs, each once: its operation's first, then those of
 * the fields it uses; none for a key that is not an operation of the spec.
 */
export function scopesNeeded(key: string, params: Params, body: unknown): NeededScope[] {
  const op = Object.hasOwn(operations, key) ? operations[key]! : undefined;
  const needed = new Map<string, NeededScope>((op?.scopes ?? []).map((scope) => [scope, { scope }]));
  for (const [field, scopes] of Object.entries(op?.fieldScopes ?? {}))
    if (used(valueAt(field, params, body)))
      for (const scope of scopes) if (!needed.has(scope)) needed.set(scope, { scope, field });
  return [...needed.values()];
}

/** Every scope the spec's rules name, sorted. */
export function knownScopes(): string[] {
  const all = Object.values(operations).flatMap((op) => [...op.scopes, ...Object.values(op.fieldScopes ?? {}).flat()]);
  return [...new Set(all)].sort();
}
