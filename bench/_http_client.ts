/**
 * The load generator's HTTP/1.1 client: raw TCP with requests serialized
 * ahead of time. Each connection is kept alive and carries one request at a
 * time (write it, read the whole response, then the next; no pipelining).
 * It does far less per request than `fetch` (no `Request`/`Response`
 * objects, no header maps, no streams), so on a 2-core machine the generator
 * leaves the gateway its core.
 *
 * @module
 */
import { concatBytes } from "../protocol/_bytes.ts";

const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/** One response: its status and body bytes. */
export interface RawResponse {
  status: number;
  body: Uint8Array;
}

/**
 * Serializes a request once, to be sent many times.
 *
 * @example
 * ```ts
 * import { serializeRequest } from "./_http_client.ts";
 * const bytes = serializeRequest("GET", "/health", "127.0.0.1:8100");
 * console.log(new TextDecoder().decode(bytes).split("\r\n")[0]); // "GET /health HTTP/1.1"
 * ```
 */
export function serializeRequest(
  method: string,
  path: string,
  host: string,
  body?: string,
): Uint8Array {
  const payload = body === undefined ? undefined : encoder.encode(body);
  const head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n` +
    (payload === undefined
      ? ""
      : `content-type: application/json\r\ncontent-length: ${payload.length}\r\n`) +
    "\r\n";
  const headBytes = encoder.encode(head);
  if (payload === undefined) return headBytes;
  const out = new Uint8Array(headBytes.length + payload.length);
  out.set(headBytes);
  out.set(payload, headBytes.length);
  return out;
}

/** Where `\r\n\r\n` starts in `bytes[from, to)`, or -1. */
function headerEnd(bytes: Uint8Array, from: number, to: number): number {
  for (let i = from; i + 3 < to; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

/** A keep-alive HTTP/1.1 connection that carries one request at a time. */
export class HttpConnection {
  #conn: Deno.TcpConn;
  #buffer = new Uint8Array(64 * 1024);
  #start = 0; // first unconsumed byte
  #end = 0; // one past the last byte read

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  /** Connects to `hostname:port` with Nagle's algorithm off. */
  static async open(hostname: string, port: number): Promise<HttpConnection> {
    const conn = await Deno.connect({ hostname, port });
    conn.setNoDelay(true);
    return new HttpConnection(conn);
  }

  /** Sends a serialized request and reads its response. */
  async send(request: Uint8Array): Promise<RawResponse> {
    let written = 0;
    while (written < request.length) written += await this.#conn.write(request.subarray(written));
    return await this.#readResponse();
  }

  /** Closes the connection. */
  close(): void {
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
  }

  async #fill(): Promise<void> {
    if (this.#start === this.#end) this.#start = this.#end = 0;
    if (this.#end === this.#buffer.length) {
      if (this.#start > 0) {
        this.#buffer.copyWithin(0, this.#start, this.#end);
        this.#end -= this.#start;
        this.#start = 0;
      } else {
        const grown = new Uint8Array(this.#buffer.length * 2);
        grown.set(this.#buffer);
        this.#buffer = grown;
      }
    }
    const n = await this.#conn.read(this.#buffer.subarray(this.#end));
    if (n === null) throw new Error("connection closed by the server");
    this.#end += n;
  }

  async #readResponse(): Promise<RawResponse> {
    let end = headerEnd(this.#buffer, this.#start, this.#end);
    while (end < 0) {
      const scanned = Math.max(this.#start, this.#end - 3);
      const offset = scanned - this.#start;
      await this.#fill();
      end = headerEnd(this.#buffer, this.#start + offset, this.#end);
    }
    const head = latin1.decode(this.#buffer.subarray(this.#start, end));
    this.#start = end + 4;
    const status = Number(head.slice(9, 12));
    const length = head.match(/\r\ncontent-length:\s*(\d+)/i);
    if (length) return { status, body: await this.#readBytes(Number(length[1])) };
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      return { status, body: await this.#readChunked() };
    }
    return { status, body: new Uint8Array(0) };
  }

  async #readBytes(length: number): Promise<Uint8Array> {
    while (this.#end - this.#start < length) await this.#fill();
    const body = this.#buffer.slice(this.#start, this.#start + length);
    this.#start += length;
    return body;
  }

  async #readLine(): Promise<string> {
    for (;;) {
      for (let i = this.#start; i + 1 < this.#end; i++) {
        if (this.#buffer[i] === 13 && this.#buffer[i + 1] === 10) {
          const line = latin1.decode(this.#buffer.subarray(this.#start, i));
          this.#start = i + 2;
          return line;
        }
      }
      await this.#fill();
    }
  }

  async #readChunked(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const size = parseInt(await this.#readLine(), 16);
      if (!(size >= 0)) throw new Error("malformed chunked response");
      if (size === 0) {
        while ((await this.#readLine()) !== ""); // trailers
        break;
      }
      chunks.push(await this.#readBytes(size));
      total += size;
      await this.#readLine();
    }
    return concatBytes(chunks, total);
  }
}

/** Opens `count` connections to a base URL such as `http://127.0.0.1:8100`. */
export async function openConnections(url: string, count: number): Promise<HttpConnection[]> {
  const { hostname, port } = new URL(url);
  return await Promise.all(
    Array.from({ length: count }, () => HttpConnection.open(hostname, Number(port))),
  );
}
