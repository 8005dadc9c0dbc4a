/**
 * Server-side WebSockets (RFC 6455) on a connection of the gateway's own
 * HTTP server, with every limit ours: a message's size is refused from its
 * frame header before any payload is buffered (close 1009), and a reader
 * that does not keep up is dropped (close 1013) once its queue passes
 * `maxBufferedBytes`, never buffered without bound.
 *
 * `upgradeWebSocket(request)` works like `Deno.upgradeWebSocket`: return its
 * `response` from the handler and the server switches the connection. The
 * socket looks like a standard `WebSocket` (`send`, `close`, `readyState`,
 * `bufferedAmount`, `onopen`/`onmessage`/`onclose`/`onerror`).
 *
 * @module
 */
import { concatBytes } from "../protocol/_bytes.ts";
import type { TcpStream } from "./_tcp_stream.ts";
import {
  acceptKey,
  CLOSE,
  closePayload,
  encodeFrame,
  type FrameHeader,
  isValidCloseCode,
  OPCODE,
  readFrameHeader,
  unmask,
} from "./_websocket_frames.ts";

/** Counters of a server's WebSockets. */
export interface WebSocketCounters {
  /** WebSockets open now. */
  open: number;
  /** Closed 1013: the reader fell more than `maxBufferedBytes` behind. */
  tooSlow: number;
  /** Closed 1009: a message over `maxMessageBytes`. */
  tooBig: number;
  /** Closed 1002/1007: the client broke the protocol. */
  protocolErrors: number;
  /** Closed after `idleTimeoutMs` of silence and an unanswered ping. */
  idle: number;
}

/** The connection an upgraded socket runs on (the HTTP server's connection). */
export interface WebSocketTransport {
  readonly stream: TcpStream;
  /** When the socket wants `onDeadline` called (`performance.now()` ms). */
  deadline: number;
  onDeadline: (() => void) | undefined;
  /** Called when the server shuts down. */
  onShutdown: (() => void) | undefined;
  readonly counters: { websockets: WebSocketCounters };
  /** Closes the TCP connection. */
  close(): void;
}

/** Options of {@linkcode upgradeWebSocket}. */
export interface UpgradeOptions {
  /** Largest message (all its fragments) accepted; a larger one closes with 1009. Default: 65536. */
  maxMessageBytes?: number;
  /** Most bytes queued for a reader; past it the socket closes with 1013. Default: 1048576. */
  maxBufferedBytes?: number;
  /** Silence after which a ping is sent, and then the wait for any answer, in ms. Default: 60000. */
  idleTimeoutMs?: number;
  /** Reason sent with the 1013 close of a reader that fell behind. Default: "reader too slow". */
  tooSlowReason?: string;
}

/** What {@linkcode upgradeWebSocket} gives: a socket, or the 4xx answer to send instead. */
export type UpgradeResult =
  | { ok: true; socket: ServerWebSocket; response: Response }
  | { ok: false; response: Response };

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
/** How long a closing socket waits for the peer's close frame, in ms. */
const CLOSE_TIMEOUT_MS = 5000;
/** Queued frames smaller than this are joined into one write. */
const JOIN_BELOW = 16 * 1024;

const encoder = new TextEncoder();
const utf8 = new TextDecoder("utf-8", { fatal: true });

interface Pending {
  request: Request;
  key: string;
  socket: ServerWebSocket;
}
const pending = new WeakMap<Response, Pending>();

function refuse(
  status: number,
  error: string,
  headers: Record<string, string> = {},
): UpgradeResult {
  return { ok: false, response: Response.json({ error }, { status, headers }) };
}

function hasToken(value: string | null, token: string): boolean {
  return value !== null && value.split(",").some((part) => part.trim().toLowerCase() === token);
}

/**
 * Checks a WebSocket upgrade request and prepares the socket. On success,
 * return `response` from the handler: the gateway's server (see
 * `_http_server.ts`) answers 101 and opens the socket. A malformed upgrade
 * gets a 400 or 426 `{ error }` answer instead, never an exception.
 *
 * @example
 * ```ts ignore
 * app.get("/ws", (c) => {
 *   const upgrade = upgradeWebSocket(c.req.raw, { maxMessageBytes: 16384 });
 *   if (!upgrade.ok) return upgrade.response;
 *   upgrade.socket.onmessage = (event) => upgrade.socket.send(String(event.data));
 *   return upgrade.response;
 * });
 * ```
 */
