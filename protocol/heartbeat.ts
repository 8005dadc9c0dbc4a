/**
 * The heartbeat: the tiny signed message that keeps a lease alive, in the
 * two generations of the protocol.
 *
 * - **Legacy** (1.2, 1.3; `POST /peer/heartbeat`): `{agentId, ts, signature}`,
 *   signed over `{agentId, ts}`.
 * - **Resource style** (1.4+): `{ts, signature}`; the id is in the path.
 *   `POST /worlds/{aw id}/heartbeat` signs `{worldId, ts}` and
 *   `POST /agents/{aw id}/heartbeat` signs `{agentId, ts}`.
 *
 * Either is signed under `"aw:hb:"` (this project's, valid in every
 * version) or the version's `"AgentWorld-Heartbeat-<v>\0"` (upstream
 * SDKs'). A heartbeat carries no version: a gateway verifies it with the
 * version its lease was announced with.
 *
 * @module
 */
import { parseStamp } from "./_stamp.ts";
import { checkString, checkTimestamp, isRecord, type Parsed } from "./_validate.ts";
import type { Identity } from "./identity.ts";
import { separatorsFor, SHORT_HEARTBEAT_SEPARATOR } from "./separators.ts";
import { signWithDomainSeparator, type VerifyKey, verifyWithKey } from "./signing.ts";
import { PROTOCOL_VERSION, type ProtocolVersion } from "./version.ts";

/** A signed heartbeat in the legacy shape, or a resource-style one with its path id filled in. */
export interface Heartbeat {
  /** The sender's agent id (for a resource-style heartbeat: the id from the path). */
  agentId: string;
  /** Milliseconds since the epoch; must increase with every heartbeat. */
  ts: number;
  /** Base64 signature over `{agentId, ts}` (or `{worldId, ts}`). */
  signature: string;
}

/** A resource-style (1.4+) heartbeat body: the id is in the path. */
export interface ResourceHeartbeat {
  /** Milliseconds since the epoch; must increase with every heartbeat. */
  ts: number;
  /** Base64 signature over `{worldId, ts}` or `{agentId, ts}`. */
  signature: string;
}

/**
 * Which separator a heartbeat is signed under: `"short"` is `"aw:hb:"`,
 * `"versioned"` is the version's `"AgentWorld-Heartbeat-<v>\0"`, which
 * upstream gateways require.
 */
export type HeartbeatSeparator = "short" | "versioned";

/** The name the id has in the signed payload: `worldId` for `/worlds/{id}/heartbeat`, else `agentId`. */
export type HeartbeatIdField = "agentId" | "worldId";

/** How a heartbeat is signed. */
export interface HeartbeatSigningOptions {
  /** The protocol version (picks the versioned separator). Default: `"1.2"`. */
  version?: ProtocolVersion;
  /** Which separator to sign under. Default: `"short"` (`"aw:hb:"`). */
  separator?: HeartbeatSeparator;
}

/**
 * The separator a heartbeat is signed under.
 *
 * @example
 * ```ts
 * import { heartbeatSeparator } from "@agentworlds/sdk/protocol";
 * heartbeatSeparator("1.6", "versioned"); // "AgentWorld-Heartbeat-1.6\0"
 * heartbeatSeparator("1.6", "short"); // "aw:hb:"
 * ```
 *
 * @throws {UnsupportedVersionError} When `version` is not spoken here.
 */
export function heartbeatSeparator(
  version: ProtocolVersion = PROTOCOL_VERSION,
  separator: HeartbeatSeparator = "short",
): string {
  const versioned = separatorsFor(version).HEARTBEAT;
  return separator === "short" ? SHORT_HEARTBEAT_SEPARATOR : versioned;
}

function payload(idField: HeartbeatIdField, id: string, ts: number): Record<string, unknown> {
  return idField === "worldId" ? { worldId: id, ts } : { agentId: id, ts };
}

/**
 * Signs a legacy heartbeat (`POST /peer/heartbeat`).
 *
 * @example
 * ```ts
 * import { createHeartbeat, generateIdentity } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const heartbeat = await createHeartbeat(identity, Date.now());
 * console.log(Object.keys(heartbeat)); // ["agentId", "ts", "signature"]
 * const upstream13 = await createHeartbeat(identity, Date.now(), { version: "1.3", separator: "versioned" });
 * ```
 *
 * @param identity The sender's identity.
 * @param ts The heartbeat time in ms; must be newer than the last one sent.
 * @param options The version and separator. Default: 1.2, `"aw:hb:"`.
 * @throws {UnsupportedVersionError} When `options.version` is not spoken here.
 */
export async function createHeartbeat(
  identity: Identity,
  ts: number,
  options: HeartbeatSigningOptions = {},
): Promise<Heartbeat> {
  const signature = await signWithDomainSeparator(
    heartbeatSeparator(options.version, options.separator),
    payload("agentId", identity.agentId, ts),
    identity,
  );
  return { agentId: identity.agentId, ts, signature };
}

