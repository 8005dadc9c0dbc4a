/**
 * The lease registry: the gateway's single source of truth for which agents
 * (and the worlds they host) are alive. Pure: no I/O, no timers; time comes
 * in as an argument, so a 90 s TTL is tested in microseconds.
 *
 * A lease is granted by an announce, renewed by heartbeats and re-announces,
 * and expires `ttlMs` after it was last renewed. Expiry is a deadline, not a
 * sweep: readers never see an expired record, whether or not it has been
 * reclaimed yet. {@linkcode Registry.sweep} only reclaims memory and emits
 * `expired` events.
 *
 * @module
 */
import type { Endpoint } from "../protocol/mod.ts";
import type { VerifyKey } from "../protocol/signing.ts";

/** Everything the gateway knows of one agent. */
export interface LeaseRecord {
  /** `aw:sha256:` id of the agent's key. */
  readonly agentId: string;
  /** Base64 of the raw Ed25519 public key. */
  readonly publicKey: string;
  /** Display name (the world's name for a world). */
  alias: string;
  /** Software version the agent announced. */
  version?: string;
  /** Where the agent can be reached. */
  endpoints: Endpoint[];
  /** Announced capabilities. */
  capabilities: string[];
  /** The world this agent hosts (capability `world:<id>`), if any. */
  worldId?: string;
  /** When the current lease was granted: the announce that brought it online. */
  grantedAt: number;
  /** When the lease was last renewed. Live while `now - lastSeen <= ttl`. */
  lastSeen: number;
  /** `timestamp` of the last announce accepted; older or equal ones are replays. */
  lastAnnounceTs: number;
  /** `ts` of the last heartbeat accepted; older or equal ones are replays. */
  lastHeartbeatTs: number;
  /** The imported verification key, cached for the heartbeat hot path. */
  verifyKey?: VerifyKey;
}

/** What an announce asks the registry to record. */
export interface AnnounceInput {
  /** The announcing agent's id, already checked against `publicKey`. */
  agentId: string;
  /** Base64 of the agent's raw Ed25519 key. */
  publicKey: string;
  /** Display name. */
  alias: string;
  /** Software version. */
  version?: string;
  /** Where the agent is reached. */
  endpoints: Endpoint[];
  /** Announced capabilities. */
  capabilities: string[];
  /** The world it hosts, from its `world:<id>` capability. */
  worldId?: string;
  /** The announce's signed `timestamp`. */
  timestamp: number;
}

/** Replay floors kept after a lease is reclaimed, until they cannot matter. */
export interface Tombstone {
  /** The agent whose lease was reclaimed. */
  agentId: string;
  /** The last announce `timestamp` accepted from it. */
  lastAnnounceTs: number;
  /** The last heartbeat `ts` accepted from it. */
  lastHeartbeatTs: number;
}

/** The registry's decision on an announce. */
export type AnnounceOutcome =
  | { ok: true; record: LeaseRecord; granted: boolean }
  | { ok: false; reason: "replay" | "world_taken" | "full"; error: string };

/** The registry's decision on a heartbeat. */
export type HeartbeatOutcome =
  | { ok: true; record: LeaseRecord }
  | { ok: false; reason: "unknown" | "replay"; error: string };

/** What happened in the registry; persistence and webhooks listen to these. */
export type RegistryEvent =
  /** A lease was granted: the agent went from offline to online. */
  | { type: "granted"; record: LeaseRecord; at: number }
  /** A live lease was re-announced (its details may have changed). */
  | { type: "announced"; record: LeaseRecord; at: number }
  /** A lease was renewed by a heartbeat. */
  | { type: "renewed"; record: LeaseRecord; at: number }
  /** A lease ran out and was reclaimed; `at` is when it ran out. */
  | { type: "expired"; record: LeaseRecord; at: number }
  /** A record was restored from a snapshot. */
  | { type: "restored"; record: LeaseRecord; at: number };

