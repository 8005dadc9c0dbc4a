/**
 * The gateway's environment: every variable it reads, its default, and how
 * a value is validated. `main.ts` turns the environment into
 * {@linkcode GatewayOptions} with {@linkcode configFromEnv}.
 *
 * @module
 */
import type { GatewayOptions } from "./gateway.ts";

/** Every environment variable the gateway reads, with its default. */
export const GATEWAY_ENV_VARS: readonly {
  readonly name: string;
  readonly default: string | undefined;
  readonly description: string;
}[] = [
  { name: "HTTP_PORT", default: "8100", description: "TCP port to listen on" },
  { name: "LISTEN_ADDR", default: "0.0.0.0", description: "address to bind" },
  { name: "DATA_DIR", default: "./data", description: "registry snapshot and gateway identity" },
  {
    name: "STALE_TTL_MS",
    default: "90000",
    description: "lease TTL: a silent world vanishes after it",
  },
  {
    name: "SNAPSHOT_INTERVAL_MS",
    default: "30000",
    description: "how often the registry is written when it changed",
  },
  {
    name: "WEBHOOK_URL",
    default: undefined,
    description: "POST world.announced/world.expired here",
  },
  { name: "WEBHOOK_SECRET", default: undefined, description: "Standard Webhooks signing secret" },
  {
    name: "MAX_AGENTS",
    default: "100000",
    description: "most agents held; new ones get 503 past it",
  },
  {
    name: "PUBLIC_URL",
    default: undefined,
    description: "this gateway's public base URL (default: its listening address)",
  },
  {
    name: "MAX_CONNECTIONS",
    default: "10000",
    description: "most open connections (WebSockets included); more get 503",
  },
  {
    name: "MAX_CONNECTIONS_PER_ADDRESS",
    default: "512",
    description: "most open connections from one client address; more get 429",
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
    name: "IDLE_TIMEOUT_MS",
    default: "75000",
    description: "an idle keep-alive connection is closed after this",
  },
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
export function configFromEnv(get: (name: string) => string | undefined): GatewayOptions {
  const read = (name: string): string | undefined => {
    const value = get(name);
    if (value !== undefined && value.trim() !== "") return value;
    return GATEWAY_ENV_VARS.find((v) => v.name === name)?.default;
  };
  const webhookUrl = read("WEBHOOK_URL");
  const publicUrl = read("PUBLIC_URL");
  const hostname = read("LISTEN_ADDR")!.trim();
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(hostname)) {
    throw new ConfigError(
      `LISTEN_ADDR must be a host name or IP address, got ${JSON.stringify(hostname)}`,
    );
  }
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
    webhookSecret: read("WEBHOOK_SECRET"),
    maxAgents: integer("MAX_AGENTS", read("MAX_AGENTS")!, 1, 10_000_000),
    publicUrl: publicUrl === undefined ? undefined : url("PUBLIC_URL", publicUrl),
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
  };
}
