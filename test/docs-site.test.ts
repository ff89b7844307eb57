// The built docs site in real headless Chromium, served as a static host serves it: every page opened directly
// (not only by clicking) loads with no console error and no request leaving the machine, deep links survive a
// reload, and search finds guides and the reference. Screenshots go to test-output/ for a human to look at.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import sparticuz from "@sparticuz/chromium";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./helpers/spec.js";

const SHOTS = join(ROOT, "test-output");
const FALLBACK_CHROMIUM = "/usr/bin/chromium";
// @sparticuz/chromium's own `args` target AWS Lambda (--single-process, --disable-web-security); a page test
// wants neither, so only its software-rendering flags are kept.
const FLAGS = [
  "--no-sandbox",
  "--no-zygote",
  "--use-gl=angle",
  "--use-angle=swiftshader",
  "--font-render-hinting=none",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  // Belt and braces next to the request routing below: no host name but localhost resolves.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
];

let site: string;
let server: ChildProcess | undefined;
let baseUrl: string;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];

/** Launches @sparticuz/chromium's binary, or the system Chromium if that fails. */
async function launchChromium(): Promise<Browser> {
  const failures: string[] = [];
  try {
    return await chromium.launch({
      executablePath: await sparticuz.executablePath(),
      args: FLAGS,
      headless: true,
      timeout: 0,
    });
  } catch (err) {
    failures.push(`@sparticuz/chromium: ${(err as Error).message.split("\n")[0]}`);
  }
  if (existsSync(FALLBACK_CHROMIUM)) {
    try {
      return await chromium.launch({ executablePath: FALLBACK_CHROMIUM, args: FLAGS, headless: true, timeout: 0 });
    } catch (err) {
      failures.push(`${FALLBACK_CHROMIUM}: ${(err as Error).message.split("\n")[0]}`);
    }
  } else failures.push(`${FALLBACK_CHROMIUM}: not installed`);
  throw new Error(`No headless Chromium could be started:\n  ${failures.join("\n  ")}`);
}

