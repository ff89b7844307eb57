// VitePress site: the guides (docs/guide/*.md) and the reference pages scripts/docs.mjs writes from the spec
// (reference/*.md and reference/pages.json beside this config in the staging copy). One HTML file per page
// (cleanUrls off), so a deep link survives a reload on any static host.
import { readFileSync } from "node:fs";

// GitHub Pages serves a project's site under /<repository>/: the docs workflow sets DOCS_BASE to that.
const base = process.env.DOCS_BASE ?? "/";
const reference = JSON.parse(readFileSync(new URL("../reference/pages.json", import.meta.url), "utf8"));

export default {
  title: "digitalocean-typed",
  description: "A typed TypeScript client for the DigitalOcean API v2, generated from a hand-maintained OpenAPI 3.1 spec.",
  lang: "en",
  base,
  cleanUrls: false,
  lastUpdated: false,
  srcExclude: ["samples/**"],
  vite: { logLevel: "warn", build: { chunkSizeWarningLimit: 4096 } },
  head: [["link", { rel: "icon", type: "image/svg+xml", href: `${base}assets/favicon.svg` }]],
  themeConfig: {
    logo: "/assets/logo.svg",
    siteTitle: false, // the logo spells the name
    search: { provider: "local" },
    outline: { level: [2, 3] },
    nav: [
      { text: "Guide", link: "/guide/getting-started" },
      { text: "Reference", link: "/reference/" },
    ],
    sidebar: [
      {
        text: "Guide",
        items: [
          { text: "Getting started", link: "/guide/getting-started" },
          { text: "Calling the API", link: "/guide/calling-the-api" },
          { text: "Lists and waiting", link: "/guide/lists-and-waiting" },
          { text: "Testing without an account", link: "/guide/testing" },
          { text: "Many processes, one token", link: "/guide/many-processes" },
          { text: "Agents: the MCP server", link: "/guide/mcp" },
          { text: "Is the spec right?", link: "/guide/conformance" },
          { text: "The change report and releases", link: "/guide/change-report" },
          { text: "Maintaining the spec", link: "/guide/maintaining-the-spec" },
        ],
      },
      {
        text: "Reference",
        items: [{ text: "Every operation", link: "/reference/" }, ...reference.map(({ text, link }) => ({ text, link }))],
      },
    ],
    footer: { message: "MIT licensed. Built offline from generated/openapi.yaml." },
  },
};
