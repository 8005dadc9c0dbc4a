/**
 * One HTTP/1.1 connection of the gateway's server: reads requests in order
 * (keep-alive and pipelining), holds each to the head and body limits,
 * buffers the body in memory proportional to its bytes, calls the handler,
 * and writes the answer: with its length in one write, or, for server-sent
 * events (`text/event-stream`), streamed chunked with a cap on what waits
 * for a slow reader. A WebSocket upgrade hands the connection to
 * `_websocket.ts`.
 *
 * Deadlines are not timers here: the connection says when its current phase
 * must end (`deadline`), and the server's one sweep calls {@linkcode
 * HttpConnection.expire} past it.
 *
 * @module
 */
import { concatBytes } from "../protocol/_bytes.ts";
import { quotaKey } from "./_client.ts";
import { findHeadEnd, type HeadError, parseRequestHead, type RequestHead } from "./_http_head.ts";
import {
  chunkFrame,
  CONTINUE,
  errorResponseBytes,
  type Framing,
  joinHeadAndBody,
  LAST_CHUNK,
  responseHead,
  switchingProtocolsHead,
} from "./_http_response.ts";
import type { RateLimitedLog } from "./_rate_limited_log.ts";
import { BufferFull, type StreamCounters, TcpStream } from "./_tcp_stream.ts";
import { claimUpgrade, type WebSocketCounters, type WebSocketTransport } from "./_websocket.ts";

/** What the handler learns besides the request. */
export interface ServeInfo {
  /** The peer's address, as the socket reports it. */
  remoteAddr: Deno.NetAddr;
}

/** Answers one request; the shape of `Deno.serve`'s handler (Hono's `app.fetch` fits). */
export type ServeHandler = (request: Request, info: ServeInfo) => Response | Promise<Response>;

/** The limits a connection enforces (the server's options, resolved). */
export interface ConnectionLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  maxHeaderBytes: number;
  maxBodyBytes: (method: string, path: string) => number;
  maxStreamQueueBytes: number;
}

/** Counters the connections of one server add to. */
export interface ConnectionCounters extends StreamCounters {
  requests: number;
  /** Server-layer refusals by status (400, 408, 413, 431, …). */
  rejected: Record<number, number>;
  timeouts: { headers: number; body: number; idle: number; write: number };
  /** Requests whose client went away before the body was complete. */
  aborted: number;
  /** Streamed answers cancelled because the reader fell too far behind. */
  streamsDropped: number;
  /** Bytes of streamed answers waiting for their readers now. */
  queuedBytes: number;
  /** Handlers that threw or returned something other than a Response. */
  handlerErrors: number;
  websockets: WebSocketCounters;
}

/** What a connection needs from its server. */
export interface ConnectionContext {
  handler: ServeHandler;
  limits: ConnectionLimits;
  counters: ConnectionCounters;
  log: RateLimitedLog;
  /** The listener's address: the URL authority of a request without `Host`. */
  localAuthority: string;
  /** Whether the server is shutting down (no more keep-alive). */
  shuttingDown(): boolean;
  /** Called once, when the connection has closed. */
  release(connection: HttpConnection): void;
}

/** What the connection is doing; decides what its deadline means. */
export type Phase =
  | "headers"
  | "idle"
  | "body"
  | "handling"
  | "writing"
  | "streaming"
  | "closing"
  | "websocket";

/** How long a closing connection reads (and drops) what the client still sends, in ms. */
const LINGER_MS = 2000;
/** Most bytes dropped while lingering (e.g. the rest of a body refused with 413). */
const LINGER_BYTES = 1024 * 1024;
/** Longest chunk-size line (with extensions) accepted. */
const MAX_CHUNK_LINE = 1024;

const remoteAddresses = new WeakMap<Request, Deno.NetAddr>();

/** The peer address of a request this server received; undefined for others. */
export function remoteAddress(request: Request): Deno.NetAddr | undefined {
  return remoteAddresses.get(request);
}

function pathOf(target: string): string {
  if (target[0] !== "/") {
    try {
      return new URL(target).pathname;
    } catch {
      return "/";
    }
  }
  const query = target.indexOf("?");
  return query < 0 ? target : target.slice(0, query);
}