/** Starts `scripts/docs-serve.mjs` on a free port and resolves with its URL. */
function serve(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, "scripts/docs-serve.mjs"), "--dir", dir, "--port", "0"], {
    cwd: ROOT,
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`docs-serve exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(line)?.[0];
      if (url) resolve({ child, url });
      else reject(new Error(`docs-serve printed no URL: ${line}`));
    });
  });
}

interface Visit {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Requests to anything but the local server (all blocked). */
  external: string[];
}

/**
 * A fresh browser context. Its steps wait for what they wait for (a load, an element, a URL) however long the
 * machine takes: no Playwright timeout, so vitest's per-test timeout is the only bound, a guard against a hang.
 */
async function newContext(options: Parameters<Browser["newContext"]>[0] = {}): Promise<BrowserContext> {
  const context = await browser!.newContext(options);
  context.setDefaultTimeout(0);
  contexts.push(context);
  return context;
}

/** Opens `path` on the site in a fresh context that blocks and records every request leaving the machine. */
async function visit(path = ""): Promise<Visit> {
  const context = await newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: "block" });
  const result: Visit = { page: await context.newPage(), errors: [], external: [] };
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(baseUrl) || /^(data|blob|about):/.test(url)) return route.continue();
    result.external.push(url);
    return route.abort("blockedbyclient");
  });
  result.page.on("console", (message) => {
    if (message.type() === "error") result.errors.push(message.text());
  });
  result.page.on("pageerror", (error) => result.errors.push(error.message));
  const response = await result.page.goto(`${baseUrl}${path}`, { waitUntil: "networkidle" });
  expect(response?.status(), path).toBe(200);
  await hydrated(result.page);
  return result;
}

/** Waits for VitePress to hydrate the page: the search button exists then; the pre-rendered HTML has only its empty container. */
const hydrated = (page: Page) => page.locator(".VPNavBarSearch button").waitFor();

/** Every HTML page of the built site but the not-found page, as paths relative to its root. */
const pagesOf = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".html") && f !== "404.html")
    .sort();

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), "do-docs-site-"));
  // Always a fresh build, so the test never looks at a stale docs-site/.
  const build = spawnSync(process.execPath, [join(ROOT, "scripts/docs.mjs"), "--out", site], {
    cwd: ROOT,
    encoding: "utf8",
  });
  expect(build.stderr).toBe("");
  expect(build.status).toBe(0);
  ({ child: server, url: baseUrl } = await serve(site));
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
}, 900_000); // a bound against a hang: the build alone took 140 s at a load of 20 on 2 cores

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
  server?.kill();
  rmSync(site, { recursive: true, force: true });
});

// Timeouts bound a hang, never an expected duration: every step waits for its event.
describe("docs site in headless Chromium", { timeout: 300_000 }, () => {
  it("opens every page directly with no console error and no request leaving the machine", {
    timeout: 900_000,
  }, async () => {
    const pages = pagesOf(site);
    expect(pages).toEqual(expect.arrayContaining(["index.html", "guide/getting-started.html", "reference/index.html"]));
    for (const path of pages) {
      const { page, errors, external } = await visit(path);
      const title = page.locator(path === "index.html" ? ".VPHero .name" : ".vp-doc h1").first();
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, the text as rendered
      expect((await title.innerText()).trim(), path).not.toBe("");
      if (path === "index.html") await page.screenshot({ path: join(SHOTS, "docs-landing.png") });
      if (path === "guide/testing.html") await page.screenshot({ path: join(SHOTS, "docs-guide.png") });
      expect(external, path).toEqual([]);
      expect(errors, path).toEqual([]);
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    }
  });

  it("keeps a deep link to an operation across a reload, showing its TypeScript sample", async () => {
    const { page, errors, external } = await visit("reference/reserved-ipv6.html#reserved_ipv6_get");
    const heading = page.locator("h2#reserved_ipv6_get");
    for (const reload of [false, true]) {
      if (reload) {
        await page.reload({ waitUntil: "networkidle" });
        await hydrated(page);
      }
      // The page scrolls to the anchor once hydrated: wait until the heading is on screen.
      await page.waitForFunction(() => {
        const top = document.querySelector("h2#reserved_ipv6_get")?.getBoundingClientRect().top;
        return top !== undefined && top >= 0 && top < window.innerHeight;
      });
      const box = await heading.boundingBox();
      expect(box!.y, `heading on screen${reload ? " after the reload" : ""}`).toBeLessThan(900);
      expect(box!.y).toBeGreaterThanOrEqual(0);
    }
    const source = readFileSync(join(ROOT, "docs/samples/reserved_ipv6_get.ts"), "utf8").trimEnd();
    const sample = page.locator("div[class*='language-ts'] pre").filter({ hasText: "client.reservedIpv6.get(" });
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, the text as rendered
    expect((await sample.first().innerText()).trimEnd()).toBe(source);
    await page.screenshot({ path: join(SHOTS, "docs-operation.png") });
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("fits the reference index's tables in a 1440 px window, summary column included", async () => {
    const { page, errors } = await visit("reference/index.html");
    const tables = await page
      .locator(".vp-doc table")
      .evaluateAll((all) => all.map((table) => ({ scroll: table.scrollWidth, width: table.clientWidth })));
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) expect(table.scroll).toBeLessThanOrEqual(table.width);
    await page.screenshot({ path: join(SHOTS, "docs-reference-index.png") });
    expect(errors).toEqual([]);
  });

  it("reaches a guide by clicking, and the guide's address survives a reload", async () => {
    const { page, errors, external } = await visit();
    await page.getByRole("link", { name: "Get started" }).first().click();
    await page.waitForURL(/\/guide\/getting-started\.html$/);
    await page.getByRole("link", { name: "Lists and waiting" }).first().click();
    await page.waitForURL(/\/guide\/lists-and-waiting\.html$/);
    await page.reload({ waitUntil: "networkidle" });
    await page.locator(".vp-doc h1", { hasText: "Lists and waiting" }).first().waitFor();
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("searches the reference and the guides from any page", async () => {
    const { page, errors, external } = await visit("guide/testing.html");
    const search = async (query: string) => {
      await page.locator(".VPNavBarSearch button").click();
      const input = page.getByPlaceholder(/search/i);
      await input.fill(query);
      const results = page.locator(".VPLocalSearchBox .result");
      await results.first().waitFor();
      const found = await results.evaluateAll((links) =>
        links.map((a) => ({ href: a.getAttribute("href") ?? "", text: (a.textContent ?? "").replace(/\s+/g, " ") })),
      );
      await page.keyboard.press("Escape");
      return found;
    };
    const reserved = await search("reserved IPv6");
    for (const summary of ["List all reserved IPv6s", "Create a reserved IPv6", "Retrieve a reserved IPv6"])
      expect(
        reserved.some((r) => r.href.includes("reference/reserved-ipv6.html") && r.text.includes(summary)),
        `a reference result "${summary}"`,
      ).toBe(true);
    const guide = await search("failure injection");
    expect(guide.some((r) => r.href.includes("guide/testing.html"))).toBe(true);
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("answers a missing page with the site's not-found page and status 404, as GitHub Pages does", async () => {
    const page = await (await newContext()).newPage();
    const response = await page.goto(`${baseUrl}guide/no-such-guide.html`, { waitUntil: "networkidle" });
    expect(response?.status()).toBe(404);
    await page.getByText("Take me home").waitFor({ state: "visible" });
  });
});
