/**
 * The SDK a world runs: {@linkcode createWorldServer} hosts a world, and the
 * gateway client ({@linkcode startGatewayAnnounce}, {@linkcode announceToGateway},
 * {@linkcode sendHeartbeat}) keeps it registered with AgentWorlds gateways.
 *
 * @example
 * ```ts ignore
 * import { createWorldServer } from "@agentworlds/sdk";
 * const world = await createWorldServer({ worldId: "lobby", gatewayUrls: "http://127.0.0.1:8100" });
 * console.log(world.url, world.identity.agentId);
 * ```
 *
 * @module
 */
export * from "./defaults.ts";
export * from "./gateway_client.ts";
export * from "./world_server.ts";
