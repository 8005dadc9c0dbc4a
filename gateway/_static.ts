/**
 * A small static handler for the gateway's own pages and their assets: a
 * fixed set of files, loaded once, each served with a Content-Security-Policy,
 * `nosniff`, a strict referrer policy, an ETag and a `Cache-Control` fit for
 * its kind. No build step: pages are HTML as written, and each reference to
 * an asset in them is given `?v=<its hash>` when served, so assets can be
 * cached for a year while a page is revalidated on every load.
 *
 * @module
 */
import { toBase64 } from "../protocol/_bytes.ts";

/** One file served at a fixed path. */
export interface StaticFile {
  /** The URL path it is served at, e.g. `/assets/app.js`. */
  path: string;
  /** Its bytes or text (read once, on the first request for any file of the set). */
  load: () => Promise<string | Uint8Array>;
  /** Its `Content-Type`. */
  type: string;
  /**
   * `page`: HTML, revalidated on each load, asset references versioned.
   * `asset`: cached for a year when asked for with its current `?v=`.
   */
  kind: "page" | "asset";
}

interface Loaded {
  file: StaticFile;
  body: Uint8Array;
  gzip?: Uint8Array;
  etag: string;
  version: string;
}

/** Bodies smaller than this are not worth compressing. */
const GZIP_MIN_BYTES = 1024;
const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * A set of static files behind one Content-Security-Policy.
 *
 * @example
 * ```ts ignore
 * const files = new StaticFiles([
 *   { path: "/", kind: "page", type: "text/html; charset=utf-8", load: () => readWeb("index.html") },
 * ], "default-src 'none'");
 * const response = await files.serve(new Request("http://localhost/"));
 * ```
 */
export class StaticFiles {
  readonly #files: StaticFile[];
  readonly #csp: string;
  #loaded: Promise<Map<string, Loaded>> | undefined;

  /** @param csp The `Content-Security-Policy` every file of the set is served with. */
  constructor(files: StaticFile[], csp: string) {
    this.#files = files;
    this.#csp = csp;
  }

  /** The URL paths this set serves. */
  get paths(): string[] {
    return this.#files.map((file) => file.path);
  }

  /** Answers a request for one of the set's paths; `undefined` for another path. */
  async serve(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    const loaded = (await this.#load()).get(url.pathname);
    if (!loaded) return undefined;
    const { file, etag } = loaded;
    const gzip = loaded.gzip !== undefined &&
      /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "");
    const tag = gzip ? `"${etag}-gz"` : `"${etag}"`;
    const versioned = url.searchParams.get("v") === loaded.version;
    const headers = new Headers({
      "content-type": file.type,
      "content-security-policy": this.#csp,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-resource-policy": "same-origin",
      etag: tag,
      vary: "accept-encoding",
      "cache-control": file.kind === "asset" && versioned
        ? `public, max-age=${YEAR_SECONDS}, immutable`
        : "no-cache",
    });
    if (matches(request.headers.get("if-none-match"), tag)) {
      return new Response(null, { status: 304, headers });
    }
    if (gzip) headers.set("content-encoding", "gzip");
    const body = gzip ? loaded.gzip! : loaded.body;
    headers.set("content-length", String(body.byteLength));
    return new Response(request.method === "HEAD" ? null : body as Uint8Array<ArrayBuffer>, {
      headers,
    });
  }

  #load(): Promise<Map<string, Loaded>> {
    this.#loaded ??= loadAll(this.#files).catch((error) => {
      this.#loaded = undefined; // a failed read is retried on the next request
      throw error;
    });
    return this.#loaded;
  }
}

async function loadAll(files: StaticFile[]): Promise<Map<string, Loaded>> {
  const loaded = new Map<string, Loaded>();
  const assets = files.filter((file) => file.kind === "asset");
  const pages = files.filter((file) => file.kind === "page");
  for (const file of assets) loaded.set(file.path, await prepare(file, await file.load()));
  for (const file of pages) {
    let text = decode(await file.load());
    // Each quoted reference to an asset gets its version, so it can be cached for good.
    for (const asset of assets) {
      text = text.replaceAll(
        `"${asset.path}"`,
        `"${asset.path}?v=${loaded.get(asset.path)!.version}"`,
      );
    }
    loaded.set(file.path, await prepare(file, text));
  }
  return loaded;
}

async function prepare(file: StaticFile, content: string | Uint8Array): Promise<Loaded> {
  const body = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", body as Uint8Array<ArrayBuffer>),
  );
  const etag = toBase64(digest.subarray(0, 12)).replace(/\+/g, "-").replace(/\//g, "_");
  const gzip = body.byteLength >= GZIP_MIN_BYTES ? await gzipOf(body) : undefined;
  return { file, body, gzip, etag, version: etag.slice(0, 10) };
}

async function gzipOf(body: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([body as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function decode(content: string | Uint8Array): string {
  return typeof content === "string" ? content : new TextDecoder().decode(content);
}

/** Whether an `If-None-Match` header names this ETag (or is `*`). */
function matches(header: string | null, tag: string): boolean {
  if (header === null) return false;
  return header.split(",").some((part) => {
    const candidate = part.trim().replace(/^W\//, "");
    return candidate === tag || candidate === "*";
  });
}

/**
 * Reads a file that sits beside a module: from disk when the module is a
 * local file, else over HTTP (a package loaded from a registry).
 */
export async function readBeside(url: URL): Promise<Uint8Array> {
  if (url.protocol === "file:") return await Deno.readFile(url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
