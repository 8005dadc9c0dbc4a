/**
 * Domain separators: the prefix signed before every canonical payload, so a
 * signature made for one context (or one protocol version) can never be
 * replayed in another.
 *
 * AgentWorld's are `"AgentWorld-<Context>-<version>\0"`, one family per
 * protocol version ({@linkcode separatorsFor}). This project adds two short
 * ones that are the same in every version: `"aw:hb:"` for heartbeats and
 * `"aw:dereg:"` for deregistrations.
 *
 * @module
 */
import { type ProtocolVersion, requireVersion, SUPPORTED_PROTOCOL_VERSIONS } from "./version.ts";

/**
 * The heartbeat separator this project signs with, valid in every protocol
 * version: a heartbeat is the hot path and its message should be tiny.
 *
 * @example
 * ```ts
 * import { SHORT_HEARTBEAT_SEPARATOR } from "@agentworlds/sdk/protocol";
 * console.log(SHORT_HEARTBEAT_SEPARATOR); // "aw:hb:"
 * ```
 */
export const SHORT_HEARTBEAT_SEPARATOR = "aw:hb:";

/**
 * The separator of a signed deregistration (`POST /peer/deregister`), the
 * same in every protocol version.
 *
 * @example
 * ```ts
 * import { DEREGISTRATION_SEPARATOR } from "@agentworlds/sdk/protocol";
 * console.log(DEREGISTRATION_SEPARATOR); // "aw:dereg:"
 * ```
 */
export const DEREGISTRATION_SEPARATOR = "aw:dereg:";

/** The AgentWorld separators of one protocol version, as upstream names them. */
export interface VersionSeparators {
  /** Request signature headers. */
  readonly HTTP_REQUEST: string;
  /** Response signature headers. */
  readonly HTTP_RESPONSE: string;
  /** The JWS of an agent card. */
  readonly AGENT_CARD: string;
  /** Both proofs of a key rotation. */
  readonly KEY_ROTATION: string;
  /** An announce body. */
  readonly ANNOUNCE: string;
  /** A peer message body. */
  readonly MESSAGE: string;
  /** A world-state payload. */
  readonly WORLD_STATE: string;
  /** A heartbeat, as upstream SDKs of this version sign it. */
  readonly HEARTBEAT: string;
}

const CONTEXTS: Record<keyof VersionSeparators, string> = {
  HTTP_REQUEST: "Req",
  HTTP_RESPONSE: "Res",
  AGENT_CARD: "Card",
  KEY_ROTATION: "Rotation",
  ANNOUNCE: "Announce",
  MESSAGE: "Message",
  WORLD_STATE: "WorldState",
  HEARTBEAT: "Heartbeat",
};

function family(version: ProtocolVersion): VersionSeparators {
  const entries = Object.entries(CONTEXTS).map((
    [name, context],
  ) => [name, `AgentWorld-${context}-${version}\u0000`]);
  return Object.freeze(Object.fromEntries(entries)) as unknown as VersionSeparators;
}

const FAMILIES = new Map<string, VersionSeparators>(
  SUPPORTED_PROTOCOL_VERSIONS.map((version) => [version, family(version)]),
);

/**
 * The AgentWorld separators of a protocol version.
 *
 * @example
 * ```ts
 * import { separatorsFor } from "@agentworlds/sdk/protocol";
 * separatorsFor("1.6").ANNOUNCE; // "AgentWorld-Announce-1.6\0"
 * separatorsFor("1.3").HEARTBEAT; // "AgentWorld-Heartbeat-1.3\0"
 * ```
 *
 * @throws {UnsupportedVersionError} When `version` is not spoken here.
 */
export function separatorsFor(version: ProtocolVersion): VersionSeparators {
  return FAMILIES.get(version) ?? FAMILIES.get(requireVersion(version))!;
}

/**
 * The 1.2 signing contexts as this package signs them by default: the
 * AgentWorld 1.2 separators, with the short `"aw:hb:"` for heartbeats.
 * {@linkcode separatorsFor} gives any version's.
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
    HEARTBEAT: SHORT_HEARTBEAT_SEPARATOR,
  } as const,
);

/**
 * The heartbeat separator that AgentWorld 1.2 SDK worlds sign with:
 * `separatorsFor("1.2").HEARTBEAT`.
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
