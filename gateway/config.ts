/**
 * The gateway's environment: every variable it reads, its default, and how
 * a value is validated. `main.ts` turns the environment into
 * {@linkcode GatewayOptions} with {@linkcode configFromEnv}.
 *
 * @module
 */
import type { GatewayOptions } from "./gateway.ts";
import { LOG_LEVELS, type LogLevel } from "./log.ts";
import { webhookSecretError } from "./webhooks.ts";

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
    description: "this gateway's public base URL (default: its listening address)",
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
];

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

function url(name: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ConfigError(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
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

/** What {@linkcode configFromEnv} reads: the gateway's options plus the log level. */
export type GatewayConfig = GatewayOptions & { logLevel: LogLevel };

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
  return {
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
    webhookUrl: webhookUrl === undefined ? undefined : url("WEBHOOK_URL", webhookUrl),
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
    publicUrl: publicUrl === undefined ? undefined : url("PUBLIC_URL", publicUrl),
    trustProxy: choice("TRUST_PROXY", read("TRUST_PROXY")!, ["true", "false"] as const) === "true",
    outboundPolicy: outbound === "auto" ? undefined : outbound,
    quotas: {
      newLeases: rate("NEW_LEASE_RATE", read("NEW_LEASE_RATE")!),
      badSignatures: rate("BAD_SIGNATURE_RATE", read("BAD_SIGNATURE_RATE")!),
      upgrades: rate("WS_UPGRADE_RATE", read("WS_UPGRADE_RATE")!),
    },
    adminToken: admin,
    logLevel: choice("LOG_LEVEL", read("LOG_LEVEL")!, LOG_LEVELS),
  };
}
