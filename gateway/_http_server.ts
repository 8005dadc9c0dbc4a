/**
 * The gateway's HTTP/1.1 server, on `Deno.listen`, so that every limit is
 * its own: a cap on open connections (global, never more than the file
 * descriptors allow, and per client address), deadlines for request heads,
 * bodies, idle keep-alive connections and writes to readers that do not
 * read, and request bodies buffered in memory proportional to their bytes.
 * An accept loop that never dies: running out of file descriptors refuses
 * connections and never ends the process.
 *
 * `serve({ handler })` calls `handler(request, { remoteAddr })`, the shape of
 * `Deno.serve`'s handler, so Hono's `app.fetch` plugs in.
 *
 * @module
 */
import {
  type ConnectionContext,
  type ConnectionCounters,
  HttpConnection,
  remoteAddress,
  type ServeHandler,
  type ServeInfo,
} from "./_http_connection.ts";
import { quotaKey } from "./_client.ts";
import { errorResponseBytes } from "./_http_response.ts";
import { type LogFunction, loggerFrom } from "./log.ts";
import { RateLimitedLog } from "./_rate_limited_log.ts";
import type { WebSocketCounters } from "./_websocket.ts";

export { remoteAddress, type ServeHandler, type ServeInfo };

/** Options of {@linkcode serve}. */
export interface ServeOptions {
  /** Answers each request. */
  handler: ServeHandler;
  /** TCP port; 0 picks a free one. Default: 8000. */
  port?: number;
  /** Address to bind. Default: `"0.0.0.0"`. */
  hostname?: string;
  /**
   * Most open connections (WebSockets included); more are answered 503 and
   * closed. Never more than the process's file descriptor limit minus
   * `fdReserve`, when that limit can be learned. Default: 10000.
   */
  maxConnections?: number;
  /** Most open connections from one client address; more get 429. Default: 512. */
  maxConnectionsPerAddress?: number;
  /**
   * Time for a request's head to arrive: from accept for a connection's first
   * request, from its first byte for later ones; then 408 (or, if nothing was
   * sent, a silent close). Default: 10000 ms.
   */
  headersTimeoutMs?: number;
  /** Time for a whole request, body included, from its start; then 408. Default: 30000 ms. */
  requestTimeoutMs?: number;
  /** How long a keep-alive connection may wait for its next request. Default: 75000 ms. */
  idleTimeoutMs?: number;
  /** How long one write may wait for a reader that does not read; then the connection closes. Default: 30000 ms. */
  writeTimeoutMs?: number;
  /** Largest request line plus header fields, in bytes; larger is 431. Default: 16384. */
  maxHeaderBytes?: number;
  /**
   * The body limit of a request, by method and path: a larger declared
   * `Content-Length` is 413 before reading, a chunked body 413 as soon as it
   * passes it. Default: 1 MiB for every request.
   */
  maxBodyBytes?: (method: string, path: string) => number;
  /**
   * Most bytes of a streamed answer (server-sent events) waiting for a reader
   * that does not read; past it the stream is cancelled and the connection
   * closed. Default: 1048576.
   */
  maxStreamQueueBytes?: number;
  /** File descriptors kept free for files and outgoing calls. Default: 64. */
  fdReserve?: number;
  /** Where the server's (rate-limited) warnings go. Default: `console.warn`. */
  log?: LogFunction;
}

