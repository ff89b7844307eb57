// `npm run generate -- --watch` on a temp copy of spec/, driven by real saves: a plain write, an editor's
// temp-file-and-rename save, a broken save and its fix, a removed operation, then Ctrl-C. Every wait is for
// what the watcher prints, the change report included.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { ROOT } from "./helpers/spec.js";

const dir = mkdtempSync(join(tmpdir(), "do-watch-test-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** The watcher, started in `cwd` (a copy of spec/ and generated/), its output so far, and a way to wait for what it prints from now on. */
function startWatch(cwd = dir) {
  const proc = spawn(process.execPath, [join(ROOT, "scripts/generate.mjs"), "--watch"], {
    cwd,
    env: { ...process.env, SPEC_ROOT: "spec/openapi.yaml", GENERATED_DIR: "generated" },
  });
  children.push(proc);
  let output = "";
  const listeners = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  for (const stream of [proc.stdout, proc.stderr]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      output += chunk;
      for (const listener of listeners) listener();
    });
  }
  /** Resolves with the output printed from now on, once it matches `pattern`; rejects if the watcher exits. */
  const next = (pattern: RegExp) => {
    const from = output.length;
    return new Promise<string>((resolve, reject) => {
      const check = () => {
        const printed = output.slice(from);
        if (!pattern.test(printed)) return;
        listeners.delete(check);
        resolve(printed);
      };
      listeners.add(check);
      void exited.then((code) =>
        reject(new Error(`the watcher exited (${code}) before printing ${pattern}:\n${output}`)),
      );
    });
  };
  return { proc, next, exited, output: () => output };
}

const spec = (file: string) => join(dir, "spec", file);
const generated = () => readFileSync(join(dir, "generated/openapi.yaml"), "utf8");
const snapshot = () =>
  Object.fromEntries(
    readdirSync(join(dir, "generated")).map((f) => [f, readFileSync(join(dir, "generated", f), "utf8")]),
  );

describe("npm run generate -- --watch", () => {
  it("regenerates on each save, survives a broken one, and stops cleanly on Ctrl-C", { timeout: 240_000 }, async () => {
    cpSync(join(ROOT, "spec"), join(dir, "spec"), { recursive: true });
    cpSync(join(ROOT, "generated"), join(dir, "generated"), { recursive: true });
    const watch = startWatch();
    await watch.next(/Watching spec\/ for changes/);

    // A plain write, and the change report says what it did: nothing breaking.
    const vpcs = spec("paths/vpcs/vpcs.yaml");
    let written = watch.next(/written in[\s\S]*Not breaking:\n\s+GET \/v2\/vpcs\n.*description/);
    writeFileSync(
      vpcs,
      readFileSync(vpcs, "utf8").replace("Lists the VPCs on the account", "Lists every VPC on the account"),
    );
    const report = await written;
    expect(report).toContain("spec/paths/vpcs/vpcs.yaml changed");
    expect(report).toContain("API changes: 0 breaking, 1 not breaking");
    expect(generated()).toContain("Lists every VPC on the account");

    // An editor's save: the new content goes to a temp file that is renamed over the original, twice, so the
    // second save is to a file that was already replaced once.
    for (const wording of ["Lists all VPCs of the account", "Lists each VPC of the account"]) {
      written = watch.next(/written in/);
      const temp = spec("paths/vpcs/.vpcs.yaml.swp~");
      writeFileSync(temp, readFileSync(vpcs, "utf8").replace(/Lists \w+ VPCs? (on|of) the account/, wording));
      renameSync(temp, vpcs);
      await written;
      expect(generated()).toContain(wording);
    }

    // A broken save leaves generated/ untouched and keeps watching; the next good save recovers.
    const before = snapshot();
    const good = readFileSync(vpcs, "utf8");
    const failed = watch.next(/Still watching spec\//);
    writeFileSync(vpcs, good.replace("get:", "get:\n  - [unclosed"));
    const printed = await failed;
    expect(printed).toMatch(/spec\/paths\/vpcs\/vpcs\.yaml:\d+:\d+ error/);
    expect(printed).toContain("generated/ was left untouched.");
    expect(snapshot()).toEqual(before);

    written = watch.next(/written in/);
    writeFileSync(vpcs, good.replace("Lists each VPC of the account", "Lists the VPCs of the account"));
    await written;
    expect(generated()).toContain("Lists the VPCs of the account");

    // A save that changes no byte regenerates nothing.
    const same = watch.next(/is up to date with spec\/ \(no input changed/);
    writeFileSync(vpcs, readFileSync(vpcs, "utf8"));
    await same;

    // Removing an operation is reported as breaking.
    const vpc = spec("paths/vpcs/vpcs@{vpc_id}.yaml");
    const breaking = watch.next(/Breaking:\n\s+DELETE \/v2\/vpcs\/\{vpc_id\}\n/);
    const item = parseDocument(readFileSync(vpc, "utf8"));
    expect(item.delete("delete")).toBe(true);
    writeFileSync(vpc, String(item));
    expect(await breaking).toMatch(/API changes: 1 breaking/);
    expect(generated()).not.toContain("operationId: vpcs_delete");

    // Ctrl-C.
    const stopped = watch.next(/Stopped watching/);
    watch.proc.kill("SIGINT");
    await stopped;
    expect(await watch.exited).toBe(0);
    // Only the broken save failed.
    expect(watch.output().match(/was left untouched/g)).toHaveLength(1);
  });

  it("loses no save made while it starts up", { timeout: 240_000 }, async () => {
    const own = join(dir, "startup");
    cpSync(join(ROOT, "spec"), join(own, "spec"), { recursive: true });
    cpSync(join(ROOT, "generated"), join(own, "generated"), { recursive: true });
    const watch = startWatch(own);
    // The first run's verdict is printed before the warm-up; save right then, before "Watching".
    await watch.next(/written in|is up to date with spec\//);
    const vpcs = join(own, "spec/paths/vpcs/vpcs.yaml");
    writeFileSync(
      vpcs,
      readFileSync(vpcs, "utf8").replace("Lists the VPCs on the account", "Lists every VPC saved at start-up"),
    );
    await watch.next(/spec\/paths\/vpcs\/vpcs\.yaml changed; regenerating…[\s\S]*written in/);
    expect(readFileSync(join(own, "generated/openapi.yaml"), "utf8")).toContain("Lists every VPC saved at start-up");
    watch.proc.kill("SIGINT");
    expect(await watch.exited).toBe(0);
  });
});
