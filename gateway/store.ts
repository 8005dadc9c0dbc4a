/**
 * The lease store: what the gateway's routes, sweep loop, WebSocket bridge,
 * change stream and webhooks talk to. Two implementations keep the same
 * rules: the memory store (embedded default, with its JSON snapshot) and
 * the Redis store (N stateless replicas on one Redis or Valkey).
 *
 * The shape follows etcd's lessor: a lease is **granted** by an announce,
 * **renewed** by heartbeats and re-announces, **revoked** by a signed
 * deregistration, a key rotation or an admin, and **expires** `ttlMs` after
 * its last renewal. Liveness is decided at read time by the store's own clock
 * (so replicas with skewed clocks agree); a sweep only reclaims what already
 * expired and records the `*.expired` event, exactly once per expiry.
 *
 * Every change to the set of live agents goes to one ordered, durable change
 * log ({@linkcode ChangeFeed}); the `/watch` stream reads it, and the webhook
 * dispatcher consumes it through the {@linkcode Outbox}.
 *
 * @module
 */
import type { Endpoint } from "../protocol/mod.ts";

/**
 * Why a lease ended: `ttl`, `deregistered` (a signed deregistration, or a
 * signed re-announce that no longer hosts the world: see
 * {@linkcode LeaseStore.announce}), `admin` or `rotated`.
 */
export type ExpiryReason = "ttl" | "deregistered" | "admin" | "rotated";

/** How world ids are held: see {@linkcode StoreOptions.worldIdPolicy}. */
export type WorldIdPolicy = "owned" | "live-holder";

/** Everything the directory knows of one live agent (a world is an agent with a `worldId`). */
export interface LeaseRecord {
  /** `aw:sha256:` id of the agent's key. */
  readonly agentId: string;
  /** Base64 of the raw Ed25519 public key. */
  readonly publicKey: string;
  /** Display name (the world's name for a world). */
  alias: string;
  /** Software version the agent announced. */
  version?: string;
  /** The AgentWorld protocol version it announced with (`"1.2"` … `"1.6"`); heartbeats are verified with it. */
  protocolVersion: string;
  /** Where the agent can be reached. */
  endpoints: Endpoint[];
  /** Announced capabilities. */
  capabilities: string[];
  /** The world this agent hosts (the slug: capability `world:<id>`, or `slug` from 1.4), if any. */
  worldId?: string;
  /** When the current lease was granted (store clock): the announce that brought it online. */
  grantedAt: number;
  /** When the lease was last renewed (store clock). */
  lastSeen: number;
  /** `timestamp` of the last announce accepted; older or equal ones are replays. */
  lastAnnounceTs: number;
  /** `ts` of the last heartbeat or deregistration accepted; older or equal ones are replays. */
  lastHeartbeatTs: number;
  /** The client address (or IPv6 /64) the lease was granted from, for the per-address cap. Never listed publicly. */
  address?: string;
  /** Set while the gateway's calls to the agent's endpoint fail: when the first failure of this run was seen. */
  unreachableSince?: number;
  /** When a call to the endpoint last succeeded, if one ever did. */
  lastReachableAt?: number;
}

/** What an announce asks the store to record (already parsed and signature-checked). */
export interface AnnounceInput {
  /** The announcing agent's id, already checked against `publicKey`. */
  agentId: string;
  /** Base64 of the agent's raw Ed25519 key. */
  publicKey: string;
  /** Display name. */
  alias: string;
  /** Software version. */
  version?: string;
  /** AgentWorld protocol version the announce was verified with. */
  protocolVersion: string;
  /** Where the agent is reached. */
  endpoints: Endpoint[];
  /** Announced capabilities. */
  capabilities: string[];
  /** The world it hosts, if any. */
  worldId?: string;
  /** The announce's signed `timestamp`. */
  timestamp: number;
  /** The client address the announce came from (per-address lease cap). */
  address?: string;
}

/** Why the store refused an announce; {@linkcode REFUSAL_STATUS} maps each to an HTTP status. */
export type AnnounceRefusal =
  | "replay"
  | "world_owned"
  | "world_taken"
  | "full"
  | "address_full";

/** The store's decision on an announce. */
export type AnnounceOutcome =
  | {
    ok: true;
    /** The record as it now stands. */
    record: LeaseRecord;
    /** True on an offline→online edge (a new lease). */
    granted: boolean;
    /**
     * True when a live lease's public details changed: a `*.updated` event was
     * recorded or, when its world id changed (another one, or none), the old
     * role's `*.expired` (reason `deregistered`) and the new one's `*.announced`.
     */
    changed: boolean;
  }
  | { ok: false; reason: AnnounceRefusal; error: string };

