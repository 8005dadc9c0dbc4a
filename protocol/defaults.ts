/**
 * The defaults shared by gateways and worlds, each written once: ports,
 * lease and schedule times, the clock window. The gateway's configuration,
 * the SDK's options and the documentation take them from here.
 *
 * @module
 */
import { MAX_CLOCK_SKEW_MS } from "./http_signature.ts";

/**
 * The shared defaults.
 *
 * @example
 * ```ts
 * import { DEFAULTS } from "@agentworlds/sdk/protocol";
 * console.log(DEFAULTS.gatewayPort, DEFAULTS.leaseTtlMs / DEFAULTS.heartbeatIntervalMs); // 8100 3
 * ```
 */
export const DEFAULTS: {
  readonly gatewayPort: 8100;
  readonly worldPort: 8099;
  readonly leaseTtlMs: 90000;
  readonly heartbeatIntervalMs: 30000;
  readonly announceIntervalMs: 600000;
  readonly snapshotIntervalMs: 30000;
  readonly clockSkewMs: number;
  readonly deregisterTimeoutMs: 2000;
} = Object.freeze(
  {
    /** The port a gateway listens on. */
    gatewayPort: 8100,
    /** The port a world listens on. */
    worldPort: 8099,
    /** A lease's time to live: a world silent this long is gone. */
    leaseTtlMs: 90_000,
    /** How often a world heartbeats each gateway: a third of the lease TTL. */
    heartbeatIntervalMs: 30_000,
    /** How often a world re-announces to each gateway: 10 minutes, as AgentWorld SDKs do. */
    announceIntervalMs: 600_000,
    /** How often a gateway writes its registry when it changed. */
    snapshotIntervalMs: 30_000,
    /** How far a signed time may be from the receiver's clock: ±5 minutes. */
    clockSkewMs: MAX_CLOCK_SKEW_MS,
    /** How long a stopping world waits, in total, for its deregistrations. */
    deregisterTimeoutMs: 2_000,
  } as const,
);
