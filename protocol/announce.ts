/**
 * The announce message: how a world (or any agent) registers with a gateway.
 *
 * The body carries every field plus `signature`, an Ed25519 signature under
 * the version's `ANNOUNCE` separator over the canonical JSON of every other
 * field, including fields this package does not know. From protocol 1.4 the
 * body carries `slug`, the world's id, covered by the signature like the rest.
 *
 * A gateway parses a body ({@linkcode parseAnnounce}: shape and
 * {@linkcode ANNOUNCE_LIMITS}), verifies it as sent, then keeps only the
 * normalized record ({@linkcode toAnnounceRecord}).
 *
 * @module
 */
import {
  CAPABILITY_CHARS,
  CAPABILITY_CHARS_TEXT,
  checkList,
  checkPublicKey,
  checkString,
  checkText,
  checkTimestamp,
  checkToken,
  isRecord,
  type Parsed,
  VERSION_CHARS,
} from "./_validate.ts";
import { checkEndpoints, type Endpoint, normalizeEndpoint } from "./endpoint.ts";
import { type Identity, isAgentIdOf } from "./identity.ts";
import { ANNOUNCE_LIMITS } from "./limits.ts";
import { separatorsFor } from "./separators.ts";
import { signWithDomainSeparator, verifyWithDomainSeparator } from "./signing.ts";
import { PROTOCOL_VERSION, type ProtocolVersion } from "./version.ts";
import { isValidWorldId, WORLD_CAPABILITY_PREFIX, worldIdFromCapabilities } from "./world_id.ts";

export type { Parsed } from "./_validate.ts";

/** The fields of an announce that a world chooses. */
export interface AnnounceFields {
  /** Display name: 1–128 characters, no control or bidi-override characters. */
  alias: string;
  /** The world software's version: at most 64 printable ASCII characters, no quotes or backslashes. */
  version?: string;
  /** The world's id (protocol 1.4+ send it; it must match any `world:` capability). */
  slug?: string;
  /** Where the world is reached; at most 8. */
  endpoints: Endpoint[];
  /** Capabilities such as `world:<worldId>`; at most 16 of ≤ 128 printable ASCII characters, no spaces, quotes or backslashes. */
  capabilities: string[];
}

/** A complete, signed announce body. */
export interface AnnounceBody extends AnnounceFields {
  /** The sender's agent id; must be derived from `publicKey`. */
  from: string;
  /** Base64 of the raw 32-byte Ed25519 key. */
  publicKey: string;
  /** Milliseconds since the epoch when it was signed. */
  timestamp: number;
  /** Base64 signature over every other field, under `ANNOUNCE`. */
  signature: string;
}

/**
 * Builds and signs an announce body under `version`'s `ANNOUNCE` separator.
 * Send it as `canonicalize(body)`, as AgentWorld SDKs do.
 *
 * @example
 * ```ts
 * import { createAnnounce, generateIdentity } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const body = await createAnnounce(identity, {
 *   alias: "Pixel City",
 *   slug: "pixel-city",
 *   endpoints: [{ address: "203.0.113.7", port: 8099, transport: "tcp" }],
 *   capabilities: ["world:pixel-city"],
 * }, Date.now(), "1.6");
 * console.log(body.from === identity.agentId); // true
 * ```
 *
 * @param identity The world's identity.
 * @param fields What to announce.
 * @param timestamp Signing time in ms; default `Date.now()`.
 * @param version The protocol version to sign under; default `"1.2"`.
 * @throws {UnsupportedVersionError} When `version` is not spoken here.
 */
export async function createAnnounce(
  identity: Identity,
  fields: AnnounceFields,
  timestamp: number = Date.now(),
  version: ProtocolVersion = PROTOCOL_VERSION,
): Promise<AnnounceBody> {
  const separator = separatorsFor(version).ANNOUNCE;
  const unsigned: Omit<AnnounceBody, "signature"> = {
    from: identity.agentId,
    publicKey: identity.publicKeyB64,
    alias: fields.alias,
    ...(fields.version === undefined ? {} : { version: fields.version }),
    ...(fields.slug === undefined ? {} : { slug: fields.slug }),
    endpoints: fields.endpoints,
    capabilities: fields.capabilities,
    timestamp,
  };
  const signature = await signWithDomainSeparator(separator, unsigned, identity);
  return { ...unsigned, signature };
}

/**
 * Checks the shape of an announce body against {@linkcode ANNOUNCE_LIMITS}:
 * types, required fields, lengths, endpoint addresses, at most one
 * `world:<id>` capability and a `slug` that agrees with it. It does not
 * verify the signature: see {@linkcode verifyAnnounceSignature}.
 *
 * Unknown fields, in the body or in an endpoint, are not an error: the
 * signature covers the body as sent, and a newer SDK may add one. They are
 * dropped by {@linkcode toAnnounceRecord}.
 *
 * @example
 * ```ts
 * import { parseAnnounce } from "@agentworlds/sdk/protocol";
 * const result = parseAnnounce({ alias: 7 });
 * console.log(result.ok ? "valid" : result.error); // "missing field: from"
 * ```
 *
 * @returns The typed body (as received), or an error that names the offending field.
 */
