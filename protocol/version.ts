/**
 * Protocol versions: the one this package speaks by default, every version it
 * speaks on the wire, and what changes from one to the next.
 *
 * An AgentWorld version string goes into three places: every domain
 * separator (`AgentWorld-Req-1.6\0`), the `v` of the header signing input,
 * and the `X-AgentWorld-Version` header. Each minor release is therefore a
 * new wire; patch releases do not change it.
 *
 * @module
 */

/**
 * The version this package signs with unless told otherwise: AgentWorld 1.2,
 * plus the short heartbeat separator `aw:hb:`.
 *
 * @example Read the version
 * ```ts
 * import { PROTOCOL_VERSION } from "@agentworlds/sdk/protocol";
 * console.log(PROTOCOL_VERSION); // "1.2"
 * ```
 */
export const PROTOCOL_VERSION = "1.2";

/**
 * Every protocol version spoken on the wire, oldest first.
 *
 * @example
 * ```ts
 * import { SUPPORTED_PROTOCOL_VERSIONS } from "@agentworlds/sdk/protocol";
 * console.log(SUPPORTED_PROTOCOL_VERSIONS.join(", ")); // "1.2, 1.3, 1.4, 1.5, 1.6"
 * ```
 */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly ["1.2", "1.3", "1.4", "1.5", "1.6"] = Object
  .freeze(["1.2", "1.3", "1.4", "1.5", "1.6"] as const);

/** One of {@linkcode SUPPORTED_PROTOCOL_VERSIONS}. */
export type ProtocolVersion = typeof SUPPORTED_PROTOCOL_VERSIONS[number];

/**
 * Whether a value is a protocol version spoken here.
 *
 * @example
 * ```ts
 * import { isSupportedVersion } from "@agentworlds/sdk/protocol";
 * isSupportedVersion("1.6"); // true
 * isSupportedVersion("1.7"); // false
 * isSupportedVersion("1.0.0"); // false: a body's `version` is the sender's software, not the protocol
 * ```
 */
export function isSupportedVersion(value: unknown): value is ProtocolVersion {
  return typeof value === "string" &&
    (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(value);
}

/** The error for a version this package does not speak; the message names the supported ones. */
export class UnsupportedVersionError extends TypeError {
  /** The version that was asked for. */
  readonly version: unknown;

  /** Creates the error for `version`. */
  constructor(version: unknown) {
    super(unsupportedVersionMessage(version));
    this.name = "UnsupportedVersionError";
    this.version = version;
  }
}

/**
 * The one wording of "this version is not spoken here", used by thrown
 * errors and by `{ error }` answers alike.
 *
 * @example
 * ```ts
 * import { unsupportedVersionMessage } from "@agentworlds/sdk/protocol";
 * unsupportedVersionMessage("2.0");
 * // 'unsupported protocol version "2.0" (supported: 1.2, 1.3, 1.4, 1.5, 1.6)'
 * ```
 */
export function unsupportedVersionMessage(version: unknown): string {
  const shown = typeof version === "string" ? JSON.stringify(version.slice(0, 32)) : typeof version;
  return `unsupported protocol version ${shown} (supported: ${
    SUPPORTED_PROTOCOL_VERSIONS.join(", ")
  })`;
}

/**
 * Checks a version and returns it typed; throws for anything else.
 *
 * @example
 * ```ts
 * import { requireVersion } from "@agentworlds/sdk/protocol";
 * requireVersion("1.4"); // "1.4"
 * ```
 *
 * @throws {UnsupportedVersionError} When `version` is not spoken here.
 */
export function requireVersion(version: unknown): ProtocolVersion {
  if (!isSupportedVersion(version)) throw new UnsupportedVersionError(version);
  return version;
}

/** What differs on the wire between versions, beyond the version string itself. */
export interface VersionFeatures {
  /**
   * From 1.4: announces go to `POST /agents` and carry `slug`; heartbeats go
   * to `POST /worlds/{aw id}/heartbeat` (worlds) or
   * `POST /agents/{aw id}/heartbeat` (other agents) as `{ts, signature}`.
   * Before: `POST /peer/announce` and `POST /peer/heartbeat` with
   * `{agentId, ts, signature}`.
   */
  readonly resourceRoutes: boolean;
  /** From 1.4: a world's protocol `worldId` is its `aw:sha256:` id; before, its slug. */
  readonly keyIdIsWorldId: boolean;
  /** From 1.4: a world's `/peer/peers` answers `{agents: […]}` instead of `{peers: […]}`. */
  readonly agentsListKey: "peers" | "agents";
  /** From 1.5: a world serves `GET /world/manifest`. */
  readonly worldManifest: boolean;
}

/**
 * The wire features of a version.
 *
 * @example
 * ```ts
 * import { versionFeatures } from "@agentworlds/sdk/protocol";
 * versionFeatures("1.3").resourceRoutes; // false
 * versionFeatures("1.5").worldManifest; // true
 * ```
 *
 * @throws {UnsupportedVersionError} When `version` is not spoken here.
 */
export function versionFeatures(version: ProtocolVersion): VersionFeatures {
  return FEATURES[requireVersion(version)];
}

function features(minor: number): VersionFeatures {
  return Object.freeze({
    resourceRoutes: minor >= 4,
    keyIdIsWorldId: minor >= 4,
    agentsListKey: minor >= 4 ? "agents" : "peers",
    worldManifest: minor >= 5,
  });
}

const FEATURES: Readonly<Record<ProtocolVersion, VersionFeatures>> = Object.freeze({
  "1.2": features(2),
  "1.3": features(3),
  "1.4": features(4),
  "1.5": features(5),
  "1.6": features(6),
});