/** One accepted connection. */
export class HttpConnection implements WebSocketTransport {
  readonly stream: TcpStream;
  readonly remoteAddr: Deno.NetAddr;
  readonly addressKey: string;
  phase: Phase = "headers";
  /** When the current phase must end (`performance.now()` ms). */
  deadline: number;
  /** Set by an upgraded WebSocket: called instead of the HTTP expiry. */
  onDeadline: (() => void) | undefined;
  /** Set by an upgraded WebSocket: the server is shutting down. */
  onShutdown: (() => void) | undefined;
  readonly #ctx: ConnectionContext;
  #requestDeadline = Infinity;
  /** Bytes of the current request have arrived. */
  #started = false;
  #first = true;
  #done = false;
  #released = false;
  #expiring: Promise<void> | undefined;
  #cancelStream: (() => void) | undefined;

  constructor(conn: Deno.Conn, ctx: ConnectionContext) {
    this.stream = new TcpStream(conn, ctx.counters);
    this.remoteAddr = conn.remoteAddr as Deno.NetAddr;
    this.addressKey = quotaKey(this.remoteAddr.hostname);
    this.#ctx = ctx;
    const now = performance.now();
    this.deadline = now + ctx.limits.headersTimeoutMs;
    this.#requestDeadline = now + ctx.limits.requestTimeoutMs;
  }

  /** The server's counters (an upgraded WebSocket adds to them). */
  get counters(): ConnectionCounters {
    return this.#ctx.counters;
  }