/** What {@linkcode HttpServer.stats} reports. */
export interface HttpServerStats {
  /** Connections open now (WebSockets included). */
  open: number;
  /** Distinct client addresses among them. */
  addresses: number;
  /** The most connections any one address holds now. */
  maxFromOneAddress: number;
  /** The cap on open connections in force (lowered when the fd limit is learned). */
  maxConnections: number;
  /** Connections accepted since start (refused ones included). */
  accepted: number;
  /** Requests handed to the handler. */
  requests: number;
  /** Connections refused: over the global cap (503), over the per-address cap (429). */
  refused: { connections: number; perAddress: number };
  /** Connections closed by a deadline: head, whole request, idle keep-alive, stalled write. */
  timeouts: { headers: number; body: number; idle: number; write: number };
  /** Requests the server layer answered itself, by status (400, 408, 413, 431, …). */
  rejected: Record<number, number>;
  /** Requests whose client went away before the body was complete. */
  aborted: number;
  /** Accept calls that failed (e.g. EMFILE). */
  acceptErrors: number;
  /** Handlers that threw (answered 500). */
  handlerErrors: number;
  /** Bytes received from clients. */
  bytesRead: number;
  /** Bytes written to clients. */
  bytesWritten: number;
  /** Bytes received and held in read buffers now (heads, bodies, frames). */
  bufferedBytes: number;
  /** Bytes allocated to read buffers now. */
  bufferCapacityBytes: number;
  /** Bytes of streamed answers waiting for their readers now. */
  queuedBytes: number;
  /** Streamed answers cancelled because their reader fell behind. */
  streamsDropped: number;
  /** WebSockets open now, and those closed for a reason of the server's. */
  websockets: WebSocketCounters;
}

/** A listening server. */
export interface HttpServer {
  /** Where it listens. */
  readonly addr: Deno.NetAddr;
  /** Resolves once the server has stopped and every connection is closed. */
  readonly finished: Promise<void>;
  /**
   * Stops accepting, closes idle connections, lets requests under way
   * finish for up to `graceMs`, then closes everything.
   */
  shutdown(graceMs?: number): Promise<void>;
  /** Counters for metrics. */
  stats(): HttpServerStats;
}

/** Refused connections being answered at once; beyond this they are just closed. */
const MAX_REFUSING = 32;
/** How long a refused connection is given to read its answer, in ms. */
const REFUSE_LINGER_MS = 250;
/** Most connections one sweep closes before it lets other I/O run (see ACCEPT_BURST). */
const EXPIRE_BATCH = 64;
/** Connections accepted back to back before the accept loop lets other I/O run. */
const ACCEPT_BURST = 8;
/** Longest pause after a failed accept, in ms. */
const MAX_ACCEPT_BACKOFF_MS = 1000;

/**
 * Yields to the event loop so that other sockets' I/O is polled: a message
 * to itself (~50 µs), where `setTimeout(0)` in a loop is clamped to 4 ms.
 */
class IoYield {
  readonly #channel = new MessageChannel();
  #waiting: (() => void)[] = [];

  constructor() {
    this.#channel.port1.onmessage = () => {
      const waiting = this.#waiting;
      this.#waiting = [];
      for (const resolve of waiting) resolve();
    };
  }

  /** Resolves on a later turn of the event loop, after pending I/O. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#waiting.push(resolve) === 1) this.#channel.port2.postMessage(null);
    });
  }

  /** Releases the channel (it keeps the process alive while open). */
  close(): void {
    this.#channel.port1.close();
    this.#channel.port2.close();
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }
}

/**
 * The soft limit on open files, from `/proc/self/limits`, when this process
 * may read it (Deno wants `--allow-all` for `/proc`); undefined otherwise.
 */