/** The store's decision on a heartbeat. */
export type RenewOutcome =
  | { ok: true; lastSeen: number }
  | { ok: false; reason: "unknown" | "replay"; error: string };

/** The store's decision on a revocation. */
export type RevokeOutcome =
  | { ok: true; record: LeaseRecord }
  | { ok: false; reason: "unknown" | "replay"; error: string };

/** Who holds a world id, and since when. */
export interface WorldOwner {
  /** The world id (slug). */
  worldId: string;
  /** The owning agent (key) id. */
  owner: string;
  /** Base64 of the owner's public key. */
  publicKey: string;
  /** When the binding was made (store clock): first announce, rotation or transfer. */
  since: number;
  /** When a lease of the owner for this id was last live (store clock); retention counts from it. */
  lastUsedAt: number;
  /**
   * Rotations signed at or before this (the signed timestamp of the announce,
   * rotation or transfer that made the binding) are replays.
   */
  rotationFloor: number;
}

/** A key rotation whose proofs the caller has verified. */
export interface RotationInput {
  /** The key being retired. */
  oldAgentId: string;
  /** The key taking over. */
  newAgentId: string;
  /** Base64 of the new raw public key. */
  newPublicKey: string;
  /** The rotation's signed timestamp. */
  timestamp: number;
}

/** The store's decision on a key rotation. */
export type RotateOutcome =
  | {
    ok: true;
    /** World ids now owned by the new key. */
    worlds: string[];
    /** Whether a live lease of the old key was revoked (reason `rotated`). */
    revoked: boolean;
  }
  | { ok: false; reason: "unknown" | "replay" | "world_owned"; error: string };

/** The store's decision on an admin ownership change. */
export type OwnershipOutcome =
  | {
    ok: true;
    /** The owner before the change, if any. */
    previous?: string;
    /** Whether a live lease was revoked (reason `admin`). */
    revoked: boolean;
  }
  | { ok: false; reason: "unknown" | "policy"; error: string };

/** HTTP status of each refusal, in one place. */
export const REFUSAL_STATUS: Readonly<
  Record<AnnounceRefusal | "unknown" | "replay", 404 | 409 | 429 | 503>
> = Object.freeze({
  unknown: 404,
  replay: 409,
  world_owned: 409,
  world_taken: 409,
  full: 503,
  address_full: 429,
});

/**
 * A page of a listing: records newest-granted first, and the cursor of the
 * next page, or `null` when this is the last.
 */
export interface Page {
  /** The live records of this page. */
  records: LeaseRecord[];
  /** Pass as `cursor` for the next page; `null` on the last. */
  nextCursor: string | null;
  /** The id of the newest change reflected in this page (for `/watch?since=`). */
  revision: string;
}

/** Thrown by listings for a cursor the store did not make. */
export class CursorError extends Error {
  /** Creates the error. */
  constructor() {
    super("invalid cursor");
    this.name = "CursorError";
  }
}

/** Thrown by every store method while the store cannot be reached (the gateway answers 503). */
export class StoreUnavailableError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/** The kinds of change the feed carries. */
export type ChangeType =
  | "world.announced"
  | "world.updated"
  | "world.expired"
  | "world.owner_changed"
  | "agent.announced"
  | "agent.updated"
  | "agent.expired";

/** One change to the directory, as the change stream and webhooks see it. */
export interface ChangeEvent {
  /** Opaque, totally ordered within one directory (compare with {@linkcode ChangeFeed.compare}). */
  id: string;
  /** What happened. */
  type: ChangeType;
  /** When it happened, ms since the epoch, by the store's clock (for `*.expired`: when the lease ended). */
  at: number;
  /** The agent concerned (for `world.owner_changed`: the new owner, or the previous one when released). */
  agentId: string;
  /** The world concerned, for `world.*`. */
  worldId?: string;
  /** For `*.expired`: why the lease ended. */
  reason?: ExpiryReason;
  /** For `*.announced` / `*.updated`: the record as it then stood. */
  record?: LeaseRecord;
  /** For `world.owner_changed`: the previous owner (null when there was none). */
  previousOwner?: string | null;
  /** For `world.owner_changed`: the new owner (null when released). */
  owner?: string | null;
  /** For `world.owner_changed`: why it changed. */
  cause?: "rotation" | "admin_transfer" | "admin_release" | "retention";
}

/** What {@linkcode ChangeFeed.read} returns. */
export interface ChangeRead {
  /** Events strictly after the id asked for, oldest first. */
  events: ChangeEvent[];
  /** The id asked for is not held (too old, or another directory's): list again. */
  reset: boolean;
  /** The newest id of the feed when it was read. */
  revision: string;
}

