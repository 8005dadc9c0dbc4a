/**
 * Agent identity: an Ed25519 key pair and the `agentId` derived from it.
 *
 * @module
 */
import { fromBase64, sha256, toBase64, toHex } from "./_bytes.ts";
import { signingKeyFromSeed } from "./_ed25519.ts";

/** The prefix of every agent id: the hash algorithm of the key fingerprint. */
export const AGENT_ID_PREFIX = "aw:sha256:";

/** An agent id: `aw:sha256:` and 64 lowercase hex digits. */
export const AGENT_ID_PATTERN: RegExp = /^aw:sha256:[0-9a-f]{64}$/;

/**
 * Whether a value has the form of an agent id (it says nothing of a key).
 *
 * @example
 * ```ts
 * import { isAgentId } from "@agentworlds/sdk/protocol";
 * isAgentId("aw:sha256:" + "0".repeat(64)); // true
 * isAgentId("pixel-city"); // false
 * ```
 */
export function isAgentId(value: unknown): value is string {
  return typeof value === "string" && AGENT_ID_PATTERN.test(value);
}

/**
 * The agent id in a path segment, percent-encoded (`aw%3Asha256%3A…`, as
 * AgentWorld 1.4+ SDKs send it) or not; `undefined` when it is not one.
 *
 * @example
 * ```ts
 * import { agentIdFromPathSegment } from "@agentworlds/sdk/protocol";
 * const id = "aw:sha256:" + "ab".repeat(32);
 * agentIdFromPathSegment(encodeURIComponent(id)) === id; // true
 * agentIdFromPathSegment(id) === id; // true
 * agentIdFromPathSegment("%E0%A4%A"); // undefined
 * ```
 */
