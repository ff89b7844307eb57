// Lints spec/openapi.yaml restricted to the existing path files of some resource groups (work in progress):
//   node scripts/lint-partial.mjs vpcs droplets
import { existsSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { parse, stringify } from "yaml";

const groups = process.argv.slice(2);
if (!groups.length) {
  console.error("usage: node scripts/lint-partial.mjs <group>… (folders under spec/paths)");
  process.exit(2);
}
const root = parse(readFileSync("spec/openapi.yaml", "utf8"));
root.paths = Object.fromEntries(
  Object.entries(root.paths).filter(
    ([, v]) => groups.some((g) => v.$ref.startsWith(`paths/${g}/`)) && existsSync(`spec/${v.$ref}`),
  ),
);
// Shared components are still checked through the path files that use them; listing them all here
// would report the ones other groups use as unused.
root.components = { securitySchemes: root.components.securitySchemes };
const tmp = `spec/.partial-${groups.join("-")}.yaml`;
writeFileSync(tmp, stringify(root));
try {
  const r = spawnSync("npx", ["redocly", "lint", tmp, "--format", "codeframe"], { stdio: "inherit" });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(tmp, { force: true });
}
