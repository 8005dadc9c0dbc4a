/**
 * The lessor: the directory's rules as a pure, synchronous core. No I/O, no
 * timers; time comes in as an argument, so a 90 s TTL is tested in
 * microseconds. The memory store wraps it (adding the change log and the
 * snapshot); the Redis store runs the same rules as Lua scripts, and one
 * contract test suite holds both to them.
 *
 * A lease is granted by an announce, renewed by heartbeats and re-announces,
 * revoked (deregistration, rotation, admin), and expires `ttlMs` after it was
 * last renewed. Expiry is a deadline, not a sweep: readers never see an
 * expired record, reclaimed or not. {@linkcode Registry.sweep} only reclaims
 * memory and emits `expired` events. The parts live apart, as etcd keeps
 * them: the expiry queue (`_lease_queue.ts`), the replay floors
 * (`_replay_floors.ts`) and the listing index (`_grant_index.ts`).
 *
 * @module
 */
import { LeaseQueue } from "./_lease_queue.ts";
import { ReplayFloors, type Tombstone } from "./_replay_floors.ts";
import { decodeCursor, encodeCursor, GrantIndex } from "./_grant_index.ts";
import {
  type AnnounceInput,
  type AnnounceOutcome,
  CursorError,
  type ExpiryReason,
  type LeaseRecord,
  type OwnershipOutcome,
  type RenewOutcome,
  type RevokeOutcome,
  type RotateOutcome,
  type RotationInput,
  STORE_DEFAULTS,
  type StoreOptions,
  type WorldIdPolicy,
  type WorldOwner,
} from "./store.ts";

export type { Tombstone } from "./_replay_floors.ts";

/** What happened in the registry; the memory store turns these into change events. */
export type RegistryEvent =
  /**
   * A lease was granted: the agent went from offline to online. Also a live
   * lease re-announced under another world id (or none): the world (or plain
   * agent) it now is came online, right after the `expired` of what it was.
   */
  | { type: "granted"; record: LeaseRecord; at: number }
  /** A live lease's public details changed (re-announce, reachability). */
  | { type: "updated"; record: LeaseRecord; at: number }
  /**
   * A lease ended; `at` is when (its deadline, for `ttl`). Also, with reason
   * `deregistered`, a live lease that stopped hosting its world (or stopped
   * being a plain agent): `record` is what it was, the lease goes on.
   */
  | { type: "expired"; record: LeaseRecord; at: number; reason: ExpiryReason }
  /** A world id changed hands. */
  | {
    type: "owner_changed";
    worldId: string;
    previousOwner: string | null;
    owner: string | null;
    cause: "rotation" | "admin_transfer" | "admin_release" | "retention";
    at: number;
  };

/** Options of {@linkcode Registry}: the store options, defaults in {@linkcode STORE_DEFAULTS}. */
export type RegistryOptions = Pick<
  StoreOptions,
  | "ttlMs"
  | "maxAgents"
  | "maxLeasesPerAddress"
  | "replayWindowMs"
  | "worldIdPolicy"
  | "ownerRetentionMs"
>;

/** Default lease TTL: 90 s, three missed 30 s heartbeats. */
export const DEFAULT_TTL_MS: number = STORE_DEFAULTS.ttlMs;
/** Default capacity of one directory. */
export const DEFAULT_MAX_AGENTS: number = STORE_DEFAULTS.maxAgents;

// Lease deadlines sit in 100 ms buckets; owner retention deadlines in 1 min ones.
const LEASE_BUCKET_MS = 100;
const OWNER_BUCKET_MS = 60_000;

/** The public details whose change is a `world.updated` event. */
function sameDetails(record: LeaseRecord, input: AnnounceInput): boolean {
  return record.alias === input.alias && record.version === input.version &&
    record.protocolVersion === input.protocolVersion && record.worldId === input.worldId &&
    JSON.stringify(record.endpoints) === JSON.stringify(input.endpoints) &&
    JSON.stringify(record.capabilities) === JSON.stringify(input.capabilities);
}

/**
 * The lease registry.
 *
 * @example Grant, renew and expire a lease with an injected clock
 * ```ts
 * import { Registry } from "@agentworlds/sdk/gateway";
 * const registry = new Registry({ ttlMs: 90_000 });
 * registry.announce({
 *   agentId: "aw:sha256:ab", publicKey: "k", alias: "Pixel City", endpoints: [],
 *   capabilities: ["world:pixel-city"], worldId: "pixel-city", timestamp: 1, protocolVersion: "1.2",
 * }, 0);
 * console.log(registry.getWorld("pixel-city", 90_000) !== undefined); // true: live at the TTL
 * console.log(registry.getWorld("pixel-city", 90_001)); // undefined: expired, before any sweep
 * ```
 */
