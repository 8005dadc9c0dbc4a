/**
 * Peer messages: what agents and worlds post to each other's
 * `POST /peer/message` (`world.join`, `world.action`, `world.leave`,
 * `world.state`).
 *
 * The body is `{from, publicKey, event, content, timestamp, signature}`,
 * with `content` a JSON-encoded string and the signature under the
 * version's `MESSAGE` separator over every field but `signature`.
 *
 * @module
 */
import { checkPublicKey, checkString, checkTimestamp, isRecord, type Parsed } from "./_validate.ts";
import { type Identity, isAgentIdOf } from "./identity.ts";
import { BODY_LIMITS } from "./limits.ts";
import { separatorsFor } from "./separators.ts";
import { signWithDomainSeparator, verifyWithDomainSeparator } from "./signing.ts";
import { PROTOCOL_VERSION, type ProtocolVersion } from "./version.ts";

/** The events of the world protocol. */
export const PEER_EVENTS: {
  readonly JOIN: "world.join";
  readonly ACTION: "world.action";
  readonly LEAVE: "world.leave";
  readonly STATE: "world.state";
} = Object.freeze(
  {
    JOIN: "world.join",
    ACTION: "world.action",
    LEAVE: "world.leave",
    STATE: "world.state",
  } as const,
);

/** Largest peer message body the servers here accept, in bytes: `BODY_LIMITS.peerMessage`. */
export const MAX_PEER_MESSAGE_BYTES: number = BODY_LIMITS.peerMessage;

/** A signed peer message. */
export interface PeerMessage {
  /** The sender's agent id. */
  from: string;
  /** Base64 of the sender's raw 32-byte key. */
  publicKey: string;
  /** The event name, e.g. `world.join`. */
  event: string;
  /** The event's data, JSON-encoded. */
  content: string;
  /** Milliseconds since the epoch when it was signed. */
  timestamp: number;
  /** Base64 signature over every other field, under `MESSAGE`. */
  signature: string;
}

/**
 * Builds and signs a peer message; `content` is JSON-encoded for you.
 *
 * @example
 * ```ts
 * import { createPeerMessage, generateIdentity, PEER_EVENTS } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const message = await createPeerMessage(identity, PEER_EVENTS.JOIN, { alias: "Ada" });
 * console.log(message.content); // '{"alias":"Ada"}'
 * ```
 *
 * @param identity The sender.
 * @param event The event name, e.g. `world.join`.
 * @param content The event's data; JSON-encoded into `content`.
 * @param timestamp Signing time in ms; default `Date.now()`.
 * @param version The protocol version to sign under; default `"1.2"`.
 * @throws {UnsupportedVersionError} When `version` is not spoken here.
 */
export async function createPeerMessage(
  identity: Identity,
  event: string,
  content: unknown,
  timestamp: number = Date.now(),
  version: ProtocolVersion = PROTOCOL_VERSION,
): Promise<PeerMessage> {
  const separator = separatorsFor(version).MESSAGE;
  const unsigned = {
    from: identity.agentId,
    publicKey: identity.publicKeyB64,
    event,
    content: JSON.stringify(content ?? null),
    timestamp,
  };
  const signature = await signWithDomainSeparator(separator, unsigned, identity);
  return { ...unsigned, signature };
}

/**
 * Checks the shape of a peer message body (not its signature).
 *
 * @example
 * ```ts
 * import { parsePeerMessage } from "@agentworlds/sdk/protocol";
 * parsePeerMessage({}).ok; // false
 * ```
 */
export function parsePeerMessage(value: unknown): Parsed<PeerMessage> {
  if (!isRecord(value)) return { ok: false, error: "body must be a JSON object" };
  const error = checkString(value.from, "from", 128) ??
    checkPublicKey(value.publicKey, "publicKey") ??
    checkString(value.event, "event", 64) ??
    checkString(value.content, "content", MAX_PEER_MESSAGE_BYTES, { minLength: 0 }) ??
    checkTimestamp(value.timestamp, "timestamp") ??
    checkString(value.signature, "signature", 128);
  if (error) return { ok: false, error };
  return { ok: true, value: value as unknown as PeerMessage };
}

/**
 * Verifies a peer message's body signature under `version`'s `MESSAGE`
 * separator, and that `from` is the agent id of `publicKey`. Never throws.
 *
 * @example
 * ```ts
 * import { createPeerMessage, generateIdentity, verifyPeerMessage } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const message = await createPeerMessage(identity, "world.leave", {});
 * await verifyPeerMessage(message); // true
 * await verifyPeerMessage(message, "1.4"); // false: signed under 1.2
 * ```
 */
export async function verifyPeerMessage(
  message: PeerMessage,
  version: ProtocolVersion = PROTOCOL_VERSION,
): Promise<boolean> {
  if (!await isAgentIdOf(message.from, message.publicKey)) return false;
  const { signature, ...unsigned } = message;
  return await verifyWithDomainSeparator(
    separatorsFor(version).MESSAGE,
    message.publicKey,
    unsigned,
    signature,
  );
}

/**
 * Decodes a message's `content`; `undefined` when it is not JSON.
 *
 * @example
 * ```ts
 * import { parseContent } from "@agentworlds/sdk/protocol";
 * parseContent('{"x":1}'); // { x: 1 }
 * ```
 */
export function parseContent(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return undefined;
  }
}
