/**
 * The announce message: how a world registers with a gateway.
 *
 * The body carries every field plus `signature`, an Ed25519 signature under
 * `DOMAIN_SEPARATORS.ANNOUNCE` over the canonical JSON of every other field.
 *
 * @module
 */
import { checkString, checkTimestamp, isRecord, type Parsed } from "./_validate.ts";
import { type Identity, isAgentIdOf } from "./identity.ts";
import { DOMAIN_SEPARATORS } from "./separators.ts";
import { signWithDomainSeparator, verifyWithDomainSeparator } from "./signing.ts";

export type { Parsed } from "./_validate.ts";

/** Size limits of an announce; the gateway answers 400 (413 for the body) past them. */
export const ANNOUNCE_LIMITS: {
  readonly aliasMaxLength: number;
  readonly maxEndpoints: number;
  readonly maxCapabilities: number;
  readonly capabilityMaxLength: number;
  readonly versionMaxLength: number;
  readonly addressMaxLength: number;
  readonly maxBodyBytes: number;
} = Object.freeze({
  /** Longest `alias`, in characters. */
  aliasMaxLength: 128,
  /** Most entries in `endpoints`. */
  maxEndpoints: 16,
  /** Most entries in `capabilities`. */
  maxCapabilities: 32,
  /** Longest capability, in characters. */
  capabilityMaxLength: 128,
  /** Longest `version`, in characters. */
  versionMaxLength: 64,
  /** Longest endpoint `address`, in characters. */
  addressMaxLength: 255,
  /** Largest request body, in bytes. */
  maxBodyBytes: 64 * 1024,
});

/** Where a world can be reached. */
export interface Endpoint {
  /** Host name or IP address. */
  address: string;
  /** TCP port, 1–65535. */
  port: number;
  /** Transport, e.g. `"tcp"`. */
  transport?: string;
  /** Lower is preferred. */
  priority?: number;
  /** Seconds the endpoint may be cached. */
  ttl?: number;
}

/** The fields of an announce that a world chooses. */
export interface AnnounceFields {
  /** Display name, at most 128 characters. */
  alias: string;
  /** The world software's version. */
  version?: string;
  /** Where the world is reached; at most 16. */
  endpoints: Endpoint[];
  /** Capabilities such as `world:<worldId>`; at most 32 of ≤ 128 characters. */
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
 * Builds and signs an announce body.
 *
 * @example
 * ```ts
 * import { createAnnounce, generateIdentity } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const body = await createAnnounce(identity, {
 *   alias: "Pixel City",
 *   endpoints: [{ address: "203.0.113.7", port: 8099, transport: "tcp" }],
 *   capabilities: ["world:pixel-city"],
 * });
 * console.log(body.from === identity.agentId); // true
 * ```
 *
 * @param identity The world's identity.
 * @param fields What to announce.
 * @param timestamp Signing time in ms; default `Date.now()`.
 */
export async function createAnnounce(
  identity: Identity,
  fields: AnnounceFields,
  timestamp: number = Date.now(),
): Promise<AnnounceBody> {
  const unsigned: Omit<AnnounceBody, "signature"> = {
    from: identity.agentId,
    publicKey: identity.publicKeyB64,
    alias: fields.alias,
    ...(fields.version === undefined ? {} : { version: fields.version }),
    endpoints: fields.endpoints,
    capabilities: fields.capabilities,
    timestamp,
  };
  const signature = await signWithDomainSeparator(DOMAIN_SEPARATORS.ANNOUNCE, unsigned, identity);
  return { ...unsigned, signature };
}

function checkEndpoint(value: unknown, index: number): string | undefined {
  const field = `endpoints[${index}]`;
  if (!isRecord(value)) return `${field} must be an object`;
  const address = checkString(value.address, `${field}.address`, ANNOUNCE_LIMITS.addressMaxLength);
  if (address) return address;
  const port = value.port;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    return `${field}.port must be an integer from 1 to 65535`;
  }
  const transport = checkString(value.transport, `${field}.transport`, 32, { required: false });
  if (transport) return transport;
  for (const key of ["priority", "ttl"] as const) {
    const n = value[key];
    if (n !== undefined && (typeof n !== "number" || !Number.isFinite(n))) {
      return `${field}.${key} must be a number`;
    }
  }
  return undefined;
}

/**
 * Checks the shape of an announce body (types, required fields, limits). It
 * does not verify the signature: see {@linkcode verifyAnnounceSignature}.
 *
 * @example
 * ```ts
 * import { parseAnnounce } from "@agentworlds/sdk/protocol";
 * const result = parseAnnounce({ alias: 7 });
 * console.log(result.ok ? "valid" : result.error); // "missing field: from"
 * ```
 *
 * @returns The typed body, or an error that names the offending field.
 */
export function parseAnnounce(value: unknown): Parsed<AnnounceBody> {
  if (!isRecord(value)) return { ok: false, error: "body must be a JSON object" };
  const error = checkString(value.from, "from", 128) ??
    checkString(value.publicKey, "publicKey", 64) ??
    checkString(value.alias, "alias", ANNOUNCE_LIMITS.aliasMaxLength) ??
    checkString(value.version, "version", ANNOUNCE_LIMITS.versionMaxLength, { required: false }) ??
    checkTimestamp(value.timestamp, "timestamp") ??
    checkString(value.signature, "signature", 128) ??
    checkList(value.endpoints, "endpoints", ANNOUNCE_LIMITS.maxEndpoints, checkEndpoint) ??
    checkList(
      value.capabilities,
      "capabilities",
      ANNOUNCE_LIMITS.maxCapabilities,
      (item, i) => checkString(item, `capabilities[${i}]`, ANNOUNCE_LIMITS.capabilityMaxLength),
    );
  if (error) return { ok: false, error };
  return { ok: true, value: value as unknown as AnnounceBody };
}

function checkList(
  value: unknown,
  field: string,
  max: number,
  check: (item: unknown, index: number) => string | undefined,
): string | undefined {
  if (value === undefined) return `missing field: ${field}`;
  if (!Array.isArray(value)) return `${field} must be an array`;
  if (value.length > max) return `${field} must have at most ${max} entries`;
  for (let i = 0; i < value.length; i++) {
    const error = check(value[i], i);
    if (error) return error;
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
 * Verifies an announce's body signature and that `from` is the agent id of
 * `publicKey`. Never throws.
 *
 * @example
 * ```ts
 * import { createAnnounce, generateIdentity, verifyAnnounceSignature } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const body = await createAnnounce(identity, { alias: "A", endpoints: [], capabilities: [] });
 * await verifyAnnounceSignature(body); // true
 * await verifyAnnounceSignature({ ...body, alias: "B" }); // false
 * ```
 *
 * @param body The parsed announce body, as received (unknown fields kept).
 */
export async function verifyAnnounceSignature(body: AnnounceBody): Promise<boolean> {
  if (!await isAgentIdOf(body.from, body.publicKey)) return false;
  return await verifyWithDomainSeparator(
    DOMAIN_SEPARATORS.ANNOUNCE,
    body.publicKey,
    announceSigningPayload(body as unknown as Record<string, unknown>),
    body.signature,
  );
}
