/**
 * Key rotation: an agent (a world) moves from its old key to a new one, in
 * AgentWorld's `POST /peer/key-rotation` format.
 *
 * ```json
 * {"type":"agentworld-identity-rotation","version":"1.6",
 *  "oldAgentId":"aw:sha256:…","newAgentId":"aw:sha256:…",
 *  "oldIdentity":{"agentId":"aw:sha256:…","kid":"#identity","publicKeyMultibase":"z6Mk…"},
 *  "newIdentity":{…},"timestamp":1774276670000,
 *  "proofs":{"signedByOld":{"protected":"…","signature":"…"},"signedByNew":{…}}}
 * ```
 *
 * Both proofs sign the same payload,
 * `{agentId: oldAgentId, oldPublicKey, newPublicKey, timestamp}` (keys as
 * base64), under the version's `KEY_ROTATION` separator; `signature` is
 * standard base64 and `protected` is the fixed JWS header
 * `{"alg":"EdDSA","kid":"#identity"}` in base64url, which receivers do not
 * check.
 *
 * @module
 */
import { toBase64Url, utf8 } from "./_bytes.ts";
import { checkString, checkTimestamp, isRecord, type Parsed } from "./_validate.ts";
import { publicKeyFromMultibase, toPublicKeyMultibase } from "./did_key.ts";
import { DEFAULT_KEY_ID, MAX_CLOCK_SKEW_MS } from "./http_signature.ts";
import { agentIdFromPublicKey, type Identity } from "./identity.ts";
import { reject, REJECTION_TEXT, type Verified } from "./rejection.ts";
import { separatorsFor } from "./separators.ts";
import { signWithDomainSeparator, verifyWithDomainSeparator } from "./signing.ts";
import {
  isSupportedVersion,
  PROTOCOL_VERSION,
  type ProtocolVersion,
  SUPPORTED_PROTOCOL_VERSIONS,
  unsupportedVersionMessage,
} from "./version.ts";

/** The `type` of every key rotation body. */
export const KEY_ROTATION_TYPE = "agentworld-identity-rotation";

/**
 * The JWS protected header of the proofs, base64url of
 * `{"alg":"EdDSA","kid":"#identity"}`.
 */
export const JWS_PROTECTED_HEADER: string = toBase64Url(
  utf8.encode(JSON.stringify({ alg: "EdDSA", kid: DEFAULT_KEY_ID })),
);

/** One side of a rotation: an agent id and its key. */
export interface RotationIdentity {
  /** `aw:sha256:` + hex SHA-256 of the key. */
  agentId: string;
  /** The key id, `#identity`. */
  kid: string;
  /** The key as `z` + base58btc of the multicodec-prefixed key. */
  publicKeyMultibase: string;
}

/** A signature by one of the two keys. */
export interface RotationProof {
  /** The JWS protected header (not checked by receivers). */
  protected: string;
  /** Base64 Ed25519 signature over the rotation payload. */
  signature: string;
}

/** A `POST /peer/key-rotation` body. */
export interface KeyRotation {
  /** Always `"agentworld-identity-rotation"`. */
  type: typeof KEY_ROTATION_TYPE;
  /** The protocol version; it picks the separator of both proofs. */
  version: string;
  /** The agent id of the old key. */
  oldAgentId: string;
  /** The agent id of the new key. */
  newAgentId: string;
  /** The old key. */
  oldIdentity: RotationIdentity;
  /** The new key. */
  newIdentity: RotationIdentity;
  /** Milliseconds since the epoch when it was signed. */
  timestamp: number;
  /** Both signatures; both are required. */
  proofs: { signedByOld: RotationProof; signedByNew: RotationProof };
}

/** What a verified rotation says: who moves from which key to which. */
export interface VerifiedKeyRotation {
  /** The agent id of the old key (the lease or world that moves). */
  oldAgentId: string;
  /** The agent id of the new key. */
  newAgentId: string;
  /** Base64 of the old key. */
  oldPublicKey: string;
  /** Base64 of the new key. */
  newPublicKey: string;
  /** The signed time, in ms since the epoch. */
  timestamp: number;
  /** The version the proofs verified under. */
  version: ProtocolVersion;
}

/**
 * The payload both proofs sign.
 *
 * @example
 * ```ts
 * import { keyRotationPayload } from "@agentworlds/sdk/protocol";
 * Object.keys(keyRotationPayload("aw:sha256:00", "b2xk", "bmV3", 1)); // ["agentId", "oldPublicKey", "newPublicKey", "timestamp"]
 * ```
 */
