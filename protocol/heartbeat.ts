/**
 * The heartbeat: the tiny signed message that keeps a world's lease alive.
 *
 * `{agentId, ts, signature}`, the signature over `{agentId, ts}` under
 * `"aw:hb:"` (AgentWorld 1.2 worlds use `"AgentWorld-Heartbeat-1.2\0"`,
 * which gateways also accept).
 *
 * @module
 */
import { checkString, checkTimestamp, isRecord, type Parsed } from "./_validate.ts";
import type { Identity } from "./identity.ts";
import { AGENTWORLD_HEARTBEAT_SEPARATOR, DOMAIN_SEPARATORS } from "./separators.ts";
import { signWithDomainSeparator, type VerifyKey, verifyWithKey } from "./signing.ts";

/** A signed heartbeat. */
export interface Heartbeat {
  /** The world's agent id. */
  agentId: string;
  /** Milliseconds since the epoch; must increase with every heartbeat. */
  ts: number;
  /** Base64 signature over `{agentId, ts}`. */
  signature: string;
}

/**
 * Signs a heartbeat.
 *
 * @example
 * ```ts
 * import { createHeartbeat, generateIdentity } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const heartbeat = await createHeartbeat(identity, Date.now());
 * console.log(Object.keys(heartbeat)); // ["agentId", "ts", "signature"]
 * ```
 *
 * @param identity The world's identity.
 * @param ts The heartbeat time in ms; must be newer than the last one sent.
 */
export async function createHeartbeat(identity: Identity, ts: number): Promise<Heartbeat> {
  const signature = await signWithDomainSeparator(
    DOMAIN_SEPARATORS.HEARTBEAT,
    { agentId: identity.agentId, ts },
    identity,
  );
  return { agentId: identity.agentId, ts, signature };
}

/**
 * Checks the shape of a heartbeat body.
 *
 * @example
 * ```ts
 * import { parseHeartbeat } from "@agentworlds/sdk/protocol";
 * const result = parseHeartbeat({ agentId: "aw:sha256:00", ts: "soon" });
 * console.log(result.ok ? "valid" : result.error);
 * ```
 */
export function parseHeartbeat(value: unknown): Parsed<Heartbeat> {
  if (!isRecord(value)) return { ok: false, error: "body must be a JSON object" };
  const error = checkString(value.agentId, "agentId", 128) ??
    checkTimestamp(value.ts, "ts") ??
    checkString(value.signature, "signature", 128);
  if (error) return { ok: false, error };
  return {
    ok: true,
    value: {
      agentId: value.agentId as string,
      ts: value.ts as number,
      signature: value.signature as string,
    },
  };
}

/**
 * Verifies a heartbeat with the world's imported key, under `"aw:hb:"` or the
 * AgentWorld 1.2 heartbeat separator. Never throws.
 *
 * @example
 * ```ts
 * import { createHeartbeat, generateIdentity, importPublicKey, verifyHeartbeat } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const key = (await importPublicKey(identity.publicKeyB64))!;
 * await verifyHeartbeat(await createHeartbeat(identity, 1), key); // true
 * ```
 */
export async function verifyHeartbeat(heartbeat: Heartbeat, key: VerifyKey): Promise<boolean> {
  const payload = { agentId: heartbeat.agentId, ts: heartbeat.ts };
  // A key whose last heartbeat verified under the 1.2 separator tries that
  // one first, so a 1.2 world's heartbeat costs one verify, not two.
  const agentWorldFirst = agentWorldSeparatorKeys.has(key);
  const separators = agentWorldFirst
    ? [AGENTWORLD_HEARTBEAT_SEPARATOR, DOMAIN_SEPARATORS.HEARTBEAT]
    : [DOMAIN_SEPARATORS.HEARTBEAT, AGENTWORLD_HEARTBEAT_SEPARATOR];
  for (const separator of separators) {
    if (await verifyWithKey(separator, key, payload, heartbeat.signature)) {
      const agentWorld = separator === AGENTWORLD_HEARTBEAT_SEPARATOR;
      if (agentWorld && !agentWorldFirst) agentWorldSeparatorKeys.add(key);
      if (!agentWorld && agentWorldFirst) agentWorldSeparatorKeys.delete(key);
      return true;
    }
  }
  return false;
}

// Keys whose last heartbeat verified under the AgentWorld 1.2 separator.
const agentWorldSeparatorKeys = new WeakSet<VerifyKey>();
