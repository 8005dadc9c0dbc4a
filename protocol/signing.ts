/**
 * Domain-separated Ed25519 signatures over canonical JSON.
 *
 * `signature = Ed25519(separator + canonicalize(payload))`, base64-encoded.
 *
 * @module
 */
import { fromBase64, toBase64, utf8 } from "./_bytes.ts";
import { importVerifyKey, verifyBytes, type VerifyKey } from "./_ed25519.ts";
import { canonicalize } from "./canonical_json.ts";
import type { Identity } from "./identity.ts";

export type { VerifyKey } from "./_ed25519.ts";

/** The bytes that are signed: the separator followed by the canonical JSON. */
function signedMessage(separator: string, payload: unknown): Uint8Array {
  return utf8.encode(separator + canonicalize(payload));
}

/**
 * Signs `separator + canonicalize(payload)` and returns the base64 signature.
 *
 * @example
 * ```ts
 * import { DOMAIN_SEPARATORS, generateIdentity, signWithDomainSeparator } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const signature = await signWithDomainSeparator(
 *   DOMAIN_SEPARATORS.HEARTBEAT,
 *   { agentId: identity.agentId, ts: Date.now() },
 *   identity,
 * );
 * console.log(signature.length); // 88
 * ```
 *
 * @param separator One of `DOMAIN_SEPARATORS` (or the 1.2 heartbeat separator).
 * @param payload A JSON-compatible value.
 * @param identity The signer.
 */
export async function signWithDomainSeparator(
  separator: string,
  payload: unknown,
  identity: Pick<Identity, "sign">,
): Promise<string> {
  return toBase64(await identity.sign(signedMessage(separator, payload)));
}

// Imported public keys, so a peer's key is imported once and not per message.
const KEY_CACHE_LIMIT = 10_000;
const keyCache = new Map<string, Promise<VerifyKey | undefined>>();

/**
 * Imports a base64 public key for repeated verification; `undefined` when it
 * is not the base64 of 32 bytes. Keys are cached (up to 10,000, oldest
 * dropped first), so calling this per message is cheap.
 *
 * @example
 * ```ts
 * import { importPublicKey } from "@agentworlds/sdk/protocol";
 * const key = await importPublicKey("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
 * console.log(key !== undefined); // true
 * ```
 *
 * @param publicKeyB64 Base64 of the raw 32-byte key.
 */
export function importPublicKey(publicKeyB64: string): Promise<VerifyKey | undefined> {
  const cached = keyCache.get(publicKeyB64);
  if (cached) return cached;
  const raw = fromBase64(publicKeyB64);
  const imported = raw && raw.length === 32
    ? importVerifyKey(raw).catch(() => undefined)
    : Promise.resolve(undefined);
  if (raw) {
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(publicKeyB64, imported);
  }
  return imported;
}

/**
 * Verifies a domain-separated signature with an already imported key (see
 * {@linkcode importPublicKey}). Returns `false`, never throws, on a malformed
 * signature or a payload with no JSON form.
 *
 * @example
 * ```ts
 * import { DOMAIN_SEPARATORS, generateIdentity, importPublicKey, signWithDomainSeparator, verifyWithKey } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const payload = { agentId: identity.agentId, ts: 1 };
 * const signature = await signWithDomainSeparator(DOMAIN_SEPARATORS.HEARTBEAT, payload, identity);
 * const key = (await importPublicKey(identity.publicKeyB64))!;
 * await verifyWithKey(DOMAIN_SEPARATORS.HEARTBEAT, key, payload, signature); // true
 * ```
 */
export async function verifyWithKey(
  separator: string,
  key: VerifyKey,
  payload: unknown,
  signatureB64: unknown,
): Promise<boolean> {
  const signature = fromBase64(signatureB64);
  if (!signature || signature.length !== 64 || typeof separator !== "string") return false;
  let message: Uint8Array;
  try {
    message = signedMessage(separator, payload);
  } catch {
    return false;
  }
  return await verifyBytes(key, message, signature);
}

/**
 * Verifies `signatureB64` over `separator + canonicalize(payload)` with the
 * given public key. Returns `false` for a wrong key, a tampered payload, a
 * different separator, bad base64 or a truncated signature; it never throws.
 *
 * @example
 * ```ts
 * import { DOMAIN_SEPARATORS, generateIdentity, signWithDomainSeparator, verifyWithDomainSeparator } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const signature = await signWithDomainSeparator(DOMAIN_SEPARATORS.ANNOUNCE, { a: 1 }, identity);
 * await verifyWithDomainSeparator(DOMAIN_SEPARATORS.ANNOUNCE, identity.publicKeyB64, { a: 1 }, signature); // true
 * await verifyWithDomainSeparator(DOMAIN_SEPARATORS.MESSAGE, identity.publicKeyB64, { a: 1 }, signature); // false
 * ```
 *
 * @param separator The context the signature must have been made in.
 * @param publicKeyB64 Base64 of the signer's raw 32-byte key.
 * @param payload The signed JSON value.
 * @param signatureB64 Base64 of the 64-byte signature.
 */
export async function verifyWithDomainSeparator(
  separator: string,
  publicKeyB64: string,
  payload: unknown,
  signatureB64: string,
): Promise<boolean> {
  if (typeof publicKeyB64 !== "string") return false;
  const key = await importPublicKey(publicKeyB64);
  if (!key) return false;
  return await verifyWithKey(separator, key, payload, signatureB64);
}
