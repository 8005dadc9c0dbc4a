/**
 * Turns a world's configuration into complete, checked options: every
 * default applied, every value checked, so the server never guesses.
 *
 * @module
 */
import {
  ANNOUNCE_LIMITS,
  type HeartbeatSeparator,
  isValidWorldId,
  normalizeEndpointAddress,
  PROTOCOL_VERSION,
  type ProtocolVersion,
  requireVersion,
  WORLD_CAPABILITY_PREFIX,
} from "../protocol/mod.ts";
import {
  CAPABILITY_CHARS,
  CAPABILITY_CHARS_TEXT,
  checkText,
  checkToken,
} from "../protocol/_validate.ts";
import { logError } from "./_http.ts";
import { systemTimers, type Timers } from "../protocol/_timers.ts";
import { integerIn, positiveMs } from "./_validate.ts";
import {
  DEFAULT_ANNOUNCE_INTERVAL_MS,
  DEFAULT_BROADCAST_INTERVAL_MS,
  DEFAULT_DEREGISTER_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_WORLD_MAX_AGENTS,
  DEFAULT_WORLD_PORT,
} from "./defaults.ts";
import { parseGatewayUrls } from "./gateway_client.ts";
import type { WorldServerConfig } from "./world_server.ts";

/** A world's options with every default applied. */
export interface ResolvedWorldConfig {
  worldId: string;
  worldName: string;
  worldTheme?: string;
  port: number;
  hostname: string;
  publicAddr: string;
  publicPort?: number;
  dataDir: string;
  gatewayUrls: string[];
  isPublic: boolean;
  maxAgents: number;
  password?: string;
  broadcastIntervalMs: number;
  announceIntervalMs: number;
  heartbeatIntervalMs: number;
  idleTimeoutMs: number;
  deregisterTimeoutMs: number;
  /** The version spoken: separators, answer shapes, gateway routes. */
  version: ProtocolVersion;
  /** The version as configured: unset means this project's own profile (`aw:hb:` heartbeats). */
  protocolVersion?: ProtocolVersion;
  heartbeatSeparator?: HeartbeatSeparator;
  onError: (error: Error) => void;
  clock: () => number;
  timers: Timers;
  fetch: typeof fetch;
}

const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "[::]"]);
const THEME_CAPABILITY_PREFIX = "theme:";

/** Applies the defaults and checks every option; throws a `TypeError` naming the first bad one. */
export function resolveWorldConfig(config: WorldServerConfig): ResolvedWorldConfig {
  if (!isValidWorldId(config.worldId)) {
    throw new TypeError(
      `worldId must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit; got ${
        JSON.stringify(config.worldId)
      }`,
    );
  }
  // What a world announces is held to the protocol's announce limits here, so
  // a bad option is a TypeError at start, not a refusal by every gateway.
  const worldName = config.worldName ?? config.worldId;
  fail(checkText(worldName, "worldName", ANNOUNCE_LIMITS.aliasMaxLength));
  if (config.worldTheme !== undefined) {
    fail(checkToken(
      config.worldTheme,
      "worldTheme",
      ANNOUNCE_LIMITS.capabilityMaxLength - THEME_CAPABILITY_PREFIX.length,
      CAPABILITY_CHARS,
      CAPABILITY_CHARS_TEXT,
    ));
  }
  const hostname = config.hostname ?? "0.0.0.0";
  const publicAddr = config.publicAddr ?? (WILDCARD_HOSTS.has(hostname) ? "127.0.0.1" : hostname);
  if (normalizeEndpointAddress(publicAddr) === undefined) {
    throw new TypeError(
      `publicAddr must be a host name or an IP address; got ${JSON.stringify(publicAddr)}`,
    );
  }
  const gatewayUrls = parseGatewayUrls(config.gatewayUrls);
  const isPublic = config.isPublic ?? gatewayUrls.length > 0;
  if (isPublic && gatewayUrls.length === 0) {
    throw new TypeError("isPublic needs at least one URL in gatewayUrls");
  }
  if (config.password !== undefined && typeof config.password !== "string") {
    throw new TypeError("password must be a string");
  }
  const protocolVersion = config.protocolVersion === undefined
    ? undefined
    : requireVersion(config.protocolVersion);
  const heartbeatSeparator = config.heartbeatSeparator;
  if (heartbeatSeparator !== undefined && !["short", "versioned"].includes(heartbeatSeparator)) {
    throw new TypeError('heartbeatSeparator must be "short" or "versioned"');
  }
  return {
    worldId: config.worldId,
    worldName,
    worldTheme: config.worldTheme,
    port: integerIn(config.port ?? DEFAULT_WORLD_PORT, "port", 0, 65535),
    hostname,
    publicAddr,
    publicPort: config.publicPort === undefined
      ? undefined
      : integerIn(config.publicPort, "publicPort", 1, 65535),
    dataDir: config.dataDir ?? "./data",
    gatewayUrls,
    isPublic,
    maxAgents: integerIn(config.maxAgents ?? DEFAULT_WORLD_MAX_AGENTS, "maxAgents", 1, 2 ** 31),
    password: config.password,
    broadcastIntervalMs: positiveMs(
      config.broadcastIntervalMs ?? DEFAULT_BROADCAST_INTERVAL_MS,
      "broadcastIntervalMs",
    ),
    announceIntervalMs: positiveMs(
      config.announceIntervalMs ?? DEFAULT_ANNOUNCE_INTERVAL_MS,
      "announceIntervalMs",
    ),
    heartbeatIntervalMs: positiveMs(
      config.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      "heartbeatIntervalMs",
    ),
    idleTimeoutMs: positiveMs(config.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, "idleTimeoutMs"),
    deregisterTimeoutMs: positiveMs(
      config.deregisterTimeoutMs ?? DEFAULT_DEREGISTER_TIMEOUT_MS,
      "deregisterTimeoutMs",
    ),
    version: protocolVersion ?? PROTOCOL_VERSION,
    protocolVersion,
    heartbeatSeparator,
    onError: config.onError ?? logError,
    clock: config.clock ?? Date.now,
    timers: config.timers ?? systemTimers,
    fetch: config.fetch ?? fetch,
  };
}

/** The capabilities a world announces: `world:<worldId>`, and `theme:<worldTheme>` when it has one. */
export function worldCapabilities(config: ResolvedWorldConfig): string[] {
  const capabilities = [WORLD_CAPABILITY_PREFIX + config.worldId];
  if (config.worldTheme !== undefined) {
    capabilities.push(THEME_CAPABILITY_PREFIX + config.worldTheme);
  }
  return capabilities;
}

/** The URL that reaches a server bound to `hostname` from this machine. */
export function localUrl(hostname: string, port: number): string {
  const host = WILDCARD_HOSTS.has(hostname)
    ? "127.0.0.1"
    : hostname.includes(":") && !hostname.startsWith("[")
    ? `[${hostname}]`
    : hostname;
  return `http://${host}:${port}`;
}

function fail(error: string | undefined): void {
  if (error !== undefined) throw new TypeError(error);
}
