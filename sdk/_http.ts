/**
 * Private helpers for the SDK's outgoing HTTP: URL joining, a JSON POST with
 * a timeout that never throws, and safe error reporting.
 *
 * @module
 */

/** The `fetch` the SDK calls; tests inject their own. */
export type Fetch = typeof fetch;

/** Parses an http(s) URL or throws a `TypeError` that names what was wrong. */
export function parseHttpUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`invalid ${what}: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`${what} must be http or https: ${JSON.stringify(value)}`);
  }
  return url;
}

/**
 * `base` with `path` appended to its path, one slash between them, whatever
 * trailing slashes `base` has: `http://gw/prefix/` + `/peer/announce` is
 * `http://gw/prefix/peer/announce`. The query and fragment are dropped.
 */
export function joinUrl(base: string, path: string, what = "gateway URL"): URL {
  const url = parseHttpUrl(base, what);
  url.pathname = url.pathname.replace(/\/+$/, "") + path;
  url.search = "";
  url.hash = "";
  return url;
}

/** What a POST came back with: the status (0 when no answer came) and the body text. */
export interface PostOutcome {
  /** The HTTP status, or 0 when the request failed or timed out. */
  status: number;
  /** The response body, "" when there was none. */
  text: string;
  /** Why no answer came, when `status` is 0. */
  error?: string;
}

/**
 * POSTs `bodyText` as JSON and reads the answer. Never throws: a network
 * failure, a timeout or an abort comes back as status 0 with an error.
 */
export async function postJson(
  fetchImpl: Fetch,
  url: URL,
  bodyText: string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<PostOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await fetchImpl(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: bodyText,
      signal: combined,
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    if (timeout.aborted) return { status: 0, text: "", error: `timed out after ${timeoutMs} ms` };
    if (signal?.aborted) return { status: 0, text: "", error: "aborted" };
    return { status: 0, text: "", error: errorMessage(error) };
  }
}

/** Parses JSON text; `undefined` when it is not JSON. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Anything thrown, as an `Error`. */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** An error handler that can be called from a timer: it never throws. */
export function safeReporter(onError: (error: Error) => void): (error: unknown) => void {
  return (error) => {
    try {
      onError(toError(error));
    } catch (thrown) {
      console.error("onError threw:", thrown, "while reporting:", error);
    }
  };
}

/** The default `onError`: one line on stderr. */
export function logError(error: Error): void {
  console.error(`[agentworlds] ${error.message}`);
}
