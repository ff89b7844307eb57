// Calls `rebuild` after files under a directory change, debounced, one rebuild at a time.
//
// chokidar, not fs.watch: Node 20's recursive fs.watch on Linux stops reporting a file once an editor has
// saved it by writing a temp file and renaming it over the original (vim, JetBrains); chokidar re-adds it.
import { watch } from "chokidar";

const SPEC_FILE = /\.(ya?ml|json)$/;

/**
 * Watches the YAML and JSON files under `dir`. After a burst of changes has been quiet for `debounceMs`, runs
 * `rebuild(paths)` with the paths that changed; changes during a rebuild queue one more. `ready` resolves once
 * the watcher is listening; `close()` stops it.
 */
export function watchSpec(dir, rebuild, { debounceMs = 50 } = {}) {
  const watcher = watch(dir, {
    ignoreInitial: true,
    ignored: (path, stats) => Boolean(stats?.isFile() && !SPEC_FILE.test(path)),
  });
  let timer;
  let pending = new Set();
  let queue = Promise.resolve();
  watcher.on("all", (_event, path) => {
    if (!SPEC_FILE.test(path)) return;
    pending.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const paths = [...pending];
      pending = new Set();
      queue = queue.then(() => rebuild(paths));
    }, debounceMs);
  });
  return {
    ready: new Promise((resolve, reject) => watcher.once("ready", resolve).once("error", reject)),
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
      await queue;
    },
  };
}
