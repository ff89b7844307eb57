// Benchmark 8: the package as a user installs it. `npm pack` (its prepack compiles src/), then the tarball and its
// production dependencies (packed from this project's node_modules, as the lockfile installed them) installed
// offline into an empty project with `--omit=dev`. The installed size is the bytes of every file under its
// node_modules; the fake's start-up (bench/fake.ts) is measured from this install.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./lib.js";

const run = promisify(execFile);

export interface Install {
  /** The consumer project; `node_modules/digitalocean-typed` is the package. */
  dir: string;
  /** Bytes of every file under node_modules. */
  bytes: number;
  /** The packages installed, by name. */
  packages: string[];
  /** Removes the project. */
  remove(): void;
}

/** The tarballs `npm pack` writes for `paths` into `into`. */
async function pack(paths: string[], into: string, ...flags: string[]): Promise<string[]> {
  const { stdout } = await run("npm", ["pack", "--json", ...flags, "--pack-destination", into, ...paths], {
    cwd: ROOT,
    maxBuffer: 16 << 20,
  });
  return (JSON.parse(stdout.slice(stdout.indexOf("["))) as { filename: string }[]).map((p) => join(into, p.filename));
}

/** Bytes of every file below `dir`. */
function size(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((bytes, entry) => bytes + statSync(join(entry.parentPath, entry.name)).size, 0);
}

/** Packs the package and installs it with its production dependencies only, offline, into a new project. */
export async function installPackage(): Promise<Install> {
  const dir = mkdtempSync(join(tmpdir(), "do-bench-install-"));
  try {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
    };
    const production = Object.entries(lock.packages)
      .filter(([path, p]) => path.startsWith("node_modules/") && !p.dev && !p.devOptional)
      .map(([path]) => join(ROOT, path));
    const tarballs = [...(await pack([ROOT], dir)), ...(await pack(production, dir, "--ignore-scripts"))];
    const project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    await run("npm", ["install", "--offline", "--omit=dev", "--no-audit", "--no-fund", ...tarballs], {
      cwd: project,
      env: { ...process.env, npm_config_cache: join(dir, "npm-cache") },
    });
    const modules = join(project, "node_modules");
    const packages = readdirSync(modules)
      .filter((name) => !name.startsWith("."))
      .flatMap((name) => (name.startsWith("@") ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`) : [name]));
    return {
      dir: project,
      bytes: size(modules),
      packages,
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
