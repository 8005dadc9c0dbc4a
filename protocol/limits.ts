/**
 * The limits every announce and every signed body is held to, written once:
 * the gateway enforces them, the SDK checks its own options against them,
 * and `openapi.yaml` and the README copy them.
 *
 * They are far above what a real world sends (the AgentWorld 1.2–1.6
 * vectors' world announce is 442–462 bytes with one endpoint and one
 * capability) and far below what would let one record cost real memory.
 *
 * @module
 */

/**
 * Limits of an announce. Past them the gateway answers 400 naming the field
 * (413 for the body).
 *
 * Worst case: a body with every list full and every string at its longest
 * (an alias of 128 three-byte characters, 16 capabilities of 128, 8
 * endpoints with a 253-character address) is 5,643 bytes of JSON, so
 * `maxBodyBytes` leaves 2.5 KB for fields a newer SDK may add. The
 * normalized record a gateway stores (`toAnnounceRecord`) drops unknown
 * fields, so its JSON is at most 5,570 bytes, under `maxRecordBytes`,
 * whatever was sent.
 *
 * @example
 * ```ts
 * import { ANNOUNCE_LIMITS } from "@agentworlds/sdk/protocol";
 * console.log(ANNOUNCE_LIMITS.maxEndpoints, ANNOUNCE_LIMITS.maxCapabilities); // 8 16
 * ```
 */
export const ANNOUNCE_LIMITS: {
  readonly maxBodyBytes: number;
  readonly aliasMaxLength: number;
  readonly versionMaxLength: number;
  readonly slugMaxLength: number;
  readonly maxEndpoints: number;
  readonly maxCapabilities: number;
  readonly capabilityMaxLength: number;
  readonly addressMaxLength: number;
  readonly transportMaxLength: number;
  readonly priorityMax: number;
  readonly ttlMaxSeconds: number;
  readonly endpointFields: readonly string[];
  readonly maxRecordBytes: number;
} = Object.freeze({
  /** Largest request body, in bytes (counted as they arrive). */
  maxBodyBytes: 8 * 1024,
  /** Longest `alias`, in UTF-16 code units; any text but control and bidi-override characters. */
  aliasMaxLength: 128,
  /** Longest `version` (the sender's software version): printable ASCII without `"` or `\`. */
  versionMaxLength: 64,
  /** Longest `slug` (it matches `WORLD_ID_PATTERN`). */
  slugMaxLength: 64,
  /** Most entries in `endpoints`. */
  maxEndpoints: 8,
  /** Most entries in `capabilities`. */
  maxCapabilities: 16,
  /** Longest capability: printable ASCII without spaces, `"` or `\`. */
  capabilityMaxLength: 128,
  /** Longest endpoint `address`: a DNS host name (at most 253) or an IP literal. */
  addressMaxLength: 253,
  /** Longest endpoint `transport`: lowercase letters, digits, `+`, `.`, `-`. */
  transportMaxLength: 16,
  /** Largest endpoint `priority` (an integer from 0). */
  priorityMax: 65_535,
  /** Largest endpoint `ttl`, in seconds (an integer from 0): one year. */
  ttlMaxSeconds: 31_536_000,
  /** The endpoint fields kept in a record; others are covered by the signature, then dropped. */
  endpointFields: Object.freeze(["address", "port", "transport", "priority", "ttl"]),
  /** Most bytes of `JSON.stringify` of a normalized announce record. */
  maxRecordBytes: 6 * 1024,
});

/**
 * The byte limit of each signed request body, checked as bytes arrive.
 *
 * @example
 * ```ts
 * import { BODY_LIMITS } from "@agentworlds/sdk/protocol";
 * console.log(BODY_LIMITS.heartbeat); // 1024
 * ```
 */
export const BODY_LIMITS: {
  readonly announce: number;
  readonly heartbeat: number;
  readonly deregistration: number;
  readonly keyRotation: number;
  readonly peerMessage: number;
} = Object.freeze({
  /** `POST /peer/announce` and `POST /agents`: {@linkcode ANNOUNCE_LIMITS}'s `maxBodyBytes`. */
  announce: ANNOUNCE_LIMITS.maxBodyBytes,
  /** Every heartbeat route; a legacy heartbeat is 210 bytes. */
  heartbeat: 1024,
  /** `POST /peer/deregister`; a deregistration is under 200 bytes. */
  deregistration: 1024,
  /** `POST /peer/key-rotation`; the vectors' rotation is 1014 bytes. */
  keyRotation: 4096,
  /** `POST /peer/message` and `POST /messages`: 256 KiB. */
  peerMessage: 256 * 1024,
});
