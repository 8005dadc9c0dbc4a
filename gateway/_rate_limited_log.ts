/**
 * Log lines an attacker can trigger, at most one per kind per interval: the
 * first is written at once, the rest of the interval are counted and their
 * count written with the next line of that kind (or by {@linkcode flush}).
 *
 * @module
 */

/** The gateway's log function (the team's `Logger` shape). */
export type LogFunction = (
  level: "debug" | "info" | "warn" | "error",
  message: string,
  fields?: Record<string, unknown>,
) => void;

interface Kind {
  lastAt: number;
  suppressed: number;
  lastMessage: string;
}

/** Rate-limits log lines per kind. */
export class RateLimitedLog {
  readonly #log: LogFunction;
  readonly #intervalMs: number;
  readonly #clock: () => number;
  readonly #kinds = new Map<string, Kind>();

  /**
   * @param log Where lines go.
   * @param intervalMs Shortest time between two lines of one kind. Default: 1000.
   * @param clock Milliseconds, for tests. Default: `performance.now`.
   */
  constructor(log: LogFunction, intervalMs = 1000, clock: () => number = () => performance.now()) {
    this.#log = log;
    this.#intervalMs = intervalMs;
    this.#clock = clock;
  }

  /** Logs `message` under `kind` unless a line of that kind was written within the interval. */
  warn(kind: string, message: string): void {
    const now = this.#clock();
    const entry = this.#kinds.get(kind);
    if (entry && now - entry.lastAt < this.#intervalMs) {
      entry.suppressed++;
      entry.lastMessage = message;
      return;
    }
    const suppressed = entry?.suppressed ?? 0;
    this.#kinds.set(kind, { lastAt: now, suppressed: 0, lastMessage: message });
    this.#log("warn", suppressed > 0 ? `${message} (+${suppressed} more like it before)` : message);
  }

  /** Writes the count of lines held back longer than the interval. */
  flush(): void {
    const now = this.#clock();
    for (const [kind, entry] of this.#kinds) {
      if (now - entry.lastAt < this.#intervalMs) continue;
      if (entry.suppressed > 0) {
        this.#log(
          "warn",
          `${entry.lastMessage} (${entry.suppressed} like it in the last interval)`,
        );
      }
      this.#kinds.delete(kind);
    }
  }
}
