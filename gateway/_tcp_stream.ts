/**
 * One TCP connection as the HTTP and WebSocket servers read and write it:
 * a read buffer that grows with the bytes actually received (doubling, up to
 * a cap the caller gives) and shrinks back when drained, so a body dripped
 * one byte at a time costs its bytes and never a buffer per chunk; and
 * writes that record when they started, so a reader that does not read can
 * be timed out.
 *
 * @module
 */

/** Counters a server shares across its streams. */
export interface StreamCounters {
  /** Bytes allocated to read buffers now. */
  capacityBytes: number;
  bytesRead: number;
  bytesWritten: number;
}

/** The read buffer is full at its cap and the caller still needs more. */
export class BufferFull extends Error {
  constructor() {
    super("read buffer full");
    this.name = "BufferFull";
  }
}

/** The smallest (and initial) read buffer: a heartbeat request fits in it. */
export const MIN_READ_BUFFER = 4096;

/** A TCP connection with a growable read buffer and tracked writes. */
export class TcpStream {
  /** Unread bytes are `buffer[start, end)`. */
  buffer: Uint8Array<ArrayBuffer> = new Uint8Array(MIN_READ_BUFFER);
  start = 0;
  end = 0;
  /** When the write in progress started (`performance.now()`), or 0. */
  writingSince = 0;
  /** The connection was closed (by either side, or by us). */
  closed = false;
  readonly conn: Deno.Conn;
  readonly #counters: StreamCounters;
  #noDelay = false;

  constructor(conn: Deno.Conn, counters: StreamCounters) {
    this.conn = conn;
    this.#counters = counters;
    counters.capacityBytes += MIN_READ_BUFFER;
  }

  /** Bytes received and not yet consumed. */
  get buffered(): number {
    return this.end - this.start;
  }

  /**
   * Reads more bytes into the buffer, growing it (never past `maxCapacity`)
   * when it is full. Resolves false at end of stream or once closed; throws
   * {@linkcode BufferFull} when `buffered` already fills `maxCapacity`.
   */
  async fill(maxCapacity: number): Promise<boolean> {
    if (this.closed) return false;
    if (this.end === this.buffer.length) this.#makeRoom(maxCapacity);
    let n: number | null;
    try {
      n = await this.conn.read(this.buffer.subarray(this.end));
    } catch {
      n = null; // reset by the peer, or closed by us while reading
    }
    if (n === null) {
      this.close();
      return false;
    }
    this.end += n;
    this.#counters.bytesRead += n;
    return true;
  }

  /** Reads until at least `count` bytes are buffered; false if the stream ended first. */
  async ensure(count: number, maxCapacity: number): Promise<boolean> {
    while (this.end - this.start < count) {
      if (!await this.fill(Math.max(maxCapacity, count))) return false;
    }
    return true;
  }

  /** Marks `count` buffered bytes consumed; a drained, grown buffer shrinks back. */
  consume(count: number): void {
    this.start += count;
    if (this.start === this.end) {
      this.start = this.end = 0;
      if (this.buffer.length > MIN_READ_BUFFER) this.#resize(MIN_READ_BUFFER);
    }
  }

  #makeRoom(maxCapacity: number): void {
    const used = this.end - this.start;
    // Compact when at least half the buffer is consumed bytes; else grow.
    if (this.start > 0 && this.start >= used) {
      this.buffer.copyWithin(0, this.start, this.end);
      this.start = 0;
      this.end = used;
      return;
    }
    if (this.buffer.length >= maxCapacity) {
      if (this.start === 0) throw new BufferFull();
      this.buffer.copyWithin(0, this.start, this.end);
      this.start = 0;
      this.end = used;
      return;
    }
    this.#resize(Math.min(maxCapacity, this.buffer.length * 2));
  }

  #resize(capacity: number): void {
    const used = this.end - this.start;
    const next = new Uint8Array(Math.max(capacity, used));
    next.set(this.buffer.subarray(this.start, this.end));
    this.#counters.capacityBytes += next.length - this.buffer.length;
    this.buffer = next;
    this.start = 0;
    this.end = used;
  }

  /** Writes all of `bytes`; rejects if the connection closes first. */
  async write(bytes: Uint8Array): Promise<void> {
    if (!this.#noDelay) {
      // Set at the first write, so a connection that never gets an answer
      // (an idle attacker) never costs the call. Answers are whole writes,
      // so Nagle's algorithm would only delay them.
      this.#noDelay = true;
      try {
        (this.conn as Deno.TcpConn).setNoDelay?.(true);
      } catch {
        // not TCP, or already closed
      }
    }
    this.writingSince = performance.now();
    try {
      let written = 0;
      while (written < bytes.length) {
        const n = await this.conn.write(bytes.subarray(written));
        written += n;
        this.#counters.bytesWritten += n;
      }
    } finally {
      this.writingSince = 0;
    }
  }

  /** Shuts down the sending side (FIN) while reads may continue. */
  closeWrite(): void {
    if (this.closed) return;
    this.conn.closeWrite().catch(() => {});
  }

  /** Closes the connection and releases the buffer; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.conn.close();
    } catch {
      // already closed
    }
    this.#counters.capacityBytes -= this.buffer.length;
    this.buffer = new Uint8Array(0);
    this.start = this.end = 0;
  }
}
