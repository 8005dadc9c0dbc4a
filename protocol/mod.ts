/**
 * The AgentWorld wire protocol, versions 1.2 to 1.6: domain separators,
 * canonical JSON, Ed25519 identities and signatures, HTTP signature headers,
 * the message shapes gateways and worlds exchange, their limits, and the one
 * function that applies the signed-request rules. No servers, no timers.
 *
 * @example Sign and verify a heartbeat
 * ```ts
 * import { createHeartbeat, generateIdentity, importPublicKey, verifyHeartbeat } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const heartbeat = await createHeartbeat(identity, Date.now());
 * const key = (await importPublicKey(identity.publicKeyB64))!;
 * console.log(await verifyHeartbeat(heartbeat, key)); // true
 * ```
 *
 * @example Speak AgentWorld 1.6
 * ```ts
 * import { generateIdentity, separatorsFor, signHttpRequest } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const headers = await signHttpRequest(identity, "POST", "gw.test", "/agents", "{}", { version: "1.6" });
 * console.log(headers["X-AgentWorld-Version"], JSON.stringify(separatorsFor("1.6").ANNOUNCE));
 * // 1.6 "AgentWorld-Announce-1.6\u0000"
 * ```
 *
 * @module
 */
export {
  isSupportedVersion,
  PROTOCOL_VERSION,
  type ProtocolVersion,
  requireVersion,
  SUPPORTED_PROTOCOL_VERSIONS,
  UnsupportedVersionError,
  unsupportedVersionMessage,
  type VersionFeatures,
  versionFeatures,
} from "./version.ts";
export {
  AGENTWORLD_HEARTBEAT_SEPARATOR,
  DEREGISTRATION_SEPARATOR,
  DOMAIN_SEPARATORS,
  type DomainSeparatorName,
  separatorsFor,
  SHORT_HEARTBEAT_SEPARATOR,
  type VersionSeparators,
} from "./separators.ts";
export { DEFAULTS } from "./defaults.ts";
export { ANNOUNCE_LIMITS, BODY_LIMITS } from "./limits.ts";
export { canonicalize } from "./canonical_json.ts";
export {
  AGENT_ID_PATTERN,
  AGENT_ID_PREFIX,
  agentIdFromPathSegment,
  agentIdFromPublicKey,
  generateIdentity,
  type Identity,
  identityFromSeed,
  isAgentId,
  isAgentIdOf,
  loadOrCreateIdentity,
} from "./identity.ts";
export { deriveDidKey, publicKeyFromMultibase, toPublicKeyMultibase } from "./did_key.ts";
export {
  importPublicKey,
  signWithDomainSeparator,
  type VerifyKey,
  verifyWithDomainSeparator,
  verifyWithKey,
} from "./signing.ts";
export {
  type Body,
  computeContentDigest,
  DEFAULT_KEY_ID,
  type HeaderSource,
  HTTP_SIGNATURE_HEADERS,
  type HttpSignatureResult,
  MAX_CLOCK_SKEW_MS,
  type SignatureHeaders,
  signHttpRequest,
  signHttpResponse,
  type SignOptions,
  verifyHttpRequestHeaders,
  verifyHttpResponseHeaders,
  type VerifyOptions,
} from "./http_signature.ts";
export {
  isValidWorldId,
  WORLD_CAPABILITY_PREFIX,
  WORLD_ID_PATTERN,
  worldIdFromCapabilities,
} from "./world_id.ts";
export {
  checkEndpoint,
  checkEndpoints,
  type Endpoint,
  normalizeEndpoint,
  normalizeEndpointAddress,
} from "./endpoint.ts";
export {
  type AnnounceBody,
  type AnnounceFields,
  type AnnounceRecord,
  announceSigningPayload,
  createAnnounce,
  parseAnnounce,
  type Parsed,
  toAnnounceRecord,
  verifyAnnounceSignature,
} from "./announce.ts";
export {
  createHeartbeat,
  createResourceHeartbeat,
  type Heartbeat,
  type HeartbeatIdField,
  type HeartbeatSeparator,
  heartbeatSeparator,
  type HeartbeatSigningOptions,
  type HeartbeatVerifyOptions,
  parseHeartbeat,
  parseResourceHeartbeat,
  type ResourceHeartbeat,
  verifyHeartbeat,
} from "./heartbeat.ts";
export {
  createDeregistration,
  type Deregistration,
  parseDeregistration,
  verifyDeregistration,
} from "./deregistration.ts";
export {
  createKeyRotation,
  JWS_PROTECTED_HEADER,
  KEY_ROTATION_TYPE,
  type KeyRotation,
  keyRotationPayload,
  type KeyRotationVerifyOptions,
  parseKeyRotation,
  type RotationIdentity,
  type RotationProof,
  type VerifiedKeyRotation,
  verifyKeyRotation,
} from "./key_rotation.ts";
export {
  AGENT_CARD_PATH,
  type AgentCardOptions,
  buildAgentCard,
  verifyAgentCard,
} from "./agent_card.ts";
export {
  createPeerMessage,
  MAX_PEER_MESSAGE_BYTES,
  parseContent,
  parsePeerMessage,
  PEER_EVENTS,
  type PeerMessage,
  verifyPeerMessage,
} from "./peer_message.ts";
export {
  reject,
  type Rejection,
  REJECTION_STATUS,
  REJECTION_TEXT,
  type RejectionReason,
  rejectionResponse,
  type Verified,
} from "./rejection.ts";
export { type JsonBody, readBodyText, readJsonBody, readParsedBody } from "./request_body.ts";
export {
  type SignedBody,
  type SignedRequest,
  type SignedRequestOptions,
  type SignedRouteOptions,
  type VerifiedAnnounce,
  verifyAnnounceRequest,
  verifyPeerMessageRequest,
  verifySignedRequest,
} from "./signed_request.ts";
