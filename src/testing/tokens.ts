// The tokens the fake accepts and what each may do, as DigitalOcean's custom-scoped tokens: a request whose token
// lacks a scope it needs (conformance's scopesNeeded, from the spec) gets a 403 before it touches any state.
import { knownScopes, type NeededScope } from "../conformance/scopes.js";

/** What a token may do: the scopes it has, `"full"` access, or `"read"`: every `:read` scope, as a read-only token. */
export type TokenScopes = readonly string[] | "full" | "read";

/** What a fixed token may be: printable ASCII, so that it fits an Authorization header as it is. */
const TOKEN = /^[\x21-\x7e]+$/;

/** Whether a token with `scopes` may use `scope`. */
const grants = (scopes: TokenScopes, scope: string) =>
  scopes === "full" || (scopes === "read" ? scope.endsWith(":read") : scopes.includes(scope));

/**
 * The tokens of the fake, by `Authorization` header value: `full` with full access, and each of `tokens` with its
 * scopes. Throws a TypeError naming what is wrong: a token that cannot be sent as it is, or a scope the spec does
 * not know (a typo would otherwise refuse every request).
 */
export function tokenTable(full: string, tokens: Record<string, TokenScopes> = {}): Map<string, TokenScopes> {
  const table = new Map<string, TokenScopes>();
  const known = knownScopes();
  for (const [token, scopes] of [[full, "full"] as const, ...Object.entries(tokens)]) {
    if (typeof token !== "string" || !TOKEN.test(token))
      throw new TypeError(
        "startFakeDigitalOcean: a token must be a non-empty string of printable ASCII without spaces.",
      );
    if (table.has(`Bearer ${token}`))
      throw new TypeError("startFakeDigitalOcean: a token of `tokens` is also the full-access `token`.");
    if (!(scopes === "full" || scopes === "read" || Array.isArray(scopes)))
      throw new TypeError('startFakeDigitalOcean: each token of `tokens` takes a list of scopes, "full" or "read".');
    const unknown = Array.isArray(scopes) ? scopes.filter((scope) => !known.includes(scope)) : [];
    if (unknown.length)
      throw new TypeError(
        `startFakeDigitalOcean: unknown scope ${unknown.map(String).join(", ")}; the spec's scopes are ${known.join(", ")}.`,
      );
    table.set(`Bearer ${token}`, scopes);
  }
  return table;
}

/** `body/tags` → `body field tags`, `query/tag_name` → `query parameter tag_name`. */
const fieldName = (field: string) =>
  field.replace(/^(\w+)\//, (_, where) => `${where} ${where === "body" ? "field" : "parameter"} `);

/** The 403 message for a request whose token lacks some of `needed`, or undefined when it has them all. */
export function refusalFor(scopes: TokenScopes, needed: NeededScope[], operationId: string): string | undefined {
  const missing = needed.filter(({ scope }) => !grants(scopes, scope));
  if (!missing.length) return undefined;
  const named = missing.map(({ scope, field }) => (field ? `${scope} (for the ${fieldName(field)})` : scope));
  return `You are not authorized to perform this operation: the token lacks the scope${missing.length > 1 ? "s" : ""} ${named.join(", ")}, which ${operationId} needs.`;
}
