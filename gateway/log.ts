/**
 * Structured logs: one JSON object per line with `time`, `level`, `msg` and
 * the fields of the event, filtered by level. Lines a client or a failing
 * peer can cause go through the rate limiter in `_rate_limited_log.ts`, which
 * keeps at most one line per kind per interval and counts what it held back
 * (as `suppressed` on the next line of that kind).
 *
 * What the gateway writes at info, with its fields:
 *
 * | `msg` | fields |
 * | --- | --- |
 * | `lease granted` | `agentId`, `worldId` (worlds only), `protocolVersion` |
 * | `world went offline`, `agent went offline` | `agentId`, `worldId`, `reason`: `ttl`, `deregistered`, `admin` or `rotated` |
 * | `deregistered` | `agentId`, `worldId` |
 * | `key rotated` | `oldAgentId`, `newAgentId`, `worlds` |
 * | `world id changed hands` | `worldId`, `previousOwner`, `owner`, `cause` |
 * | `admin revoked a world's lease` | `worldId`, `agentId` |
 * | `admin revoked a lease` | `agentId`, `worldId` |
 * | `admin released a world id` | `worldId`, `previous` |
 * | `admin transferred a world id` | `worldId`, `previous`, `owner` |
 * | `admin listed world ids`, `admin inspected a world id` | `client`, and what was asked |
 *
 * Refused admin requests (`admin request refused`: `client`, `path`),
 * webhook failures (`webhook attempt refused`, `webhook attempt failed`,
 * `webhook given up on`) and watched worlds the gateway cannot join are
 * warnings and errors, rate-limited per kind.
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

/** A log call as a function of its level: the shape lower layers (the connection layer, `/watch`) take. */
export type LogFunction = (level: LogLevel, msg: string, fields?: LogFields) => void;

/** A {@linkcode Logger} that calls `log` with each line's level. */
export function loggerFrom(log: LogFunction): Logger {
  return {
    debug: (msg, fields) => log("debug", msg, fields),
    info: (msg, fields) => log("info", msg, fields),
    warn: (msg, fields) => log("warn", msg, fields),
    error: (msg, fields) => log("error", msg, fields),
  };
}