export function keyRotationPayload(
  oldAgentId: string,
  oldPublicKey: string,
  newPublicKey: string,
  timestamp: number,
): Record<string, unknown> {
  return { agentId: oldAgentId, oldPublicKey, newPublicKey, timestamp };
}

function rotationIdentity(identity: Identity): RotationIdentity {
  return {
    agentId: identity.agentId,
    kid: DEFAULT_KEY_ID,
    publicKeyMultibase: toPublicKeyMultibase(identity.publicKeyB64),
  };
}

/**
 * Builds a key rotation signed by both keys.
 *
 * @example
 * ```ts
 * import { createKeyRotation, generateIdentity } from "@agentworlds/sdk/protocol";
 * const [oldIdentity, newIdentity] = [await generateIdentity(), await generateIdentity()];
 * const rotation = await createKeyRotation(oldIdentity, newIdentity, Date.now(), "1.6");
 * console.log(rotation.newAgentId === newIdentity.agentId); // true
 * ```
 *
 * @param oldIdentity The key being retired.
 * @param newIdentity The key taking over.
 * @param timestamp Signing time in ms; default `Date.now()`.
 * @param version The protocol version; default `"1.2"`.
 * @throws {UnsupportedVersionError} When `version` is not spoken here.
 */
export async function createKeyRotation(
  oldIdentity: Identity,
  newIdentity: Identity,
  timestamp: number = Date.now(),
  version: ProtocolVersion = PROTOCOL_VERSION,
): Promise<KeyRotation> {
  const separator = separatorsFor(version).KEY_ROTATION;
  const payload = keyRotationPayload(
    oldIdentity.agentId,
    oldIdentity.publicKeyB64,
    newIdentity.publicKeyB64,
    timestamp,
  );
  const [byOld, byNew] = await Promise.all([
    signWithDomainSeparator(separator, payload, oldIdentity),
    signWithDomainSeparator(separator, payload, newIdentity),
  ]);
  return {
    type: KEY_ROTATION_TYPE,
    version,
    oldAgentId: oldIdentity.agentId,
    newAgentId: newIdentity.agentId,
    oldIdentity: rotationIdentity(oldIdentity),
    newIdentity: rotationIdentity(newIdentity),
    timestamp,
    proofs: {
      signedByOld: { protected: JWS_PROTECTED_HEADER, signature: byOld },
      signedByNew: { protected: JWS_PROTECTED_HEADER, signature: byNew },
    },
  };
}

function checkRotationIdentity(value: unknown, field: string): string | undefined {
  if (value === undefined) return `missing field: ${field}`;
  if (!isRecord(value)) return `${field} must be an object`;
  return checkString(value.agentId, `${field}.agentId`, 128, { required: false }) ??
    checkString(value.kid, `${field}.kid`, 64, { required: false }) ??
    checkString(value.publicKeyMultibase, `${field}.publicKeyMultibase`, 64);
}

function checkProof(value: unknown, field: string): string | undefined {
  if (value === undefined) return `missing field: ${field}`;
  if (!isRecord(value)) return `${field} must be an object`;
  return checkString(value.protected, `${field}.protected`, 256, { required: false }) ??
    checkString(value.signature, `${field}.signature`, 128);
}

/**
 * Checks the shape of a key rotation body; both proofs are required.
 *
 * @example
 * ```ts
 * import { parseKeyRotation } from "@agentworlds/sdk/protocol";
 * parseKeyRotation({ type: "agentworld-identity-rotation" }).ok; // false
 * ```
 */
export function parseKeyRotation(value: unknown): Parsed<KeyRotation> {
  if (!isRecord(value)) return { ok: false, error: "body must be a JSON object" };
  if (value.type !== KEY_ROTATION_TYPE) {
    return { ok: false, error: `type must be "${KEY_ROTATION_TYPE}"` };
  }
  const proofs = value.proofs;
  const error = checkString(value.version, "version", 16) ??
    checkString(value.oldAgentId, "oldAgentId", 128) ??
    checkString(value.newAgentId, "newAgentId", 128) ??
    checkRotationIdentity(value.oldIdentity, "oldIdentity") ??
    checkRotationIdentity(value.newIdentity, "newIdentity") ??
    checkTimestamp(value.timestamp, "timestamp") ??
    (proofs === undefined
      ? "missing field: proofs"
      : !isRecord(proofs)
      ? "proofs must be an object"
      : checkProof(proofs.signedByOld, "proofs.signedByOld") ??
        checkProof(proofs.signedByNew, "proofs.signedByNew"));
  if (error) return { ok: false, error };
  return { ok: true, value: value as unknown as KeyRotation };
}

