/**
 * The gateway client: how a world registers with AgentWorlds gateways and
 * keeps its leases alive.
 *
 * {@linkcode announceToGateway} sends one signed announce,
 * {@linkcode sendHeartbeat} one signed heartbeat,
 * {@linkcode deregisterFromGateway} one signed goodbye,
 * {@linkcode rotateKeyAtGateway} one key rotation, and
 * {@linkcode startGatewayAnnounce} runs announces and heartbeats on a
 * schedule against every gateway, re-announcing to a gateway that has
 * forgotten the world, and deregisters from all of them when stopped.
 *
 * Every function takes a `protocolVersion` (default `"1.2"`, this project's
 * own). From 1.4 the client speaks AgentWorld's resource routes: it
 * announces to `POST /agents` with `slug`, and heartbeats
 * `POST /worlds/{percent-encoded aw id}/heartbeat` (or `/agents/{id}/heartbeat`
 * for an agent that hosts no world) with `{ts, signature}`. Before 1.4 it
 * uses `POST /peer/announce` and `POST /peer/heartbeat`. With no
 * `protocolVersion`, heartbeats are signed under the short `"aw:hb:"`; with
 * one, under that version's `AgentWorld-Heartbeat-<v>\0`, which reference
 * gateways require.
 *
 * @example
 * ```ts ignore
 * import { generateIdentity, startGatewayAnnounce } from "@agentworlds/sdk";
 * const identity = await generateIdentity();
 * const gateway = startGatewayAnnounce({
 *   identity,
 *   gatewayUrls: "http://127.0.0.1:8100",
 *   alias: "Pixel City",
 *   endpoints: [{ address: "203.0.113.7", port: 8099, transport: "tcp" }],
 *   capabilities: ["world:pixel-city"],
 * });
 * await gateway.ready;
 * // …later
 * await gateway.stop();
 * ```
 *
 * @module
 */
import {
  type AnnounceFields,
  canonicalize,
  createAnnounce,
  createDeregistration,
  createHeartbeat,
  createKeyRotation,
  createResourceHeartbeat,
  type Endpoint,
  type HeartbeatSeparator,
  type Identity,
  PROTOCOL_VERSION,
  type ProtocolVersion,
  requireVersion,
  signHttpRequest,
  versionFeatures,
  WORLD_CAPABILITY_PREFIX,
  worldIdFromCapabilities,
} from "../protocol/mod.ts";
import {
  errorMessage,
  joinUrl,
  logError,
  parseHttpUrl,
  parseJsonText,
  postJson,
  safeReporter,
} from "./_http.ts";
import { repeat } from "./_repeat.ts";
import { systemTimers, type Timers } from "../protocol/_timers.ts";
import { isRecord, positiveMs } from "./_validate.ts";
import {
  ANNOUNCE_TIMEOUT_MS,
  DEFAULT_ANNOUNCE_INTERVAL_MS,
  DEFAULT_DEREGISTER_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_JITTER_RATIO,
  HEARTBEAT_TIMEOUT_MS,
} from "./defaults.ts";

/** The routes a gateway of each generation serves; signed as is, whatever path prefix the gateway URL has. */
const ROUTES = {
  legacyAnnounce: "/peer/announce",
  legacyHeartbeat: "/peer/heartbeat",
  resourceAnnounce: "/agents",
  worldHeartbeat: (agentId: string) => `/worlds/${encodeURIComponent(agentId)}/heartbeat`,
  agentHeartbeat: (agentId: string) => `/agents/${encodeURIComponent(agentId)}/heartbeat`,
  deregister: "/peer/deregister",
  keyRotation: "/peer/key-rotation",
} as const;

