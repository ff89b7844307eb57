// @ts-check
// The operation table's rows, from the form generated/contract.js stores them in. Plain JavaScript with types in
// JSDoc, so that scripts/contract.mjs (plain node), which writes that form, and src/contract.ts, which reads it,
// derive the rows with the same code. It imports nothing.
//
// The stored form holds only what the spec says: operations grouped by resource under the snake-case name their
// operationIds start with (`droplets: { list_backups: … }` is droplets_list_backups), each without what the rows
// derive (the camelCase resource and method names, the path parameters) and without its empty lists and `false`
// values. The table is in every bundle of the package root; stored so, it costs half the bytes.

/**
 * A row as stored.
 * @typedef {{ httpMethod: string; path: string; query?: string[]; header?: string[]; body?: boolean; scopes?: string[]; successBody?: number[]; items?: string }} StoredRow
 */

/** `"list_backups"` → `"listBackups"`. */
export const camel = (/** @type {string} */ text) => text.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/**
 * A row's columns that are neither an empty list nor `false`: what the stored form keeps of it.
 * @param {Record<string, unknown>} row
 */
export function stored(row) {
  const kept = Object.entries(row).filter(([, value]) => value !== false && !(Array.isArray(value) && !value.length));
  return /** @type {StoredRow} */ (Object.fromEntries(kept));
}

/**
 * The rows by operationId (`droplets_list_backups`), in the stored order.
 * @param {Record<string, Record<string, StoredRow>>} table
 */
export function rowsOf(table) {
  /** @type {Record<string, object>} */
  const rows = {};
  for (const [resource, operations] of Object.entries(table))
    for (const [name, row] of Object.entries(operations)) {
      const { httpMethod, path, ...rest } = row;
      const pathParams = [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
      rows[`${resource}_${name}`] = {
        resource: camel(resource),
        method: camel(name),
        httpMethod,
        path,
        pathParams,
        // what the stored form leaves out
        query: [],
        header: [],
        body: false,
        scopes: [],
        successBody: [],
        ...rest,
      };
    }
  return rows;
}
