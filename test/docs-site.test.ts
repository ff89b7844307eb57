// The built docs site in real headless Chromium: it works offline, lists every operation, search works and
// the TypeScript samples show. Screenshots go to test-output/ for a human to look at.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import sparticuz from "@sparticuz/chromium";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ROOT, operations } from "./helpers/spec.js";

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
    return await chromium.launch({ executablePath: await sparticuz.executablePath(), args: FLAGS, headless: true });
  } catch (err) {
    failures.push(`@sparticuz/chromium: ${(err as Error).message.split("\n")[0]}`);
  }
  if (existsSync(FALLBACK_CHROMIUM)) {
    try {
      return await chromium.launch({ executablePath: FALLBACK_CHROMIUM, args: FLAGS, headless: true });
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

/** Opens `hash` on the site in a fresh context that blocks and records every request leaving the machine. */
async function visit(hash = ""): Promise<Visit> {
  const context = await browser!.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: "block" });
  contexts.push(context);
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
  await result.page.goto(`${baseUrl}${hash}`, { waitUntil: "networkidle" });
  // Hydrated once the search box is interactive (it reads "Loading..." in the pre-rendered HTML).
  await result.page.getByTestId("search-trigger").getByText("Search").waitFor();
  return result;
}

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), "do-docs-site-"));
  // Always a fresh build (about 4 s), so the test never looks at a stale docs-site/.
  const build = spawnSync(process.execPath, [join(ROOT, "scripts/docs.mjs"), "--out", site], {
    cwd: ROOT,
    encoding: "utf8",
  });
  expect(build.stderr).toBe("");
  expect(build.status).toBe(0);
  ({ child: server, url: baseUrl } = await serve(site));
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
  server?.kill();
  rmSync(site, { recursive: true, force: true });
});

describe("docs site in headless Chromium", { timeout: 30_000 }, () => {
  it("loads the getting-started page with no console error and no request leaving the machine", async () => {
    const { page, errors, external } = await visit();
    const headings = await page.locator("h2").allInnerTexts();
    expect(headings.map((h) => h.trim())).toEqual(
      expect.arrayContaining([
        "Install",
        "Token and scopes",
        "A first call",
        "Pagination",
        "Errors and rate limits",
        "Retries and timeouts",
      ]),
    );
    await page.screenshot({ path: join(SHOTS, "docs-landing.png") });
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("lists all 51 operations in the navigation", async () => {
    const { page, errors, external } = await visit();
    const nav = page.locator('[data-component-name="Menu/Menu"]').first();
    // A tag's operations appear in the navigation once the tag is opened: open each tag and collect the links.
    const linked = new Set<string>();
    for (const tag of new Set(operations.map((o) => o.op.tags[0] as string))) {
      const first = operations.find((o) => o.op.tags[0] === tag)!.operationId;
      await nav.getByText(tag, { exact: true }).click();
      await nav.locator(`a[href$="/${first}"]`).waitFor();
      const hrefs = await nav.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
      for (const href of hrefs) linked.add(href.slice(href.lastIndexOf("/") + 1));
    }
    const ids = operations.map((o) => o.operationId);
    expect(ids).toHaveLength(51);
    expect([...linked].filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('finds the reserved IPv6 operations when searching for "reserved IPv6"', async () => {
    const { page, errors, external } = await visit();
    await page.getByTestId("search-trigger").click();
    await page.keyboard.type("reserved IPv6");
    const results = page.locator('[data-component-name="Search/SearchItem"]');
    await results.first().waitFor();
    const texts = await results.allInnerTexts();
    expect(texts[0]).toMatch(/reserved IPv6/i);
    for (const summary of [
      "List all reserved IPv6s",
      "Create a reserved IPv6",
      "Retrieve a reserved IPv6",
      "Delete a reserved IPv6",
    ]) {
      expect(
        texts.some((t) => t.replace(/\s+/g, " ").includes(summary)),
        `search result "${summary}"`,
      ).toBe(true);
    }
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("shows an operation's TypeScript sample exactly as docs/samples/<operationId>.ts has it", async () => {
    const { page, errors, external } = await visit("#/reserved-ipv6/reserved_ipv6_get");
    const source = readFileSync(join(ROOT, "docs/samples/reserved_ipv6_get.ts"), "utf8").trimEnd();
    const sample = page
      .locator("pre, code")
      .filter({ hasText: 'client.GET("/v2/reserved_ipv6/{reserved_ipv6}"' })
      .first();
    await expect.poll(() => sample.isVisible()).toBe(true);
    expect((await sample.boundingBox())!.y).toBeLessThan(900); // on screen without scrolling
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, the text as rendered
    expect((await sample.innerText()).trimEnd()).toBe(source);
    await expect.poll(() => page.getByText("TypeScript", { exact: true }).first().isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, "docs-operation.png") });
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });
});
