// Types for scripts/lib/diff.mjs (the change report), for tests and TypeScript callers.

/** One change between two versions of the spec. */
export interface Change {
  /** `"POST /v2/vpcs"`, or `null` for a change that belongs to no operation (document metadata, a whole component). */
  operation: string | null;
  /** Whether a program that compiled and worked against the old client may fail to compile or be refused at runtime. */
  breaking: boolean;
  /** What changed, e.g. "`name` made required in the request body". */
  message: string;
  /** JSON pointer of the change in the documents compared. */
  pointer: string;
  /** What api-smart-diff saw. */
  action: "add" | "remove" | "replace" | "rename";
  /** api-smart-diff's own classification, before our rules. */
  classification: "breaking" | "non-breaking" | "annotation" | "unclassified" | "deprecated";
  /** The id of our own rule that decided `breaking`, when one did. */
  rule?: string;
}

export interface Report {
  /** Number of breaking changes. */
  breaking: number;
  changes: Change[];
}

/**
 * Compares two bundled OpenAPI 3.x documents (internal `$ref`s only). `prune: false` hands api-smart-diff the
 * whole documents rather than only the parts that can differ: the same report, several times slower.
 */
export function diffSpecs(baseDoc: object, headDoc: object, options?: { prune?: boolean }): Promise<Report>;

/** The semver bump a report implies; with `version` 0.x, breaking means minor. */
export function impliedBump(
  report: { breaking: number; changes: Pick<Change, "classification">[] },
  version?: string,
): string;

/** Renders a report for a terminal or for a pull-request comment / changelog. */
export function formatReport(report: Report, format: "text" | "markdown", options?: { version?: string }): string;
