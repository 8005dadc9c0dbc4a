/**
 * Structured logs: one JSON object per line with `time`, `level`, `msg` and
 * the fields of the event, filtered by level. Lines an attacker can cause are
 * logged through {@linkcode RateLimitedLog}, which keeps at most one line per
 * key per interval and counts what it held back.
 *
 * @module
 */

/** Severity, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** The levels in order. */
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

/** Fields of a log line. */
export type LogFields = Record<string, unknown>;

/** Where the gateway logs. */
export interface Logger {
  /** Details for debugging. */
  debug(msg: string, fields?: LogFields): void;
  /** What happened: grants, expiries, deregistrations, admin actions. */
  info(msg: string, fields?: LogFields): void;
  /** Something is wrong but handled. */
  warn(msg: string, fields?: LogFields): void;
  /** Something failed. */
  error(msg: string, fields?: LogFields): void;
}

/** Options of {@linkcode createLogger}. */
export interface LoggerOptions {
  /** Lines below this level are dropped. Default: `"info"`. */
  level?: LogLevel;
  /** Writes one line (without its newline). Default: `console.log` for debug/info, `console.error` above. */
  write?: (line: string, level: LogLevel) => void;
  /** The clock for `time`. Default: `Date.now`. */
  clock?: () => number;
  /** Fields added to every line. Default: none. */
  fields?: LogFields;
}

/**
 * A logger writing JSON lines.
 *
 * @example
 * ```ts
 * import { createLogger } from "@agentworlds/sdk/gateway";
 * const lines: string[] = [];
 * const log = createLogger({ level: "info", write: (line) => lines.push(line), clock: () => 0 });
 * log.debug("dropped");
 * log.info("lease granted", { worldId: "pixel-city" });
 * console.log(lines); // ['{"time":"1970-01-01T00:00:00.000Z","level":"info","msg":"lease granted","worldId":"pixel-city"}']
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = LOG_LEVELS.indexOf(options.level ?? "info");
  const clock = options.clock ?? Date.now;
  const base = options.fields ?? {};
  const write = options.write ??
    ((line: string, level: LogLevel) =>
      level === "debug" || level === "info" ? console.log(line) : console.error(line));
  const emit = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    let line: string;
    try {
      line = JSON.stringify({
        time: new Date(clock()).toISOString(),
        level,
        msg,
        ...base,
        ...fields,
      }, replaceErrors);
    } catch {
      line = JSON.stringify({ time: new Date(clock()).toISOString(), level, msg });
    }
    write(line, level);
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

function replaceErrors(_key: string, value: unknown): unknown {
  if (value instanceof Error) return value.message;
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/**
 * At most one line per key per interval; the next line of a key says how
 * many were held back (`suppressed`). For errors a hostile client can cause.
 */
export class RateLimitedLog {
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #clock: () => number;
  #keys = new Map<string, { at: number; held: number }>();

  /** Wraps `logger`, one line per key per `intervalMs` (default 1000). */
  constructor(logger: Logger, intervalMs = 1000, clock: () => number = Date.now) {
    this.#logger = logger;
    this.#intervalMs = intervalMs;
    this.#clock = clock;
  }

  /** Logs at `level` unless a line of `key` was logged within the interval. */
  log(level: LogLevel, key: string, msg: string, fields?: LogFields): void {
    const now = this.#clock();
    const entry = this.#keys.get(key);
    if (entry && now - entry.at < this.#intervalMs) {
      entry.held++;
      return;
    }
    if (this.#keys.size > 1000) this.#keys.clear(); // keys are a small fixed set; bound it anyway
    this.#keys.set(key, { at: now, held: 0 });
    this.#logger[level](msg, entry?.held ? { ...fields, suppressed: entry.held } : fields);
  }
}
