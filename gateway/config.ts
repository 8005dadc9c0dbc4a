/**
 * The gateway's environment: every variable it reads, its default, and how
 * a value is validated. `main.ts` turns the environment into
 * {@linkcode GatewayOptions} with {@linkcode configFromEnv}.
 *
 * @module
 */
import { DEFAULTS } from "../protocol/mod.ts";
import type { GatewayOptions } from "./gateway.ts";
import { LOG_LEVELS, type LogLevel } from "./log.ts";
import { webhookSecretError } from "./webhooks.ts";
import { checkRedisPrefix, checkRedisUrl, REDIS_ENV_VARS } from "./redis_config.ts";

/** One environment variable the gateway reads. */
export interface EnvVar {
  /** Its name. */
  readonly name: string;
  /** Its default, as text (`undefined`: unset). */
  readonly default: string | undefined;
  /** What it sets. */
  readonly description: string;
}

/** Every environment variable the gateway reads, with its default. */
export const GATEWAY_ENV_VARS: readonly EnvVar[] = [
  { name: "HTTP_PORT", default: "8100", description: "TCP port to listen on" },
  { name: "LISTEN_ADDR", default: "0.0.0.0", description: "address to bind" },
  {
    name: "DATA_DIR",
    default: "./data",
    description: "the snapshot (memory store) and the gateway's identity",
  },
  {
    name: "STALE_TTL_MS",
    default: "90000",
    description: "lease TTL: a silent world vanishes after it",
  },
  {
    name: "SNAPSHOT_INTERVAL_MS",
    default: "30000",
    description: "how often the snapshot is written when anything changed",
  },
  {
    name: "WEBHOOK_URL",
    default: undefined,
    description: "POST world.announced / world.expired / world.owner_changed here",
  },
  {
    name: "WEBHOOK_SECRET",
    default: undefined,
    description: "Standard Webhooks signing secret, whsec_<base64>",
  },
  {
    name: "WEBHOOK_RETRY_FOR_MS",
    default: "3600000",
    description: "how long an undeliverable webhook is retried (backoff 1 s doubling to 5 min)",
  },
  {
    name: "MAX_AGENTS",
    default: "100000",
    description: "most live agents; a new one gets 503 past it",
  },
  {
    name: "MAX_LEASES_PER_ADDRESS",
    default: "1000",
    description: "most live leases from one client address (IPv6: one /64); 429 past it",
  },
  {
    name: "WORLD_ID_POLICY",
    default: "owned",
    description:
      "owned (a world id belongs to its first key) or live-holder (free when its lease ends)",
  },
  {
    name: "OWNER_RETENTION_MS",
    default: "2592000000",
    description: "how long an unused world id stays bound to its owner (30 days)",
  },
  {
    name: "PUBLIC_URL",
    default: undefined,
    description:
      "this gateway's public origin, e.g. https://gateway.example (default: its listening address)",
  },
  {
    name: "MAX_CONNECTIONS",
    default: "10000",
    description: "most open connections (WebSockets included); more get 503",
  },
  {
    name: "MAX_CONNECTIONS_PER_ADDRESS",
    default: "512",
    description: "most open connections from one client address (IPv6: one /64); more get 429",
  },
  {
    name: "HEADERS_TIMEOUT_MS",
    default: "10000",
    description: "time for a request's head to arrive; then 408 and close",
  },
  {
    name: "REQUEST_TIMEOUT_MS",
    default: "30000",
    description: "time for a whole request, body included; then 408 and close",
  },
  {
    name: "MAX_WATCHERS",
    default: "10000",
    description: "most browsers watching worlds through /ws; more get 503",
  },
  {
    name: "MAX_WATCHERS_PER_ADDRESS",
    default: "64",
    description: "most /ws watchers from one client address; more get 429",
  },
  {
    name: "MAX_WATCHERS_PER_WORLD",
    default: "1000",
    description: "most /ws watchers of one world; more get 429",
  },
  {
    name: "IDLE_TIMEOUT_MS",
    default: "75000",
    description: "an idle keep-alive connection is closed after this",
  },
  {
    name: "TRUST_PROXY",
    default: "false",
    description: "take the client address from X-Forwarded-For (only behind a load balancer)",
  },
  {
    name: "OUTBOUND_POLICY",
    default: "auto",
    description:
      "which world addresses the gateway calls: public-only, any, or auto (public-only when PUBLIC_URL is public)",
  },
  {
    name: "NEW_LEASE_RATE",
    default: "600/1000",
    description: "new leases per client address: per minute / burst",
  },
  {
    name: "BAD_SIGNATURE_RATE",
    default: "60/100",
    description: "failed signature checks per client address: per minute / burst",
  },
  {
    name: "WS_UPGRADE_RATE",
    default: "120/200",
    description: "WebSocket upgrades per client address: per minute / burst",
  },
  {
    name: "GATEWAY_ADMIN_TOKEN",
    default: undefined,
    description:
      "bearer token of the admin API (at least 16 characters); unset: the admin API is off",
  },
  {
    name: "GATEWAY_ADMIN_KEY",
    default: undefined,
    description: "the reference gateway's name for GATEWAY_ADMIN_TOKEN (either may be set)",
  },
  { name: "LOG_LEVEL", default: "info", description: "debug, info, warn or error" },
  {
    name: "METRICS",
    default: "on",
    description:
      "serve GET /metrics (Prometheus text) and count and time requests for it; off (or false): no /metrics and nothing collected",
  },
  {
    name: "SHUTDOWN_DRAIN_MS",
    default: "2000",
    description:
      "on SIGTERM, how long GET /ready answers 503 while everything else keeps serving, so a load balancer moves traffic away first (0 to 4000)",
  },
  ...REDIS_ENV_VARS,
];

