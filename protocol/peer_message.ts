/**
 * Peer messages: what agents and worlds post to each other's
 * `POST /peer/message` (`world.join`, `world.action`, `world.leave`,
 * `world.state`).
 *
 * The body is `{from, publicKey, event, content, timestamp, signature}`,
 * with `content` a JSON-encoded string and the signature under
 * `DOMAIN_SEPARATORS.MESSAGE` over every field but `signature`.
 *
 * @module
 */
import { checkString, checkTimestamp, isRecord, type Parsed } from "./_validate.ts";
import { type Identity, isAgentIdOf } from "./identity.ts";
import { DOMAIN_SEPARATORS } from "./separators.ts";
import { signWithDomainSeparator, verifyWithDomainSeparator } from "./signing.ts";

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

/** Largest peer message body the servers here accept, in bytes. */
export const MAX_PEER_MESSAGE_BYTES = 256 * 1024;

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
 */
export async function createPeerMessage(
  identity: Identity,
  event: string,
  content: unknown,
  timestamp: number = Date.now(),
): Promise<PeerMessage> {
  const unsigned = {
    from: identity.agentId,
    publicKey: identity.publicKeyB64,
    event,
    content: JSON.stringify(content ?? null),
    timestamp,
  };
  const signature = await signWithDomainSeparator(DOMAIN_SEPARATORS.MESSAGE, unsigned, identity);
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
    checkString(value.publicKey, "publicKey", 64) ??
    checkString(value.event, "event", 64) ??
    checkString(value.content, "content", MAX_PEER_MESSAGE_BYTES, { minLength: 0 }) ??
    checkTimestamp(value.timestamp, "timestamp") ??
    checkString(value.signature, "signature", 128);
  if (error) return { ok: false, error };
  return { ok: true, value: value as unknown as PeerMessage };
}

/**
 * Verifies a peer message's body signature and that `from` is the agent id
 * of `publicKey`. Never throws.
 *
 * @example
 * ```ts
 * import { createPeerMessage, generateIdentity, verifyPeerMessage } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const message = await createPeerMessage(identity, "world.leave", {});
 * await verifyPeerMessage(message); // true
 * ```
 */
export async function verifyPeerMessage(message: PeerMessage): Promise<boolean> {
  if (!await isAgentIdOf(message.from, message.publicKey)) return false;
  const { signature, ...unsigned } = message;
  return await verifyWithDomainSeparator(
    DOMAIN_SEPARATORS.MESSAGE,
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