/** The ordered change log. */
export interface ChangeFeed {
  /**
   * Events strictly after `after`, oldest first, at most `limit`. `reset` is
   * true when `after` is not an id this feed still holds (older than its
   * retention, or from another directory): the reader must list again.
   * Without `after`, no events and the current revision.
   */
  read(after: string | undefined, limit: number): Promise<ChangeRead>;
  /** Calls `listener` once with each new event, in order; returns the unsubscribe function. */
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  /** The id of the newest event (`""` when there is none yet). */
  revision(): Promise<string>;
  /** Orders two ids of this feed: negative, 0 or positive. */
  compare(a: string, b: string): number;
}

/**
 * The webhook side of the change log: at-least-once consumption. One
 * consumer at a time leads (delivers); a consumer that stops acknowledging
 * has its events taken over by the next leader.
 */
export interface Outbox {
  /**
   * Tries to become, or stay, the one consumer that delivers, for `leaseMs`.
   * Returns whether `consumer` leads now.
   */
  lead(consumer: string, leaseMs: number): Promise<boolean>;
  /**
   * Up to `limit` events not yet acknowledged, oldest first: events taken
   * earlier by any consumer and never acknowledged come first (after a
   * leadership change they are taken over), then new ones.
   */
  take(consumer: string, limit: number): Promise<ChangeEvent[]>;
  /** Marks events delivered (or given up on). */
  ack(ids: string[]): Promise<void>;
  /** Events taken or waiting and not acknowledged, and the time of the oldest. */
  backlog(): Promise<{ pending: number; oldestAt?: number }>;
}

/** What one sweep reclaimed. */
export interface SweepResult {
  /** How many leases were reclaimed. */
  reclaimed: number;
  /** Whether more leases are due (the limit was reached). */
  more: boolean;
  /** The leases reclaimed (for logs). */
  expired: { agentId: string; worldId?: string }[];
}

/** The store's view of itself, for `/health` and readiness. */
export interface StoreStatus {
  /** Whether the last call to the backing store succeeded. */
  reachable: boolean;
  /** The last error, while unreachable. */
  error?: string;
  /**
   * Until when leases restored after an outage are held without renewal
   * (each restored lease gets one TTL from recovery); absent when no grace
   * is running.
   */
  graceUntil?: number;
  /**
   * While a grace runs, when the store counts them: how many leases it
   * restored under the grace, and how many of those were neither renewed nor
   * ended since. Readiness waits for most of them to be renewed; a store
   * that does not count them leaves this out.
   */
  restored?: { leases: number; unrenewed: number };
}

/** Options every store takes. */
export interface StoreOptions {
  /** Lease time-to-live in ms. Default: 90000. */
  ttlMs?: number;
  /** Most live agents held; a new agent's announce is refused past it. Default: 100000. */
  maxAgents?: number;
  /** Most live leases granted from one client address. Default: 1000. */
  maxLeasesPerAddress?: number;
  /**
   * How far signed timestamps may be from the clock, in ms; replay floors are
   * kept this long after a lease ends. Default: 300000.
   */
  replayWindowMs?: number;
  /**
   * `owned` (default): a world id is bound to the key that first registered
   * it, beyond its lease, until unused for `ownerRetentionMs`; only that key
   * may announce it. `live-holder`: a world id is exclusive while its lease
   * is live and free once it ends (for development).
   */
  worldIdPolicy?: WorldIdPolicy;
  /** How long an unused world id stays bound to its owner, in ms. Default: 30 days. */
  ownerRetentionMs?: number;
  /** How long the change log keeps events for `/watch` resumption, in ms. Default: 600000. */
  eventRetentionMs?: number;
}

/** Defaults of {@linkcode StoreOptions}, in one place. */
export const STORE_DEFAULTS: Readonly<Required<StoreOptions>> = Object.freeze({
  ttlMs: 90_000,
  maxAgents: 100_000,
  maxLeasesPerAddress: 1000,
  replayWindowMs: 5 * 60_000,
  worldIdPolicy: "owned" as WorldIdPolicy,
  ownerRetentionMs: 30 * 24 * 3600_000,
  eventRetentionMs: 10 * 60_000,
});

/**
 * The lease store. Every method may reject with
 * {@linkcode StoreUnavailableError} while the backing store is unreachable;
 * none hangs longer than its client's timeout.
 */
