/**
 * The AgentWorlds gateway: a lease-based directory of live worlds. Worlds
 * announce with a signed `POST /peer/announce` and keep their lease with a
 * signed `POST /peer/heartbeat`; a world that goes silent for the TTL
 * disappears from `/worlds`. The directory lives in a {@linkcode LeaseStore}:
 * the embedded {@linkcode MemoryStore} (with its snapshot), or Redis/Valkey
 * shared by several replicas.
 *
 * @example Embed a gateway
 * ```ts ignore
 * import { createGateway } from "@agentworlds/sdk/gateway";
 * const gateway = await createGateway({ port: 8100, dataDir: "./data" });
 * const { url } = await gateway.start();
 * console.log(`listening on ${url}`);
 * ```
 *
 * @module
 */
export {
  createGateway,
  type Gateway,
  type GatewayApp,
  type GatewayOptions,
  QUOTA_DEFAULTS,
} from "./gateway.ts";
export {
  ConfigError,
  configFromEnv,
  type ConfigWarning,
  configWarnings,
  type EnvVar,
  GATEWAY_ENV_VARS,
  type GatewayConfig,
  MAX_SHUTDOWN_DRAIN_MS,
} from "./config.ts";
export type { HttpServerStats } from "./_http_server.ts";
export type { WebSocketCounters } from "./_websocket.ts";
export {
  type AnnounceInput,
  type AnnounceOutcome,
  type AnnounceRefusal,
  type ChangeEvent,
  type ChangeFeed,
  type ChangeRead,
  type ChangeType,
  CursorError,
  type ExpiryReason,
  type LeaseRecord,
  type LeaseStore,
  type Outbox,
  type OwnershipOutcome,
  type Page,
  REFUSAL_STATUS,
  type RenewOutcome,
  type RevokeOutcome,
  type RotateOutcome,
  type RotationInput,
  STORE_DEFAULTS,
  type StoreOptions,
  type StoreStatus,
  StoreUnavailableError,
  type SweepResult,
  type WorldIdPolicy,
  type WorldOwner,
} from "./store.ts";
export {
  DEFAULT_MAX_AGENTS,
  DEFAULT_TTL_MS,
  Registry,
  type RegistryEvent,
  type RegistryOptions,
  type Tombstone,
} from "./registry.ts";
export { MemoryStore, type MemoryStoreOptions } from "./memory_store.ts";
export {
  REDIS_STORE_DEFAULTS,
  RedisStore,
  type RedisStoreDefaults,
  type RedisStoreOptions,
} from "./redis_store.ts";
export {
  WebhookDispatcher,
  type WebhookEvent,
  type WebhookOptions,
  webhookPayload,
  webhookSecretError,
} from "./webhooks.ts";
export { type LoadResult, loadSnapshot, type SnapshotContents, writeSnapshot } from "./snapshot.ts";
export {
  createLogger,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  silentLogger,
} from "./log.ts";
export type { Timers } from "../protocol/_timers.ts";
export { MAX_HEARTBEAT_BYTES } from "./http.ts";
export { MAX_CLIENT_FRAME_BYTES } from "./bridge.ts";
export {
  type IntervalTimers,
  parseWatchRequest,
  type WatchFilter,
  WatchHub,
  type WatchHubOptions,
  type WatchLimits,
  type WatchLog,
  type WatchRequest,
  type WatchStats,
} from "./watch.ts";
export { DOCS_CSP, PAGE_CSP } from "./web.ts";
export type { Rate } from "./_quota.ts";
export type { OutboundPolicy } from "./_outbound.ts";
export { WATCHER_LIMITS, type WatcherLimits } from "./bridge.ts";
export type { MetricsText } from "./metrics.ts";
export type { EventLogState } from "./_event_log.ts";
export type { LogFields } from "./log.ts";
export type { TimerHandle } from "../protocol/_timers.ts";