export class Registry {
  /** Lease time-to-live in ms. */
  readonly ttlMs: number;
  /** Most live agents held. */
  readonly maxAgents: number;
  /** Most live leases granted from one client address. */
  readonly maxLeasesPerAddress: number;
  /** How long replay floors outlive a lease, in ms. */
  readonly replayWindowMs: number;
  /** How world ids are held. */
  readonly worldIdPolicy: WorldIdPolicy;
  /** How long an unused world id stays bound to its owner, in ms. */
  readonly ownerRetentionMs: number;
  /** Incremented on every change (heartbeats included), so persistence knows when to write. */
  version = 0;

  #records = new Map<string, LeaseRecord>();
  #worlds = new Map<string, string>(); // worldId → agentId of the record holding it
  #perAddress = new Map<string, number>(); // address → records granted from it
  #deadlines = new LeaseQueue<LeaseRecord>(LEASE_BUCKET_MS);
  #floors: ReplayFloors;
  #agentsByGrant = new GrantIndex<LeaseRecord>();
  #worldsByGrant = new GrantIndex<LeaseRecord>();
  #owners = new Map<string, WorldOwner>(); // worldId → binding
  #ownedBy = new Map<string, Set<string>>(); // agentId → worldIds it owns
  #unusedOwners = new LeaseQueue<string>(OWNER_BUCKET_MS); // worldIds by retention deadline
  #graceFrom = Infinity; // leases whose deadline ≥ this are held until #graceUntil
  #graceUntil = -Infinity;
  #restoredInGrace = 0; // leases restored while the grace runs
  #awaitingRenewal = new Set<string>(); // agent ids of those not renewed or ended since
  #listeners = new Set<(event: RegistryEvent) => void>();

  /** Creates an empty registry. */
  constructor(options: RegistryOptions = {}) {
    this.ttlMs = options.ttlMs ?? STORE_DEFAULTS.ttlMs;
    this.maxAgents = options.maxAgents ?? STORE_DEFAULTS.maxAgents;
    this.maxLeasesPerAddress = options.maxLeasesPerAddress ?? STORE_DEFAULTS.maxLeasesPerAddress;
    this.replayWindowMs = options.replayWindowMs ?? STORE_DEFAULTS.replayWindowMs;
    this.worldIdPolicy = options.worldIdPolicy ?? STORE_DEFAULTS.worldIdPolicy;
    this.ownerRetentionMs = options.ownerRetentionMs ?? STORE_DEFAULTS.ownerRetentionMs;
    if (!(this.ttlMs > 0)) throw new RangeError("ttlMs must be positive");
    if (!(this.maxAgents > 0)) throw new RangeError("maxAgents must be positive");
    if (!(this.maxLeasesPerAddress > 0)) {
      throw new RangeError("maxLeasesPerAddress must be positive");
    }
    this.#floors = new ReplayFloors(this.replayWindowMs);
  }

