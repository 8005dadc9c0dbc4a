/**
 * The Redis store's environment variables, for the gateway's configuration
 * table (`config.ts` reads them; `main.ts` connects the store when
 * `REDIS_URL` is set), and the checks of the values that are not numbers.
 *
 * @module
 */
import type { EnvVar } from "./config.ts";

/** Defaults of the Redis-specific options of a Redis store. */
export interface RedisStoreDefaults {
  /** Key prefix. */
  readonly prefix: string;
  /** Longest wait for one reply, ms. */
  readonly commandTimeoutMs: number;
  /** Outage length past which leases get a grace, ms. */
  readonly outageGraceAfterMs: number;
  /** Liveness tick, ms. */
  readonly tickMs: number;
  /** Most events the change log keeps. */
  readonly maxEvents: number;
  /** Most leases one sweep script reclaims. */
  readonly sweepBatch: number;
  /** Most index entries one listing page visits. */
  readonly listBudget: number;
  /** Wait between connection attempts at startup, ms. */
  readonly connectRetryMs: number;
  /** Create the webhook group at connect. */
  readonly outbox: boolean;
}

/** Defaults of the Redis-specific `RedisStoreOptions` (`redis_store.ts`). */
export const REDIS_STORE_DEFAULTS: RedisStoreDefaults = Object.freeze({
  prefix: "aw",
  commandTimeoutMs: 1000,
  outageGraceAfterMs: 5000,
  tickMs: 1000,
  maxEvents: 1_000_000,
  sweepBatch: 100,
  listBudget: 5000,
  connectRetryMs: 1000,
  outbox: false,
});

/** The variables of the Redis store, with their defaults. */
export const REDIS_ENV_VARS: readonly EnvVar[] = [
  {
    name: "REDIS_URL",
    default: undefined,
    description:
      "redis:// or rediss:// URL of a Redis 7+ or Valkey shared by the gateway's replicas; unset: the in-memory store with its snapshot in DATA_DIR",
  },
  {
    name: "REDIS_PREFIX",
    default: REDIS_STORE_DEFAULTS.prefix,
    description: "key prefix (a hash tag), so several directories can share one Redis",
  },
  {
    name: "REDIS_TLS_CA_FILE",
    default: undefined,
    description: "PEM file of the CA that signed a rediss:// server's certificate, if not public",
  },
  {
    name: "REDIS_TIMEOUT_MS",
    default: String(REDIS_STORE_DEFAULTS.commandTimeoutMs),
    description: "longest wait for one Redis reply before answering 503",
  },
  {
    name: "REDIS_OUTAGE_GRACE_AFTER_MS",
    default: String(REDIS_STORE_DEFAULTS.outageGraceAfterMs),
    description:
      "an outage (no replica reached Redis) longer than this gives every lease live when it began one TTL from recovery; 0: off",
  },
];

/** Checks a `REDIS_URL`; returns what is wrong with it, or undefined. */
export function checkRedisUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL";
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    return "must start with redis:// or rediss://";
  }
  if (parsed.hostname === "") return "has no host";
  if (parsed.pathname !== "" && parsed.pathname !== "/" && !/^\/\d{1,2}$/.test(parsed.pathname)) {
    return "may only name a database number as its path (redis://host:6379/0)";
  }
  return undefined;
}

/** Checks a `REDIS_PREFIX`; returns what is wrong with it, or undefined. */
export function checkRedisPrefix(prefix: string): string | undefined {
  return /^[A-Za-z0-9._:-]{1,64}$/.test(prefix)
    ? undefined
    : "must be 1 to 64 of A-Z a-z 0-9 . _ : -";
}