export function upgradeWebSocket(request: Request, options: UpgradeOptions = {}): UpgradeResult {
  const headers = request.headers;
  if (!hasToken(headers.get("upgrade"), "websocket")) {
    return refuse(426, "expected a WebSocket upgrade", { upgrade: "websocket" });
  }
  if (request.method !== "GET") return refuse(400, "a WebSocket upgrade must be a GET");
  if (!hasToken(headers.get("connection"), "upgrade")) {
    return refuse(400, "a WebSocket upgrade needs Connection: upgrade");
  }
  if (headers.get("sec-websocket-version")?.trim() !== "13") {
    return refuse(426, "Sec-WebSocket-Version must be 13", { "sec-websocket-version": "13" });
  }
  const key = headers.get("sec-websocket-key")?.trim() ?? "";
  if (!/^[A-Za-z0-9+/]{21}[AQgw]==$/.test(key)) {
    return refuse(400, "Sec-WebSocket-Key must be the base64 of 16 bytes");
  }
  const socket = new ServerWebSocket(options);
  // Only the gateway's server turns this into a 101; any other server sends it as it is.
  const response = Response.json(
    { error: "WebSocket upgrades need the gateway's own HTTP server" },
    { status: 501 },
  );
  pending.set(response, { request, key, socket });
  return { ok: true, socket, response };
}

/** The server's side of an upgrade it recognised. */
export interface ClaimedUpgrade {
  /** The 101's headers. */
  headers(): Promise<Headers>;
  /** The 101 was written: the socket takes the connection. */
  attach(transport: WebSocketTransport): void;
  /** The 101 could not be written: the socket closes (1006). */
  abandon(): void;
}

/** For the server: the upgrade `response` stands for, if it was made for `request`. */
export function claimUpgrade(response: Response, request: Request): ClaimedUpgrade | undefined {
  const entry = pending.get(response);
  if (!entry || entry.request !== request) return undefined;
  pending.delete(response);
  response.body?.cancel().catch(() => {});
  return {
    headers: async () =>
      new Headers({
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-accept": await acceptKey(entry.key),
      }),
    attach: (transport) => entry.socket._attach(transport),
    abandon: () => entry.socket._finish(1006, "", false),
  };
}

/** A server-side WebSocket. */
export class ServerWebSocket extends EventTarget {
  /** The socket is being opened. */
  static readonly CONNECTING = CONNECTING;
  /** Open: messages flow. */
  static readonly OPEN = OPEN;
  /** A close frame was sent or received. */
  static readonly CLOSING = CLOSING;
  /** The connection is closed. */
  static readonly CLOSED = CLOSED;

  /** Binary messages arrive as `ArrayBuffer`s. */
  readonly binaryType = "arraybuffer";
  /** Called once the socket is open. */
  onopen: ((event: Event) => void) | null = null;
  /** Called with each complete message. */
  onmessage: ((event: MessageEvent) => void) | null = null;
  /** Called once, when the connection has closed. */
  onclose: ((event: CloseEvent) => void) | null = null;
  /** Called before `onclose` when the socket fails (protocol error, too slow, too big). */
  onerror: ((event: Event) => void) | null = null;

  #readyState = CONNECTING;
  #transport: WebSocketTransport | undefined;
  readonly #maxMessageBytes: number;
  readonly #maxBufferedBytes: number;
  readonly #idleTimeoutMs: number;
  readonly #tooSlowReason: string;
  /** Frames not yet handed to the connection. */
  #queue: Uint8Array[] = [];
  #queueHead = 0;
  #queued = 0;
  /** Bytes of the frames being written now. */
  #inFlight = 0;
  #writing = false;
  /** A ping was sent after silence and nothing came back yet. */
  #pinged = false;
  #closeSent = false;
  /** The peer's close frame arrived. */
  #closeReceived = false;
  /** End the connection as soon as our close frame is written (the peer broke a rule). */
  #closeWhenSent = false;
  #closeCode = 1005;
  #closeReason = "";
  /** Fragments of the message being received. */
  #fragments: Uint8Array | undefined;
  #fragmentsLength = 0;
  #fragmentOpcode = 0;