  /** Subscribes to registry events; returns the unsubscribe function. */
  subscribe(listener: (event: RegistryEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: RegistryEvent): void {
    this.version++;
    for (const listener of this.#listeners) listener(event);
  }

  /**
   * Holds every lease whose deadline is at or after `from` until at least
   * `until`: after an outage (the gateway or its store down), each lease live
   * when it began gets one TTL from recovery to be renewed.
   */
  beginGrace(from: number, until: number): void {
    this.#graceFrom = from;
    this.#graceUntil = until;
    for (const record of this.#records.values()) {
      this.#deadlines.set(record, this.leaseExpiresAt(record));
    }
  }

  /**
   * While the post-outage grace runs: how many leases were restored under it
   * and how many of those were neither renewed nor ended since (readiness
   * waits for most of them). Counted as leases are restored and renewed, so
   * asking costs nothing.
   */
  restoredLeases(now: number): { leases: number; unrenewed: number } | undefined {
    if (now > this.#graceUntil || this.#restoredInGrace === 0) return undefined;
    return { leases: this.#restoredInGrace, unrenewed: this.#awaitingRenewal.size };
  }

  /** The running post-outage grace, if any: `[from, until]`. */
  grace(now: number): { from: number; until: number } | undefined {
    return now <= this.#graceUntil ? { from: this.#graceFrom, until: this.#graceUntil } : undefined;
  }

  /** When a record's lease runs out: it is live up to and including this instant. */
  leaseExpiresAt(record: LeaseRecord): number {
    const deadline = record.lastSeen + this.ttlMs;
    return deadline >= this.#graceFrom ? Math.max(deadline, this.#graceUntil) : deadline;
  }

  /** Whether a record's lease is live at `now`. */
  isLive(record: LeaseRecord, now: number): boolean {
    return now <= this.leaseExpiresAt(record);
  }

  /** The live record of an agent, if any. */
  get(agentId: string, now: number): LeaseRecord | undefined {
    const record = this.#records.get(agentId);
    return record && this.isLive(record, now) ? record : undefined;
  }

  /** The live record of the agent hosting a world, if any. */
  getWorld(worldId: string, now: number): LeaseRecord | undefined {
    const agentId = this.#worlds.get(worldId);
    return agentId === undefined ? undefined : this.get(agentId, now);
  }

  /** Who owns a world id at `now` (retention applied), under the `owned` policy. */
  owner(worldId: string, now: number): WorldOwner | undefined {
    const binding = this.#owners.get(worldId);
    if (!binding) return undefined;
    const releaseAt = this.#unusedOwners.deadline(worldId);
    return releaseAt !== undefined && releaseAt < now ? undefined : binding;
  }

  /**
   * Records an announce. Refuses a timestamp not newer than the last one
   * accepted from the agent (live, or ended within the replay window), a
   * world id owned by another key or held by another live agent, and a new
   * lease when the directory or the client address is full.
   */
  announce(input: AnnounceInput, now: number): AnnounceOutcome {
    const existing = this.#records.get(input.agentId);
    const floor = existing?.lastAnnounceTs ??
      this.#floors.get(input.agentId, now)?.lastAnnounceTs ?? -Infinity;
    if (input.timestamp <= floor) {
      return {
        ok: false,
        reason: "replay",
        error: "timestamp is not newer than the last announce accepted from this agent",
      };
    }
    const worldId = input.worldId;
    if (worldId !== undefined) {
      if (this.worldIdPolicy === "owned") {
        this.#releaseIfRetired(worldId, now);
        const binding = this.#owners.get(worldId);
        if (binding && binding.owner !== input.agentId) {
          return {
            ok: false,
            reason: "world_owned",
            error: `world id ${worldId} is owned by another key (${binding.owner})`,
          };
        }
      }
      const holderId = this.#worlds.get(worldId);
      if (holderId !== undefined && holderId !== input.agentId) {
        const holder = this.#records.get(holderId)!;
        if (this.isLive(holder, now)) {
          return {
            ok: false,
            reason: "world_taken",
            error: `world ${worldId} is held by another live agent`,
          };
        }
        // The previous holder ran out but was not reclaimed yet: its end comes first.
        this.#expire([holder]);
      }
    }
    const live = existing !== undefined && this.isLive(existing, now);
    if (!live) {
      // An expired lease not yet reclaimed is reclaimed first, with its event.
      if (existing) this.#expire([existing]);
      if (this.#records.size >= this.maxAgents) this.sweep(now);
      if (this.#records.size >= this.maxAgents) {
        return { ok: false, reason: "full", error: "the directory is full" };
      }
      if (input.address !== undefined) {
        if ((this.#perAddress.get(input.address) ?? 0) >= this.maxLeasesPerAddress) this.sweep(now);
        if ((this.#perAddress.get(input.address) ?? 0) >= this.maxLeasesPerAddress) {
          return {
            ok: false,
            reason: "address_full",
            error:
              `this client address holds ${this.maxLeasesPerAddress} live leases, the most allowed`,
          };
        }
      }
      const floors = this.#floors.get(input.agentId, now);
      this.#floors.delete(input.agentId);
      const record: LeaseRecord = {
        agentId: input.agentId,
        publicKey: input.publicKey,
        alias: input.alias,
        version: input.version,
        protocolVersion: input.protocolVersion,
        endpoints: input.endpoints,
        capabilities: input.capabilities,
        worldId,
        grantedAt: now,
        lastSeen: now,
        lastAnnounceTs: input.timestamp,
        lastHeartbeatTs: floors?.lastHeartbeatTs ?? 0,
        address: input.address,
      };
      this.#insert(record);
      if (worldId !== undefined) this.#useOwner(worldId, record, input.timestamp, now);
      this.#emit({ type: "granted", record, at: now });
      return { ok: true, record, granted: true, changed: true };
    }
    const record = existing;
    const changed = !sameDetails(record, input);
    const moved = record.worldId !== worldId;
    if (moved) {
      // Whoever follows worlds by id sees the old role end before the new one
      // starts: the world it hosted went offline (it said so, signed), and the
      // world (or plain agent) it is now came online. The lease itself goes on.
      if (record.worldId !== undefined) this.#leaveWorld(record, now);
      this.#emit({ type: "expired", record: { ...record }, at: now, reason: "deregistered" });
      record.worldId = worldId;
      if (worldId !== undefined) {
        this.#worlds.set(worldId, record.agentId);
        this.#worldsByGrant.insert(record);
        this.#useOwner(worldId, record, input.timestamp, now);
      }
    }
    record.alias = input.alias;
    record.version = input.version;
    record.protocolVersion = input.protocolVersion;
    record.endpoints = input.endpoints;
    record.capabilities = input.capabilities;
    record.lastAnnounceTs = input.timestamp;
    this.#renew(record, now);
    if (moved) this.#emit({ type: "granted", record, at: now });
    else if (changed) this.#emit({ type: "updated", record, at: now });
    else this.version++;
    return { ok: true, record, granted: false, changed };
  }

  /**
   * Renews a live lease from a heartbeat whose signature the caller has
   * verified. Unknown or expired agents must announce again.
   */
  renew(agentId: string, ts: number, now: number): RenewOutcome {
    const record = this.get(agentId, now);
    if (!record) {
      return { ok: false, reason: "unknown", error: "unknown or expired agent: announce again" };
    }
    if (ts <= record.lastHeartbeatTs) {
      return {
        ok: false,
        reason: "replay",
        error: "ts is not newer than the last heartbeat accepted from this agent",
      };
    }
    record.lastHeartbeatTs = ts;
    this.#renew(record, now);
    this.version++;
    return { ok: true, lastSeen: now };
  }

  /**
   * Ends a live lease now. With `ts` (a signed deregistration), `ts` must be
   * newer than the last heartbeat accepted, and becomes the new floor.
   */
  revoke(
    agentId: string,
    reason: Exclude<ExpiryReason, "ttl">,
    now: number,
    ts?: number,
  ): RevokeOutcome {
    const record = this.get(agentId, now);
    if (!record) return { ok: false, reason: "unknown", error: `no live agent ${agentId}` };
    if (ts !== undefined) {
      if (ts <= record.lastHeartbeatTs) {
        return {
          ok: false,
          reason: "replay",
          error: "ts is not newer than the last heartbeat or deregistration accepted",
        };
      }
      record.lastHeartbeatTs = ts;
    }
    this.#end([record], now, reason);
    return { ok: true, record };
  }

  /** Records whether the agent's endpoint answered; a change is an `updated` event. */
  setReachable(agentId: string, reachable: boolean, now: number): void {
    const record = this.get(agentId, now);
    if (!record) return;
    if (reachable) {
      record.lastReachableAt = now;
      if (record.unreachableSince === undefined) return;
      delete record.unreachableSince;
    } else {
      if (record.unreachableSince !== undefined) return;
      record.unreachableSince = now;
    }
    this.#emit({ type: "updated", record, at: now });
  }

  /**
   * Moves every world id the old key owns to the new key, and revokes the old
   * key's live lease (reason `rotated`). The caller has verified both proofs.
   * The rotation's timestamp must be newer than the old key's replay floors
   * (its last announce and heartbeat) and than each binding it moves; it then
   * becomes the old key's heartbeat floor.
   */
  rotate(input: RotationInput, now: number): RotateOutcome {
    const owned = [...(this.#ownedBy.get(input.oldAgentId) ?? [])].filter((worldId) =>
      this.owner(worldId, now) !== undefined
    );
    const existing = this.#records.get(input.oldAgentId);
    const live = existing && this.isLive(existing, now) ? existing : undefined;
    if (owned.length === 0 && !live) {
      return {
        ok: false,
        reason: "unknown",
        error: `the old key ${input.oldAgentId} owns no world id and holds no lease`,
      };
    }
    // An expired lease not yet reclaimed ends first, so its floors are kept.
    if (existing && !live) this.#expire([existing]);
    // Newer than anything the old key signed and was accepted, so a captured
    // rotation cannot revoke the lease it announced again (a plain agent, or
    // any lease under live-holder, owns no binding whose floor would stop it).
    const floors = live ?? this.#floors.get(input.oldAgentId, now);
    if (floors && input.timestamp <= Math.max(floors.lastAnnounceTs, floors.lastHeartbeatTs)) {
      return {
        ok: false,
        reason: "replay",
        error: "the rotation is not newer than the last announce or heartbeat of the old key",
      };
    }
    for (const worldId of owned) {
      if (input.timestamp <= this.#owners.get(worldId)!.rotationFloor) {
        return {
          ok: false,
          reason: "replay",
          error: "the rotation is older than the binding it would move",
        };
      }
    }
    // The rotation becomes the old key's heartbeat floor, kept past its lease.
    if (live) {
      live.lastHeartbeatTs = input.timestamp;
      this.#end([live], now, "rotated");
    } else {
      this.#floors.keep({
        agentId: input.oldAgentId,
        lastAnnounceTs: floors?.lastAnnounceTs ?? 0,
        lastHeartbeatTs: input.timestamp,
      }, now);
    }
    for (const worldId of owned) {
      this.#bind(worldId, input.newAgentId, input.newPublicKey, input.timestamp, now, false);
      this.#emit({
        type: "owner_changed",
        worldId,
        previousOwner: input.oldAgentId,
        owner: input.newAgentId,
        cause: "rotation",
        at: now,
      });
    }
    return { ok: true, worlds: owned, revoked: live !== undefined };
  }

  /** Admin: binds a world id to a key, revoking the live lease of another holder. */
  transferWorld(
    worldId: string,
    to: { agentId: string; publicKey: string },
    now: number,
  ): OwnershipOutcome {
    if (this.worldIdPolicy !== "owned") {
      return {
        ok: false,
        reason: "policy",
        error: "world ids are not owned under the live-holder policy",
      };
    }
    const previous = this.owner(worldId, now)?.owner;
    const holder = this.getWorld(worldId, now);
    const revoke = holder !== undefined && holder.agentId !== to.agentId;
    if (revoke) this.#end([holder], now, "admin");
    const inUse = holder !== undefined && !revoke;
    this.#bind(worldId, to.agentId, to.publicKey, now, now, inUse);
    this.#emit({
      type: "owner_changed",
      worldId,
      previousOwner: previous ?? null,
      owner: to.agentId,
      cause: "admin_transfer",
      at: now,
    });
    return { ok: true, previous, revoked: revoke };
  }

  /** Admin: frees a world id, revoking its live lease. */
  releaseWorld(worldId: string, now: number): OwnershipOutcome {
    const binding = this.owner(worldId, now);
    const holder = this.getWorld(worldId, now);
    if (!binding && !holder) {
      return {
        ok: false,
        reason: "unknown",
        error: `world id ${worldId} is neither owned nor live`,
      };
    }
    if (holder) this.#end([holder], now, "admin");
    if (binding) {
      this.#unbind(worldId);
      this.#emit({
        type: "owner_changed",
        worldId,
        previousOwner: binding.owner,
        owner: null,
        cause: "admin_release",
        at: now,
      });
    }
    return { ok: true, previous: binding?.owner, revoked: holder !== undefined };
  }

  /**
   * Restores a record from a snapshot, without a `granted` event. A record
   * whose lease had run out (the post-outage grace considered) is not
   * restored: its replay floors are kept and an `expired` event is emitted.
   * Returns whether the record is live.
   */
  restore(record: LeaseRecord, now: number): boolean {
    if (this.#records.has(record.agentId)) return false;
    if (!this.isLive(record, now)) {
      this.#floors.keep(record, now);
      this.#emit({ type: "expired", record, at: this.leaseExpiresAt(record), reason: "ttl" });
      return false;
    }
    if (record.worldId !== undefined && this.getWorld(record.worldId, now)) {
      record.worldId = undefined; // a snapshot never holds two holders; keep the first
    }
    if (this.#records.size >= this.maxAgents) return false;
    this.#insert(record);
    if (record.worldId !== undefined) this.#unusedOwners.delete(record.worldId);
    if (now <= this.#graceUntil) {
      this.#restoredInGrace++;
      this.#awaitingRenewal.add(record.agentId);
    }
    this.version++;
    return true;
  }

  /** Restores replay floors from a snapshot. */
  restoreTombstone(tombstone: Tombstone, now: number): void {
    if (this.#records.has(tombstone.agentId)) return;
    this.#floors.keep(tombstone, now);
  }

  /** Restores an owner binding from a snapshot (before the records, which mark theirs in use). */
  restoreOwner(binding: WorldOwner): void {
    if (this.worldIdPolicy !== "owned") return;
    this.#owners.set(binding.worldId, { ...binding });
    let owned = this.#ownedBy.get(binding.owner);
    if (!owned) this.#ownedBy.set(binding.owner, owned = new Set());
    owned.add(binding.worldId);
    this.#unusedOwners.set(binding.worldId, binding.lastUsedAt + this.ownerRetentionMs);
  }

  /**
   * Reclaims the leases that ran out by `now`, oldest deadline first and at
   * most `limit` of them, emitting `expired` for each; forgets replay floors
   * past the window and releases world ids unused past retention. Returns the
   * reclaimed records; as many as `limit` means more may be due.
   */
  sweep(now: number, limit: number = Infinity): LeaseRecord[] {
    const due = this.#deadlines.takeDue(now, limit);
    this.#expire(due);
    this.#floors.sweep(now);
    if (now > this.#graceUntil && this.#awaitingRenewal.size !== 0) this.#awaitingRenewal.clear();
    for (const worldId of this.#unusedOwners.takeDue(now)) {
      const binding = this.#owners.get(worldId);
      if (!binding) continue;
      this.#unbind(worldId);
      this.#emit({
        type: "owner_changed",
        worldId,
        previousOwner: binding.owner,
        owner: null,
        cause: "retention",
        at: now,
      });
    }
    return due;
  }

  /** The earliest lease deadline still held, or `undefined` when empty. */
  nextDeadline(): number | undefined {
    return this.#deadlines.earliest();
  }

  /** How many agents are live at `now`, and how many of them host a world. */
  counts(now: number): { agents: number; worlds: number } {
    let agents = this.#records.size;
    let worlds = this.#worldsByGrant.size;
    // Only records whose deadline passed but were not reclaimed yet are held and dead.
    this.#deadlines.forEachDue(now, (record) => {
      agents--;
      if (record.worldId !== undefined) worlds--;
    });
    return { agents, worlds };
  }

  /** Live agents, newest lease first, `limit` at a time. */
  listAgents(now: number, limit: number, cursor?: string): {
    records: LeaseRecord[];
    nextCursor: string | null;
  } {
    return this.#page(this.#agentsByGrant, now, limit, cursor);
  }

  /** Live worlds, newest lease first, `limit` at a time. */
  listWorlds(now: number, limit: number, cursor?: string): {
    records: LeaseRecord[];
    nextCursor: string | null;
  } {
    return this.#page(this.#worldsByGrant, now, limit, cursor);
  }

  #page(index: GrantIndex<LeaseRecord>, now: number, limit: number, cursor: string | undefined) {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && !after) throw new CursorError();
    const { records, more } = index.page(limit, after, (record) => this.isLive(record, now));
    const tail = records[records.length - 1];
    return { records, nextCursor: more && tail ? encodeCursor(tail) : null };
  }

