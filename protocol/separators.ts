/**
 * Domain separators: the prefix signed before every canonical payload, so a
 * signature made for one context can never be replayed in another.
 *
 * @module
 */

/**
 * Every signing context of the protocol and its separator.
 *
 * The AgentWorld contexts are `"AgentWorld-<Context>-1.2\0"`; the heartbeat
 * this project signs with is the short `"aw:hb:"`, because a heartbeat is
 * the hot path and its message should be tiny.
 *
 * @example Sign a payload in the announce context
 * ```ts
 * import { DOMAIN_SEPARATORS, generateIdentity, signWithDomainSeparator } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const signature = await signWithDomainSeparator(DOMAIN_SEPARATORS.ANNOUNCE, { hello: "world" }, identity);
 * ```
 */
export const DOMAIN_SEPARATORS: {
  readonly HTTP_REQUEST: "AgentWorld-Req-1.2\u0000";
  readonly HTTP_RESPONSE: "AgentWorld-Res-1.2\u0000";
  readonly AGENT_CARD: "AgentWorld-Card-1.2\u0000";
  readonly KEY_ROTATION: "AgentWorld-Rotation-1.2\u0000";
  readonly ANNOUNCE: "AgentWorld-Announce-1.2\u0000";
  readonly MESSAGE: "AgentWorld-Message-1.2\u0000";
  readonly WORLD_STATE: "AgentWorld-WorldState-1.2\u0000";
  readonly HEARTBEAT: "aw:hb:";
} = Object.freeze(
  {
    HTTP_REQUEST: "AgentWorld-Req-1.2\u0000",
    HTTP_RESPONSE: "AgentWorld-Res-1.2\u0000",
    AGENT_CARD: "AgentWorld-Card-1.2\u0000",
    KEY_ROTATION: "AgentWorld-Rotation-1.2\u0000",
    ANNOUNCE: "AgentWorld-Announce-1.2\u0000",
    MESSAGE: "AgentWorld-Message-1.2\u0000",
    WORLD_STATE: "AgentWorld-WorldState-1.2\u0000",
    HEARTBEAT: "aw:hb:",
  } as const,
);

/**
 * The heartbeat separator that AgentWorld 1.2 SDK worlds sign with. This
 * package signs heartbeats with {@linkcode DOMAIN_SEPARATORS.HEARTBEAT}; the
 * gateway accepts either, so existing 1.2 worlds keep their leases.
 *
 * @example Verify a heartbeat from an AgentWorld 1.2 world
 * ```ts
 * import { AGENTWORLD_HEARTBEAT_SEPARATOR, verifyWithDomainSeparator } from "@agentworlds/sdk/protocol";
 * const ok = await verifyWithDomainSeparator(AGENTWORLD_HEARTBEAT_SEPARATOR, "AAAA", { agentId: "x", ts: 1 }, "AAAA");
 * console.log(ok); // false: not a real key or signature
 * ```
 */
export const AGENTWORLD_HEARTBEAT_SEPARATOR = "AgentWorld-Heartbeat-1.2\u0000";

/** The name of one signing context in {@linkcode DOMAIN_SEPARATORS}. */
export type DomainSeparatorName = keyof typeof DOMAIN_SEPARATORS;