  /** Serves requests until the connection closes or is upgraded. */
  async run(): Promise<void> {
    try {
      while (!this.#done) {
        const keepAlive = await this.#serveOne();
        if (this.phase === "websocket") return;
        if (!keepAlive) break;
      }
      if (!this.#done) await this.#linger();
    } catch (error) {
      // A bug in this file, never the peer's doing: say so, once in a while.
      this.#ctx.log.warn("http-bug", `http server: ${(error as Error)?.message ?? error}`);
    } finally {
      if (this.#expiring) await this.#expiring;
      if (this.phase !== "websocket") this.close();
    }
  }

  /** Closes the connection now (also the WebSocket's way to end it). */
  close(): void {
    this.#done = true;
    this.#cancelStream?.();
    this.stream.close();
    if (!this.#released) {
      this.#released = true;
      this.#ctx.release(this);
    }
  }

  /** The deadline passed: close, with a 408 when a request was under way. */
  expire(): void {
    if (this.#done) return;
    const counters = this.#ctx.counters;
    switch (this.phase) {
      case "websocket":
        return this.onDeadline ? this.onDeadline() : this.close();
      case "idle":
        counters.timeouts.idle++;
        return this.close();
      case "headers":
        counters.timeouts.headers++;
        // A connection that never sent a byte gets no answer: nobody is waiting for one.
        if (!this.#started) return this.close();
        return this.#timeOut("request headers took too long");
      case "body":
        counters.timeouts.body++;
        return this.#timeOut("request body took too long");
      default:
        return this.close();
    }
  }

  /** A write has waited past the write deadline: the reader does not read. */
  writeTimedOut(): void {
    this.#ctx.counters.timeouts.write++;
    this.close();
  }

  /** Shutdown: an idle connection closes now; a busy one after its answer. */
  shutdown(): void {
    if (this.phase === "websocket") return this.onShutdown?.();
    if (
      this.phase === "idle" || this.phase === "closing" ||
      (this.phase === "headers" && !this.#started)
    ) {
      this.close();
    }
  }

  #timeOut(message: string): void {
    this.#done = true;
    this.deadline = Infinity;
    this.#ctx.counters.rejected[408] = (this.#ctx.counters.rejected[408] ?? 0) + 1;
    this.#expiring = this.stream.write(errorResponseBytes(408, message))
      .catch(() => {})
      .finally(() => this.close());
  }

  /** Answers a bad request with `status` and ends the connection. */
  async #refuse(status: number, error: string): Promise<false> {
    const counters = this.#ctx.counters;
    counters.rejected[status] = (counters.rejected[status] ?? 0) + 1;
    this.#ctx.log.warn(
      `http-${status}`,
      `http server: ${status} ${error} (from ${this.remoteAddr.hostname})`,
    );
    this.phase = "writing";
    this.deadline = Infinity;
    await this.stream.write(errorResponseBytes(status, error)).catch(() => {});
    return false;
  }

  /** Reads, answers and writes one request; resolves whether to keep the connection. */
  async #serveOne(): Promise<boolean> {
    const head = await this.#readHead();
    if (head === undefined) return false;
    if ("status" in head) return await this.#refuse(head.status, head.error);

    const path = pathOf(head.target);
    const limit = this.#ctx.limits.maxBodyBytes(head.method, path);
    let body: Uint8Array<ArrayBuffer> | undefined;
    if (head.contentLength !== undefined && head.contentLength > 0) {
      if (head.contentLength > limit) {
        return await this.#refuse(413, `body exceeds ${limit} bytes`);
      }
      body = await this.#readLengthBody(head);
      if (body === undefined) return false;
    } else if (head.chunked) {
      const read = await this.#readChunkedBody(head, limit);
      if (read === undefined) return false;
      if ("status" in read) return await this.#refuse(read.status, read.error);
      body = read;
    }

    const url = head.target[0] === "/"
      ? `http://${head.host || this.#ctx.localAuthority}${head.target}`
      : head.target;
    let request: Request;
    try {
      const method = head.method.toUpperCase();
      request = new Request(url, {
        method: head.method,
        headers: head.headers,
        body: method === "GET" || method === "HEAD" ? undefined : body,
      });
    } catch {
      return await this.#refuse(400, "malformed request target or method");
    }
    // The body was copied into the Request: its bytes may go.
    if (body) this.stream.consume(body.length);
    remoteAddresses.set(request, this.remoteAddr);
    this.#ctx.counters.requests++;
    return await this.#answer(request, head);
  }

  /** Reads the next request head; undefined when the connection ended. */
  async #readHead(): Promise<RequestHead | HeadError | undefined> {
    const { limits } = this.#ctx;
    const stream = this.stream;
    if (this.#first) {
      this.phase = "headers";
    } else if (stream.buffered > 0) {
      this.#beginRequest();
    } else {
      this.phase = "idle";
      this.#started = false;
      this.deadline = performance.now() + limits.idleTimeoutMs;
    }
    let scanned = 0; // bytes after `start` already searched for CRLF CRLF
    for (;;) {
      // Empty lines before a request line are ignored (RFC 9112 §2.2).
      while (
        stream.buffered >= 2 && stream.buffer[stream.start] === 13 &&
        stream.buffer[stream.start + 1] === 10
      ) {
        stream.consume(2);
        scanned = 0;
      }
      const end = findHeadEnd(stream.buffer, stream.start + Math.max(0, scanned - 3), stream.end);
      if (end >= 0) {
        const length = end - stream.start;
        if (length > limits.maxHeaderBytes) {
          return { status: 431, error: `request head exceeds ${limits.maxHeaderBytes} bytes` };
        }
        const head = parseRequestHead(stream.buffer, stream.start, end);
        stream.consume(length + 4);
        this.#first = false;
        return head;
      }
      scanned = stream.buffered;
      if (scanned > limits.maxHeaderBytes + 3) {
        return { status: 431, error: `request head exceeds ${limits.maxHeaderBytes} bytes` };
      }
      let more: boolean;
      try {
        more = await stream.fill(limits.maxHeaderBytes + 4);
      } catch (error) {
        if (!(error instanceof BufferFull)) throw error;
        return { status: 431, error: `request head exceeds ${limits.maxHeaderBytes} bytes` };
      }
      if (!more || this.#done) return undefined;
      if (this.phase === "idle") this.#beginRequest();
      this.#started = true;
    }
  }

  /** The first byte of a request (after the first) arrived: its deadlines start now. */
  #beginRequest(): void {
    const now = performance.now();
    this.phase = "headers";
    this.#started = true;
    this.deadline = now + this.#ctx.limits.headersTimeoutMs;
    this.#requestDeadline = now + this.#ctx.limits.requestTimeoutMs;
  }

