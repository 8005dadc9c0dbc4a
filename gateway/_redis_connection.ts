/**
 * One fail-fast connection to Redis for the Redis store: no offline queue, a
 * command timeout, no resend of a command cut mid-flight (it may have been
 * applied: retrying a floor-checking script would answer 409 to an honest
 * world), quick reconnects, and scripts run with `EVALSHA` (`EVALSHA_RO`
 * for reads) falling back to `EVAL` on `NOSCRIPT` (the script cache is
 * empty after every restart or failover). Errors that mean "cannot be
 * reached" become {@linkcode StoreUnavailableError}.
 *
 * @module
 */
import { Redis, type RedisOptions } from "ioredis";
import { StoreUnavailableError } from "./store.ts";
import type { RedisScript } from "./_redis_scripts.ts";

/** Options of {@linkcode RedisConnection}. */
export interface RedisConnectionOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /** Longest wait for one reply, in ms. */
  commandTimeoutMs: number;
  /** PEM of the CA that signed a `rediss://` server's certificate, when not a public one. */
  tlsCa?: string;
  /** The name Redis shows in `CLIENT LIST`. */
  name: string;
}

// Redis answers these while it cannot serve (loading the AOF, a failover,
// out of memory, a busy script): the store is unavailable, not broken.
const UNAVAILABLE_REPLY =
  /^(LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN|MISCONF|OOM|NOREPLICAS)\b/;

/** Whether an error means Redis could not be reached or could not serve. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof StoreUnavailableError) return true;
  if (error.name === "ReplyError") return UNAVAILABLE_REPLY.test(error.message);
  // Connection closed, command timed out, stream not writeable, refused…
  return true;
}

/** Redacts the password of a Redis URL, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/** The ioredis options that make a client fail fast instead of hanging. */
export function failFastOptions(options: RedisConnectionOptions): RedisOptions {
  const tls = options.url.startsWith("rediss:") && options.tlsCa !== undefined
    ? { ca: options.tlsCa }
    : undefined;
  return {
    connectionName: options.name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(options.commandTimeoutMs, 2000),
    // Reconnect soon and keep trying: 100 ms, 200 ms, … capped at 1 s.
    retryStrategy: (times) => Math.min(100 * times, 1000),
    // Commands issued in one tick go out in one write: in Deno each socket
    // write is costly, and pipelining raised heartbeats/s ~5x (see bench/redis.ts).
    enableAutoPipelining: true,
    // RESP2: replies keep the shapes the scripts return (no RESP3 maps).
    protocol: 2,
    disableClientInfo: true,
    ...(tls ? { tls } : {}),
  };
}

/** A connection that runs the store's scripts. */
export class RedisConnection {
  /** The ioredis client (fail-fast options). */
  readonly client: Redis;
  readonly #options: RedisConnectionOptions;
  readonly #shas = new Map<RedisScript, string>();
  #closed = false;

  /** Creates the client; it connects (and reconnects) in the background. */
  constructor(options: RedisConnectionOptions) {
    this.#options = options;
    this.client = new Redis(options.url, failFastOptions(options));
    // Without a listener, ioredis reports every failed attempt on the console.
    this.client.on("error", () => {});
    // A restarted Redis has an empty script cache: fill it once, rather than
    // have every request in flight fall back to EVAL.
    this.client.on("ready", () => void this.#loadScripts());
  }

  async #loadScripts(): Promise<void> {
    for (const script of this.#shas.keys()) {
      try {
        await this.client.call("script", "load", script.source);
      } catch {
        return; // unreachable again: the next "ready" loads them
      }
    }
  }

  /** A second client with the same options (the feed's tail, pub/sub). */
  duplicate(name: string, overrides: RedisOptions = {}): Redis {
    const client = new Redis(this.#options.url, {
      ...failFastOptions({ ...this.#options, name }),
      ...overrides,
    });
    client.on("error", () => {});
    return client;
  }

  /** Computes the scripts' SHA-1 digests (for `EVALSHA`). */
  async prepare(scripts: readonly RedisScript[]): Promise<void> {
    for (const script of scripts) {
      const digest = await crypto.subtle.digest(
        "SHA-1",
        new TextEncoder().encode(script.source),
      );
      const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0"))
        .join("");
      this.#shas.set(script, hex);
    }
    if (this.client.status === "ready") await this.#loadScripts();
  }

  /**
   * Waits until the client is connected and Redis has loaded its data, at
   * most `timeoutMs`. Returns whether it is ready.
   */
  ready(timeoutMs: number): Promise<boolean> {
    if (this.client.status === "ready") return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.client.off("ready", onReady);
        this.client.off("end", onEnd);
        resolve(ready);
      };
      const onReady = () => done(true);
      const onEnd = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.client.once("ready", onReady);
      this.client.once("end", onEnd);
    });
  }

  /** Runs a script with one key (the key base) and its arguments. */
  async script(
    script: RedisScript,
    key: string,
    args: readonly (string | number)[],
  ): Promise<unknown> {
    const sha = this.#shas.get(script);
    if (sha === undefined) throw new Error(`script ${script.name} was not prepared`);
    const ro = script.readOnly;
    try {
      return await this.client.call(ro ? "evalsha_ro" : "evalsha", sha, 1, key, ...args);
    } catch (error) {
      // NOSCRIPT means it did not run: sending the source is safe.
      if (error instanceof Error && error.message.startsWith("NOSCRIPT")) {
        try {
          return await this.client.call(ro ? "eval_ro" : "eval", script.source, 1, key, ...args);
        } catch (retryError) {
          throw this.#map(retryError, script.name);
        }
      }
      throw this.#map(error, script.name);
    }
  }

  /** Runs one command, with errors mapped as for scripts. */
  async command(name: string, ...args: (string | number)[]): Promise<unknown> {
    try {
      return await this.client.call(name, ...args);
    } catch (error) {
      throw this.#map(error, name);
    }
  }

  #map(error: unknown, what: string): Error {
    if (!isUnavailable(error)) {
      return error instanceof Error ? error : new Error(String(error));
    }
    if (error instanceof StoreUnavailableError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new StoreUnavailableError(`redis unavailable (${what}): ${message}`, { cause: error });
  }

  /** Whether {@linkcode close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the connection (in-flight commands are rejected). */
  close(): void {
    this.#closed = true;
    this.client.disconnect();
  }
}