/** How the client talks to gateways: the protocol version and the heartbeat separator. */
export interface ProtocolOptions {
  /**
   * The protocol version spoken: separators, `X-AgentWorld-Version`, routes
   * and body shapes. Default: `"1.2"`, with the short `"aw:hb:"` heartbeat.
   */
  protocolVersion?: ProtocolVersion;
  /**
   * The heartbeat separator: `"short"` (`"aw:hb:"`, which this project's
   * gateways accept in every version) or `"versioned"` (what reference
   * gateways require). Default: `"short"` when `protocolVersion` is not
   * given, `"versioned"` when it is.
   */
  heartbeatSeparator?: HeartbeatSeparator;
}

/** The version and heartbeat separator `options` ask for. */
function protocolOf(options: ProtocolOptions): {
  version: ProtocolVersion;
  separator: HeartbeatSeparator;
} {
  return {
    version: requireVersion(options.protocolVersion ?? PROTOCOL_VERSION),
    separator: options.heartbeatSeparator ??
      (options.protocolVersion === undefined ? "short" : "versioned"),
  };
}

/** Whether capabilities make the sender a world, as AgentWorld SDKs decide it. */
function hostsWorld(capabilities: readonly string[]): boolean {
  return capabilities.some((capability) => capability.startsWith(WORLD_CAPABILITY_PREFIX));
}

/** A live peer, as a gateway lists it in its answer to an announce. */
export interface GatewayPeer {
  /** The peer's agent id. */
  agentId: string;
  /** Base64 of the peer's raw 32-byte Ed25519 key. */
  publicKey: string;
  /** The peer's display name. */
  alias: string;
  /** Where the peer is reached. */
  endpoints: Endpoint[];
  /** The peer's capabilities, e.g. `world:<worldId>`. */
  capabilities: string[];
  /** When the gateway last heard from the peer, in ms since the epoch. */
  lastSeen: number;
}

/** What a gateway answered to an announce. */
export interface AnnounceResult {
  /** Whether the gateway accepted the announce (a 2xx with `ok` not false). */
  ok: boolean;
  /** The HTTP status; 0 when no answer came (network failure, timeout, abort). */
  status: number;
  /** The live peers the gateway listed (`peers`, or `agents` from 1.4); empty unless `ok`. */
  peers: GatewayPeer[];
  /** Why the announce failed: the gateway's `error`, or what went wrong on the way. */
  error?: string;
}

/** Options of {@linkcode announceToGateway}: what to announce, and how. */
export interface AnnounceOptions extends AnnounceFields, ProtocolOptions {
  /** The world's identity; it signs the body and the request. */
  identity: Identity;
  /** The `fetch` to call. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** The clock that stamps the announce, in ms since the epoch. Default: `Date.now`. */
  clock?: () => number;
  /** How long to wait for the answer, in ms. Default: `ANNOUNCE_TIMEOUT_MS` (10000). */
  timeoutMs?: number;
  /** Aborts the request early; the result then has status 0. Default: none. */
  signal?: AbortSignal;
}

/**
 * Announces a world to one gateway: POSTs a signed announce (body signature
 * under the version's `ANNOUNCE`, sent as canonical JSON, plus
 * request-signature headers over the exact body text) to
 * `<gatewayUrl>/peer/announce`, or from protocol 1.4 to `<gatewayUrl>/agents`
 * with `slug` (the `slug` field, or else the `world:<id>` capability's id).
 *
 * `gatewayUrl` may end in a slash or carry a path prefix
 * (`https://example.org/gw/`); the request signature always covers the
 * gateway's own route and the URL's `host`.
 *
 * It never rejects for a failed announce: a gateway's refusal comes back as
 * `{ ok: false, status, error }`, and a network failure, timeout or abort as
 * `{ ok: false, status: 0, error }`.
 *
 * @example
 * ```ts ignore
 * import { announceToGateway, generateIdentity } from "@agentworlds/sdk";
 * const identity = await generateIdentity();
 * const result = await announceToGateway("http://127.0.0.1:8100", {
 *   identity,
 *   alias: "Pixel City",
 *   endpoints: [{ address: "203.0.113.7", port: 8099, transport: "tcp" }],
 *   capabilities: ["world:pixel-city"],
 * });
 * if (result.ok) console.log(`${result.peers.length} peers online`);
 * else console.error(result.status, result.error);
 * ```
 *
 * @param gatewayUrl The gateway's base URL, http or https.
 * @param options The identity, the announced fields and transport options.
 * @throws {TypeError} When `gatewayUrl` is not an http(s) URL.
 */
