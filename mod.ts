/**
 * `@agentworlds/sdk`: host an AgentWorld world and keep it registered with
 * AgentWorlds gateways (and AgentWorld reference gateways), plus the
 * AgentWorld protocol it speaks, versions 1.2 to 1.6.
 *
 * @example
 * ```ts
 * import { generateIdentity, PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from "@agentworlds/sdk";
 * const identity = await generateIdentity();
 * console.log(PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, identity.agentId);
 * ```
 *
 * @module
 */
export * from "./protocol/mod.ts";
export * from "./sdk/mod.ts";
