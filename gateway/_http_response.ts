/**
 * Serializing HTTP/1.1 response heads, and the server's own short error
 * answers (`{ "error": "…" }`, always closing the connection).
 *
 * @module
 */

const encoder = new TextEncoder();

const REASONS: Record<number, string> = {
  100: "Continue",
  101: "Switching Protocols",
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  206: "Partial Content",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  417: "Expectation Failed",
  422: "Unprocessable Content",
  426: "Upgrade Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
};

// Framing and hop-by-hop headers are the server's to write, never the app's.
const OWN_HEADERS = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

let dateSecond = -1;
let dateValue = "";

/** The `Date` header value, computed at most once a second. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateValue = new Date(second * 1000).toUTCString();
  }
  return dateValue;
}

/** How a response body is delimited on the wire. */
export type Framing =
  | { kind: "length"; length: number }
  | { kind: "chunked" }
  /** No body and no length (HEAD, 1xx, 204, 304): the app's Content-Length is kept. */
  | { kind: "none" }
  /** Delimited by closing the connection (streamed to an HTTP/1.0 client). */
  | { kind: "close" };

/**
 * The head of a response: status line, the app's headers (minus framing
 * and hop-by-hop ones), `Date`, framing, and `Connection` when it differs
 * from the protocol's default.
 */
export function responseHead(
  status: number,
  headers: Headers,
  framing: Framing,
  keepAlive: boolean,
  version: string,
): string {
  let head = `HTTP/1.1 ${status} ${REASONS[status] ?? "Unknown"}\r\n`;
  let hasDate = false;
  for (const [name, value] of headers) {
    if (OWN_HEADERS.has(name)) {
      if (framing.kind === "none" && name === "content-length") head += `${name}: ${value}\r\n`;
      continue;
    }
    if (name === "date") hasDate = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!hasDate) head += `date: ${httpDate()}\r\n`;
  if (framing.kind === "length") head += `content-length: ${framing.length}\r\n`;
  else if (framing.kind === "chunked") head += "transfer-encoding: chunked\r\n";
  if (!keepAlive) {
    if (version === "1.1") head += "connection: close\r\n";
  } else if (version === "1.0") {
    head += "connection: keep-alive\r\n";
  }
  return head + "\r\n";
}

/** The head of a `101 Switching Protocols`: exactly the given headers (`Connection` included). */
export function switchingProtocolsHead(headers: Headers): Uint8Array {
  let head = "HTTP/1.1 101 Switching Protocols\r\n";
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  return joinHeadAndBody(head + "\r\n");
}

/**
 * A head and body as one buffer, for one write. The head is written as
 * Latin-1: header values are byte strings, one byte per character.
 */
export function joinHeadAndBody(head: string, body?: Uint8Array): Uint8Array {
  const length = head.length;
  const out = new Uint8Array(length + (body?.length ?? 0));
  for (let i = 0; i < length; i++) out[i] = head.charCodeAt(i);
  if (body) out.set(body, length);
  return out;
}

/**
 * The server's own answer: `{ "error": message }` with `Connection: close`
 * (and `Retry-After` when given), as bytes ready to write.
 */
export function errorResponseBytes(
  status: number,
  message: string,
  retryAfterSeconds?: number,
): Uint8Array {
  const body = encoder.encode(JSON.stringify({ error: message }));
  const headers = new Headers({ "content-type": "application/json" });
  if (retryAfterSeconds !== undefined) headers.set("retry-after", String(retryAfterSeconds));
  return joinHeadAndBody(
    responseHead(status, headers, { kind: "length", length: body.length }, false, "1.1"),
    body,
  );
}

/** `100 Continue`, sent before reading a body the client is waiting to send. */
export const CONTINUE: Uint8Array = encoder.encode("HTTP/1.1 100 Continue\r\n\r\n");

/** One chunk of a chunked body: size line, data, CRLF. */
export function chunkFrame(parts: Uint8Array[], total: number): Uint8Array {
  const size = encoder.encode(`${total.toString(16)}\r\n`);
  const out = new Uint8Array(size.length + total + 2);
  out.set(size);
  let offset = size.length;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  out[offset] = 13;
  out[offset + 1] = 10;
  return out;
}

/** The last chunk of a chunked body (no trailers). */
export const LAST_CHUNK: Uint8Array = encoder.encode("0\r\n\r\n");