export async function announceToGateway(
  gatewayUrl: string,
  options: AnnounceOptions,
): Promise<AnnounceResult> {
  const { version: protocolVersion } = protocolOf(options);
  const resourceRoutes = versionFeatures(protocolVersion).resourceRoutes;
  const path = resourceRoutes ? ROUTES.resourceAnnounce : ROUTES.legacyAnnounce;
  const url = joinUrl(gatewayUrl, path);
  const { identity, alias, version, endpoints, capabilities } = options;
  const slug = options.slug ?? (resourceRoutes ? worldIdFromCapabilities(capabilities) : undefined);
  const clock = options.clock ?? Date.now;
  const body = await createAnnounce(
    identity,
    { alias, version, slug, endpoints, capabilities },
    clock(),
    protocolVersion,
  );
  const bodyText = canonicalize(body);
  const headers = await signHttpRequest(identity, "POST", url.host, path, bodyText, {
    clock,
    version: protocolVersion,
  });
  const outcome = await postJson(
    options.fetch ?? fetch,
    url,
    bodyText,
    headers,
    options.timeoutMs ?? ANNOUNCE_TIMEOUT_MS,
    options.signal,
  );
  if (outcome.status === 0) {
    return { ok: false, status: 0, peers: [], error: outcome.error };
  }
  const answer = parseJsonText(outcome.text);
  const record = isRecord(answer) ? answer : {};
  const ok = outcome.status >= 200 && outcome.status < 300 && record.ok !== false;
  if (!ok) {
    const error = typeof record.error === "string" ? record.error : `HTTP ${outcome.status}`;
    return { ok: false, status: outcome.status, peers: [], error };
  }
  // 1.4+ gateways list other agents as `agents`; 1.6's /peer/announce answers `peers` without `ok`.
  const listed = Array.isArray(record.peers) ? record.peers : record.agents;
  const peers = Array.isArray(listed)
    ? listed.filter((peer): peer is GatewayPeer =>
      isRecord(peer) && typeof peer.agentId === "string"
    )
    : [];
  return { ok: true, status: outcome.status, peers };
}

/** Options of {@linkcode sendHeartbeat}. */
export interface HeartbeatOptions extends ProtocolOptions {
  /**
   * From protocol 1.4, which route the heartbeat takes: `"world"`
   * (`/worlds/{id}/heartbeat`, signed over `{worldId, ts}`) or `"agent"`
   * (`/agents/{id}/heartbeat`, over `{agentId, ts}`). Default: `"world"`.
   */
  role?: "world" | "agent";
  /** The `fetch` to call. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /**
   * The clock that stamps the heartbeat, in ms since the epoch. Default:
   * `Date.now`. Stamps still increase when it steps back.
   */
  clock?: () => number;
  /** How long to wait for the answer, in ms. Default: `HEARTBEAT_TIMEOUT_MS` (5000). */
  timeoutMs?: number;
  /** Aborts the request early. Default: none. */
  signal?: AbortSignal;
  /**
   * Told about answers that keep the lease but deserve a log line: no answer
   * (network failure, timeout) or a status other than 200, 403 and 404.
   * Default: nothing is reported.
   */
  onError?: (error: Error) => void;
}

// The last heartbeat stamp per identity, so stamps strictly increase even
// when the wall clock steps back (the gateway answers 409 to a stale one).
const lastHeartbeatTs = new WeakMap<Identity, number>();

function nextHeartbeatTs(identity: Identity, now: number): number {
  const last = lastHeartbeatTs.get(identity) ?? 0;
  const ts = Math.max(Math.floor(now), last + 1);
  lastHeartbeatTs.set(identity, ts);
  return ts;
}

