/**
 * Turns a world's configuration into complete, checked options: every
 * default applied, every value checked, so the server never guesses.
 *
 * @module
 */
import { ANNOUNCE_LIMITS, isValidWorldId, WORLD_CAPABILITY_PREFIX } from "../protocol/mod.ts";
import { logError } from "./_http.ts";
import { integerIn, positiveMs } from "./_validate.ts";
import {
  DEFAULT_ANNOUNCE_INTERVAL_MS,
  DEFAULT_BROADCAST_INTERVAL_MS,
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
  onError: (error: Error) => void;
  clock: () => number;
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
  const worldName = config.worldName ?? config.worldId;
  checkText(worldName, "worldName", ANNOUNCE_LIMITS.aliasMaxLength);
  if (config.worldTheme !== undefined) {
    checkText(
      config.worldTheme,
      "worldTheme",
      ANNOUNCE_LIMITS.capabilityMaxLength - THEME_CAPABILITY_PREFIX.length,
    );
  }
  const hostname = config.hostname ?? "0.0.0.0";
  const publicAddr = config.publicAddr ?? (WILDCARD_HOSTS.has(hostname) ? "127.0.0.1" : hostname);
  checkText(publicAddr, "publicAddr", ANNOUNCE_LIMITS.addressMaxLength);
  const gatewayUrls = parseGatewayUrls(config.gatewayUrls);
  const isPublic = config.isPublic ?? gatewayUrls.length > 0;
  if (isPublic && gatewayUrls.length === 0) {
    throw new TypeError("isPublic needs at least one URL in gatewayUrls");
  }
  if (config.password !== undefined && typeof config.password !== "string") {
    throw new TypeError("password must be a string");
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
    onError: config.onError ?? logError,
    clock: config.clock ?? Date.now,
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

function checkText(value: unknown, name: string, maxLength: number): void {
  if (typeof value !== "string" || value === "" || value.length > maxLength) {
    throw new TypeError(`${name} must be a string of 1 to ${maxLength} characters`);
  }
}
