/**
 * A raw TCP client for tests of the gateway's own HTTP and WebSocket
 * servers: it writes exactly the bytes a test gives (malformed heads,
 * dripped bodies, unmasked frames) and reads answers with a deadline, so a
 * server that hangs fails the test instead of hanging it.
 *
 * @module
 */

const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/** One parsed HTTP response. */
export interface RawResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

/** A TCP connection to 127.0.0.1 with a read buffer. */
export class RawClient {
  readonly conn: Deno.TcpConn;
  #buffer = new Uint8Array(0);
  #ended = false;

  private constructor(conn: Deno.TcpConn) {
    this.conn = conn;
  }

  /** Connects to `127.0.0.1:port`. */
  static async open(port: number): Promise<RawClient> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true);
    return new RawClient(conn);
  }

  /** Writes text (latin1 bytes as given) or bytes; false if the server has closed. */
  async write(data: string | Uint8Array): Promise<boolean> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    try {
      let written = 0;
      while (written < bytes.length) written += await this.conn.write(bytes.subarray(written));
      return true;
    } catch {
      return false;
    }
  }

  /** Bytes received and not yet taken. */
  get buffered(): Uint8Array {
    return this.#buffer;
  }

  #chunk = new Uint8Array(64 * 1024);
  /** A read that outlived its caller's deadline: the next call waits on it, not a new one. */
  #pending: Promise<number | null> | undefined;

  /** Reads once more (waiting at most `ms`); false at end of stream; throws on timeout. */
  async #fill(ms: number): Promise<boolean> {
    if (this.#ended) return false;
    this.#pending ??= this.conn.read(this.#chunk).catch(() => null);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) =>
      timer = setTimeout(() => resolve("timeout"), ms)
    );
    const n = await Promise.race([this.#pending, timeout]);
    clearTimeout(timer);
    if (n === "timeout") throw new Error(`no data from the server within ${ms} ms`);
    this.#pending = undefined;
    if (n === null) {
      this.#ended = true;
      return false;
    }
    const next = new Uint8Array(this.#buffer.length + n);
    next.set(this.#buffer);
    next.set(this.#chunk.subarray(0, n), this.#buffer.length);
    this.#buffer = next;
    return true;
  }

  /** Reads until at least `count` bytes are buffered; false if the stream ended first. */
  async need(count: number, ms = 5000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.#buffer.length < count) {
      if (!await this.#fill(Math.max(1, deadline - Date.now()))) return false;
    }
    return true;
  }

  /** Takes `count` buffered bytes. */
  take(count: number): Uint8Array {
    const out = this.#buffer.slice(0, count);
    this.#buffer = this.#buffer.slice(count);
    return out;
  }

  /** Reads one response (Content-Length, chunked, or up to the close); throws after `ms`. */
  async response(ms = 5000, head = false): Promise<RawResponse> {
    const deadline = Date.now() + ms;
    const left = () => Math.max(1, deadline - Date.now());
    let end: number;
    while ((end = indexOf(this.#buffer, "\r\n\r\n")) < 0) {
      if (!await this.#fill(left())) throw new Error("connection closed before a response head");
    }
    const lines = latin1.decode(this.take(end + 4)).split("\r\n");
    const status = Number(lines[0].split(" ")[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (head || status < 200 || status === 204 || status === 304) {
      return { status, headers, body: "" };
    }
    if (headers["content-length"] !== undefined) {
      const length = Number(headers["content-length"]);
      if (!await this.need(length, left())) throw new Error("connection closed mid-body");
      return { status, headers, body: latin1.decode(this.take(length)) };
    }
    if (headers["transfer-encoding"] === "chunked") {
      let body = "";
      for (;;) {
        let lineEnd: number;
        while ((lineEnd = indexOf(this.#buffer, "\r\n")) < 0) {
          if (!await this.#fill(left())) throw new Error("connection closed mid-chunk");
        }
        const size = parseInt(latin1.decode(this.take(lineEnd + 2)), 16);
        if (!await this.need(size + 2, left())) throw new Error("connection closed mid-chunk");
        body += latin1.decode(this.take(size + 2)).slice(0, size);
        if (size === 0) return { status, headers, body };
      }
    }
    while (await this.#fill(left()));
    return { status, headers, body: latin1.decode(this.take(this.#buffer.length)) };
  }

  /** Resolves true once the server closes the connection (within `ms`), reading and dropping data. */
  async closedWithin(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    try {
      while (await this.#fill(Math.max(1, deadline - Date.now()))) this.take(this.#buffer.length);
      return true;
    } catch {
      return false;
    }
  }

  /** Closes the client's end. */
  close(): void {
    try {
      this.conn.close();
    } catch {
      // already closed
    }
  }
}

function indexOf(bytes: Uint8Array, text: string): number {
  const needle = encoder.encode(text);
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Sleeps `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