/**
 * Sends one signed heartbeat: `{agentId, ts, signature}` to
 * `<gatewayUrl>/peer/heartbeat` before protocol 1.4, `{ts, signature}` to
 * `<gatewayUrl>/worlds/{aw id}/heartbeat` (or `/agents/{aw id}/heartbeat`)
 * from 1.4. `ts` strictly increases per identity, even when the clock steps
 * back.
 *
 * Resolves `false` when the gateway answers 404 (it does not know the lease,
 * or it expired) or 403 (it rejected the signature): the caller must
 * announce again. Resolves `true` on 200, and also when no answer comes or
 * the gateway answers anything else: those keep the lease as it is, and are
 * passed to `options.onError` instead.
 *
 * @example
 * ```ts ignore
 * import { announceToGateway, generateIdentity, sendHeartbeat } from "@agentworlds/sdk";
 * const identity = await generateIdentity();
 * const gatewayUrl = "http://127.0.0.1:8100";
 * if (!await sendHeartbeat(gatewayUrl, identity)) {
 *   await announceToGateway(gatewayUrl, { identity, alias: "A", endpoints: [], capabilities: [] });
 * }
 * ```
 *
 * @param gatewayUrl The gateway's base URL, http or https.
 * @param identity The world's identity.
 * @param options Transport options and the error reporter.
 * @throws {TypeError} When `gatewayUrl` is not an http(s) URL.
 */
export async function sendHeartbeat(
  gatewayUrl: string,
  identity: Identity,
  options: HeartbeatOptions = {},
): Promise<boolean> {
  const signing = protocolOf(options);
  const ts = nextHeartbeatTs(identity, (options.clock ?? Date.now)());
  let path: string;
  let body: object;
  if (versionFeatures(signing.version).resourceRoutes) {
    const world = (options.role ?? "world") === "world";
    path = world
      ? ROUTES.worldHeartbeat(identity.agentId)
      : ROUTES.agentHeartbeat(identity.agentId);
    body = await createResourceHeartbeat(identity, ts, {
      ...signing,
      idField: world ? "worldId" : "agentId",
    });
  } else {
    path = ROUTES.legacyHeartbeat;
    body = await createHeartbeat(identity, ts, signing);
  }
  const outcome = await postJson(
    options.fetch ?? fetch,
    joinUrl(gatewayUrl, path),
    JSON.stringify(body),
    {},
    options.timeoutMs ?? HEARTBEAT_TIMEOUT_MS,
    options.signal,
  );
  if (outcome.status === 404 || outcome.status === 403) return false;
  if (outcome.status !== 200) {
    const why = outcome.status === 0
      ? outcome.error
      : `HTTP ${outcome.status} ${errorField(outcome.text)}`.trim();
    options.onError?.(new Error(`heartbeat to ${gatewayUrl} failed: ${why}`));
  }
  return true;
}

/** What a gateway answered to a deregistration or a key rotation. */
export interface GatewayAnswer {
  /** Whether the gateway did it: a 2xx answer. */
  ok: boolean;
  /** The HTTP status; 0 when no answer came (network failure, timeout, abort). */
  status: number;
  /** The gateway's `error`, or what went wrong on the way, when not `ok`. */
  error?: string;
}

async function postSigned(
  gatewayUrl: string,
  path: string,
  bodyText: string,
  options: { fetch?: typeof fetch; timeoutMs?: number; signal?: AbortSignal },
  defaultTimeoutMs: number,
): Promise<GatewayAnswer> {
  const outcome = await postJson(
    options.fetch ?? fetch,
    joinUrl(gatewayUrl, path),
    bodyText,
    {},
    options.timeoutMs ?? defaultTimeoutMs,
    options.signal,
  );
  if (outcome.status === 0) return { ok: false, status: 0, error: outcome.error };
  if (outcome.status >= 200 && outcome.status < 300) return { ok: true, status: outcome.status };
  return {
    ok: false,
    status: outcome.status,
    error: errorField(outcome.text) || `HTTP ${outcome.status}`,
  };
}