function fileDescriptorLimit(): number | undefined {
  try {
    const path = "/proc/self/limits";
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return undefined;
    const line = Deno.readTextFileSync(path).split("\n").find((l) =>
      l.startsWith("Max open files")
    );
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) && soft > 0 ? soft : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Listens and serves. The returned server is listening already.
 *
 * @example
 * ```ts ignore
 * const server = serve({ port: 0, handler: () => Response.json({ ok: true }) });
 * console.log(server.addr.port, server.stats().open);
 * await server.shutdown(1000);
 * ```
 */
export function serve(options: ServeOptions): HttpServer {
  const listener = Deno.listen({
    port: options.port ?? 8000,
    hostname: options.hostname ?? "0.0.0.0",
  });
  const addr = listener.addr as Deno.NetAddr;
  const fdReserve = options.fdReserve ?? 64;
  const configuredMax = options.maxConnections ?? 10_000;
  const fdLimit = fileDescriptorLimit();
  let maxConnections = fdLimit === undefined
    ? configuredMax
    : Math.max(1, Math.min(configuredMax, fdLimit - fdReserve));
  const maxPerAddress = options.maxConnectionsPerAddress ?? 512;
  const writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
  const limits = {
    headersTimeoutMs: options.headersTimeoutMs ?? 10_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 75_000,
    maxHeaderBytes: options.maxHeaderBytes ?? 16 * 1024,
    maxBodyBytes: options.maxBodyBytes ?? (() => 1024 * 1024),
    maxStreamQueueBytes: options.maxStreamQueueBytes ?? 1024 * 1024,
  };
  const log = new RateLimitedLog(
    loggerFrom(
      options.log ??
        ((_level, message, fields) =>
          console.warn(fields ? `${message} ${JSON.stringify(fields)}` : message)),
    ),
    { clock: () => performance.now() },
  );
  const counters: ConnectionCounters = {
    capacityBytes: 0,
    bytesRead: 0,
    bytesWritten: 0,
    requests: 0,
    rejected: {},
    timeouts: { headers: 0, body: 0, idle: 0, write: 0 },
    aborted: 0,
    streamsDropped: 0,
    queuedBytes: 0,
    handlerErrors: 0,
    websockets: { open: 0, tooSlow: 0, tooBig: 0, protocolErrors: 0, idle: 0 },
  };
  const refused = { connections: 0, perAddress: 0 };
  let accepted = 0;
  let acceptErrors = 0;
  let refusing = 0;
  const connections = new Set<HttpConnection>();
  const perAddress = new Map<string, number>();
  let stopping = false;
  const allClosed = Promise.withResolvers<void>();

  const localHost = addr.hostname === "0.0.0.0" || addr.hostname === "::"
    ? "localhost"
    : addr.hostname;
  const context: ConnectionContext = {
    handler: options.handler,
    limits,
    counters,
    log,
    localAuthority: `${localHost.includes(":") ? `[${localHost}]` : localHost}:${addr.port}`,
    shuttingDown: () => stopping,
    release(connection) {
      connections.delete(connection);
      const count = (perAddress.get(connection.addressKey) ?? 1) - 1;
      if (count <= 0) perAddress.delete(connection.addressKey);
      else perAddress.set(connection.addressKey, count);
      if (stopping && connections.size === 0) allClosed.resolve();
    },
  };

  // One sweep enforces every deadline: no timer per connection or request.
  const shortest = Math.min(
    limits.headersTimeoutMs,
    limits.requestTimeoutMs,
    limits.idleTimeoutMs,
    writeTimeoutMs,
  );
  const sweepEveryMs = Math.max(10, Math.min(250, Math.floor(shortest / 4)));
  // A mass expiry (thousands of idle connections opened at once) is closed in
  // batches, with other I/O served between them.
  const yielder = new IoYield();
  let followUp = false;
  const sweepOnce = () => {
    followUp = false;
    const now = performance.now();
    let expired = 0;
    for (const connection of connections) {
      const writingSince = connection.stream.writingSince;
      if (writingSince !== 0 && now - writingSince > writeTimeoutMs) {
        connection.writeTimedOut();
      } else if (connection.deadline <= now) {
        connection.expire();
      } else {
        continue;
      }
      if (++expired >= EXPIRE_BATCH) {
        followUp = true;
        yielder.next().then(sweepOnce);
        break;
      }
    }
    log.flush();
  };
  const sweep = setInterval(() => {
    if (!followUp) sweepOnce();
  }, sweepEveryMs);

  /** Answers a connection over a cap with a short 503/429 and closes it. */
  const refuse = (conn: Deno.Conn, status: number, message: string) => {
    if (refusing >= MAX_REFUSING) {
      try {
        conn.close();
      } catch {
        // already closed
      }
      return;
    }
    refusing++;
    const timer = setTimeout(() => {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }, REFUSE_LINGER_MS);
    (async () => {
      try {
        await conn.write(errorResponseBytes(status, message, 1));
        await conn.closeWrite();
        const sink = new Uint8Array(1024);
        while (await conn.read(sink) !== null) {
          // drop what the client sent; the timer ends this
        }
      } catch {
        // closed by the timer, or by the peer
      } finally {
        clearTimeout(timer);
        try {
          conn.close();
        } catch {
          // already closed
        }
        refusing--;
      }
    })();
  };

  const admit = (conn: Deno.Conn) => {
    accepted++;
    const remote = conn.remoteAddr as Deno.NetAddr;
    if (stopping) {
      conn.close();
      return;
    }
    if (connections.size >= maxConnections) {
      refused.connections++;
      log.warn(
        "refused-global",
        `http server: ${connections.size} connections open, refusing more`,
      );
      return refuse(conn, 503, "too many connections");
    }
    // As the quotas count it: an IPv6 host routinely holds a whole /64.
    const key = quotaKey(remote.hostname);
    const count = perAddress.get(key) ?? 0;
    if (count >= maxPerAddress) {
      refused.perAddress++;
      log.warn("refused-address", `http server: ${key} holds ${count} connections, refusing more`);
      return refuse(conn, 429, "too many connections from this address");
    }
    perAddress.set(key, count + 1);
    const connection = new HttpConnection(conn, context);
    connections.add(connection);
    connection.run();
  };

  const acceptLoop = (async () => {
    let backoff = 10;
    let burst = 0;
    while (!stopping) {
      if (++burst >= ACCEPT_BURST) {
        // A flood of new connections must not starve the open ones: Deno
        // keeps resolving accepts without polling other sockets until the
        // loop yields to a macrotask.
        burst = 0;
        await yielder.next();
      }
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (stopping || error instanceof Deno.errors.BadResource) break;
        acceptErrors++;
        const code = (error as { code?: string }).code;
        if ((code === "EMFILE" || code === "ENFILE") && connections.size > fdReserve) {
          // The fd limit, learned the hard way: stay under it from now on.
          const learned = connections.size - fdReserve;
          if (learned < maxConnections) {
            maxConnections = learned;
            log.warn(
              "fd-limit",
              `http server: out of file descriptors; now capped at ${learned} connections`,
            );
          }
        }
        log.warn(
          "accept",
          `http server: accept failed (${
            (error as Error).message
          }) with ${connections.size} open; retrying`,
        );
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(MAX_ACCEPT_BACKOFF_MS, backoff * 2);
        continue;
      }
      backoff = 10;
      admit(conn);
    }
    stopping = true;
  })();

  let shuttingDown: Promise<void> | undefined;
  const shutdown = (graceMs = 5000): Promise<void> =>
    shuttingDown ??= (async () => {
      stopping = true;
      try {
        listener.close();
      } catch {
        // already closed
      }
      await acceptLoop;
      if (connections.size === 0) allClosed.resolve();
      for (const connection of connections) connection.shutdown();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        allClosed.promise,
        new Promise<void>((resolve) => timer = setTimeout(resolve, graceMs)),
      ]);
      clearTimeout(timer);
      for (const connection of connections) connection.close();
      await allClosed.promise;
      clearInterval(sweep);
      yielder.close();
      log.flush();
    })();

  return {
    addr,
    finished: acceptLoop.then(() => shutdown()),
    shutdown,
    stats(): HttpServerStats {
      let maxFromOneAddress = 0;
      for (const count of perAddress.values()) {
        if (count > maxFromOneAddress) maxFromOneAddress = count;
      }
      let bufferedBytes = 0;
      for (const connection of connections) bufferedBytes += connection.stream.buffered;
      return {
        open: connections.size,
        addresses: perAddress.size,
        maxFromOneAddress,
        maxConnections,
        accepted,
        requests: counters.requests,
        refused: { ...refused },
        timeouts: { ...counters.timeouts },
        rejected: { ...counters.rejected },
        aborted: counters.aborted,
        acceptErrors,
        handlerErrors: counters.handlerErrors,
        bytesRead: counters.bytesRead,
        bytesWritten: counters.bytesWritten,
        bufferedBytes,
        bufferCapacityBytes: counters.capacityBytes,
        queuedBytes: counters.queuedBytes,
        streamsDropped: counters.streamsDropped,
        websockets: { ...counters.websockets },
      };
    },
  };
}
