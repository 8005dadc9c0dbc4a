/**
 * The signed agent card an AgentWorld node serves at
 * `/.well-known/agent.json`: an A2A-style card with an
 * `extensions.agentworld` block naming its key, signed as a JWS.
 *
 * The JWS signing input is `protected + "." + base64url(AGENT_CARD separator
 * + canonical JSON of the card without "signatures")`; the card is served
 * as canonical JSON with `signatures: [{protected, signature}]` (base64url,
 * detached payload), byte for byte what was signed.
 *
 * @module
 */
import { fromBase64, fromBase64Url, toBase64Url, utf8 } from "./_bytes.ts";
import { importVerifyKey, verifyBytes } from "./_ed25519.ts";
import { isRecord } from "./_validate.ts";
import { canonicalize } from "./canonical_json.ts";
import { deriveDidKey, publicKeyFromMultibase, toPublicKeyMultibase } from "./did_key.ts";
import { DEFAULT_KEY_ID, HTTP_SIGNATURE_HEADERS } from "./http_signature.ts";
import { agentIdFromPublicKey, type Identity } from "./identity.ts";
import { JWS_PROTECTED_HEADER } from "./key_rotation.ts";
import { separatorsFor } from "./separators.ts";
import { isSupportedVersion, PROTOCOL_VERSION, type ProtocolVersion } from "./version.ts";

/** The path a node serves its card at. */
export const AGENT_CARD_PATH = "/.well-known/agent.json";

/** What goes into a card besides the node's key. */
export interface AgentCardOptions {
  /** Human-readable name. */
  name: string;
  /** The card's own public URL, e.g. `https://gw.example.org/.well-known/agent.json`. */
  cardUrl: string;
  /** A description. Default: none. */
  description?: string;
  /** An A2A JSON-RPC endpoint. Default: none. */
  rpcUrl?: string;
  /** AgentWorld profiles declared. Default: `["core"]`. */
  profiles?: string[];
  /** Conformance node class. Default: `"CoreNode"`. */
  nodeClass?: string;
  /** Conformance capabilities. Default: the five AgentWorld core capabilities. */
  capabilities?: string[];
  /** The protocol version the card declares and is signed under. Default: `"1.2"`. */
  version?: ProtocolVersion;
}

const CORE_CAPABILITIES = [
  "signed-card-jws",
  "signed-http-requests",
  "signed-http-responses",
  "tofu-key-binding",
  "domain-separated-signatures",
];

function jwsSigningInput(protectedHeader: string, version: ProtocolVersion, card: unknown) {
  const payload = utf8.encode(separatorsFor(version).AGENT_CARD + canonicalize(card));
  return utf8.encode(`${protectedHeader}.${toBase64Url(payload)}`);
}

/**
 * Builds and signs a node's agent card; returns the exact text to serve as
 * `application/json`.
 *
 * @example
 * ```ts
 * import { buildAgentCard, generateIdentity, verifyAgentCard } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const card = await buildAgentCard(identity, {
 *   name: "AgentWorlds gateway",
 *   cardUrl: "https://gw.example.org/.well-known/agent.json",
 *   version: "1.6",
 * });
 * await verifyAgentCard(card, identity.publicKeyB64); // true
 * ```
 *
 * @throws {UnsupportedVersionError} When `options.version` is not spoken here.
 */
export async function buildAgentCard(
  identity: Identity,
  options: AgentCardOptions,
): Promise<string> {
  const version = options.version ?? PROTOCOL_VERSION;
  const profiles = options.profiles ?? ["core"];
  const publicKeyMultibase = toPublicKeyMultibase(identity.publicKeyB64);
  const card = {
    id: options.cardUrl,
    name: options.name,
    ...(options.description ? { description: options.description } : {}),
    ...(options.rpcUrl ? { a2a: { rpcUrl: options.rpcUrl } } : {}),
    extensions: {
      agentworld: {
        version,
        agentId: identity.agentId,
        identityMode: "direct",
        identity: {
          did: deriveDidKey(identity.publicKeyB64),
          kid: DEFAULT_KEY_ID,
          alg: "Ed25519",
          publicKeyMultibase,
        },
        requestSigning: { headers: Object.values(HTTP_SIGNATURE_HEADERS) },
        profiles,
        conformance: {
          nodeClass: options.nodeClass ?? "CoreNode",
          profiles: profiles.map((id) => ({ id, required: id === "core" })),
          capabilities: options.capabilities ?? CORE_CAPABILITIES,
        },
      },
    },
  };
  const signature = await identity.sign(jwsSigningInput(JWS_PROTECTED_HEADER, version, card));
  return canonicalize({
    ...card,
    signatures: [{ protected: JWS_PROTECTED_HEADER, signature: toBase64Url(signature) }],
  });
}

/**
 * Verifies a signed agent card under the separator of the version it
 * declares. With `publicKeyB64`, the card must be signed by that key; without
 * it, by the key the card names, whose agent id must be the card's `agentId`.
 * Never throws.
 *
 * @example
 * ```ts
 * import { buildAgentCard, generateIdentity, verifyAgentCard } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const card = await buildAgentCard(identity, { name: "A", cardUrl: "http://a.test/.well-known/agent.json" });
 * await verifyAgentCard(card); // true: self-consistent
 * await verifyAgentCard(card.replace('"name":"A"', '"name":"B"')); // false
 * ```
 *
 * @param cardJson The card as served.
 * @param publicKeyB64 The key it must be signed by. Default: the key the card names.
 */
export async function verifyAgentCard(cardJson: string, publicKeyB64?: string): Promise<boolean> {
  let card: unknown;
  try {
    card = JSON.parse(cardJson);
  } catch {
    return false;
  }
  if (!isRecord(card) || !Array.isArray(card.signatures) || !isRecord(card.signatures[0])) {
    return false;
  }
  const { signatures, ...unsigned } = card;
  const { protected: protectedHeader, signature } = signatures[0] as Record<string, unknown>;
  const agentworld = isRecord(unsigned.extensions) && isRecord(unsigned.extensions.agentworld)
    ? unsigned.extensions.agentworld
    : undefined;
  if (!agentworld || !isSupportedVersion(agentworld.version)) return false;
  if (typeof protectedHeader !== "string" || !/^[A-Za-z0-9_-]+$/.test(protectedHeader)) {
    return false;
  }
  let key = publicKeyB64;
  if (key === undefined) {
    const named = isRecord(agentworld.identity)
      ? publicKeyFromMultibase(agentworld.identity.publicKeyMultibase)
      : undefined;
    if (!named || agentworld.agentId !== await agentIdFromPublicKey(named)) return false;
    key = named;
  }
  const raw = fromBase64(key);
  const signatureBytes = fromBase64Url(signature);
  if (!raw || raw.length !== 32 || !signatureBytes) return false;
  try {
    const input = jwsSigningInput(protectedHeader, agentworld.version, unsigned);
    return await verifyBytes(await importVerifyKey(raw), input, signatureBytes);
  } catch {
    return false;
  }
}