/** Options of {@linkcode deregisterFromGateway}. */
export interface DeregisterOptions {
  /** The protocol version the sender speaks. Default: `"1.2"`. */
  protocolVersion?: ProtocolVersion;
  /** The `fetch` to call. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** The clock that stamps it, in ms since the epoch. Default: `Date.now`. */
  clock?: () => number;
  /** How long to wait for the answer, in ms. Default: `DEFAULT_DEREGISTER_TIMEOUT_MS` (2000). */
  timeoutMs?: number;
  /** Aborts the request early. Default: none. */
  signal?: AbortSignal;
}

/**
 * Ends a lease at one gateway at once: POSTs a signed deregistration
 * (`{agentId, ts, signature}` under `"aw:dereg:"`) to
 * `<gatewayUrl>/peer/deregister`. Its `ts` is newer than every heartbeat
 * this identity sent, which is what the gateway's replay floor requires.
 *
 * A reference gateway has no such route and answers 404: the lease then
 * runs out with its TTL, as before. Never rejects for a failed request.
 *
 * @example
 * ```ts ignore
 * import { deregisterFromGateway, generateIdentity } from "@agentworlds/sdk";
 * const identity = await generateIdentity();
 * const answer = await deregisterFromGateway("http://127.0.0.1:8100", identity);
 * console.log(answer.ok ? "gone" : `${answer.status} ${answer.error}`);
 * ```
 *
 * @throws {TypeError} When `gatewayUrl` is not an http(s) URL or the version is not spoken here.
 */
export async function deregisterFromGateway(
  gatewayUrl: string,
  identity: Identity,
  options: DeregisterOptions = {},
): Promise<GatewayAnswer> {
  const ts = nextHeartbeatTs(identity, (options.clock ?? Date.now)());
  const body = await createDeregistration(identity, ts, options.protocolVersion);
  return await postSigned(
    gatewayUrl,
    ROUTES.deregister,
    JSON.stringify(body),
    options,
    DEFAULT_DEREGISTER_TIMEOUT_MS,
  );
}

/** Options of {@linkcode rotateKeyAtGateway}. */
export interface RotateKeyOptions {
  /** The protocol version of the rotation (its `version` and separator). Default: `"1.2"`. */
  protocolVersion?: ProtocolVersion;
  /** The `fetch` to call. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** The clock that stamps it, in ms since the epoch. Default: `Date.now`. */
  clock?: () => number;
  /** How long to wait for the answer, in ms. Default: `ANNOUNCE_TIMEOUT_MS` (10000). */
  timeoutMs?: number;
  /** Aborts the request early. Default: none. */
  signal?: AbortSignal;
}

/**
 * Moves a world (or agent) from its old key to a new one at one gateway:
 * POSTs AgentWorld's key rotation body, signed by both keys, to
 * `<gatewayUrl>/peer/key-rotation`. Afterwards, announce with the new
 * identity (restart the world with it). Never rejects for a failed request.
 *
 * @example
 * ```ts ignore
 * import { generateIdentity, rotateKeyAtGateway } from "@agentworlds/sdk";
 * const [oldKey, newKey] = [await generateIdentity(), await generateIdentity()];
 * const answer = await rotateKeyAtGateway("http://127.0.0.1:8100", oldKey, newKey);
 * if (!answer.ok) console.error(answer.status, answer.error);
 * ```
 *
 * @param gatewayUrl The gateway's base URL, http or https.
 * @param oldIdentity The key the gateway knows.
 * @param newIdentity The key that takes over.
 * @throws {TypeError} When `gatewayUrl` is not an http(s) URL or the version is not spoken here.
 */