/** The most `SHUTDOWN_DRAIN_MS` may be: the drain and the stop after it stay within 10 s. */
export const MAX_SHUTDOWN_DRAIN_MS = 4000;

/** A malformed environment variable; the message names it. */
export class ConfigError extends Error {
  /** Creates the error with a message that names the variable. */
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

function integer(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new ConfigError(`${name} must be a whole number, got ${JSON.stringify(value)}`);
  }
  const n = Number(value.trim());
  if (n < min || n > max) throw new ConfigError(`${name} must be from ${min} to ${max}, got ${n}`);
  return n;
}

function url(name: string, value: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ConfigError(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  // fetch refuses a URL with credentials: every delivery or call would fail.
  if (parsed.username !== "" || parsed.password !== "") {
    throw new ConfigError(`${name} must not carry a user name or password (user:password@)`);
  }
  return parsed;
}

/** The gateway's public base: worlds are given its host and port only, so a path would be lost. */
function origin(name: string, value: string): string {
  const parsed = url(name, value);
  if (parsed.pathname !== "/" || parsed.search !== "" || parsed.hash !== "") {
    throw new ConfigError(
      `${name} must be the gateway's origin, e.g. https://gateway.example (worlds reach it at its root; no path, query or fragment), got ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}

function choice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  const v = value.trim() as T;
  if (!choices.includes(v)) {
    throw new ConfigError(
      `${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  return v;
}

function rate(name: string, value: string): { perMinute: number; burst: number } {
  const match = /^\s*(\d{1,7})\s*\/\s*(\d{1,7})\s*$/.exec(value);
  if (!match || Number(match[2]) < 1) {
    throw new ConfigError(
      `${name} must be <per minute>/<burst>, e.g. 600/1000, got ${JSON.stringify(value)}`,
    );
  }
  return { perMinute: Number(match[1]), burst: Number(match[2]) };
}

/** What {@linkcode configFromEnv} reads: the gateway's options plus what `main.ts` does itself. */
export type GatewayConfig = GatewayOptions & {
  /** Lines below this level are dropped. */
  logLevel: LogLevel;
  /** On SIGTERM, how long the gateway stays up but unready before it stops, in ms. */
  shutdownDrainMs: number;
};

/**
 * Reads and validates the gateway's environment. Unset or empty variables
 * take their defaults; a malformed value throws a {@linkcode ConfigError}
 * naming the variable.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "@agentworlds/sdk/gateway";
 * const options = configFromEnv((name) => ({ STALE_TTL_MS: "2000" })[name]);
 * console.log(options.staleTtlMs, options.port); // 2000 8100
 * ```
 *
 * @param get Reads one variable, e.g. `(name) => Deno.env.get(name)`.
 */
export function configFromEnv(get: (name: string) => string | undefined): GatewayConfig {
  const read = (name: string): string | undefined => {
    const value = get(name);
    if (value !== undefined && value.trim() !== "") return value;
    return GATEWAY_ENV_VARS.find((v) => v.name === name)?.default;
  };
  const webhookUrl = read("WEBHOOK_URL");
  if (webhookUrl !== undefined) url("WEBHOOK_URL", webhookUrl);
  const webhookSecret = read("WEBHOOK_SECRET")?.trim();
  if (webhookSecret !== undefined) {
    const error = webhookSecretError(webhookSecret);
    if (error) throw new ConfigError(`WEBHOOK_SECRET ${error}`);
  }
  const publicUrl = read("PUBLIC_URL");
  const hostname = read("LISTEN_ADDR")!.trim();
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(hostname)) {
    throw new ConfigError(
      `LISTEN_ADDR must be a host name or IP address, got ${JSON.stringify(hostname)}`,
    );
  }
  const adminToken = read("GATEWAY_ADMIN_TOKEN")?.trim();
  const adminKey = read("GATEWAY_ADMIN_KEY")?.trim();
  if (adminToken !== undefined && adminKey !== undefined && adminToken !== adminKey) {
    throw new ConfigError(
      "GATEWAY_ADMIN_TOKEN and GATEWAY_ADMIN_KEY are both set and differ; set one of them",
    );
  }
  const admin = adminToken ?? adminKey;
  if (admin !== undefined && (admin.length < 16 || /\s/.test(admin))) {
    throw new ConfigError(
      `${
        adminToken !== undefined ? "GATEWAY_ADMIN_TOKEN" : "GATEWAY_ADMIN_KEY"
      } must be at least 16 characters without spaces`,
    );
  }
  const outbound = choice(
    "OUTBOUND_POLICY",
    read("OUTBOUND_POLICY")!,
    [
      "auto",
      "public-only",
      "any",
    ] as const,
  );
  // Every Redis variable is read and checked, set or not, so a malformed one
  // is reported even before REDIS_URL turns the store on.
  const redisUrl = read("REDIS_URL")?.trim();
  const redisPrefix = read("REDIS_PREFIX")!.trim();
  const prefixError = checkRedisPrefix(redisPrefix);
  if (prefixError) throw new ConfigError(`REDIS_PREFIX ${prefixError}`);
  const redisSettings = {
    prefix: redisPrefix,
    tlsCaFile: read("REDIS_TLS_CA_FILE")?.trim(),
    commandTimeoutMs: integer("REDIS_TIMEOUT_MS", read("REDIS_TIMEOUT_MS")!, 50, 60_000),
    outageGraceAfterMs: integer(
      "REDIS_OUTAGE_GRACE_AFTER_MS",
      read("REDIS_OUTAGE_GRACE_AFTER_MS")!,
      0,
      86_400_000,
    ),
  };
  let redis: GatewayOptions["redis"];
  if (redisUrl !== undefined) {
    const urlError = checkRedisUrl(redisUrl);
    if (urlError) throw new ConfigError(`REDIS_URL ${urlError}`);
    redis = { url: redisUrl, ...redisSettings };
  }
  return {
    redis,
    port: integer("HTTP_PORT", read("HTTP_PORT")!, 0, 65535),
    hostname,
    dataDir: read("DATA_DIR")!,
    staleTtlMs: integer("STALE_TTL_MS", read("STALE_TTL_MS")!, 100, 86_400_000),
    snapshotIntervalMs: integer(
      "SNAPSHOT_INTERVAL_MS",
      read("SNAPSHOT_INTERVAL_MS")!,
      100,
      86_400_000,
    ),
    webhookUrl,
    webhookSecret,
    webhookRetryForMs: integer(
      "WEBHOOK_RETRY_FOR_MS",
      read("WEBHOOK_RETRY_FOR_MS")!,
      0,
      7 * 86_400_000,
    ),
    maxAgents: integer("MAX_AGENTS", read("MAX_AGENTS")!, 1, 10_000_000),
    maxLeasesPerAddress: integer(
      "MAX_LEASES_PER_ADDRESS",
      read("MAX_LEASES_PER_ADDRESS")!,
      1,
      10_000_000,
    ),
    worldIdPolicy: choice(
      "WORLD_ID_POLICY",
      read("WORLD_ID_POLICY")!,
      [
        "owned",
        "live-holder",
      ] as const,
    ),
    ownerRetentionMs: integer(
      "OWNER_RETENTION_MS",
      read("OWNER_RETENTION_MS")!,
      60_000,
      10 * 365 * 86_400_000,
    ),
    publicUrl: publicUrl === undefined ? undefined : origin("PUBLIC_URL", publicUrl),
    trustProxy: choice("TRUST_PROXY", read("TRUST_PROXY")!, ["true", "false"] as const) === "true",
    outboundPolicy: outbound === "auto" ? undefined : outbound,
    quotas: {
      newLeases: rate("NEW_LEASE_RATE", read("NEW_LEASE_RATE")!),
      badSignatures: rate("BAD_SIGNATURE_RATE", read("BAD_SIGNATURE_RATE")!),
      upgrades: rate("WS_UPGRADE_RATE", read("WS_UPGRADE_RATE")!),
    },
    adminToken: admin,
    logLevel: choice("LOG_LEVEL", read("LOG_LEVEL")!, LOG_LEVELS),
    metrics: ["on", "true"].includes(
      choice("METRICS", read("METRICS")!, ["on", "off", "true", "false"] as const),
    ),
    shutdownDrainMs: integer(
      "SHUTDOWN_DRAIN_MS",
      read("SHUTDOWN_DRAIN_MS")!,
      0,
      MAX_SHUTDOWN_DRAIN_MS,
    ),
    maxConnections: integer("MAX_CONNECTIONS", read("MAX_CONNECTIONS")!, 1, 1_000_000),
    maxConnectionsPerAddress: integer(
      "MAX_CONNECTIONS_PER_ADDRESS",
      read("MAX_CONNECTIONS_PER_ADDRESS")!,
      1,
      1_000_000,
    ),
    headersTimeoutMs: integer("HEADERS_TIMEOUT_MS", read("HEADERS_TIMEOUT_MS")!, 100, 600_000),
    requestTimeoutMs: integer("REQUEST_TIMEOUT_MS", read("REQUEST_TIMEOUT_MS")!, 100, 3_600_000),
    idleTimeoutMs: integer("IDLE_TIMEOUT_MS", read("IDLE_TIMEOUT_MS")!, 100, 3_600_000),
    watchers: {
      maxWatchers: integer("MAX_WATCHERS", read("MAX_WATCHERS")!, 1, 1_000_000),
      maxWatchersPerAddress: integer(
        "MAX_WATCHERS_PER_ADDRESS",
        read("MAX_WATCHERS_PER_ADDRESS")!,
        1,
        1_000_000,
      ),
      maxWatchersPerWorld: integer(
        "MAX_WATCHERS_PER_WORLD",
        read("MAX_WATCHERS_PER_WORLD")!,
        1,
        1_000_000,
      ),
    },
  };
}

/** A setting the gateway accepts but that is probably a mistake; it starts anyway, and says so. */
export interface ConfigWarning {
  /** The variable concerned. */
  variable: string;
  /** What is wrong, and what follows from it. */
  message: string;
  /** For a variable that is not the gateway's: the gateway's variable it probably meant. */
  meant?: string;
}

/**
 * What in an environment is probably a mistake:
 *
 * - a set variable that is not the gateway's but looks like one of its
 *   variables: within two edits of one in capitals (`HTTP_PROT`,
 *   `WEBHOOK_SECRETS`, `log_level`), the same duration in another unit or
 *   none (`STALE_TTL`, `STALE_TTL_SECONDS`), or three words or more sharing
 *   its first two (`GATEWAY_ADMIN_PASSWORD`): the warning names the variable
 *   it probably meant (`meant`);
 * - a set variable that is not the gateway's but starts with one of the
 *   gateway's prefixes (`WEBHOOK_TIMEOUT_MS`, `REDIS_PASSWORD`,
 *   `SNAPSHOT_DIR`, `MAX_WORLDS`, `GATEWAY_PORT`): the warning lists the
 *   gateway's variables of that prefix. A prefix is the first word of a
 *   gateway variable, unless other programs start their variables with that
 *   word too (see {@linkcode SHARED_FIRST_WORDS}: `HTTP_PROXY`, `LOG_FORMAT`,
 *   the SDK world's `WORLD_ID` and `PUBLIC_ADDR`, …);
 *
 *   Either way the variable is ignored, so the setting it was meant to change
 *   silently keeps its default. Never warned about: the SDK world's variables
 *   (`GATEWAY_URL`, …, often set in the same shell) and Docker or Kubernetes
 *   service variables (`*_SERVICE_HOST`, `*_PORT_8100_TCP_ADDR`, a `tcp://`
 *   value such as Kubernetes' `REDIS_PORT`);
 * - `STALE_TTL_MS` under two heartbeat intervals (2 × 30 s): a world whose
 *   heartbeat is late or lost once expires and comes back (flaps);
 * - `WEBHOOK_SECRET` without `WEBHOOK_URL`: nothing is sent;
 * - `PUBLIC_URL` and `OUTBOUND_POLICY` both unset (or `auto`) while
 *   `LISTEN_ADDR` is not a loopback address: the outbound policy is then
 *   `any` (what the local demo needs), so a world announced by anyone can
 *   point the gateway's calls at private addresses of its network.
 *
 * Pure: `main.ts` logs each warning, one line each.
 *
 * @example
 * ```ts
 * import { configFromEnv, configWarnings } from "@agentworlds/sdk/gateway";
 * const env = { HTTP_PROT: "8200", STALE_TTL_MS: "20000", LISTEN_ADDR: "127.0.0.1" };
 * const warnings = configWarnings(env, configFromEnv((name) => env[name as keyof typeof env]));
 * console.log(warnings.map((w) => w.variable)); // ["HTTP_PROT", "STALE_TTL_MS"]
 * console.log(warnings[0].meant); // "HTTP_PORT"
 * ```
 *
 * @param env The whole environment, names and values (e.g. `Deno.env.toObject()`).
 * @param config What {@linkcode configFromEnv} read from it.
 * @param variables The gateway's variables. Default: {@linkcode GATEWAY_ENV_VARS}.
 */
export function configWarnings(
  env: Readonly<Record<string, string>>,
  config: Pick<
    GatewayConfig,
    "staleTtlMs" | "webhookUrl" | "webhookSecret" | "publicUrl" | "outboundPolicy" | "hostname"
  >,
  variables: readonly EnvVar[] = GATEWAY_ENV_VARS,
): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const known = variables.map((v) => v.name);
  const prefixes = gatewayPrefixes(known);
  for (const [name, value] of Object.entries(env)) {
    if (known.includes(name) || othersVariable(name, value)) continue;
    const meant = meantVariable(name, known);
    if (meant !== undefined) {
      warnings.push({
        variable: name,
        meant,
        message: `${name} is not a gateway variable and is ignored; did you mean ${meant}?`,
      });
      continue;
    }
    const words = name.toUpperCase().split("_");
    const family = words.length >= 2 ? prefixes.get(words[0]) : undefined;
    if (family === undefined) continue;
    warnings.push({
      variable: name,
      message: `${name} is not a gateway variable and is ignored (the gateway's ${words[0]}_ ${
        family.length === 1 ? "variable is" : "variables are"
      } ${family.join(", ")})`,
    });
  }
  const flapBelow = 2 * DEFAULTS.heartbeatIntervalMs;
  if (config.staleTtlMs !== undefined && config.staleTtlMs < flapBelow) {
    warnings.push({
      variable: "STALE_TTL_MS",
      message: `STALE_TTL_MS=${config.staleTtlMs} is less than two heartbeat intervals (2 × ${
        DEFAULTS.heartbeatIntervalMs / 1000
      } s): a world whose heartbeat is late or lost once expires and announces again, so worlds would flap`,
    });
  }
  if (config.webhookSecret !== undefined && config.webhookUrl === undefined) {
    warnings.push({
      variable: "WEBHOOK_SECRET",
      message: "WEBHOOK_SECRET is set but WEBHOOK_URL is not: no webhooks are sent",
    });
  }
  const listenAddr = config.hostname ?? "0.0.0.0";
  if (
    config.publicUrl === undefined && config.outboundPolicy === undefined &&
    !isLoopbackHost(listenAddr)
  ) {
    warnings.push({
      variable: "PUBLIC_URL",
      message:
        `PUBLIC_URL and OUTBOUND_POLICY are unset and the gateway listens on ${listenAddr}: its calls to worlds (the /ws bridge) may reach any address, private and loopback ones included, so anyone who announces a world can point them inside this network; set PUBLIC_URL to the gateway's public origin (then only public addresses are called) or OUTBOUND_POLICY=public-only`,
    });
  }
  return warnings;
}

/** Whether a listening address is the loopback only (`127.0.0.0/8`, `::1`, `localhost`). */
function isLoopbackHost(host: string): boolean {
  const bare = host.trim().replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare.endsWith(".localhost") || bare === "::1" ||
    /^0*:(0*:){0,5}0*:0*1$/.test(bare) || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

// Durations people write in another unit, or without one: STALE_TTL, STALE_TTL_SECONDS.
const TIME_UNIT = /_(MS|MILLIS|S|SEC|SECS|SECONDS?|MINS?|MINUTES?)$/;
// Variables that Docker links and Kubernetes services define for every
// linked container or service (REDIS_PORT=tcp://…, GATEWAY_SERVICE_HOST,
// GATEWAY_PORT_8100_TCP_ADDR): never a misspelling of ours.
const SERVICE_VARIABLE = /_SERVICE_(HOST|PORT)(_|$)|_PORT_\d+_(TCP|UDP|SCTP)(_|$)/;
const SERVICE_ADDRESS = /^(tcp|udp|sctp):\/\//;
/**
 * First words of gateway variables that are not the gateway's prefixes,
 * because other programs' variables start with them too: `HTTP_` (`HTTP_PROXY`),
 * `LOG_` (many tools' `LOG_FORMAT`, `LOG_DIR`), ordinary words (`DATA_`,
 * `REQUEST_`, `HEADERS_`, `NEW_`, `BAD_`, `TRUST_`, `WS_`), and those the
 * SDK world's variables start with (`WORLD_ID`, `PUBLIC_ADDR`, `LISTEN_ADDR`,
 * `IDLE_TIMEOUT_MS`). Every other first word of a gateway variable is a
 * prefix: today `GATEWAY_`, `MAX_`, `OUTBOUND_`, `OWNER_`, `REDIS_`,
 * `SHUTDOWN_`, `SNAPSHOT_`, `STALE_`, `WEBHOOK_`; a new variable with a new
 * first word adds its own.
 */
const SHARED_FIRST_WORDS: ReadonlySet<string> = new Set([
  "HTTP",
  "LOG",
  "DATA",
  "REQUEST",
  "HEADERS",
  "NEW",
  "BAD",
  "TRUST",
  "WS",
  "WORLD",
  "PUBLIC",
  "LISTEN",
  "IDLE",
]);
/**
 * Other programs' variables that start with one of the gateway's prefixes:
 * the SDK world's (`deno task world`, often run in the same shell).
 */
const OTHERS_VARIABLES: ReadonlySet<string> = new Set(["GATEWAY_URL"]);

/** The gateway's prefixes (see {@linkcode SHARED_FIRST_WORDS}), each with its variables. */
function gatewayPrefixes(known: readonly string[]): Map<string, string[]> {
  const prefixes = new Map<string, string[]>();
  for (const name of known) {
    const [first] = name.split("_");
    if (first === name || SHARED_FIRST_WORDS.has(first)) continue;
    prefixes.set(first, [...prefixes.get(first) ?? [], name]);
  }
  return prefixes;
}

/** Whether a variable is known to be someone else's: a service variable, or the SDK world's. */
function othersVariable(name: string, value: string): boolean {
  return OTHERS_VARIABLES.has(name) || SERVICE_VARIABLE.test(name) || SERVICE_ADDRESS.test(value);
}

/**
 * The gateway variable that a variable which is not the gateway's probably
 * meant, if any. A name is taken for a slip of one of ours when, compared
 * in capitals, it is within two edits of it (`HTTP_PROT`, `WEBHOOK_SECRETS`,
 * `REDIS_URI`, `GATEWAY_ADMIN_TOKN`, `log_level`), when it names the same
 * duration in another unit or without one (`STALE_TTL`, `STALE_TTL_SECONDS`
 * for `STALE_TTL_MS`), or when it has three words or more and shares its
 * first two (`GATEWAY_ADMIN_PASSWORD`, `WEBHOOK_RETRY_MS`; not the world's
 * `WORLD_ID`). The closest such variable wins.
 */
function meantVariable(name: string, known: readonly string[]): string | undefined {
  const upper = name.toUpperCase();
  const words = upper.split("_");
  let best: { name: string; score: number } | undefined;
  for (const candidate of known) {
    let score = editDistance(upper, candidate, 2);
    if (score > 2) {
      const sameDuration = upper.replace(TIME_UNIT, "") === candidate.replace(TIME_UNIT, "");
      const theirs = candidate.split("_");
      const sameFirstTwo = words.length >= 3 && theirs.length >= 2 &&
        words[0] === theirs[0] && words[1] === theirs[1];
      score = sameDuration ? 3 : sameFirstTwo ? 4 : Infinity;
    }
    if (score < (best?.score ?? Infinity)) best = { name: candidate, score };
  }
  return best?.name;
}

/**
 * Edits (insertions, deletions, substitutions, swaps of neighbours) between
 * two strings, counted up to `limit + 1`.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j], beforePrevious[j - 2] + 1);
      }
    }
    if (Math.min(...row) > limit) return limit + 1;
    beforePrevious = previous;
    previous = row;
  }
  return Math.min(previous[b.length], limit + 1);
}
