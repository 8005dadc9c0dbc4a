/**
 * Signed deregistration: how a world revokes its own lease the moment it
 * stops, instead of lingering until the TTL runs out.
 *
 * `POST /peer/deregister` with `{agentId, ts, signature}`, signed over
 * `{agentId, ts}` under `"aw:dereg:"`. The separator is this project's and
 * the same in every protocol version (reference gateways answer the route
 * 404). A gateway refuses a replay by holding `ts` to the same floor as
 * heartbeats: it must be newer than the last heartbeat or deregistration
 * accepted from that agent.
 *
 * @module
 */
import { parseStamp } from "./_stamp.ts";
import type { Parsed } from "./_validate.ts";
import type { Identity } from "./identity.ts";
import { DEREGISTRATION_SEPARATOR } from "./separators.ts";
import { signWithDomainSeparator, type VerifyKey, verifyWithKey } from "./signing.ts";
import { PROTOCOL_VERSION, type ProtocolVersion, requireVersion } from "./version.ts";

/** A signed deregistration. */
export interface Deregistration {
  /** The agent whose lease ends. */
  agentId: string;
  /** Milliseconds since the epoch; must be newer than its last heartbeat. */
  ts: number;
  /** Base64 signature over `{agentId, ts}` under `"aw:dereg:"`. */
  signature: string;
}

/**
 * Signs a deregistration.
 *
 * @example
 * ```ts
 * import { createDeregistration, generateIdentity } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const body = await createDeregistration(identity, Date.now());
 * console.log(Object.keys(body)); // ["agentId", "ts", "signature"]
 * ```
 *
 * @param identity The leaving agent.
 * @param ts The time in ms; newer than the last heartbeat it sent.
 * @param version The sender's protocol version. The separator is the same in
 *   every version, so it only has to be one spoken here. Default: `"1.2"`.
 * @throws {UnsupportedVersionError} When `version` is not spoken here.
 */
export async function createDeregistration(
  identity: Identity,
  ts: number,
  version: ProtocolVersion = PROTOCOL_VERSION,
): Promise<Deregistration> {
  requireVersion(version);
  const signature = await signWithDomainSeparator(
    DEREGISTRATION_SEPARATOR,
    { agentId: identity.agentId, ts },
    identity,
  );
  return { agentId: identity.agentId, ts, signature };
}

/**
 * Checks the shape of a deregistration body; returns only its three fields.
 *
 * @example
 * ```ts
 * import { parseDeregistration } from "@agentworlds/sdk/protocol";
 * parseDeregistration({ agentId: "aw:sha256:00" }); // { ok: false, error: "missing field: ts" }
 * ```
 */
export function parseDeregistration(value: unknown): Parsed<Deregistration> {
  return parseStamp(value);
}

/**
 * Verifies a deregistration with the key of the lease it names. Never
 * throws. Replay protection (the `ts` floor) is the gateway's.
 *
 * @example
 * ```ts
 * import { createDeregistration, createHeartbeat, generateIdentity, importPublicKey, verifyDeregistration } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const key = (await importPublicKey(identity.publicKeyB64))!;
 * await verifyDeregistration(await createDeregistration(identity, 5), key); // true
 * await verifyDeregistration(await createHeartbeat(identity, 5), key); // false: a heartbeat is not a goodbye
 * ```
 */
export async function verifyDeregistration(
  deregistration: Deregistration,
  key: VerifyKey,
): Promise<boolean> {
  return await verifyWithKey(
    DEREGISTRATION_SEPARATOR,
    key,
    { agentId: deregistration.agentId, ts: deregistration.ts },
    deregistration.signature,
  );
}