export async function rotateKeyAtGateway(
  gatewayUrl: string,
  oldIdentity: Identity,
  newIdentity: Identity,
  options: RotateKeyOptions = {},
): Promise<GatewayAnswer> {
  const rotation = await createKeyRotation(
    oldIdentity,
    newIdentity,
    (options.clock ?? Date.now)(),
    options.protocolVersion,
  );
  return await postSigned(
    gatewayUrl,
    ROUTES.keyRotation,
    JSON.stringify(rotation),
    options,
    ANNOUNCE_TIMEOUT_MS,
  );
}

/**
 * Splits gateway URLs given as one string (comma-separated), a list, or a
 * list of comma-separated strings: trims each, drops empty ones and
 * duplicates (trailing slashes ignored), and checks each is http(s).
 *
 * @example
 * ```ts
 * import { parseGatewayUrls } from "@agentworlds/sdk";
 * parseGatewayUrls(" http://a:8100/, ,http://b:8100,http://a:8100");
 * // ["http://a:8100", "http://b:8100"]
 * ```
 *
 * @throws {TypeError} When an entry is not an http(s) URL.
 */
export function parseGatewayUrls(value: string | readonly string[] | undefined): string[] {
  const entries = typeof value === "string" ? [value] : [...(value ?? [])];
  const urls = new Set<string>();
  for (const entry of entries.flatMap((item) => item.split(","))) {
    const trimmed = entry.trim();
    if (trimmed === "") continue;
    const url = parseHttpUrl(trimmed, "gateway URL");
    urls.add(url.origin + url.pathname.replace(/\/+$/, ""));
  }
  return [...urls];
}

/** Options of {@linkcode startGatewayAnnounce}. */
export interface GatewayAnnounceOptions extends AnnounceFields, ProtocolOptions {
  /** The world's identity. */
  identity: Identity;
  /** Gateway base URLs: one string (comma-separated) or a list; see {@linkcode parseGatewayUrls}. */
  gatewayUrls: string | readonly string[];
  /** Pause between announces to a gateway, in ms. Default: `DEFAULT_ANNOUNCE_INTERVAL_MS` (600000). */
  announceIntervalMs?: number;
  /** Pause between heartbeats to a gateway, in ms. Default: `DEFAULT_HEARTBEAT_INTERVAL_MS` (30000). */
  heartbeatIntervalMs?: number;
  /** Each pause is moved by up to this share of it, at random. Default: `DEFAULT_JITTER_RATIO` (0.1). */
  jitterRatio?: number;
  /** Told about failed announces and heartbeats; never about anything after `stop()`. Default: logs to stderr. */
  onError?: (error: Error) => void;
  /** Told every gateway answer to an announce. Default: none. */
  onAnnounce?: (gatewayUrl: string, result: AnnounceResult) => void;
  /** The `fetch` to call. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** The clock that stamps announces and heartbeats. Default: `Date.now`. */
  clock?: () => number;
  /** Random numbers in [0, 1) for the jitter. Default: `Math.random`. */
  random?: () => number;
  /**
   * The timers the schedule runs on. Their `monotonicNow` measures when the
   * next announce is due, so a wall clock stepping back moves no deadline
   * (`performance.now()` when they have none).
   *
   * @default the runtime's `setTimeout` and `clearTimeout`, on `performance.now()`
   */
  timers?: Timers;
  /**
   * Request timeouts in ms. Default: `ANNOUNCE_TIMEOUT_MS`, `HEARTBEAT_TIMEOUT_MS`,
   * and `DEFAULT_DEREGISTER_TIMEOUT_MS` for all deregistrations of a `stop()` together.
   */
  timeouts?: { announceMs?: number; heartbeatMs?: number; deregisterMs?: number };
}

/** Options of {@linkcode GatewayAnnounceHandle.stop}. */
export interface GatewayStopOptions {
  /** Whether to send a signed deregistration to every gateway. Default: true. */
  deregister?: boolean;
}