/**
 * Signs a resource-style heartbeat body (1.4+): `{ts, signature}`, over
 * `{worldId, ts}` for `POST /worlds/{aw id}/heartbeat` or `{agentId, ts}`
 * for `POST /agents/{aw id}/heartbeat`; the id is the sender's agent id.
 *
 * @example
 * ```ts
 * import { createResourceHeartbeat, generateIdentity } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const body = await createResourceHeartbeat(identity, Date.now(), {
 *   idField: "worldId",
 *   version: "1.6",
 *   separator: "versioned",
 * });
 * console.log(Object.keys(body)); // ["ts", "signature"]
 * ```
 *
 * @throws {UnsupportedVersionError} When `options.version` is not spoken here.
 */
export async function createResourceHeartbeat(
  identity: Identity,
  ts: number,
  options: HeartbeatSigningOptions & {
    /** Which route: `"worldId"` for worlds, `"agentId"` for other agents. Default: `"worldId"`. */
    idField?: HeartbeatIdField;
  } = {},
): Promise<ResourceHeartbeat> {
  const signature = await signWithDomainSeparator(
    heartbeatSeparator(options.version, options.separator),
    payload(options.idField ?? "worldId", identity.agentId, ts),
    identity,
  );
  return { ts, signature };
}

/**
 * Checks the shape of a legacy heartbeat body. Returns a fresh object with
 * the three fields only, so nothing else a sender put in rides along.
 *
 * @example
 * ```ts
 * import { parseHeartbeat } from "@agentworlds/sdk/protocol";
 * const result = parseHeartbeat({ agentId: "aw:sha256:00", ts: "soon" });
 * console.log(result.ok ? "valid" : result.error);
 * ```
 */
export function parseHeartbeat(value: unknown): Parsed<Heartbeat> {
  return parseStamp(value);
}

/**
 * Checks the shape of a resource-style heartbeat body and joins it with the
 * id taken from the path, ready for {@linkcode verifyHeartbeat}.
 *
 * @example
 * ```ts
 * import { parseResourceHeartbeat } from "@agentworlds/sdk/protocol";
 * const result = parseResourceHeartbeat({ ts: 1, signature: "x" }, "aw:sha256:00");
 * console.log(result.ok && result.value); // { agentId: "aw:sha256:00", ts: 1, signature: "x" }
 * ```
 *
 * @param value The decoded JSON body.
 * @param pathId The id from the path, already percent-decoded.
 */
export function parseResourceHeartbeat(value: unknown, pathId: string): Parsed<Heartbeat> {
  if (!isRecord(value)) return { ok: false, error: "body must be a JSON object" };
  const error = checkTimestamp(value.ts, "ts") ?? checkString(value.signature, "signature", 128);
  if (error) return { ok: false, error };
  return {
    ok: true,
    value: { agentId: pathId, ts: value.ts as number, signature: value.signature as string },
  };
}

/** How a heartbeat is verified. */
export interface HeartbeatVerifyOptions {
  /** The version the lease was announced with (picks the versioned separator). Default: `"1.2"`. */
  version?: ProtocolVersion;
  /** The id's name in the signed payload. Default: `"agentId"`. */
  idField?: HeartbeatIdField;
}

/**
 * Verifies a heartbeat with the sender's imported key, under `"aw:hb:"` or
 * the lease version's AgentWorld heartbeat separator. Never throws.
 *
 * A key remembers the separator it last verified under and tries it first,
 * so a heartbeat costs one signature check whichever kind a world sends.
 *
 * @example
 * ```ts
 * import { createHeartbeat, generateIdentity, importPublicKey, verifyHeartbeat } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const key = (await importPublicKey(identity.publicKeyB64))!;
 * await verifyHeartbeat(await createHeartbeat(identity, 1), key); // true
 * const h13 = await createHeartbeat(identity, 2, { version: "1.3", separator: "versioned" });
 * await verifyHeartbeat(h13, key, { version: "1.3" }); // true
 * await verifyHeartbeat(h13, key, { version: "1.2" }); // false: another version's separator
 * ```
 */
export async function verifyHeartbeat(
  heartbeat: Heartbeat,
  key: VerifyKey,
  options: HeartbeatVerifyOptions = {},
): Promise<boolean> {
  let versioned: string;
  try {
    versioned = separatorsFor(options.version ?? PROTOCOL_VERSION).HEARTBEAT;
  } catch {
    return false;
  }
  const signed = payload(options.idField ?? "agentId", heartbeat.agentId, heartbeat.ts);
  const last = lastSeparator.get(key);
  const first = last === versioned ? versioned : SHORT_HEARTBEAT_SEPARATOR;
  const second = first === versioned ? SHORT_HEARTBEAT_SEPARATOR : versioned;
  if (await verifyWithKey(first, key, signed, heartbeat.signature)) {
    if (last !== undefined && last !== first) lastSeparator.delete(key);
    return true;
  }
  if (await verifyWithKey(second, key, signed, heartbeat.signature)) {
    if (second === SHORT_HEARTBEAT_SEPARATOR) lastSeparator.delete(key);
    else lastSeparator.set(key, second);
    return true;
  }
  return false;
}

// The AgentWorld heartbeat separator a key last verified under; a key not
// here tries "aw:hb:" first.
const lastSeparator = new WeakMap<VerifyKey, string>();
