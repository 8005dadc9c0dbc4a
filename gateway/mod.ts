/**
 * The AgentWorlds gateway: a lease-based directory of live worlds.
 *
 * @module
 */
export {};