/** Options of {@linkcode Registry}. */
export interface RegistryOptions {
  /** Lease time-to-live in ms. Default: 90000. */
  ttlMs?: number;
  /** Most records held; a new agent's announce is refused past it. Default: 100000. */
  maxAgents?: number;
  /**
   * How far apart signed timestamps may be from the clock, in ms; replay
   * floors are kept this long after a lease is reclaimed. Default: 300000.
   */
  replayWindowMs?: number;
}

/** Default lease TTL: 90 s, three missed 30 s heartbeats. */
export const DEFAULT_TTL_MS = 90_000;
/** Default capacity of one gateway. */
export const DEFAULT_MAX_AGENTS = 100_000;

// Expiry deadlines are grouped into buckets of this width, so renewing a
// lease is O(1) and a sweep only visits records whose deadline has come.
const BUCKET_MS = 100;
// Replay floors are forgotten by the second: nothing hinges on forgetting sooner.
const TOMBSTONE_BUCKET_MS = 1000;

/**
 * A page of a listing: records newest-granted first, and the cursor of the
 * next page, or `null` when this is the last.
 */
export interface Page {
  /** The live records of this page. */
  records: LeaseRecord[];
  /** Pass as `cursor` for the next page; `null` on the last. */
  nextCursor: string | null;
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
 *   capabilities: ["world:pixel-city"], worldId: "pixel-city", timestamp: 1,
 * }, 0);
 * registry.getWorld("pixel-city", 90_000); // the record: still live at the TTL
 * registry.getWorld("pixel-city", 90_001); // undefined: expired, before any sweep
 * ```
 */
export class Registry {
  /** Lease time-to-live in ms. */
  readonly ttlMs: number;
  /** Most records held. */
  readonly maxAgents: number;
  /** How long replay floors outlive a lease, in ms. */
  readonly replayWindowMs: number;
  /** Incremented on every change, so persistence knows when to write. */
  version = 0;

  #records = new Map<string, LeaseRecord>();
  #worlds = new Map<string, string>(); // worldId → agentId
  #tombstones = new Map<string, Tombstone & { forgetAt: number }>();
  #tombstoneBuckets = new Map<number, Set<string>>(); // ceil(forgetAt / bucket) → agentIds
  #buckets = new Map<number, Set<LeaseRecord>>();
  #bucketOf = new Map<LeaseRecord, number>();
  #sweptThrough = -Infinity; // every bucket ≤ this has been reclaimed
  #agentsByGrant = new GrantIndex();
  #worldsByGrant = new GrantIndex();
  #listeners = new Set<(event: RegistryEvent) => void>();

  /** Creates an empty registry. */
  constructor(options: RegistryOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.maxAgents = options.maxAgents ?? DEFAULT_MAX_AGENTS;
    this.replayWindowMs = options.replayWindowMs ?? 5 * 60_000;
    if (!(this.ttlMs > 0)) throw new RangeError("ttlMs must be positive");
    if (!(this.maxAgents > 0)) throw new RangeError("maxAgents must be positive");
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

  /** When a record's lease runs out: it is live up to and including this instant. */
  leaseExpiresAt(record: LeaseRecord): number {
    return record.lastSeen + this.ttlMs;
  }

  /** Whether a record's lease is live at `now`. */
  isLive(record: LeaseRecord, now: number): boolean {
    return now - record.lastSeen <= this.ttlMs;
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

  /**
   * Records an announce. Refuses a timestamp not newer than the last one
   * accepted from the agent (live, or reclaimed within the replay window), a
   * world id held by another live agent, and a new agent when full.
   */
  announce(input: AnnounceInput, now: number): AnnounceOutcome {
    const existing = this.#records.get(input.agentId);
    const floor = existing?.lastAnnounceTs ??
      this.#tombstone(input.agentId, now)?.lastAnnounceTs ?? -Infinity;
    if (input.timestamp <= floor) {
      return {
        ok: false,
        reason: "replay",
        error: "timestamp is not newer than the last announce accepted from this agent",
      };
    }
    if (input.worldId !== undefined) {
      const holder = this.getWorld(input.worldId, now);
      if (holder && holder.agentId !== input.agentId) {
        return {
          ok: false,
          reason: "world_taken",
          error: `world ${input.worldId} is held by another live agent`,
        };
      }
    }
    const live = existing !== undefined && this.isLive(existing, now);
    if (!live) {
      // An expired record not yet reclaimed is reclaimed first, with its event.
      if (existing) this.#expire([existing], now);
      if (this.#records.size >= this.maxAgents) this.sweep(now);
      if (this.#records.size >= this.maxAgents) {
        return { ok: false, reason: "full", error: "the registry is full" };
      }
      const tombstone = this.#tombstones.get(input.agentId);
      this.#forgetTombstone(input.agentId);
      const record: LeaseRecord = {
        agentId: input.agentId,
        publicKey: input.publicKey,
        alias: input.alias,
        version: input.version,
        endpoints: input.endpoints,
        capabilities: input.capabilities,
        worldId: input.worldId,
        grantedAt: now,
        lastSeen: now,
        lastAnnounceTs: input.timestamp,
        lastHeartbeatTs: tombstone?.lastHeartbeatTs ?? 0,
      };
      this.#insert(record);
      this.#emit({ type: "granted", record, at: now });
      return { ok: true, record, granted: true };
    }
    const record = existing;
    if (record.worldId !== input.worldId) {
      this.#setWorld(record, input.worldId);
    }
    record.alias = input.alias;
    record.version = input.version;
    record.endpoints = input.endpoints;
    record.capabilities = input.capabilities;
    record.lastAnnounceTs = input.timestamp;
    this.#renew(record, now);
    this.#emit({ type: "announced", record, at: now });
    return { ok: true, record, granted: false };
  }

  /**
   * Renews a live lease from a heartbeat whose signature the caller has
   * verified. Unknown or expired agents must announce again.
   */
  heartbeat(agentId: string, ts: number, now: number): HeartbeatOutcome {
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
    this.#emit({ type: "renewed", record, at: now });
    return { ok: true, record };
  }

  /**
   * Restores a record from a snapshot, without a `granted` event. Records
   * already expired at `now` are not restored: their replay floors are kept
   * and an `expired` event is emitted.
   * Returns whether the record is live.
   */
  restore(record: LeaseRecord, now: number): boolean {
    if (this.#records.has(record.agentId)) return false;
    if (!this.isLive(record, now)) {
      // It ran out while the gateway was down: keep its replay floors and
      // say so, so a webhook consumer sees every announced matched by expired.
      this.#keepTombstone(record, now);
      this.#emit({ type: "expired", record, at: this.leaseExpiresAt(record) });
      return false;
    }
    if (record.worldId !== undefined && this.getWorld(record.worldId, now)) {
      record.worldId = undefined; // a snapshot never holds two owners; keep the first
    }
    if (this.#records.size >= this.maxAgents) return false;
    this.#insert(record);
    this.#emit({ type: "restored", record, at: now });
    return true;
  }

  /** Restores replay floors from a snapshot. */
  restoreTombstone(tombstone: Tombstone, now: number): void {
    if (this.#records.has(tombstone.agentId)) return;
    this.#keepTombstone(tombstone, now);
  }

  /**
   * Reclaims the records whose lease ran out by `now`, oldest deadline first
   * and at most `limit` of them (default: all), emitting `expired` for each,
   * and forgets replay floors older than the replay window. Returns the
   * reclaimed records; as many as `limit` means more may be due.
   */
  sweep(now: number, limit: number = Infinity): LeaseRecord[] {
    const reclaimed: LeaseRecord[] = [];
    // Buckets whose every deadline is < now. A deadline d sits in bucket
    // ceil(d / BUCKET_MS); that bucket is past when its upper edge < now.
    const last = Math.ceil(now / BUCKET_MS) - 1;
    let stoppedAt: number | undefined; // a bucket only partly reclaimed, at the limit
    if (this.#buckets.size > 0) {
      const keys =
        this.#sweptThrough === -Infinity || last - this.#sweptThrough > this.#buckets.size
          ? [...this.#buckets.keys()].filter((key) => key <= last).sort((a, b) => a - b)
          : range(this.#sweptThrough + 1, last);
      for (const key of keys) {
        const bucket = this.#buckets.get(key);
        if (!bucket) continue;
        if (reclaimed.length + bucket.size <= limit) {
          for (const record of bucket) reclaimed.push(record);
          this.#buckets.delete(key); // whole: #reclaim need not empty it record by record
          continue;
        }
        for (const record of bucket) {
          if (reclaimed.length >= limit) break;
          reclaimed.push(record);
        }
        stoppedAt = key;
        break;
      }
      // The bucket holding `now` itself may have deadlines already passed.
      const current = stoppedAt === undefined ? this.#buckets.get(last + 1) : undefined;
      if (current) {
        for (const record of current) {
          if (reclaimed.length >= limit) break;
          if (!this.isLive(record, now)) reclaimed.push(record);
        }
      }
    }
    this.#sweptThrough = stoppedAt === undefined
      ? Math.max(this.#sweptThrough, last)
      : stoppedAt - 1;
    this.#expire(reclaimed, now);
    // Replay floors are bucketed by when they may be forgotten, so this
    // visits only buckets that are due, not every floor held.
    const due = Math.ceil(now / TOMBSTONE_BUCKET_MS);
    for (const [key, agentIds] of this.#tombstoneBuckets) {
      if (key > due) continue;
      for (const agentId of agentIds) {
        if (key < due || this.#tombstones.get(agentId)!.forgetAt < now) {
          this.#forgetTombstone(agentId);
        }
      }
    }
    return reclaimed;
  }

  /** The earliest lease deadline still held, or `undefined` when empty. */
  nextDeadline(): number | undefined {
    let earliest: number | undefined;
    for (const key of this.#buckets.keys()) {
      if (earliest === undefined || key < earliest) earliest = key;
    }
    if (earliest === undefined) return undefined;
    let deadline = Infinity;
    for (const record of this.#buckets.get(earliest)!) {
      deadline = Math.min(deadline, this.leaseExpiresAt(record));
    }
    return deadline;
  }

  /** How many agents are live at `now`, and how many of them host a world. */
  counts(now: number): { agents: number; worlds: number } {
    let agents = this.#records.size;
    let worlds = this.#worldsByGrant.size;
    // Only records in buckets not yet swept can be expired-but-held.
    for (const [key, bucket] of this.#buckets) {
      if ((key - 1) * BUCKET_MS >= now) continue;
      for (const record of bucket) {
        if (!this.isLive(record, now)) {
          agents--;
          if (record.worldId !== undefined) worlds--;
        }
      }
    }
    return { agents, worlds };
  }

  /** Live agents, newest lease first, `limit` at a time. */
  listAgents(now: number, limit: number, cursor?: string): Page {
    return this.#agentsByGrant.page(limit, cursor, (r) => this.isLive(r, now));
  }

  /** Live worlds, newest lease first, `limit` at a time. */
  listWorlds(now: number, limit: number, cursor?: string): Page {
    return this.#worldsByGrant.page(limit, cursor, (r) => this.isLive(r, now));
  }

  /** Every record held, live or awaiting reclaim (for snapshots). */
  records(): LeaseRecord[] {
    return [...this.#records.values()];
  }

  /** Every replay floor held for reclaimed leases (for snapshots). */
  tombstones(): Tombstone[] {
    return [...this.#tombstones.values()].map(({ agentId, lastAnnounceTs, lastHeartbeatTs }) => ({
      agentId,
      lastAnnounceTs,
      lastHeartbeatTs,
    }));
  }

  /** Number of records held, including expired ones not yet reclaimed. */
  get size(): number {
    return this.#records.size;
  }

  #tombstone(agentId: string, now: number): Tombstone | undefined {
    const tombstone = this.#tombstones.get(agentId);
    return tombstone && tombstone.forgetAt >= now ? tombstone : undefined;
  }

  #keepTombstone(floors: Tombstone, now: number): void {
    // Past forgetAt, any message at or below these floors is stale anyway.
    const newest = Math.max(floors.lastAnnounceTs, floors.lastHeartbeatTs);
    const forgetAt = Math.max(newest, now) + this.replayWindowMs;
    this.#forgetTombstone(floors.agentId);
    this.#tombstones.set(floors.agentId, {
      agentId: floors.agentId,
      lastAnnounceTs: floors.lastAnnounceTs,
      lastHeartbeatTs: floors.lastHeartbeatTs,
      forgetAt,
    });
    const key = Math.ceil(forgetAt / TOMBSTONE_BUCKET_MS);
    let bucket = this.#tombstoneBuckets.get(key);
    if (!bucket) this.#tombstoneBuckets.set(key, bucket = new Set());
    bucket.add(floors.agentId);
  }

  #forgetTombstone(agentId: string): void {
    const tombstone = this.#tombstones.get(agentId);
    if (!tombstone) return;
    this.#tombstones.delete(agentId);
    const key = Math.ceil(tombstone.forgetAt / TOMBSTONE_BUCKET_MS);
    const bucket = this.#tombstoneBuckets.get(key);
    if (!bucket) return;
    bucket.delete(agentId);
    if (bucket.size === 0) this.#tombstoneBuckets.delete(key);
  }

  #insert(record: LeaseRecord): void {
    this.#records.set(record.agentId, record);
    this.#agentsByGrant.insert(record);
    if (record.worldId !== undefined) {
      this.#worlds.set(record.worldId, record.agentId);
      this.#worldsByGrant.insert(record);
    }
    this.#bucket(record);
  }

  #setWorld(record: LeaseRecord, worldId: string | undefined): void {
    if (record.worldId !== undefined) {
      if (this.#worlds.get(record.worldId) === record.agentId) this.#worlds.delete(record.worldId);
      this.#worldsByGrant.remove(record);
    }
    record.worldId = worldId;
    if (worldId !== undefined) {
      this.#worlds.set(worldId, record.agentId);
      this.#worldsByGrant.insert(record);
    }
  }

  #renew(record: LeaseRecord, now: number): void {
    record.lastSeen = now;
    this.#bucket(record);
  }

  #bucket(record: LeaseRecord): void {
    const key = Math.ceil(this.leaseExpiresAt(record) / BUCKET_MS);
    const previous = this.#bucketOf.get(record);
    if (previous === key) return;
    if (previous !== undefined) {
      const old = this.#buckets.get(previous)!;
      old.delete(record);
      if (old.size === 0) this.#buckets.delete(previous);
    }
    let bucket = this.#buckets.get(key);
    if (!bucket) this.#buckets.set(key, bucket = new Set());
    bucket.add(record);
    this.#bucketOf.set(record, key);
    if (key <= this.#sweptThrough) this.#sweptThrough = key - 1;
  }

  /** Reclaims records whose lease ran out and says so, in one batch. */
  #expire(records: LeaseRecord[], now: number): void {
    if (records.length === 0) return;
    for (const record of records) this.#reclaim(record, now);
    this.#agentsByGrant.removeAll(records);
    this.#worldsByGrant.removeAll(records.filter((r) => r.worldId !== undefined));
    for (const record of records) {
      this.#emit({ type: "expired", record, at: this.leaseExpiresAt(record) });
    }
  }

  /** Drops a record from the maps and buckets; the sweep unindexes in batch. */
  #reclaim(record: LeaseRecord, now: number): void {
    this.#records.delete(record.agentId);
    if (record.worldId !== undefined && this.#worlds.get(record.worldId) === record.agentId) {
      this.#worlds.delete(record.worldId);
    }
    const key = this.#bucketOf.get(record);
    if (key !== undefined) {
      this.#bucketOf.delete(record);
      const bucket = this.#buckets.get(key);
      if (bucket) {
        bucket.delete(record);
        if (bucket.size === 0) this.#buckets.delete(key);
      }
    }
    this.#keepTombstone(record, now);
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/**
 * Records ordered by `(grantedAt, agentId)`, oldest first, for stable
 * newest-first pagination. New leases are granted "now", so inserts land at
 * the end. A sweep's removals are lazy: the records are marked, skipped by
 * pages, and dropped in one pass once they are half the array, so reclaiming
 * k leases costs amortized O(k), not a pass over every record.
 */
class GrantIndex {
  #items: LeaseRecord[] = [];
  #removed = new Set<LeaseRecord>(); // still in #items, awaiting compaction

  get size(): number {
    return this.#items.length - this.#removed.size;
  }

  insert(record: LeaseRecord): void {
    if (this.#removed.has(record)) this.#compact(); // never hold one record twice
    const items = this.#items;
    const last = items[items.length - 1];
    if (!last || compare(last, record) < 0) {
      items.push(record);
      return;
    }
    items.splice(this.#lowerBound(record.grantedAt, record.agentId), 0, record);
  }

  /** Removes one record now. */
  remove(record: LeaseRecord): void {
    if (this.#removed.has(record)) this.#compact();
    for (let i = this.#lowerBound(record.grantedAt, record.agentId); i < this.#items.length; i++) {
      const item = this.#items[i];
      if (item === record) {
        this.#items.splice(i, 1);
        return;
      }
      if (item.grantedAt !== record.grantedAt || item.agentId !== record.agentId) return;
    }
  }

  /** Removes records held here, lazily (see the class doc). */
  removeAll(records: LeaseRecord[]): void {
    for (const record of records) this.#removed.add(record);
    if (this.#removed.size * 2 > this.#items.length) this.#compact();
  }

  #compact(): void {
    const removed = this.#removed;
    if (removed.size === 0) return;
    this.#items = this.#items.filter((record) => !removed.has(record));
    removed.clear();
  }

  /** Index of the first item not less than (grantedAt, agentId). */
  #lowerBound(grantedAt: number, agentId: string): number {
    let lo = 0;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const item = this.#items[mid];
      if (item.grantedAt < grantedAt || (item.grantedAt === grantedAt && item.agentId < agentId)) {
        lo = mid + 1;
      } else hi = mid;
    }
    return lo;
  }

  page(
    limit: number,
    cursor: string | undefined,
    live: (record: LeaseRecord) => boolean,
  ): Page {
    let start = this.#items.length - 1;
    if (cursor !== undefined) {
      const position = decodeCursor(cursor);
      if (!position) throw new CursorError();
      // Continue strictly after (older than) the cursor's record.
      start = this.#lowerBound(position.grantedAt, position.agentId) - 1;
    }
    const removed = this.#removed;
    const shown = (record: LeaseRecord) => !removed.has(record) && live(record);
    const records: LeaseRecord[] = [];
    let i = start;
    for (; i >= 0 && records.length < limit; i--) {
      const record = this.#items[i];
      if (shown(record)) records.push(record);
    }
    let more = false;
    for (; i >= 0; i--) {
      if (shown(this.#items[i])) {
        more = true;
        break;
      }
    }
    const tail = records[records.length - 1];
    return { records, nextCursor: more && tail ? encodeCursor(tail) : null };
  }
}

function compare(a: LeaseRecord, b: LeaseRecord): number {
  return a.grantedAt - b.grantedAt || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0);
}

/** Thrown by listings for a cursor this registry did not make. */
export class CursorError extends Error {
  /** Creates the error. */
  constructor() {
    super("invalid cursor");
    this.name = "CursorError";
  }
}

function encodeCursor(record: LeaseRecord): string {
  return btoa(`${record.grantedAt}|${record.agentId}`).replace(/=+$/, "").replace(/\+/g, "-")
    .replace(/\//g, "_");
}

function decodeCursor(cursor: string): { grantedAt: number; agentId: string } | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  let text: string;
  try {
    text = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return undefined;
  }
  const bar = text.indexOf("|");
  const grantedAt = Number(text.slice(0, bar));
  const agentId = text.slice(bar + 1);
  if (bar <= 0 || !Number.isSafeInteger(grantedAt) || agentId.length === 0) return undefined;
  return { grantedAt, agentId };
}