  /** Use {@linkcode upgradeWebSocket}. */
  constructor(options: UpgradeOptions = {}) {
    super();
    this.#maxMessageBytes = options.maxMessageBytes ?? 64 * 1024;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.#tooSlowReason = options.tooSlowReason ?? "reader too slow";
  }

  /** 0 connecting, 1 open, 2 closing, 3 closed (as `WebSocket.readyState`). */
  get readyState(): number {
    return this.#readyState;
  }

  /** Bytes queued and not yet written to the connection (frame headers included). */
  get bufferedAmount(): number {
    return this.#queued + this.#inFlight;
  }

  /**
   * Queues a message. Past `maxBufferedBytes` the queue is dropped and the
   * socket closes with 1013. Ignored unless open; throws while connecting.
   */
  send(data: string | ArrayBufferLike | ArrayBufferView): void {
    if (this.#readyState === CONNECTING) {
      throw new DOMException("the WebSocket is not open yet", "InvalidStateError");
    }
    if (this.#readyState !== OPEN) return;
    const frame = typeof data === "string"
      ? textFrame(data)
      : encodeFrame(OPCODE.binary, bytesOf(data));
    this.#enqueue(frame);
    if (this.bufferedAmount > this.#maxBufferedBytes) {
      this.#transport!.counters.websockets.tooSlow++;
      this.#dropQueue();
      this.#fail(CLOSE.tryAgainLater, this.#tooSlowReason);
    }
  }

  /**
   * Starts the closing handshake. `code` is 1000 or a code a server may
   * send (1001-1014 but 1004-1006, or 3000-4999); the reason is cut to 123
   * bytes of UTF-8 rather than refused.
   */
  close(code: number = CLOSE.normal, reason = ""): void {
    if (!isValidCloseCode(code) || code === 1005) {
      throw new DOMException(`invalid close code ${code}`, "InvalidAccessError");
    }
    if (this.#readyState === CONNECTING) {
      this.#closeCode = code;
      this.#closeReason = reason;
      this.#readyState = CLOSING;
      return;
    }
    if (this.#readyState !== OPEN) return;
    this.#startClose(code, reason);
  }

  /** @internal The server wrote the 101: take over the connection. */
  _attach(transport: WebSocketTransport): void {
    this.#transport = transport;
    transport.counters.websockets.open++;
    transport.onDeadline = () => this.#onDeadline();
    transport.onShutdown = () => {
      if (this.#readyState === OPEN) this.#startClose(CLOSE.goingAway, "server shutting down");
    };
    this.#touch();
    if (this.#readyState === CLOSING) {
      // close() was called before the socket opened.
      this.#readyState = OPEN;
      this.#startClose(this.#closeCode, this.#closeReason);
    } else {
      this.#readyState = OPEN;
      this.#emit("open", new Event("open"));
    }
    this.#readLoop().catch(() => this._finish(1006, "", false));
  }

  /** @internal Ends the socket: close the connection, tell the listeners once. */
  _finish(code: number, reason: string, wasClean: boolean): void {
    if (this.#readyState === CLOSED) return;
    const opened = this.#transport !== undefined;
    this.#readyState = CLOSED;
    this.#dropQueue();
    this.#fragments = undefined;
    if (opened) {
      this.#transport!.counters.websockets.open--;
      this.#transport!.onDeadline = undefined;
      this.#transport!.onShutdown = undefined;
      this.#transport!.close();
    }
    this.#emit("close", new CloseEvent("close", { code, reason, wasClean }));
  }

  #emit(type: "open" | "message" | "close" | "error", event: Event): void {
    try {
      const handler = this[`on${type}`] as ((event: Event) => void) | null;
      handler?.call(this, event);
    } catch {
      // A throwing handler must not take the connection (or the process) down.
    }
    this.dispatchEvent(event);
  }

  #touch(): void {
    this.#pinged = false;
    if (this.#readyState !== CLOSING) {
      this.#transport!.deadline = performance.now() + this.#idleTimeoutMs;
    }
  }

  #onDeadline(): void {
    const transport = this.#transport!;
    if (this.#readyState === CLOSING) {
      return this._finish(this.#closeCode, this.#closeReason, false);
    }
    if (!this.#pinged) {
      // Silence: ask for a sign of life before giving up.
      this.#pinged = true;
      this.#enqueue(encodeFrame(OPCODE.ping, new Uint8Array(0)));
      transport.deadline = performance.now() + this.#idleTimeoutMs;
      return;
    }
    transport.counters.websockets.idle++;
    this.#startClose(CLOSE.goingAway, "idle timeout");
    this._finish(CLOSE.goingAway, "idle timeout", false);
  }

  #enqueue(frame: Uint8Array): void {
    this.#queue.push(frame);
    this.#queued += frame.length;
    if (!this.#writing) this.#flush();
  }

  #dropQueue(): void {
    this.#queue = [];
    this.#queueHead = 0;
    this.#queued = 0;
  }

  async #flush(): Promise<void> {
    const stream = this.#transport!.stream;
    this.#writing = true;
    try {
      while (this.#queueHead < this.#queue.length) {
        let batch = this.#queue[this.#queueHead++];
        if (batch.length < JOIN_BELOW && this.#queueHead < this.#queue.length) {
          const parts = [batch];
          let total = batch.length;
          while (
            this.#queueHead < this.#queue.length &&
            total + this.#queue[this.#queueHead].length <= 4 * JOIN_BELOW
          ) {
            const next = this.#queue[this.#queueHead++];
            parts.push(next);
            total += next.length;
          }
          batch = concatBytes(parts, total);
        }
        if (this.#queueHead === this.#queue.length) this.#dropQueue();
        else this.#queued -= batch.length;
        this.#inFlight = batch.length;
        await stream.write(batch);
        this.#inFlight = 0;
      }
      if (this.#closeSent && this.#readyState === CLOSING) {
        // Both close frames exchanged (or the peer broke a rule): the server
        // closes the TCP connection first.
        if (this.#closeReceived) this._finish(this.#closeCode, this.#closeReason, true);
        else if (this.#closeWhenSent) this._finish(this.#closeCode, this.#closeReason, false);
      }
    } catch {
      this.#inFlight = 0;
      this._finish(this.#closeSent ? this.#closeCode : 1006, this.#closeReason, false);
    } finally {
      this.#writing = false;
    }
  }

  #startClose(code: number, reason: string): void {
    if (this.#closeSent) return;
    this.#closeSent = true;
    this.#readyState = CLOSING;
    this.#closeCode = code;
    this.#closeReason = reason;
    this.#transport!.deadline = performance.now() + Math.min(CLOSE_TIMEOUT_MS, this.#idleTimeoutMs);
    this.#enqueue(encodeFrame(OPCODE.close, closePayload(code, reason)));
  }

  /** The peer broke the protocol or a limit: error, close frame, and the connection ends. */
  #fail(code: number, reason: string): void {
    if (this.#readyState === CLOSED) return;
    this.#emit("error", new Event("error"));
    this.#closeWhenSent = true;
    this.#startClose(code, reason);
    if (!this.#writing) this._finish(code, reason, false);
  }

  async #readLoop(): Promise<void> {
    const stream = this.#transport!.stream;
    const cap = this.#maxMessageBytes + 14;
    for (;;) {
      if (this.#readyState === CLOSED) return;
      let header = readFrameHeader(stream.buffer, stream.start, stream.end);
      while (header === undefined) {
        if (!await stream.fill(cap)) return this.#ended();
        header = readFrameHeader(stream.buffer, stream.start, stream.end);
      }
      if ("code" in header) {
        this.#transport!.counters.websockets.protocolErrors++;
        return this.#fail(header.code, header.reason);
      }
      const data = header.opcode < 0x8;
      if (data && this.#fragmentsLength + header.payloadLength > this.#maxMessageBytes) {
        this.#transport!.counters.websockets.tooBig++;
        return this.#fail(CLOSE.tooBig, `message exceeds ${this.#maxMessageBytes} bytes`);
      }
      const size = header.headerLength + header.payloadLength;
      if (!await stream.ensure(size, cap)) return this.#ended();
      const at = stream.start;
      unmask(stream.buffer, at + header.maskOffset, at + header.headerLength, header.payloadLength);
      const payload = stream.buffer.subarray(at + header.headerLength, at + size);
      const problem = this.#frame(header, payload);
      stream.consume(size);
      if (problem) {
        this.#transport!.counters.websockets.protocolErrors++;
        return this.#fail(problem.code, problem.reason);
      }
      if (this.#closeReceived) return;
      this.#touch();
    }
  }

  /** The connection ended without a close frame from the peer. */
  #ended(): void {
    this._finish(this.#closeSent ? this.#closeCode : 1006, this.#closeReason, false);
  }

  /** Handles one unmasked frame; returns a protocol error, if any. */
  #frame(header: FrameHeader, payload: Uint8Array): { code: number; reason: string } | undefined {
    switch (header.opcode) {
      case OPCODE.ping:
        if (this.#readyState === OPEN) this.#enqueue(encodeFrame(OPCODE.pong, payload));
        return;
      case OPCODE.pong:
        return;
      case OPCODE.close:
        return this.#closeFrame(payload);
    }
    if (this.#readyState !== OPEN) return; // closing: data is dropped
    if (header.opcode === OPCODE.continuation) {
      if (this.#fragments === undefined) {
        return { code: CLOSE.protocolError, reason: "continuation without a message" };
      }
      this.#appendFragment(payload);
      if (!header.fin) return;
      const message = this.#fragments.subarray(0, this.#fragmentsLength);
      const opcode = this.#fragmentOpcode;
      this.#fragments = undefined;
      this.#fragmentsLength = 0;
      return this.#deliver(opcode, message);
    }
    if (this.#fragments !== undefined) {
      return { code: CLOSE.protocolError, reason: "new message inside a fragmented one" };
    }
    if (!header.fin) {
      this.#fragmentOpcode = header.opcode;
      this.#fragments = new Uint8Array(
        Math.min(this.#maxMessageBytes, Math.max(1024, payload.length * 2)),
      );
      this.#fragmentsLength = 0;
      this.#appendFragment(payload);
      return;
    }
    return this.#deliver(header.opcode, payload);
  }

  #appendFragment(payload: Uint8Array): void {
    const needed = this.#fragmentsLength + payload.length;
    if (needed > this.#fragments!.length) {
      const grown = new Uint8Array(
        Math.min(this.#maxMessageBytes, Math.max(needed, this.#fragments!.length * 2)),
      );
      grown.set(this.#fragments!.subarray(0, this.#fragmentsLength));
      this.#fragments = grown;
    }
    this.#fragments!.set(payload, this.#fragmentsLength);
    this.#fragmentsLength = needed;
  }

  #deliver(opcode: number, bytes: Uint8Array): { code: number; reason: string } | undefined {
    let data: string | ArrayBuffer;
    if (opcode === OPCODE.text) {
      try {
        data = utf8.decode(bytes);
      } catch {
        return { code: CLOSE.invalidData, reason: "text message is not UTF-8" };
      }
    } else {
      data = bytes.slice().buffer;
    }
    this.#emit("message", new MessageEvent("message", { data }));
  }

  #closeFrame(payload: Uint8Array): { code: number; reason: string } | undefined {
    let code = 1005;
    let reason = "";
    if (payload.length === 1) return { code: CLOSE.protocolError, reason: "malformed close frame" };
    if (payload.length >= 2) {
      code = (payload[0] << 8) | payload[1];
      if (!isValidCloseCode(code)) {
        return { code: CLOSE.protocolError, reason: `invalid close code ${code}` };
      }
      try {
        reason = utf8.decode(payload.subarray(2));
      } catch {
        return { code: CLOSE.invalidData, reason: "close reason is not UTF-8" };
      }
    }
    this.#closeReceived = true;
    if (!this.#closeSent) {
      // Echo the peer's close; the connection ends once it is written.
      this.#closeCode = code;
      this.#closeReason = reason;
      this.#startClose(code === 1005 ? CLOSE.normal : code, reason);
      this.#closeCode = code;
    } else if (!this.#writing) {
      this._finish(this.#closeCode, this.#closeReason, true);
    }
  }
}

/** One text frame per string: the same string sent to many sockets is encoded once. */
let lastText: string | undefined;
let lastFrame: Uint8Array | undefined;
function textFrame(text: string): Uint8Array {
  if (text === lastText && lastFrame) return lastFrame;
  const frame = encodeFrame(OPCODE.text, encoder.encode(text));
  // Only worth keeping for broadcast-sized messages.
  if (text.length >= 1024) {
    lastText = text;
    lastFrame = frame;
  }
  return frame;
}

function bytesOf(data: ArrayBufferLike | ArrayBufferView): Uint8Array {
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  return new Uint8Array(data);
}