export function parseAnnounce(value: unknown): Parsed<AnnounceBody> {
  if (!isRecord(value)) return { ok: false, error: "body must be a JSON object" };
  const error = checkString(value.from, "from", 128) ??
    checkPublicKey(value.publicKey, "publicKey") ??
    checkText(value.alias, "alias", ANNOUNCE_LIMITS.aliasMaxLength) ??
    checkToken(
      value.version,
      "version",
      ANNOUNCE_LIMITS.versionMaxLength,
      VERSION_CHARS,
      "printable ASCII without quotes or backslashes",
      { required: false },
    ) ??
    checkTimestamp(value.timestamp, "timestamp") ??
    checkString(value.signature, "signature", 128) ??
    checkEndpoints(value.endpoints, "endpoints") ??
    checkList(
      value.capabilities,
      "capabilities",
      ANNOUNCE_LIMITS.maxCapabilities,
      (item, i) =>
        checkToken(
          item,
          `capabilities[${i}]`,
          ANNOUNCE_LIMITS.capabilityMaxLength,
          CAPABILITY_CHARS,
          CAPABILITY_CHARS_TEXT,
        ),
    ) ??
    checkDeclaredWorld(value.slug, value.capabilities as string[]);
  if (error) return { ok: false, error };
  return { ok: true, value: value as unknown as AnnounceBody };
}

/** At most one valid `world:<id>` capability, and a `slug` that is a world id agreeing with it. */
function checkDeclaredWorld(slug: unknown, capabilities: string[]): string | undefined {
  if (slug !== undefined && !isValidWorldId(slug)) return "slug is not a valid world id";
  let declared: string | undefined;
  for (let i = 0; i < capabilities.length; i++) {
    if (!capabilities[i].startsWith(WORLD_CAPABILITY_PREFIX)) continue;
    const id = capabilities[i].slice(WORLD_CAPABILITY_PREFIX.length);
    if (!isValidWorldId(id)) return `capabilities[${i}] is not a valid world id`;
    if (declared !== undefined && declared !== id) {
      return `capabilities[${i}]: an agent hosts at most one world`;
    }
    if (slug !== undefined && slug !== id) return `slug does not match capabilities[${i}]`;
    declared = id;
  }
  return undefined;
}

/**
 * The payload an announce signature covers: every field of the body but
 * `signature`, including fields this version does not know.
 */
export function announceSigningPayload(body: Record<string, unknown>): Record<string, unknown> {
  const { signature: _signature, ...rest } = body;
  return rest;
}

/**
 * Verifies an announce's body signature under `version`'s `ANNOUNCE`
 * separator, and that `from` is the agent id of `publicKey`. Never throws.
 *
 * @example
 * ```ts
 * import { createAnnounce, generateIdentity, verifyAnnounceSignature } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const body = await createAnnounce(identity, { alias: "A", endpoints: [], capabilities: [] });
 * await verifyAnnounceSignature(body); // true
 * await verifyAnnounceSignature({ ...body, alias: "B" }); // false
 * await verifyAnnounceSignature(body, "1.6"); // false: signed under 1.2
 * ```
 *
 * @param body The parsed announce body, as received (unknown fields kept).
 * @param version The protocol version it claims; default `"1.2"`.
 */
export async function verifyAnnounceSignature(
  body: AnnounceBody,
  version: ProtocolVersion = PROTOCOL_VERSION,
): Promise<boolean> {
  if (!await isAgentIdOf(body.from, body.publicKey)) return false;
  return await verifyWithDomainSeparator(
    separatorsFor(version).ANNOUNCE,
    body.publicKey,
    announceSigningPayload(body as unknown as Record<string, unknown>),
    body.signature,
  );
}

/** What a gateway keeps of a verified announce: known fields only, bounded in size. */
export interface AnnounceRecord {
  /** The sender's agent id (`from`). */
  agentId: string;
  /** Base64 of its raw 32-byte key. */
  publicKey: string;
  /** Display name. */
  alias: string;
  /** The sender's software version, when it gave one. */
  version?: string;
  /** The world id: the body's `slug`, or else the `world:<id>` capability's id; absent for agents. */
  worldId?: string;
  /** Endpoints with only `address`, `port`, `transport`, `priority`, `ttl`. */
  endpoints: Endpoint[];
  /** Capabilities as announced. */
  capabilities: string[];
  /** The announce's signed `timestamp`. */
  timestamp: number;
  /** The protocol version the announce verified under; heartbeats of the lease use it. */
  protocolVersion: ProtocolVersion;
}

/**
 * The normalized record of a verified announce: unknown fields dropped,
 * endpoint addresses normalized, the world id resolved. Its
 * `JSON.stringify` is at most `ANNOUNCE_LIMITS.maxRecordBytes` bytes.
 *
 * @example
 * ```ts
 * import { createAnnounce, generateIdentity, toAnnounceRecord } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const body = await createAnnounce(identity, {
 *   alias: "Pixel City",
 *   endpoints: [{ address: "203.0.113.7", port: 8099 }],
 *   capabilities: ["world:pixel-city"],
 * });
 * toAnnounceRecord(body, "1.2").worldId; // "pixel-city"
 * ```
 *
 * @param body A body {@linkcode parseAnnounce} accepted and whose signature verified.
 * @param protocolVersion The version it verified under.
 */
export function toAnnounceRecord(
  body: AnnounceBody,
  protocolVersion: ProtocolVersion,
): AnnounceRecord {
  const worldId = body.slug ?? worldIdFromCapabilities(body.capabilities);
  return {
    agentId: body.from,
    publicKey: body.publicKey,
    alias: body.alias,
    ...(body.version === undefined ? {} : { version: body.version }),
    ...(worldId === undefined ? {} : { worldId }),
    endpoints: body.endpoints.map(normalizeEndpoint),
    capabilities: [...body.capabilities],
    timestamp: body.timestamp,
    protocolVersion,
  };
}