  async #sendContinue(head: RequestHead): Promise<boolean> {
    if (!head.expectContinue) return true;
    try {
      await this.stream.write(CONTINUE);
      return true;
    } catch {
      return false;
    }
  }

  #enterBody(): void {
    this.phase = "body";
    this.deadline = this.#requestDeadline;
  }

  #abandoned(): undefined {
    if (!this.#done) this.#ctx.counters.aborted++;
    return undefined;
  }

  /** The body's bytes, still in the read buffer (consumed once copied). */
  async #readLengthBody(head: RequestHead): Promise<Uint8Array<ArrayBuffer> | undefined> {
    const length = head.contentLength!;
    if (!await this.#sendContinue(head)) return this.#abandoned();
    this.#enterBody();
    const stream = this.stream;
    if (!await stream.ensure(length, length) || this.#done) return this.#abandoned();
    return stream.buffer.subarray(stream.start, stream.start + length);
  }

  /**
   * Decodes a chunked body in place: each chunk's data is moved down over
   * the framing before it, so the body ends up contiguous at `start` and
   * the buffer holds no more than the bytes received.
   */
  async #readChunkedBody(
    head: RequestHead,
    limit: number,
  ): Promise<Uint8Array<ArrayBuffer> | HeadError | undefined> {
    if (!await this.#sendContinue(head)) return this.#abandoned();
    this.#enterBody();
    const stream = this.stream;
    const cap = limit + MAX_CHUNK_LINE + this.#ctx.limits.maxHeaderBytes + 8;
    let bodyLength = 0; // decoded bytes at stream.start
    let at = 0; // next unparsed byte, relative to stream.start
    const readLine = async (max: number): Promise<string | HeadError | undefined> => {
      for (;;) {
        const from = stream.start + at;
        const to = Math.min(stream.end, from + max + 2);
        for (let i = from; i + 1 < to; i++) {
          if (stream.buffer[i] === 13 && stream.buffer[i + 1] === 10) {
            const line = String.fromCharCode(...stream.buffer.subarray(from, i));
            at = i + 2 - stream.start;
            return line;
          }
        }
        if (stream.end - from > max + 1) return { status: 400, error: "malformed chunked body" };
        if (!await stream.fill(cap) || this.#done) return undefined;
      }
    };
    for (;;) {
      const line = await readLine(MAX_CHUNK_LINE);
      if (line === undefined) return this.#abandoned();
      if (typeof line !== "string") return line;
      const match = /^([0-9A-Fa-f]{1,8})[ \t]*(?:;.*)?$/.exec(line);
      if (!match) return { status: 400, error: "malformed chunk size" };
      const size = parseInt(match[1], 16);
      if (bodyLength + size > limit) return { status: 413, error: `body exceeds ${limit} bytes` };
      if (size === 0) break;
      if (!await stream.ensure(at + size + 2, cap) || this.#done) return this.#abandoned();
      const data = stream.start + at;
      if (stream.buffer[data + size] !== 13 || stream.buffer[data + size + 1] !== 10) {
        return { status: 400, error: "malformed chunked body" };
      }
      // The data moves down behind the body so far, and what was read after
      // it behind that: the framing is gone and the buffer holds only body
      // and unparsed bytes.
      const body = stream.start + bodyLength;
      stream.buffer.copyWithin(body, data, data + size);
      bodyLength += size;
      stream.buffer.copyWithin(body + size, data + size + 2, stream.end);
      stream.end -= at + 2 - (bodyLength - size);
      at = bodyLength;
    }
    // Trailer fields are read, bounded like a head, and dropped.
    let trailerBytes = 0;
    for (;;) {
      const line = await readLine(this.#ctx.limits.maxHeaderBytes);
      if (line === undefined) return this.#abandoned();
      if (typeof line !== "string") return { status: 431, error: "trailer fields too large" };
      if (line === "") break;
      trailerBytes += line.length + 2;
      if (trailerBytes > this.#ctx.limits.maxHeaderBytes) {
        return { status: 431, error: "trailer fields too large" };
      }
    }
    // What follows the body (a pipelined request) moves down behind it.
    stream.buffer.copyWithin(stream.start + bodyLength, stream.start + at, stream.end);
    stream.end -= at - bodyLength;
    return stream.buffer.subarray(stream.start, stream.start + bodyLength);
  }

  /** Calls the handler and writes its answer; resolves whether to keep the connection. */
  async #answer(request: Request, head: RequestHead): Promise<boolean> {
    const ctx = this.#ctx;
    this.phase = "handling";
    this.deadline = Infinity;
    let response: Response;
    try {
      response = await ctx.handler(request, { remoteAddr: this.remoteAddr });
      if (!(response instanceof Response)) {
        throw new TypeError("the handler did not return a Response");
      }
    } catch (error) {
      ctx.counters.handlerErrors++;
      ctx.log.warn(
        "http-handler",
        `http server: handler failed: ${(error as Error)?.message ?? error}`,
      );
      response = Response.json({ error: "internal error" }, { status: 500 });
    }
    if (this.#done) {
      await response.body?.cancel().catch(() => {});
      return false;
    }
    const upgrade = claimUpgrade(response, request);
    if (upgrade) {
      this.phase = "writing";
      const head101 = switchingProtocolsHead(await upgrade.headers());
      try {
        await this.stream.write(head101);
      } catch {
        upgrade.abandon();
        return false;
      }
      this.phase = "websocket";
      this.deadline = Infinity;
      upgrade.attach(this);
      return false;
    }
    const keepAlive = head.keepAlive && !ctx.shuttingDown();
    return await this.#write(response, head, keepAlive) && keepAlive;
  }

  /** Writes a response; resolves false when the connection failed meanwhile. */
  async #write(response: Response, head: RequestHead, keepAlive: boolean): Promise<boolean> {
    this.phase = "writing";
    this.deadline = Infinity;
    const status = response.status;
    const noBody = head.method === "HEAD" || status === 204 || status === 304 || status < 200;
    try {
      if (noBody) {
        await response.body?.cancel().catch(() => {});
        await this.stream.write(
          joinHeadAndBody(
            responseHead(status, response.headers, { kind: "none" }, keepAlive, head.version),
          ),
        );
        return true;
      }
      // Server-sent events are streamed as they come; any other body is read
      // whole (the app's answers are in memory already) and sent with its length.
      if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
        return await this.#stream(response, head, keepAlive);
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const framing: Framing = { kind: "length", length: bytes.length };
      await this.stream.write(
        joinHeadAndBody(
          responseHead(status, response.headers, framing, keepAlive, head.version),
          bytes,
        ),
      );
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Streams a body: chunks are taken from the body as fast as it gives them
   * and queued here, so what waits for the reader is counted; past
   * `maxStreamQueueBytes` the body is cancelled and the connection closed.
   */
  async #stream(
    response: Response,
    head: RequestHead,
    keepAlive: boolean,
  ): Promise<boolean> {
    const reader = response.body!.getReader();
    const counters = this.#ctx.counters;
    const cap = this.#ctx.limits.maxStreamQueueBytes;
    const chunked = head.version === "1.1";
    const stayOpen = keepAlive && chunked;
    const framing: Framing = chunked ? { kind: "chunked" } : { kind: "close" };
    await this.stream.write(
      joinHeadAndBody(
        responseHead(response.status, response.headers, framing, stayOpen, head.version),
      ),
    );
    this.phase = "streaming";
    let queue: Uint8Array[] = [];
    let queued = 0;
    let ended = false;
    let failed = false;
    let wake: (() => void) | undefined;
    const cancel = () => {
      if (failed) return;
      failed = true;
      counters.queuedBytes -= queued;
      queue = [];
      queued = 0;
      reader.cancel().catch(() => {});
      wake?.();
    };
    this.#cancelStream = cancel;
    const pull = (async () => {
      try {
        while (!failed) {
          const { done, value } = await reader.read();
          if (done) break;
          queue.push(value);
          queued += value.length;
          counters.queuedBytes += value.length;
          if (queued > cap) {
            counters.streamsDropped++;
            this.#ctx.log.warn(
              "http-stream",
              `http server: a streamed answer to ${this.remoteAddr.hostname} passed ${cap} queued bytes; dropped`,
            );
            cancel();
            this.close();
            break;
          }
          wake?.();
        }
      } catch {
        failed = true;
      } finally {
        ended = true;
        wake?.();
      }
    })();
    try {
      while (!failed) {
        if (queue.length > 0) {
          const parts = queue;
          const bytes = queued;
          queue = [];
          queued = 0;
          counters.queuedBytes -= bytes;
          await this.stream.write(chunked ? chunkFrame(parts, bytes) : concatBytes(parts, bytes));
        } else if (ended) {
          break;
        } else {
          await new Promise<void>((resolve) => wake = resolve);
          wake = undefined;
        }
      }
      if (failed) return false;
      if (chunked) await this.stream.write(LAST_CHUNK);
      return stayOpen;
    } catch {
      cancel();
      return false;
    } finally {
      counters.queuedBytes -= queued;
      queued = 0;
      queue = [];
      this.#cancelStream = undefined;
      await pull;
    }
  }

  /** After the last answer: FIN, then read and drop what the client still sends, briefly. */
  async #linger(): Promise<void> {
    const stream = this.stream;
    if (stream.closed) return;
    this.phase = "closing";
    this.deadline = performance.now() + (this.#ctx.shuttingDown() ? LINGER_MS / 8 : LINGER_MS);
    stream.closeWrite();
    let dropped = 0;
    while (dropped < LINGER_BYTES && !this.#done) {
      dropped += stream.buffered;
      stream.consume(stream.buffered);
      if (!await stream.fill(stream.buffer.length || 1)) break;
    }
  }
}