export interface LeaseStore {
  /** `"memory"` or `"redis"`. */
  readonly kind: string;
  /** Lease time-to-live in ms. */
  readonly ttlMs: number;
  /** The store's clock, in ms since the epoch: the one clock liveness is decided by. */
  now(): Promise<number>;

  /**
   * Records an announce. Refuses a timestamp not newer than the last one
   * accepted from the agent (live, or ended within the replay window), a
   * world id owned by another key (`owned`) or held by another live agent,
   * a new lease past `maxAgents` or `maxLeasesPerAddress`. An expired lease
   * not yet reclaimed (the agent's own, or the world's previous holder's) is
   * reclaimed first, so its `*.expired` precedes the new `*.announced`. A live
   * lease re-announced under another world id, or none, ends its old role
   * (`world.expired` of the old id, or `agent.expired`, reason `deregistered`)
   * before its new one starts (`world.announced` or `agent.announced`); the
   * lease itself goes on.
   */
  announce(input: AnnounceInput): Promise<AnnounceOutcome>;
  /**
   * Renews a live lease from a heartbeat whose signature the caller verified.
   * `ts` must be newer than the last heartbeat accepted.
   */
  renew(agentId: string, ts: number): Promise<RenewOutcome>;
  /**
   * Ends a live lease now. `ts`, for a signed deregistration, is checked and
   * recorded against the heartbeat floor (a replay gets `replay`).
   */
  revoke(
    agentId: string,
    reason: Exclude<ExpiryReason, "ttl">,
    ts?: number,
  ): Promise<RevokeOutcome>;
  /**
   * Reclaims at most `limit` expired leases, oldest deadline first, recording
   * `*.expired` for each; also releases owner bindings past retention and
   * forgets replay floors past the window. `more` says whether more are due.
   */
  sweep(limit: number): Promise<SweepResult>;
  /** The earliest lease deadline held, for scheduling the sweep; `undefined` when none. */
  nextDeadline(): Promise<number | undefined>;

  /** The live record of an agent. */
  get(agentId: string): Promise<LeaseRecord | undefined>;
  /** The live record of the agent hosting a world. */
  getWorld(worldId: string): Promise<LeaseRecord | undefined>;
  /** Live agents, newest lease first. Throws {@linkcode CursorError} for a foreign cursor. */
  listAgents(limit: number, cursor?: string): Promise<Page>;
  /** Live worlds, newest lease first. Throws {@linkcode CursorError} for a foreign cursor. */
  listWorlds(limit: number, cursor?: string): Promise<Page>;
  /** How many agents are live, and how many of them host a world. */
  counts(): Promise<{ agents: number; worlds: number }>;

  /** Who owns a world id (`owned` policy), live or not. */
  owner(worldId: string): Promise<WorldOwner | undefined>;
  /** Owned world ids in id order, `limit` at a time (cursor: the last id of the previous page). */
  listOwners(limit: number, after?: string): Promise<{ owners: WorldOwner[]; next: string | null }>;
  /**
   * Moves the old key's world ids to the new key and revokes the old key's
   * live lease. `replay` unless the rotation is newer than the old key's
   * replay floors (its last announce and heartbeat, live or kept after its
   * lease) and than each binding it moves; it then becomes the old key's
   * heartbeat floor, so a captured rotation never revokes a later lease.
   */
  rotate(input: RotationInput): Promise<RotateOutcome>;
  /** Admin: binds a world id to another key, revoking the live lease of its previous holder. */
  transferWorld(
    worldId: string,
    to: { agentId: string; publicKey: string },
  ): Promise<OwnershipOutcome>;
  /** Admin: frees a world id, revoking its live lease. */
  releaseWorld(worldId: string): Promise<OwnershipOutcome>;

  /** Records whether the gateway could reach the agent's endpoint; a change is a `*.updated` event. */
  setReachable(agentId: string, reachable: boolean): Promise<void>;

  /** Atomically accepts a world's `world.state` timestamp if newer than the last accepted (replay floor). */
  acceptState(worldId: string, ts: number): Promise<boolean>;
  /** Sends a `world.state` frame to every replica's watchers of the world (best-effort, ephemeral). */
  publishState(worldId: string, frame: string): Promise<void>;
  /** Receives frames published by any replica (this one included); returns the unsubscribe function. */
  subscribeState(listener: (worldId: string, frame: string) => void): () => void;

  /** The ordered change log. */
  readonly feed: ChangeFeed;
  /** The webhook side of the change log. */
  readonly outbox: Outbox;
  /** Reachability of the backing store and the post-outage grace. */
  status(): StoreStatus;
  /** Stops background work and releases connections (the memory store writes its snapshot). */
  close(): Promise<void>;
}