  /** Owned world ids in id order, `limit` at a time, after `after`. */
  listOwners(now: number, limit: number, after?: string): {
    owners: WorldOwner[];
    next: string | null;
  } {
    const ids = [...this.#owners.keys()].filter((id) => after === undefined || id > after).sort();
    const owners: WorldOwner[] = [];
    let i = 0;
    for (; i < ids.length && owners.length < limit; i++) {
      const binding = this.owner(ids[i], now);
      if (binding) owners.push(binding);
    }
    const more = ids.slice(i).some((id) => this.owner(id, now) !== undefined);
    return { owners, next: more ? owners[owners.length - 1].worldId : null };
  }

  /** Every record held, live or awaiting reclaim (for snapshots). */
  records(): LeaseRecord[] {
    return [...this.#records.values()];
  }

  /** Every replay floor held for ended leases (for snapshots). */
  tombstones(): Tombstone[] {
    return [...this.#floors.all()];
  }

  /** Every owner binding held (for snapshots). */
  owners(): WorldOwner[] {
    return [...this.#owners.values()];
  }

  /** Number of records held, including expired ones not yet reclaimed. */
  get size(): number {
    return this.#records.size;
  }

  #insert(record: LeaseRecord): void {
    this.#records.set(record.agentId, record);
    this.#agentsByGrant.insert(record);
    if (record.worldId !== undefined) {
      this.#worlds.set(record.worldId, record.agentId);
      this.#worldsByGrant.insert(record);
    }
    if (record.address !== undefined) {
      this.#perAddress.set(record.address, (this.#perAddress.get(record.address) ?? 0) + 1);
    }
    this.#deadlines.set(record, this.leaseExpiresAt(record));
  }

  #renew(record: LeaseRecord, now: number): void {
    if (this.#awaitingRenewal.size !== 0) this.#awaitingRenewal.delete(record.agentId);
    record.lastSeen = now;
    this.#deadlines.set(record, this.leaseExpiresAt(record));
  }

  /** A live lease now holds `worldId`: bind it to the owner if unbound, and mark it in use. */
  #useOwner(worldId: string, record: LeaseRecord, signedTs: number, now: number): void {
    if (this.worldIdPolicy !== "owned") return;
    const binding = this.#owners.get(worldId);
    if (binding) {
      binding.lastUsedAt = now;
      this.#unusedOwners.delete(worldId);
    } else this.#bind(worldId, record.agentId, record.publicKey, signedTs, now, true);
  }

  /** The record stops holding its world (the lease ended or it announced another). */
  #leaveWorld(record: LeaseRecord, now: number): void {
    const worldId = record.worldId!;
    if (this.#worlds.get(worldId) === record.agentId) this.#worlds.delete(worldId);
    this.#worldsByGrant.remove(record);
    const binding = this.#owners.get(worldId);
    if (binding && binding.owner === record.agentId) {
      binding.lastUsedAt = now;
      this.#unusedOwners.set(worldId, now + this.ownerRetentionMs);
    }
  }

  #bind(
    worldId: string,
    agentId: string,
    publicKey: string,
    rotationFloor: number,
    now: number,
    inUse: boolean,
  ): void {
    this.#unbind(worldId);
    this.#owners.set(worldId, {
      worldId,
      owner: agentId,
      publicKey,
      since: now,
      lastUsedAt: now,
      rotationFloor,
    });
    let owned = this.#ownedBy.get(agentId);
    if (!owned) this.#ownedBy.set(agentId, owned = new Set());
    owned.add(worldId);
    if (inUse) this.#unusedOwners.delete(worldId);
    else this.#unusedOwners.set(worldId, now + this.ownerRetentionMs);
  }

  #unbind(worldId: string): void {
    const binding = this.#owners.get(worldId);
    if (!binding) return;
    this.#owners.delete(worldId);
    this.#unusedOwners.delete(worldId);
    const owned = this.#ownedBy.get(binding.owner);
    owned?.delete(worldId);
    if (owned?.size === 0) this.#ownedBy.delete(binding.owner);
  }

  /** Releases a binding whose retention ran out (before the sweep got to it). */
  #releaseIfRetired(worldId: string, now: number): void {
    const binding = this.#owners.get(worldId);
    if (!binding || this.owner(worldId, now)) return;
    this.#unbind(worldId);
    this.#emit({
      type: "owner_changed",
      worldId,
      previousOwner: binding.owner,
      owner: null,
      cause: "retention",
      at: now,
    });
  }

  /** Reclaims leases that ran out and says so, in one batch. */
  #expire(records: LeaseRecord[]): void {
    for (const record of records) this.#endOne(record, this.leaseExpiresAt(record), "ttl");
  }

  /** Ends live leases now (revocation). */
  #end(records: LeaseRecord[], now: number, reason: Exclude<ExpiryReason, "ttl">): void {
    for (const record of records) this.#endOne(record, now, reason);
  }

  #endOne(record: LeaseRecord, at: number, reason: ExpiryReason): void {
    if (this.#awaitingRenewal.size !== 0) this.#awaitingRenewal.delete(record.agentId);
    this.#records.delete(record.agentId);
    this.#deadlines.delete(record);
    this.#agentsByGrant.remove(record);
    if (record.worldId !== undefined) this.#leaveWorld(record, at);
    if (record.address !== undefined) {
      const held = (this.#perAddress.get(record.address) ?? 1) - 1;
      if (held > 0) this.#perAddress.set(record.address, held);
      else this.#perAddress.delete(record.address);
    }
    this.#floors.keep(record, at);
    this.#emit({ type: "expired", record, at, reason });
  }
}