/** How a rotation is verified. */
export interface KeyRotationVerifyOptions {
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  clock?: () => number;
  /** How far `timestamp` may be from the clock, in ms. Default: `MAX_CLOCK_SKEW_MS` (300000). */
  maxSkewMs?: number;
  /** The versions accepted in `version`. Default: every supported version. */
  versions?: readonly ProtocolVersion[];
}

/**
 * Verifies a key rotation: its version, that each agent id is its key's,
 * the time window, and **both** proofs under the version's `KEY_ROTATION`
 * separator. Never throws.
 *
 * Both proofs are required, not only the old key's. The old key's proof
 * says the holder of the world wants to move; the new key's proves that
 * whoever asks actually holds the new private key. Without it, a world's
 * old key (or anyone who stole it) could bind the world to a public key
 * they copied from someone else, who would then "own" a world they never
 * asked for and could not refuse, and the world would be bound to a key no
 * one it trusts can sign with.
 *
 * Refusals: 400 for the shape, an unsupported version, an agent id that is
 * not its key's, the same key twice, or a stale timestamp; 403 when a proof
 * does not verify. Whether the old key holds anything at this receiver is
 * the caller's decision.
 *
 * @example
 * ```ts
 * import { createKeyRotation, generateIdentity, verifyKeyRotation } from "@agentworlds/sdk/protocol";
 * const [oldIdentity, newIdentity] = [await generateIdentity(), await generateIdentity()];
 * const rotation = await createKeyRotation(oldIdentity, newIdentity, Date.now(), "1.4");
 * const result = await verifyKeyRotation(rotation);
 * console.log(result.ok && result.value.newAgentId === newIdentity.agentId); // true
 * ```
 */
export async function verifyKeyRotation(
  value: unknown,
  options: KeyRotationVerifyOptions = {},
): Promise<Verified<VerifiedKeyRotation>> {
  const parsed = parseKeyRotation(value);
  if (!parsed.ok) return reject("invalid_body", parsed.error);
  const rotation = parsed.value;
  const accepted = options.versions ?? SUPPORTED_PROTOCOL_VERSIONS;
  if (!isSupportedVersion(rotation.version) || !accepted.includes(rotation.version)) {
    return reject("unsupported_version", unsupportedVersionMessage(rotation.version));
  }
  const version = rotation.version;
  const oldPublicKey = publicKeyFromMultibase(rotation.oldIdentity.publicKeyMultibase);
  const newPublicKey = publicKeyFromMultibase(rotation.newIdentity.publicKeyMultibase);
  if (!oldPublicKey) {
    return reject("invalid_body", "oldIdentity.publicKeyMultibase is not an Ed25519 key");
  }
  if (!newPublicKey) {
    return reject("invalid_body", "newIdentity.publicKeyMultibase is not an Ed25519 key");
  }
  if (oldPublicKey === newPublicKey) {
    return reject("invalid_body", "the new key must differ from the old one");
  }
  for (
    const [side, claimed, key] of [
      ["old", rotation.oldAgentId, oldPublicKey],
      ["new", rotation.newAgentId, newPublicKey],
    ] as const
  ) {
    const agentId = await agentIdFromPublicKey(key);
    const listed = rotation[`${side}Identity`].agentId;
    if (claimed !== agentId || (listed !== undefined && listed !== agentId)) {
      return reject("invalid_body", `${side}AgentId does not match ${side}Identity's key`);
    }
  }
  const clock = options.clock ?? Date.now;
  if (Math.abs(clock() - rotation.timestamp) > (options.maxSkewMs ?? MAX_CLOCK_SKEW_MS)) {
    return reject("stale_timestamp", REJECTION_TEXT.outsideWindow("timestamp"));
  }
  const separator = separatorsFor(version).KEY_ROTATION;
  const payload = keyRotationPayload(
    rotation.oldAgentId,
    oldPublicKey,
    newPublicKey,
    rotation.timestamp,
  );
  const { signedByOld, signedByNew } = rotation.proofs;
  if (!await verifyWithDomainSeparator(separator, oldPublicKey, payload, signedByOld.signature)) {
    return reject("bad_signature", "proofs.signedByOld does not verify");
  }
  if (!await verifyWithDomainSeparator(separator, newPublicKey, payload, signedByNew.signature)) {
    return reject("bad_signature", "proofs.signedByNew does not verify");
  }
  return {
    ok: true,
    value: {
      oldAgentId: rotation.oldAgentId,
      newAgentId: rotation.newAgentId,
      oldPublicKey,
      newPublicKey,
      timestamp: rotation.timestamp,
      version,
    },
  };
}
