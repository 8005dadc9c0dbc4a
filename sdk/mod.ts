/**
 * The SDK a world runs: {@linkcode createWorldServer} hosts a world, and the
 * gateway client ({@linkcode startGatewayAnnounce}, {@linkcode announceToGateway},
 * {@linkcode sendHeartbeat}, {@linkcode deregisterFromGateway},
 * {@linkcode rotateKeyAtGateway}) keeps it registered with gateways, in any
 * protocol version from 1.2 to 1.6 (`protocolVersion`).
 *
 * @example
 * ```ts ignore
 * import { createWorldServer } from "@agentworlds/sdk";
 * const world = await createWorldServer({
 *   worldId: "lobby",
 *   gatewayUrls: "http://127.0.0.1:8100",
 *   protocolVersion: "1.6",
 * });
 * console.log(world.url, world.identity.agentId);
 * ```
 *
 * @module
 */
export * from "./defaults.ts";
export * from "./gateway_client.ts";
export * from "./world_server.ts";
export type { TimerHandle, Timers } from "../protocol/_timers.ts";
