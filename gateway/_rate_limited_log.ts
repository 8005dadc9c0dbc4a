/**
 * Log lines that a client or a failing peer can cause (refused requests, a
 * webhook receiver that keeps failing, a token-guessing client, a store that
 * is cut off), at most one per kind per interval. The first line of a kind
 * is written at once; the lines of the interval after it are held back and
 * counted. Their count rides as `suppressed` on the next line of that kind,
 * or, once the interval has passed, {@linkcode RateLimitedLog.flush} (on a
 * timer, when the owner passes timers) writes the last line held with the
 * count of the others. Every line written stands for itself plus its
 * `suppressed`. The gateway's one
 * implementation: the routes, the connection layer, webhooks, the admin API
 * and `/watch` all use it.
 *
 * @module
 */
import type { LogFields, Logger, LogLevel } from "./log.ts";
import type { TimerHandle, Timers } from "../protocol/_timers.ts";

/** Options of {@linkcode RateLimitedLog}. */
export interface RateLimitedLogOptions {
  /** Shortest time between two lines of one kind, in ms. Default: 1000. */
  intervalMs?: number;
  /** The clock, in ms. Default: `Date.now`. */
  clock?: () => number;
  /**
   * Timers to write held counts once their interval has passed, so the end
   * of a burst is reported. Without them the count waits for the next line
   * of its kind or a call of {@linkcode RateLimitedLog.flush}. Default: none.
   */
  timers?: Timers;
}

interface Kind {
  /** When this kind's last line was written. */
  at: number;
  /** Lines held back since. */
  suppressed: number;
  /** The last line held back, written by a flush with the count. */
  last?: { level: LogLevel; msg: string; fields?: LogFields };
}

/** Kinds are a small fixed set in the code; the map is bounded anyway. */
const MAX_KINDS = 1000;

/**
 * At most one line per kind per interval, with a count of what was held back.
 *
 * @example
 * ```ts ignore
 * const log = new RateLimitedLog(logger, { intervalMs: 1000 });
 * for (let i = 0; i < 100; i++) log.log("warn", "webhook-failed", "webhook attempt failed");
 * // one line now; the next line of the kind carries `suppressed: 99`
 * ```
 */
export class RateLimitedLog {
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #clock: () => number;
  readonly #timers: Timers | undefined;
  readonly #kinds = new Map<string, Kind>();
  #timer: TimerHandle | undefined;
  #closed = false;

  /** Wraps `logger`. */
  constructor(logger: Logger, options: RateLimitedLogOptions = {}) {
    this.#logger = logger;
    this.#intervalMs = options.intervalMs ?? 1000;
    this.#clock = options.clock ?? Date.now;
    this.#timers = options.timers;
  }

  /** Logs at `level` unless a line of `kind` was written within the interval. */
  log(level: LogLevel, kind: string, msg: string, fields?: LogFields): void {
    const now = this.#clock();
    const entry = this.#kinds.get(kind);
    if (entry && now - entry.at < this.#intervalMs) {
      entry.suppressed++;
      entry.last = { level, msg, fields };
      this.#schedule();
      return;
    }
    if (!entry && this.#kinds.size >= MAX_KINDS) this.flush(true);
    const suppressed = entry?.suppressed ?? 0;
    this.#kinds.set(kind, { at: now, suppressed: 0 });
    this.#logger[level](msg, suppressed > 0 ? { ...fields, suppressed } : fields);
  }

  /** {@linkcode RateLimitedLog.log} at warn. */
  warn(kind: string, msg: string, fields?: LogFields): void {
    this.log("warn", kind, msg, fields);
  }

  /** {@linkcode RateLimitedLog.log} at error. */
  error(kind: string, msg: string, fields?: LogFields): void {
    this.log("error", kind, msg, fields);
  }

  /**
   * Writes the held count of every kind whose interval has passed (with
   * `all`, of every kind), and forgets kinds that went quiet.
   */
  flush(all = false): void {
    const now = this.#clock();
    for (const [kind, entry] of this.#kinds) {
      if (!all && now - entry.at < this.#intervalMs) continue;
      if (entry.suppressed > 0 && entry.last) {
        // The last line held is written late, with the count of the others:
        // every line stands for itself plus its `suppressed`.
        const { level, msg, fields } = entry.last;
        const others = entry.suppressed - 1;
        this.#logger[level](msg, others > 0 ? { ...fields, suppressed: others } : fields);
        // The line just written opens a new interval.
        if (!all) {
          this.#kinds.set(kind, { at: now, suppressed: 0 });
          continue;
        }
      }
      this.#kinds.delete(kind);
    }
  }

  /** Writes every held count now and stops the flush timer. */
  close(): void {
    this.#closed = true;
    this.#timers?.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.flush(true);
  }

  #schedule(): void {
    if (!this.#timers || this.#timer !== undefined || this.#closed) return;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.flush();
      for (const entry of this.#kinds.values()) {
        if (entry.suppressed > 0) return this.#schedule();
      }
    }, this.#intervalMs);
  }
}
