/**
 * World ids and the capability that binds a world to the agent hosting it.
 *
 * @module
 */

/** A world id: 1–64 characters of letters, digits, `.`, `_` and `-`, starting alphanumeric. */
export const WORLD_ID_PATTERN: RegExp = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The capability prefix a world announces: `world:<worldId>`. */
export const WORLD_CAPABILITY_PREFIX = "world:";

/**
 * Whether a value is a valid world id.
 *
 * @example
 * ```ts
 * import { isValidWorldId } from "@agentworlds/sdk/protocol";
 * isValidWorldId("pixel-city"); // true
 * isValidWorldId("../etc"); // false
 * ```
 */
export function isValidWorldId(value: unknown): value is string {
  return typeof value === "string" && WORLD_ID_PATTERN.test(value);
}

/**
 * The world id a capability list declares (`world:<id>`), if any.
 *
 * @example
 * ```ts
 * import { worldIdFromCapabilities } from "@agentworlds/sdk/protocol";
 * worldIdFromCapabilities(["chat", "world:pixel-city"]); // "pixel-city"
 * ```
 */
export function worldIdFromCapabilities(capabilities: readonly string[]): string | undefined {
  for (const capability of capabilities) {
    if (capability.startsWith(WORLD_CAPABILITY_PREFIX)) {
      const id = capability.slice(WORLD_CAPABILITY_PREFIX.length);
      if (isValidWorldId(id)) return id;
    }
  }
  return undefined;
}