/** A running announce-and-heartbeat schedule; see {@linkcode startGatewayAnnounce}. */
export interface GatewayAnnounceHandle {
  /** The gateways it talks to, parsed and deduplicated. */
  readonly gatewayUrls: readonly string[];
  /**
   * The answers to the first announce to each gateway, in `gatewayUrls`
   * order, once all came (or failed). Never rejects.
   */
  readonly ready: Promise<AnnounceResult[]>;
  /**
   * Ends the schedule: clears every timer and aborts requests in flight,
   * then (unless told not to) deregisters from every gateway in parallel,
   * waiting at most `timeouts.deregisterMs` (2 s) in total. Resolves once
   * all settled; a gateway that answers 404 (a reference gateway) or not at
   * all is reported to `onError` only when it is not a 404.
   */
  stop(options?: GatewayStopOptions): Promise<void>;
}

/**
 * Keeps a world registered with every gateway: announces to each at once,
 * then again every `announceIntervalMs`, and heartbeats each every
 * `heartbeatIntervalMs`, in the routes and shapes of `protocolVersion`.
 * When a gateway answers a heartbeat with 404 or 403, it is announced to
 * again at once (only that gateway). `stop()` deregisters from every
 * gateway, so the world leaves their listings at once.
 *
 * Each gateway has one self-rescheduling timer: the next tick is planned
 * only after the previous one finished, so at most one request per gateway
 * is in flight and slow gateways never make ticks pile up. Pauses are
 * jittered by ±`jitterRatio`. Errors go to `onError`; nothing is ever thrown
 * into a timer.
 *
 * @example
 * ```ts ignore
 * import { generateIdentity, startGatewayAnnounce } from "@agentworlds/sdk";
 * const identity = await generateIdentity();
 * const gateway = startGatewayAnnounce({
 *   identity,
 *   gatewayUrls: "http://gw-1.example:8100,http://gw-2.example:8100",
 *   alias: "Pixel City",
 *   endpoints: [{ address: "203.0.113.7", port: 8099, transport: "tcp" }],
 *   capabilities: ["world:pixel-city"],
 *   onError: (error) => console.warn(error.message),
 * });
 * const [first] = await gateway.ready;
 * console.log(first.ok);
 * await gateway.stop();
 * ```
 *
 * @throws {TypeError} When no gateway URL is given, one is not http(s), or an interval is not positive.
 */
