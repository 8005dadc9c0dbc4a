/**
 * `did:key` identifiers for Ed25519 public keys (multicodec `0xed01`,
 * base58btc multibase).
 *
 * @module
 */
import { fromBase64 } from "./_bytes.ts";

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const ED25519_PUB_MULTICODEC = [0xed, 0x01];

function base58btc(bytes: Uint8Array): string {
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += digits[i] << 8;
      digits[i] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let out = "";
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) out += "1";
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i]];
  return out;
}

function rawKey(publicKeyB64: string): Uint8Array {
  const raw = fromBase64(publicKeyB64);
  if (!raw || raw.length !== 32) {
    throw new TypeError("publicKeyB64 must be the base64 of a 32-byte Ed25519 key");
  }
  return raw;
}

/**
 * The multibase (`z` + base58btc) form of an Ed25519 public key with its
 * multicodec prefix, as used in `publicKeyMultibase` of DID documents.
 *
 * @example
 * ```ts
 * import { toPublicKeyMultibase } from "@agentworlds/sdk/protocol";
 * toPublicKeyMultibase("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
 * // "z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
 * ```
 *
 * @param publicKeyB64 Base64 of the raw 32-byte public key.
 * @throws {TypeError} When the key is not 32 bytes of base64.
 */
export function toPublicKeyMultibase(publicKeyB64: string): string {
  const raw = rawKey(publicKeyB64);
  const prefixed = new Uint8Array(34);
  prefixed.set(ED25519_PUB_MULTICODEC);
  prefixed.set(raw, 2);
  return "z" + base58btc(prefixed);
}

/**
 * The `did:key` identifier of an Ed25519 public key.
 *
 * @example
 * ```ts
 * import { deriveDidKey } from "@agentworlds/sdk/protocol";
 * deriveDidKey("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
 * // "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
 * ```
 *
 * @param publicKeyB64 Base64 of the raw 32-byte public key.
 * @throws {TypeError} When the key is not 32 bytes of base64.
 */
export function deriveDidKey(publicKeyB64: string): string {
  return "did:key:" + toPublicKeyMultibase(publicKeyB64);
}
