/**
 * What the gateway shows people: `GET /`, a live directory of worlds that
 * updates itself from `/watch` and plays a world through `/ws`, and
 * `GET /docs`, the OpenAPI document rendered by Swagger UI. Static files
 * only (`gateway/web/`, and Swagger UI's own from its npm package), each
 * behind a strict Content-Security-Policy.
 *
 * @module
 */
import type { Hono } from "hono";
import type { ConnInfo } from "./http.ts";
import { readBeside, type StaticFile, StaticFiles } from "./_static.ts";

/**
 * The directory page's policy: only this origin's script, style, images
 * and connections (`fetch`, `EventSource`, and `WebSocket`, which `'self'`
 * covers); nothing inline, no framing, no `<base>`, no form posts.
 */
export const PAGE_CSP: string = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The API docs' policy: as strict as the page's, except that Swagger UI's
 * stylesheet draws its icons as `data:` SVG images (`img-src data:`).
 */
export const DOCS_CSP: string = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const WEB_DIR = new URL("./web/", import.meta.url);
const HTML = "text/html; charset=utf-8";
const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

function beside(name: string): () => Promise<Uint8Array> {
  return () => readBeside(new URL(name, WEB_DIR));
}

const SITE: StaticFile[] = [
  { path: "/", kind: "page", type: HTML, load: beside("index.html") },
  { path: "/assets/app.js", kind: "asset", type: JS, load: beside("app.js") },
  { path: "/assets/app.css", kind: "asset", type: CSS, load: beside("app.css") },
  { path: "/assets/icon.svg", kind: "asset", type: "image/svg+xml", load: beside("icon.svg") },
];

// Swagger UI's files come from its npm package, imported as text: no read
// permission beyond the module graph, and nothing fetched from elsewhere.
const DOCS: StaticFile[] = [
  { path: "/docs", kind: "page", type: HTML, load: beside("docs.html") },
  { path: "/docs/assets/docs.js", kind: "asset", type: JS, load: beside("docs.js") },
  { path: "/docs/assets/docs.css", kind: "asset", type: CSS, load: beside("docs.css") },
  {
    path: "/docs/assets/swagger-ui-bundle.js",
    kind: "asset",
    type: JS,
    load: async () =>
      (await import("swagger-ui-dist/swagger-ui-bundle.js", { with: { type: "text" } })).default,
  },
  {
    path: "/docs/assets/swagger-ui.css",
    kind: "asset",
    type: CSS,
    load: async () =>
      (await import("swagger-ui-dist/swagger-ui.css", { with: { type: "text" } })).default,
  },
];

/** Adds `GET /`, `GET /docs` and their assets to the gateway's app. */
export function mountWeb(app: Hono<{ Bindings: ConnInfo | undefined }>): void {
  for (const files of [new StaticFiles(SITE, PAGE_CSP), new StaticFiles(DOCS, DOCS_CSP)]) {
    for (const path of files.paths) {
      app.get(path, async (c) => (await files.serve(c.req.raw)) ?? c.notFound());
    }
  }
}
