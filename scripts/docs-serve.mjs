// Serves the built docs site on this machine for preview.
//
//   node scripts/docs-serve.mjs [--dir docs-site] [--port 4000]
//
// Listens on 127.0.0.1 only. `--port 0` picks a free port; the first line printed is always
// "Serving <dir> at http://127.0.0.1:<port>/" so callers (the browser test) can read the address.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, relative, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".yaml": "application/yaml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

const dir = resolve(option("dir", "docs-site"));
const port = Number(option("port", process.env.PORT ?? 4000));
if (!existsSync(join(dir, "index.html"))) {
  console.error(`${relative(process.cwd(), dir) || dir}/index.html does not exist: run \`npm run docs\` first.`);
  process.exit(1);
}

const server = createServer((req, res) => {
  const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  let file = resolve(dir, `.${pathname}`);
  if (file !== dir && !file.startsWith(dir + sep)) {
    res.writeHead(403).end("Forbidden");
    return;
  }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  const found = existsSync(file);
  // As GitHub Pages does: a missing file gets the site's 404.html, if it has one, with status 404.
  if (!found) file = join(dir, "404.html");
  if (!existsSync(file)) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`Not found: ${pathname}`);
    return;
  }
  res.writeHead(found ? 200 : 404, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "cache-control": "no-cache",
  });
  createReadStream(file).pipe(res);
});

server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  console.log(
    `Serving ${relative(process.cwd(), dir) || dir} at http://127.0.0.1:${typeof address === "object" && address ? address.port : port}/ (Ctrl+C to stop)`,
  );
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
