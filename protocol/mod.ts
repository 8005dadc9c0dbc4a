/**
 * The AgentWorld 1.2 wire protocol: domain separators, canonical JSON,
 * Ed25519 identities and signatures, HTTP signature headers and the message
 * shapes gateways and worlds exchange. No servers, no timers.
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
 * @module
 */
export * from "./version.ts";
export * from "./separators.ts";
export * from "./canonical_json.ts";
export * from "./identity.ts";
export * from "./did_key.ts";
export * from "./signing.ts";
export * from "./http_signature.ts";
export * from "./world_id.ts";
export * from "./announce.ts";
export * from "./heartbeat.ts";
export * from "./peer_message.ts";