export function agentIdFromPathSegment(segment: string): string | undefined {
  if (AGENT_ID_PATTERN.test(segment)) return segment;
  if (segment.length > 3 * 74) return undefined;
  try {
    const decoded = decodeURIComponent(segment);
    return isAgentId(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/** An agent's signing identity. The private key never leaves it. */
export interface Identity {
  /** `aw:sha256:` + hex SHA-256 of the raw public key. */
  readonly agentId: string;
  /** Base64 of the raw 32-byte Ed25519 public key. */
  readonly publicKeyB64: string;
  /** The raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** Signs raw bytes; prefer `signWithDomainSeparator` for protocol payloads. */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/**
 * Derives the agent id of a public key: `aw:sha256:` + the lowercase hex
 * SHA-256 of the raw 32-byte key.
 *
 * @example
 * ```ts
 * import { agentIdFromPublicKey } from "@agentworlds/sdk/protocol";
 * await agentIdFromPublicKey("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
 * // "aw:sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"
 * ```
 *
 * @param publicKeyB64 Base64 of the raw 32-byte public key.
 * @throws {TypeError} When the key is not 32 bytes of base64.
 */
export async function agentIdFromPublicKey(publicKeyB64: string): Promise<string> {
  const cached = agentIdCache.get(publicKeyB64);
  if (cached !== undefined) return cached;
  const raw = fromBase64(publicKeyB64);
  if (!raw || raw.length !== 32) {
    throw new TypeError("publicKeyB64 must be the base64 of a 32-byte Ed25519 key");
  }
  const agentId = AGENT_ID_PREFIX + toHex(await sha256(raw));
  if (agentIdCache.size >= AGENT_ID_CACHE_LIMIT) {
    agentIdCache.delete(agentIdCache.keys().next().value!);
  }
  agentIdCache.set(publicKeyB64, agentId);
  return agentId;
}

// Agent ids of recent keys (up to 10,000, oldest dropped first): a gateway
// checks an announce's key against its id more than once, and worlds
// re-announce with the same key. SHA-256 through WebCrypto is an async op
// that costs more than the hash itself.
const AGENT_ID_CACHE_LIMIT = 10_000;
const agentIdCache = new Map<string, string>();

/**
 * Whether `agentId` is the agent id of `publicKeyB64`: the binding every
 * signed message's `from` must satisfy. `false`, never a throw, for a key
 * that is not 32 bytes of base64.
 *
 * @example
 * ```ts
 * import { isAgentIdOf } from "@agentworlds/sdk/protocol";
 * await isAgentIdOf(
 *   "aw:sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9",
 *   "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
 * ); // true
 * ```
 */
export async function isAgentIdOf(agentId: string, publicKeyB64: string): Promise<boolean> {
  try {
    return agentId === await agentIdFromPublicKey(publicKeyB64);
  } catch {
    return false;
  }
}

/**
 * Builds an identity from a 32-byte Ed25519 seed (the RFC 8032 private key).
 * The same seed always gives the same keys and agent id.
 *
 * @example
 * ```ts
 * import { identityFromSeed } from "@agentworlds/sdk/protocol";
 * const identity = await identityFromSeed(new Uint8Array(32).fill(7));
 * console.log(identity.agentId.startsWith("aw:sha256:")); // true
 * ```
 *
 * @param seed Exactly 32 bytes.
 * @throws {TypeError} When the seed is not 32 bytes.
 */
export async function identityFromSeed(seed: Uint8Array): Promise<Identity> {
  const key = await signingKeyFromSeed(seed);
  const publicKeyB64 = toBase64(key.publicKey);
  return Object.freeze({
    agentId: await agentIdFromPublicKey(publicKeyB64),
    publicKeyB64,
    publicKey: key.publicKey,
    sign: key.sign,
  });
}

/**
 * Creates a fresh identity from a random seed. It is not saved anywhere: use
 * {@linkcode loadOrCreateIdentity} for one that survives restarts.
 *
 * @example
 * ```ts
 * import { generateIdentity } from "@agentworlds/sdk/protocol";
 * const guest = await generateIdentity();
 * console.log(guest.publicKeyB64.length); // 44
 * ```
 */
export function generateIdentity(): Promise<Identity> {
  return identityFromSeed(crypto.getRandomValues(new Uint8Array(32)));
}

/** The JSON stored by {@linkcode loadOrCreateIdentity}. */
interface IdentityFile {
  version: 1;
  seed: string;
  publicKey: string;
  agentId: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Loads the identity stored as `<dataDir>/<name>.identity.json`, or creates
 * one there (mode 0600, the directory created as needed) when the file does
 * not exist. A file that exists but is malformed, or whose key does not match
 * its recorded agent id, is an error: it is never silently replaced, since
 * that would change who this agent is.
 *
 * @example
 * ```ts ignore
 * import { loadOrCreateIdentity } from "@agentworlds/sdk/protocol";
 * const identity = await loadOrCreateIdentity("./data", "world");
 * console.log(identity.agentId);
 * ```
 *
 * @param dataDir Directory that holds identity files.
 * @param name File name stem: letters, digits, `.`, `_`, `-`.
 * @throws {Error} When the file is unreadable or malformed.
 */
export async function loadOrCreateIdentity(dataDir: string, name: string): Promise<Identity> {
  if (!NAME.test(name)) throw new TypeError(`invalid identity name: ${JSON.stringify(name)}`);
  const path = `${dataDir.replace(/\/+$/, "") || "."}/${name}.identity.json`;
  let text: string | undefined;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (text !== undefined) return await parseIdentityFile(path, text);

  await Deno.mkdir(dataDir, { recursive: true });
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const identity = await identityFromSeed(seed);
  const file: IdentityFile = {
    version: 1,
    seed: toBase64(seed),
    publicKey: identity.publicKeyB64,
    agentId: identity.agentId,
  };
  try {
    // createNew: two processes starting at once must not both win.
    await Deno.writeTextFile(path, JSON.stringify(file, null, 2) + "\n", {
      createNew: true,
      mode: 0o600,
    });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      return await parseIdentityFile(path, await Deno.readTextFile(path));
    }
    throw error;
  }
  return identity;
}

async function parseIdentityFile(path: string, text: string): Promise<Identity> {
  const fail = (why: string) =>
    new Error(`identity file ${path} is malformed (${why}); fix or remove it by hand`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw fail("not JSON");
  }
  if (typeof data !== "object" || data === null) throw fail("not an object");
  const { seed, agentId } = data as Partial<IdentityFile>;
  const raw = fromBase64(seed);
  if (!raw || raw.length !== 32) throw fail("seed is not 32 bytes of base64");
  const identity = await identityFromSeed(raw);
  if (agentId !== undefined && agentId !== identity.agentId) {
    throw fail("agentId does not match the seed");
  }
  return identity;
}