export function startGatewayAnnounce(options: GatewayAnnounceOptions): GatewayAnnounceHandle {
  const gatewayUrls = parseGatewayUrls(options.gatewayUrls);
  if (gatewayUrls.length === 0) throw new TypeError("startGatewayAnnounce needs a gateway URL");
  const announceIntervalMs = positiveMs(
    options.announceIntervalMs ?? DEFAULT_ANNOUNCE_INTERVAL_MS,
    "announceIntervalMs",
  );
  const heartbeatIntervalMs = positiveMs(
    options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    "heartbeatIntervalMs",
  );
  const jitterRatio = Math.min(Math.max(options.jitterRatio ?? DEFAULT_JITTER_RATIO, 0), 1);
  const random = options.random ?? Math.random;
  const timers = options.timers ?? systemTimers;
  const monotonicNow = () => timers.monotonicNow?.() ?? performance.now();
  const jittered = (intervalMs: number) =>
    Math.max(0, intervalMs * (1 + (random() * 2 - 1) * jitterRatio));
  const fields: AnnounceFields = {
    alias: options.alias,
    version: options.version,
    slug: options.slug,
    endpoints: options.endpoints,
    capabilities: options.capabilities,
  };
  const protocol: ProtocolOptions = {
    protocolVersion: options.protocolVersion,
    heartbeatSeparator: options.heartbeatSeparator,
  };
  protocolOf(protocol); // an unknown version is a TypeError now, not a failure per tick
  const role = hostsWorld(options.capabilities) ? "world" : "agent";
  const stopController = new AbortController();
  const stopped = () => stopController.signal.aborted;
  const report = safeReporter(options.onError ?? logError);
  const reportUnlessStopped = (error: unknown) => {
    if (!stopped()) report(error);
  };

  const schedules = gatewayUrls.map((url) => {
    let resolveFirst!: (result: AnnounceResult) => void;
    const firstAnnounce = new Promise<AnnounceResult>((resolve) => resolveFirst = resolve);
    // On the timers' monotonic clock: a wall clock stepping back moves no deadline.
    let announceDueAt = -Infinity;
    // Decided when a tick is planned, not when it fires: a timer may fire a hair early.
    let announceNext = true;

    const announce = async () => {
      const result = await announceToGateway(url, {
        ...fields,
        ...protocol,
        identity: options.identity,
        fetch: options.fetch,
        clock: options.clock,
        timeoutMs: options.timeouts?.announceMs,
        signal: stopController.signal,
      });
      announceDueAt = monotonicNow() + jittered(announceIntervalMs);
      resolveFirst(result);
      if (stopped()) return;
      try {
        options.onAnnounce?.(url, result);
      } catch (error) {
        report(error);
      }
      if (!result.ok) report(new Error(`announce to ${url} failed: ${describe(result)}`));
    };

    const tick = async () => {
      if (announceNext) return await announce();
      const leaseKept = await sendHeartbeat(url, options.identity, {
        ...protocol,
        role,
        fetch: options.fetch,
        clock: options.clock,
        timeoutMs: options.timeouts?.heartbeatMs,
        signal: stopController.signal,
        onError: reportUnlessStopped,
      });
      if (!leaseKept && !stopped()) await announce();
    };

    const nextDelayMs = () => {
      const untilAnnounce = Math.max(0, announceDueAt - monotonicNow());
      const untilHeartbeat = jittered(heartbeatIntervalMs);
      announceNext = untilAnnounce <= untilHeartbeat;
      return Math.min(untilHeartbeat, untilAnnounce);
    };

    const timer = repeat(nextDelayMs, tick, (error) => {
      resolveFirst({ ok: false, status: 0, peers: [], error: errorMessage(error) });
      reportUnlessStopped(new Error(`gateway ${url}: ${errorMessage(error)}`));
    }, timers);
    return { timer, firstAnnounce, resolveFirst };
  });

  return {
    gatewayUrls,
    ready: Promise.all(schedules.map((schedule) => schedule.firstAnnounce)),
    async stop(stopOptions: GatewayStopOptions = {}) {
      const first = !stopController.signal.aborted;
      stopController.abort();
      await Promise.all(schedules.map((schedule) => schedule.timer.stop()));
      for (const schedule of schedules) {
        schedule.resolveFirst({ ok: false, status: 0, peers: [], error: "stopped" });
      }
      if (!first || stopOptions.deregister === false) return;
      // After the timers: a heartbeat landing after the goodbye would bring the world back.
      const deadline = AbortSignal.timeout(
        options.timeouts?.deregisterMs ?? DEFAULT_DEREGISTER_TIMEOUT_MS,
      );
      await Promise.all(gatewayUrls.map(async (url) => {
        const answer = await deregisterFromGateway(url, options.identity, {
          protocolVersion: options.protocolVersion,
          fetch: options.fetch,
          clock: options.clock,
          signal: deadline,
        });
        if (!answer.ok && answer.status !== 404) {
          report(new Error(`deregistration from ${url} failed: ${describeAnswer(answer)}`));
        }
      }));
    },
  };
}

function describeAnswer(answer: GatewayAnswer): string {
  return answer.status === 0 ? `${answer.error}` : `HTTP ${answer.status} ${answer.error}`;
}

function describe(result: AnnounceResult): string {
  const status = `HTTP ${result.status}`;
  if (result.status === 0 || result.error === status) return `${result.error}`;
  return `${status} ${result.error}`;
}

function errorField(text: string): string {
  const answer = parseJsonText(text);
  return isRecord(answer) && typeof answer.error === "string" ? answer.error : "";
}
