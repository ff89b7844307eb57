// Types of ./generate.mjs, for the tests and the bench.

/** Where generation reads and writes, and how. */
export interface GenerateOptions {
  /** The spec's root file. Default: spec/openapi.yaml. Every YAML/JSON file in its directory is an input. */
  specRoot?: string;
  /** Where the outputs go. Default: generated/. */
  outDir?: string;
  /** Compare with outDir instead of writing. */
  check?: boolean;
  /** Skip the work when no input changed since the last successful run (default true). */
  cache?: boolean;
  /** Where the record of the last run is kept. Default: node_modules/.cache/digitalocean-typed. */
  cacheDir?: string;
}

/** What a generation did. */
export interface GenerateResult {
  /** written: outDir was updated; unchanged: nothing to write; up-to-date / stale: the verdict of `check`. */
  status: "written" | "unchanged" | "up-to-date" | "stale";
  /** True when no input had changed, so lint, bundle and build were skipped. */
  skipped: boolean;
  /** The output files whose content differs from outDir's (before writing). */
  changed: string[];
  /** Every output file, in order. */
  files: string[];
  /** The former text of each changed file that existed. Absent when skipped. */
  previous?: Record<string, string>;
  /** The text of each output. Absent when skipped. */
  outputs?: Record<string, string>;
  /** The bundled document (openapi.yaml parsed). Absent when skipped. */
  document?: Record<string, unknown>;
  /** Lint warnings (file:line:col), if any. */
  warnings?: string;
}

/** A failed generation; the message names file:line:col of each problem. */
export declare class GenerateError extends Error {}

/** The repository root. */
export declare const ROOT: string;

/** The generated files, in order. */
export declare const OUTPUTS: readonly { file: string; inputs?: string[]; packages?: string[] }[];

/** Lints and bundles the spec, builds every output, and writes them (or compares, with `check`) atomically. */
export declare function generate(options?: GenerateOptions): Promise<GenerateResult>;

/**
 * Readies the process for watch mode: loads every library, then generates from `options.specRoot` `rounds` times
 * (default 1) without writing, so the first saves run compiled code and reuse the validators.
 */
export declare function warmUp(options?: GenerateOptions, rounds?: number): Promise<void>;
