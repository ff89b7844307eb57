// The @redocly/openapi-core side of generation, in a worker thread: bundle, then lint. The main thread turns the
// bundle into types meanwhile, so the two halves run on two cores and the library is loaded once.
//
// Receives { id, task: "load" | "bundle" | "lint", specRoot, configPath }, handled in order. Answers { id, failure } with
// file:line:col text, or for bundle { id, document, yaml } (yaml exactly as `redocly bundle` writes it) and for
// lint { id, errors, report }.
import { parentPort } from "node:worker_threads";
import { formatProblems, located } from "./problems.mjs";

/** The top-level key order `redocly bundle` writes (its sortTopLevelKeysForOas). */
const TOP_LEVEL_ORDER = [
  "openapi",
  "info",
  "jsonSchemaDialect",
  "servers",
  "security",
  "tags",
  "externalDocs",
  "paths",
  "webhooks",
  "x-webhooks",
  "components",
];
const rank = (key) => (TOP_LEVEL_ORDER.includes(key) ? TOP_LEVEL_ORDER.indexOf(key) : TOP_LEVEL_ORDER.length);

const tasks = {
  /** Only loads the library (watch mode warms up with it). */
  load: async () => ({}),
  async bundle(core, specRoot, config) {
    const { bundle, problems } = await core.bundle({ ref: specRoot, config });
    const errors = problems.filter((p) => p.severity === "error");
    if (errors.length) return { failure: `bundle failed:\n\n${formatProblems(core, errors)}` };
    const document = Object.fromEntries(Object.entries(bundle.parsed).sort(([a], [b]) => rank(a) - rank(b)));
    return { document, yaml: core.stringifyYaml(document, { noRefs: true, lineWidth: -1 }) };
  },
  async lint(core, specRoot, config) {
    const problems = await core.lint({ ref: specRoot, config });
    const errors = problems.filter((p) => p.severity === "error").length;
    return { errors, report: problems.length ? formatProblems(core, problems) : undefined };
  },
};

let queue = Promise.resolve();
parentPort.on("message", ({ id, task, specRoot, configPath }) => {
  queue = queue.then(async () => {
    try {
      const core = await import("@redocly/openapi-core");
      parentPort.postMessage({ id, ...(await tasks[task](core, specRoot, await core.loadConfig({ configPath }))) });
    } catch (err) {
      parentPort.postMessage({ id, failure: `${task} (@redocly/openapi-core) failed:\n${located(err)}` });
    }
  });
});
