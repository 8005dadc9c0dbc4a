/**
 * The SDK's defaults: every interval, timeout and limit a world uses unless
 * it is told otherwise, each written once here.
 *
 * @example
 * ```ts
 * import { DEFAULT_HEARTBEAT_INTERVAL_MS } from "@agentworlds/sdk";
 * console.log(DEFAULT_HEARTBEAT_INTERVAL_MS); // 30000
 * ```
 *
 * @module
 */
import { DEFAULTS } from "../protocol/defaults.ts";

/**
 * The version of this package, sent as `version` in a world's announce.
 *
 * @example
 * ```ts
 * import { SDK_VERSION } from "@agentworlds/sdk";
 * console.log(SDK_VERSION); // "0.1.0"
 * ```
 */
export const SDK_VERSION = "0.1.0";

/**
 * How often a world re-announces itself to each gateway: 10 minutes.
 *
 * @example
 * ```ts
 * import { DEFAULT_ANNOUNCE_INTERVAL_MS } from "@agentworlds/sdk";
 * console.log(DEFAULT_ANNOUNCE_INTERVAL_MS / 60_000); // 10
 * ```
 */
export const DEFAULT_ANNOUNCE_INTERVAL_MS: number = DEFAULTS.announceIntervalMs;

/**
 * How often a world heartbeats each gateway: 30 seconds, a third of the
 * gateway's 90-second lease TTL.
 *
 * @example
 * ```ts
 * import { DEFAULT_HEARTBEAT_INTERVAL_MS } from "@agentworlds/sdk";
 * console.log(DEFAULT_HEARTBEAT_INTERVAL_MS / 1000); // 30
 * ```
 */
export const DEFAULT_HEARTBEAT_INTERVAL_MS: number = DEFAULTS.heartbeatIntervalMs;

/**
 * The share of an interval by which each announce and heartbeat is moved
 * earlier or later at random (±10 %), so a fleet does not beat in step.
 *
 * @example
 * ```ts
 * import { DEFAULT_JITTER_RATIO } from "@agentworlds/sdk";
 * console.log(DEFAULT_JITTER_RATIO); // 0.1
 * ```
 */
export const DEFAULT_JITTER_RATIO = 0.1;

/**
 * How long an announce request may take before it is abandoned: 10 seconds.
 *
 * @example
 * ```ts
 * import { ANNOUNCE_TIMEOUT_MS } from "@agentworlds/sdk";
 * console.log(ANNOUNCE_TIMEOUT_MS); // 10000
 * ```
 */
export const ANNOUNCE_TIMEOUT_MS = 10_000;

/**
 * How long a heartbeat request may take before it is abandoned: 5 seconds.
 *
 * @example
 * ```ts
 * import { HEARTBEAT_TIMEOUT_MS } from "@agentworlds/sdk";
 * console.log(HEARTBEAT_TIMEOUT_MS); // 5000
 * ```
 */
export const HEARTBEAT_TIMEOUT_MS = 5_000;

/**
 * The port a world listens on unless told otherwise.
 *
 * @example
 * ```ts
 * import { DEFAULT_WORLD_PORT } from "@agentworlds/sdk";
 * console.log(DEFAULT_WORLD_PORT); // 8099
 * ```
 */
export const DEFAULT_WORLD_PORT: number = DEFAULTS.worldPort;

/**
 * How often a world pushes its state to the members that gave an endpoint:
 * 5 seconds.
 *
 * @example
 * ```ts
 * import { DEFAULT_BROADCAST_INTERVAL_MS } from "@agentworlds/sdk";
 * console.log(DEFAULT_BROADCAST_INTERVAL_MS); // 5000
 * ```
 */
export const DEFAULT_BROADCAST_INTERVAL_MS = 5_000;

/**
 * How long one state broadcast to one member may take: 3 seconds. The next
 * broadcast waits for the previous one, however long the interval.
 *
 * @example
 * ```ts
 * import { BROADCAST_TIMEOUT_MS } from "@agentworlds/sdk";
 * console.log(BROADCAST_TIMEOUT_MS); // 3000
 * ```
 */
export const BROADCAST_TIMEOUT_MS = 3_000;

/**
 * How long a member may stay silent before the world removes it: 5 minutes.
 *
 * @example
 * ```ts
 * import { DEFAULT_IDLE_TIMEOUT_MS } from "@agentworlds/sdk";
 * console.log(DEFAULT_IDLE_TIMEOUT_MS / 60_000); // 5
 * ```
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

/**
 * The longest pause between two sweeps for idle members: 30 seconds (or the
 * idle timeout, when that is shorter). Idle members are invisible as soon as
 * their deadline passes; the sweep only removes them and calls `onLeave`.
 *
 * @example
 * ```ts
 * import { IDLE_SWEEP_INTERVAL_MS } from "@agentworlds/sdk";
 * console.log(IDLE_SWEEP_INTERVAL_MS); // 30000
 * ```
 */
export const IDLE_SWEEP_INTERVAL_MS = 30_000;

/**
 * The most members a world admits unless told otherwise.
 *
 * @example
 * ```ts
 * import { DEFAULT_WORLD_MAX_AGENTS } from "@agentworlds/sdk";
 * console.log(DEFAULT_WORLD_MAX_AGENTS); // 100
 * ```
 */
export const DEFAULT_WORLD_MAX_AGENTS = 100;

/**
 * How long a stopping world waits, in total, for its signed deregistrations
 * to every gateway (sent in parallel): 2 seconds.
 *
 * @example
 * ```ts
 * import { DEFAULT_DEREGISTER_TIMEOUT_MS } from "@agentworlds/sdk";
 * console.log(DEFAULT_DEREGISTER_TIMEOUT_MS); // 2000
 * ```
 */
export const DEFAULT_DEREGISTER_TIMEOUT_MS: number = DEFAULTS.deregisterTimeoutMs;
