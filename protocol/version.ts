/**
 * The protocol version this package speaks on the wire.
 *
 * @module
 */

/**
 * The AgentWorld protocol version: it appears inside every domain separator
 * and in the `X-AgentWorld-Version` header.
 *
 * @example Read the version
 * ```ts
 * import { PROTOCOL_VERSION } from "@agentworlds/sdk/protocol";
 * console.log(PROTOCOL_VERSION); // "1.2"
 * ```
 */
export const PROTOCOL_VERSION = "1.2";
