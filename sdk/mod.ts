/**
 * The SDK a world runs: the gateway client ({@linkcode startGatewayAnnounce},
 * {@linkcode announceToGateway}, {@linkcode sendHeartbeat}) keeps a world
 * registered with AgentWorlds gateways.
 *
 * @example
 * ```ts ignore
 * import { generateIdentity, startGatewayAnnounce } from "@agentworlds/sdk";
 * const gateway = startGatewayAnnounce({
 *   identity: await generateIdentity(),
 *   gatewayUrls: "http://127.0.0.1:8100",
 *   alias: "Lobby",
 *   endpoints: [{ address: "127.0.0.1", port: 8099, transport: "tcp" }],
 *   capabilities: ["world:lobby"],
 * });
 * await gateway.ready;
 * ```
 *
 * @module
 */
export * from "./defaults.ts";
export * from "./gateway_client.ts";
