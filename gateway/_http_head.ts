/**
 * Parsing an HTTP/1.x request head (request line and header fields, RFC
 * 9112) from bytes, strictly: anything a smuggling attack or a sloppy client
 * could make ambiguous is refused with the precise status.
 *
 * @module
 */

/** A request head that parsed. */
export interface RequestHead {
  method: string;
  /** The request target as sent (origin-form or absolute-form). */
  target: string;
  /** `"1.0"` or `"1.1"`. */
  version: string;
  /** Header fields as sent (name, value), for `new Request` (cheaper than a `Headers`). */
  headers: [string, string][];
  /** The `Host` header, validated; undefined when absent (HTTP/1.0). */
  host: string | undefined;
  /** The declared `Content-Length`; undefined when absent. */
  contentLength: number | undefined;
  /** `Transfer-Encoding: chunked`. */
  chunked: boolean;
  /** Whether the connection stays open after this request. */
  keepAlive: boolean;
  /** `Expect: 100-continue`. */
  expectContinue: boolean;
}

/** A head the server refuses: answer `status` with `{ error }` and close. */
export interface HeadError {
  status: number;
  error: string;
}

/** Most header fields in one request. */
export const MAX_HEADER_FIELDS = 100;

const latin1 = new TextDecoder("latin1");
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Visible ASCII only: no spaces, controls or raw non-ASCII in a target.
const TARGET = /^[\x21-\x7e]+$/;
// Field values may hold HTAB and obs-text, never other controls.
// deno-lint-ignore no-control-regex
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]*)(?::\d{0,5})?$/;
const VERSION = /^HTTP\/(\d)\.(\d)$/;

function refuse(status: number, error: string): HeadError {
  return { status, error };
}

function hasToken(list: string, token: string): boolean {
  for (const part of list.split(",")) {
    if (part.trim().toLowerCase() === token) return true;
  }
  return false;
}

/**
 * Parses the head in `bytes[start, end)`: everything before the blank line,
 * without the final CRLF CRLF. Returns the head or the error to answer.
 */
export function parseRequestHead(
  bytes: Uint8Array,
  start: number,
  end: number,
): RequestHead | HeadError {
  const text = latin1.decode(bytes.subarray(start, end));
  const lines = text.split("\r\n");
  const requestLine = lines[0];
  const parts = requestLine.split(" ");
  if (parts.length !== 3) return refuse(400, "malformed request line");
  const [method, target, protocol] = parts;
  if (!TOKEN.test(method)) return refuse(400, "malformed method");
  const version = VERSION.exec(protocol);
  if (!version) return refuse(400, "malformed HTTP version");
  if (version[1] !== "1") return refuse(505, `HTTP/${version[1]}.${version[2]} is not supported`);
  const minor = version[2] === "0" ? "1.0" : "1.1";
  if (!TARGET.test(target)) return refuse(400, "malformed request target");
  if (target[0] !== "/" && !/^https?:\/\//i.test(target)) {
    return refuse(400, "request target must be a path or an absolute http URL");
  }
  if (lines.length - 1 > MAX_HEADER_FIELDS) {
    return refuse(431, `more than ${MAX_HEADER_FIELDS} header fields`);
  }

  const headers: [string, string][] = [];
  let host: string | undefined;
  let contentLength: number | undefined;
  let transferEncoding: string | undefined;
  let connection = "";
  let expect: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(":");
    // No name, whitespace before the colon, obs-fold, or a bare CR/LF: all refused.
    if (colon <= 0) return refuse(400, "malformed header field");
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return refuse(400, "malformed header field name");
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    if (BAD_VALUE.test(value)) return refuse(400, `malformed value of header ${name}`);
    const lower = name.toLowerCase();
    switch (lower) {
      case "host":
        if (host !== undefined) return refuse(400, "more than one Host header");
        if (!HOST.test(value)) return refuse(400, "malformed Host header");
        host = value;
        break;
      case "content-length":
        for (const item of value.split(",")) {
          const digits = item.trim();
          if (!/^\d{1,15}$/.test(digits)) return refuse(400, "malformed Content-Length");
          const length = Number(digits);
          if (contentLength !== undefined && contentLength !== length) {
            return refuse(400, "conflicting Content-Length headers");
          }
          contentLength = length;
        }
        break;
      case "transfer-encoding":
        transferEncoding = transferEncoding === undefined ? value : `${transferEncoding},${value}`;
        break;
      case "connection":
        connection = connection === "" ? value : `${connection},${value}`;
        break;
      case "expect":
        expect = value;
        break;
    }
    headers.push([name, value]);
  }

  if (minor === "1.1" && host === undefined) return refuse(400, "missing Host header");
  let chunked = false;
  if (transferEncoding !== undefined) {
    if (minor === "1.0") return refuse(400, "Transfer-Encoding in an HTTP/1.0 request");
    if (contentLength !== undefined) {
      return refuse(400, "both Content-Length and Transfer-Encoding");
    }
    if (transferEncoding.trim().toLowerCase() !== "chunked") {
      return refuse(501, "only Transfer-Encoding: chunked is supported");
    }
    chunked = true;
  }
  let expectContinue = false;
  if (expect !== undefined) {
    if (expect.toLowerCase() !== "100-continue") return refuse(417, "unsupported Expect");
    expectContinue = minor === "1.1";
  }
  const keepAlive = minor === "1.1"
    ? !hasToken(connection, "close")
    : hasToken(connection, "keep-alive");
  return {
    method,
    target,
    version: minor,
    headers,
    host,
    contentLength,
    chunked,
    keepAlive,
    expectContinue,
  };
}

/** Where `\r\n\r\n` starts in `bytes[from, to)`, or -1. */
export function findHeadEnd(bytes: Uint8Array, from: number, to: number): number {
  for (let i = from; i + 3 < to; i++) {
    if (bytes[i + 3] !== 10) continue;
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13) return i;
  }
  return -1;
}
