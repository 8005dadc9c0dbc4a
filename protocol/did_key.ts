/**
 * `did:key` identifiers for Ed25519 public keys (multicodec `0xed01`,
 * base58btc multibase).
 *
 * @module
 */
import { fromBase64, toBase64 } from "./_bytes.ts";

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

function fromBase58btc(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (const char of text) {
    let carry = ALPHABET.indexOf(char);
    if (carry < 0) return undefined;
    for (let i = 0; i < bytes.length; i++) {
      carry += bytes[i] * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (let i = 0; i < text.length && text[i] === "1"; i++) bytes.push(0);
  return Uint8Array.from(bytes.reverse());
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

/**
 * The base64 Ed25519 public key of a `publicKeyMultibase` (`z` + base58btc
 * of the `0xed01` multicodec prefix and the 32-byte key), or `undefined`
 * when it is not one. The inverse of {@linkcode toPublicKeyMultibase}.
 *
 * @example
 * ```ts
 * import { publicKeyFromMultibase } from "@agentworlds/sdk/protocol";
 * publicKeyFromMultibase("z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw");
 * // "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
 * publicKeyFromMultibase("z1111"); // undefined
 * ```
 */
export function publicKeyFromMultibase(multibase: unknown): string | undefined {
  // 34 bytes are at most 47 base58 characters; anything longer is not a key.
  if (typeof multibase !== "string" || multibase[0] !== "z" || multibase.length > 64) {
    return undefined;
  }
  const bytes = fromBase58btc(multibase.slice(1));
  if (
    !bytes || bytes.length !== 34 || bytes[0] !== ED25519_PUB_MULTICODEC[0] ||
    bytes[1] !== ED25519_PUB_MULTICODEC[1]
  ) {
    return undefined;
  }
  return toBase64(bytes.subarray(2));
}
