/**
 * `@agentworlds/sdk`: host an AgentWorld world and keep it registered with
 * AgentWorlds gateways, plus the AgentWorld 1.2 protocol it speaks.
 *
 * @example
 * ```ts
 * import { generateIdentity, PROTOCOL_VERSION } from "@agentworlds/sdk";
 * const identity = await generateIdentity();
 * console.log(PROTOCOL_VERSION, identity.agentId);
 * ```
 *
 * @module
 */
export * from "./protocol/mod.ts";
export * from "./sdk/mod.ts";
