/**
 * The AgentWorlds gateway: a lease-based directory of live worlds. Worlds
 * announce with a signed `POST /peer/announce` and keep their lease with a
 * signed `POST /peer/heartbeat`; a world that goes silent for the TTL
 * disappears from `/worlds`.
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
export { createGateway, type Gateway, type GatewayApp, type GatewayOptions } from "./gateway.ts";
export { ConfigError, configFromEnv, GATEWAY_ENV_VARS } from "./config.ts";
export type { HttpServerStats } from "./_http_server.ts";
export type { WebSocketCounters } from "./_websocket.ts";
export {
  type AnnounceInput,
  type AnnounceOutcome,
  CursorError,
  DEFAULT_MAX_AGENTS,
  DEFAULT_TTL_MS,
  type HeartbeatOutcome,
  type LeaseRecord,
  type Page,
  Registry,
  type RegistryEvent,
  type RegistryOptions,
  type Tombstone,
} from "./registry.ts";
export {
  signWebhook,
  WebhookDispatcher,
  type WebhookEvent,
  type WebhookOptions,
} from "./webhooks.ts";
export { type LoadResult, loadSnapshot, writeSnapshot } from "./snapshot.ts";
export { SnapshotWriter } from "./persistence.ts";
export { MAX_HEARTBEAT_BYTES } from "./http.ts";
export { MAX_CLIENT_FRAME_BYTES } from "./bridge.ts";
