/**
 * The memory store: the embedded default {@linkcode LeaseStore}. The rules
 * are the {@linkcode Registry}'s; this adapter adds the store's clock, the
 * change log (`/watch` resumption and the webhook outbox), the `world.state`
 * relay, and the snapshot in `DATA_DIR` (written shortly after each change
 * of the set of live agents, every interval while heartbeats arrive, and on
 * close). At open, leases live when the gateway stopped get one TTL from
 * now to be renewed: a restart is not a mass expiry. Each open also records
 * the change log's new epoch (`directory.epoch`) before the first event, so
 * ids a crash lost are never given to other events.
 *
 * @module
 */
import { EventLog } from "./_event_log.ts";
import { systemTimers, type TimerHandle, type Timers } from "../protocol/_timers.ts";
import { Registry, type RegistryEvent } from "./registry.ts";
import {
  type LoadResult,
  loadSnapshot,
  readEpoch,
  SNAPSHOT_FILE,
  writeEpoch,
  writeSnapshot,
} from "./snapshot.ts";
import type {
  AnnounceInput,
  AnnounceOutcome,
  ChangeEvent,
  ChangeFeed,
  ExpiryReason,
  LeaseRecord,
  LeaseStore,
  Outbox,
  OwnershipOutcome,
  Page,
  RenewOutcome,
  RevokeOutcome,
  RotateOutcome,
  RotationInput,
  StoreOptions,
  StoreStatus,
  SweepResult,
  WorldOwner,
} from "./store.ts";

/** Options of {@linkcode MemoryStore.open}. */
export interface MemoryStoreOptions extends StoreOptions {
  /** The store's clock, ms since the epoch. Default: `Date.now`. */
  clock?: () => number;
  /** Timers for the snapshot schedule. Default: the runtime's. */
  timers?: Timers;
  /** Where the snapshot is kept; without it nothing is persisted. Default: none. */
  dataDir?: string;
  /** Keep undelivered events for webhooks (set when a webhook URL is configured). Default: false. */
  outbox?: boolean;
  /** Most undelivered webhook events kept; the oldest are dropped (and logged) past it. Default: 100000. */
  maxOutbox?: number;
  /** Most change events kept for `/watch` resumption. Default: 10000. */
  maxEvents?: number;
  /** How often the snapshot is written while anything changed, in ms. Default: 30000. */
  snapshotIntervalMs?: number;
  /** How soon after a change of the live set the snapshot is written, in ms. Default: 250. */
  snapshotDelayMs?: number;
  /** Where warnings go. Default: `console.warn`. */
  warn?: (message: string) => void;
}

/** The embedded lease store. */
export class MemoryStore implements LeaseStore {
  /** Always `"memory"`. */
  readonly kind = "memory";
  /** The rules. */
  readonly registry: Registry;
  readonly #log: EventLog;
  /** What loading the snapshot found. */
  readonly loaded: LoadResult | undefined;
  readonly #clock: () => number;
  readonly #timers: Timers;
  readonly #path: string | undefined;
  readonly #intervalMs: number;
  readonly #delayMs: number;
  readonly #warn: (message: string) => void;
  #stateFloors = new Map<string, number>();
  #stateListeners = new Set<(worldId: string, frame: string) => void>();
  #savedVersion = -1;
  #writing: Promise<void> | undefined;
  #again = false;
  #soon: TimerHandle | undefined;
  #interval: TimerHandle | undefined;
  #closed = false;
  /** Snapshots written. */
  writes = 0;
  /** Duration of the last snapshot write, in ms. */
  lastWriteMs = 0;
  /** Size of the last snapshot, in bytes. */
  lastWriteBytes = 0;

  private constructor(
    options: MemoryStoreOptions,
    registry: Registry,
    log: EventLog,
    loaded: LoadResult | undefined,
  ) {
    this.#clock = options.clock ?? Date.now;
    this.#timers = options.timers ?? systemTimers;
    this.#path = options.dataDir === undefined
      ? undefined
      : `${options.dataDir.replace(/\/+$/, "") || "."}/${SNAPSHOT_FILE}`;
    this.#intervalMs = options.snapshotIntervalMs ?? 30_000;
    this.#delayMs = options.snapshotDelayMs ?? 250;
    this.#warn = options.warn ?? console.warn;
    this.registry = registry;
    this.#log = log;
    this.loaded = loaded;
  }

  /**
   * Creates the store, loading the snapshot from `dataDir` when given.
   *
   * @example An in-memory store with a clock a test moves
   * ```ts
   * import { MemoryStore } from "@agentworlds/sdk/gateway";
   * let now = 1_000_000;
   * const store = await MemoryStore.open({ clock: () => now, ttlMs: 2000 });
   * await store.announce({
   *   agentId: "aw:sha256:ab", publicKey: "k", alias: "Pixel City", endpoints: [],
   *   capabilities: ["world:pixel-city"], worldId: "pixel-city", timestamp: now, protocolVersion: "1.2",
   * });
   * now += 2001;
   * console.log(await store.getWorld("pixel-city")); // undefined: the lease ran out
   * await store.close();
   * ```
   */
  static async open(options: MemoryStoreOptions = {}): Promise<MemoryStore> {
    const clock = options.clock ?? Date.now;
    const warn = options.warn ?? console.warn;
    const registry = new Registry(options);
    const log = new EventLog({
      clock,
      maxEvents: options.maxEvents,
      retentionMs: options.eventRetentionMs,
      outbox: options.outbox,
      maxPending: options.maxOutbox,
      onDrop: (count) =>
        warn(`webhook outbox full: dropped the ${count} oldest undelivered event(s)`),
    });
    registry.subscribe((event) => log.append(changeOf(event)));
    let loaded: LoadResult | undefined;
    if (options.dataDir !== undefined) {
      await Deno.mkdir(options.dataDir, { recursive: true });
      loaded = await loadSnapshot(options.dataDir, warn);
      const { contents } = loaded;
      const now = clock();
      const lastEpoch = await readEpoch(options.dataDir, warn);
      if (loaded.source !== "none" && loaded.source !== "legacy") {
        log.restore(contents.log, lastEpoch);
      } else log.restore(EMPTY_LOG, lastEpoch);
      // Before the first id: a crash from here on cannot make this start's
      // ids another's (a failed write leaves the clock to keep them apart).
      await writeEpoch(options.dataDir, log.epoch).catch((error) =>
        warn(`could not record the change log's epoch: ${(error as Error).message}`)
      );
      for (const owner of contents.owners) registry.restoreOwner(owner);
      for (const tombstone of contents.tombstones) registry.restoreTombstone(tombstone, now);
      // The gateway was down from savedAt to now: every lease live then is
      // held for one TTL from now (etcd extends leases on a leader change).
      if (loaded.source !== "none") registry.beginGrace(contents.savedAt, now + registry.ttlMs);
      // In grant order each restore appends to the listing indexes.
      contents.records.sort((a, b) =>
        a.grantedAt - b.grantedAt || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0)
      );
      for (const record of contents.records) registry.restore(record, now);
    }
    const store = new MemoryStore(options, registry, log, loaded);
    store.#savedVersion = loaded && loaded.source !== "current" ? -1 : store.#version();
    registry.subscribe(() => store.#saveSoon());
    if (store.#path) store.#schedule();
    return store;
  }

  /** Lease time-to-live in ms. */
  get ttlMs(): number {
    return this.registry.ttlMs;
  }

  /** The change feed: a bounded log kept in the snapshot. */
  get feed(): ChangeFeed {
    return this.#log;
  }

  /** The webhook outbox: the same log's undelivered events, bounded, kept in the snapshot. */
  get outbox(): Outbox {
    return this.#log;
  }

  /** Undelivered webhook events dropped because the outbox was full. */
  get outboxDropped(): number {
    return this.#log.dropped;
  }

  /** The store's clock. */
  now(): Promise<number> {
    return Promise.resolve(this.#clock());
  }

  /** See {@linkcode LeaseStore.announce}. */
  announce(input: AnnounceInput): Promise<AnnounceOutcome> {
    return Promise.resolve(this.registry.announce(input, this.#clock()));
  }

  /** See {@linkcode LeaseStore.renew}. */
  renew(agentId: string, ts: number): Promise<RenewOutcome> {
    return Promise.resolve(this.registry.renew(agentId, ts, this.#clock()));
  }

  /** See {@linkcode LeaseStore.revoke}. */
  revoke(
    agentId: string,
    reason: Exclude<ExpiryReason, "ttl">,
    ts?: number,
  ): Promise<RevokeOutcome> {
    return Promise.resolve(this.registry.revoke(agentId, reason, this.#clock(), ts));
  }

  /** See {@linkcode LeaseStore.sweep}. */
  sweep(limit: number): Promise<SweepResult> {
    const now = this.#clock();
    const expired = this.registry.sweep(now, limit)
      .map(({ agentId, worldId }) => ({ agentId, worldId }));
    for (const worldId of this.#stateFloors.keys()) {
      if (!this.registry.getWorld(worldId, now)) this.#stateFloors.delete(worldId);
    }
    return Promise.resolve({ reclaimed: expired.length, more: expired.length >= limit, expired });
  }

  /** See {@linkcode LeaseStore.nextDeadline}. */
  nextDeadline(): Promise<number | undefined> {
    return Promise.resolve(this.registry.nextDeadline());
  }

  /** See {@linkcode LeaseStore.get}. */
  get(agentId: string): Promise<LeaseRecord | undefined> {
    return Promise.resolve(this.registry.get(agentId, this.#clock()));
  }

  /** See {@linkcode LeaseStore.getWorld}. */
  getWorld(worldId: string): Promise<LeaseRecord | undefined> {
    return Promise.resolve(this.registry.getWorld(worldId, this.#clock()));
  }

  /** See {@linkcode LeaseStore.listAgents}. */
  listAgents(limit: number, cursor?: string): Promise<Page> {
    return this.#page(() => this.registry.listAgents(this.#clock(), limit, cursor));
  }

  /** See {@linkcode LeaseStore.listWorlds}. */
  listWorlds(limit: number, cursor?: string): Promise<Page> {
    return this.#page(() => this.registry.listWorlds(this.#clock(), limit, cursor));
  }

  #page(list: () => Omit<Page, "revision">): Promise<Page> {
    try {
      return Promise.resolve({ ...list(), revision: this.#log.revisionNow() });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** See {@linkcode LeaseStore.counts}. */
  counts(): Promise<{ agents: number; worlds: number }> {
    return Promise.resolve(this.registry.counts(this.#clock()));
  }

  /** See {@linkcode LeaseStore.owner}. */
  owner(worldId: string): Promise<WorldOwner | undefined> {
    return Promise.resolve(this.registry.owner(worldId, this.#clock()));
  }

  /** See {@linkcode LeaseStore.listOwners}. */
  listOwners(
    limit: number,
    after?: string,
  ): Promise<{ owners: WorldOwner[]; next: string | null }> {
    return Promise.resolve(this.registry.listOwners(this.#clock(), limit, after));
  }

  /** See {@linkcode LeaseStore.rotate}. */
  rotate(input: RotationInput): Promise<RotateOutcome> {
    return Promise.resolve(this.registry.rotate(input, this.#clock()));
  }

  /** See {@linkcode LeaseStore.transferWorld}. */
  transferWorld(
    worldId: string,
    to: { agentId: string; publicKey: string },
  ): Promise<OwnershipOutcome> {
    return Promise.resolve(this.registry.transferWorld(worldId, to, this.#clock()));
  }

  /** See {@linkcode LeaseStore.releaseWorld}. */
  releaseWorld(worldId: string): Promise<OwnershipOutcome> {
    return Promise.resolve(this.registry.releaseWorld(worldId, this.#clock()));
  }

  /** See {@linkcode LeaseStore.setReachable}. */
  setReachable(agentId: string, reachable: boolean): Promise<void> {
    this.registry.setReachable(agentId, reachable, this.#clock());
    return Promise.resolve();
  }

  /** See {@linkcode LeaseStore.acceptState}. */
  acceptState(worldId: string, ts: number): Promise<boolean> {
    if (ts <= (this.#stateFloors.get(worldId) ?? -Infinity)) return Promise.resolve(false);
    this.#stateFloors.set(worldId, ts);
    return Promise.resolve(true);
  }

  /** See {@linkcode LeaseStore.publishState}: one process, so straight to the listeners. */
  publishState(worldId: string, frame: string): Promise<void> {
    for (const listener of this.#stateListeners) listener(worldId, frame);
    return Promise.resolve();
  }

  /** See {@linkcode LeaseStore.subscribeState}. */
  subscribeState(listener: (worldId: string, frame: string) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** Always reachable; the grace after a restart while it runs, with its restored leases. */
  status(): StoreStatus {
    const now = this.#clock();
    const grace = this.registry.grace(now);
    if (!grace) return { reachable: true };
    const restored = this.registry.restoredLeases(now);
    return restored
      ? { reachable: true, graceUntil: grace.until, restored }
      : { reachable: true, graceUntil: grace.until };
  }

  #version(): number {
    return this.registry.version + this.#log.acks;
  }

  /** Whether anything changed since the last snapshot began. */
  get dirty(): boolean {
    return this.#version() !== this.#savedVersion;
  }

  #saveSoon(): void {
    if (!this.#path || this.#closed || this.#soon !== undefined) return;
    this.#soon = this.#timers.setTimeout(() => {
      this.#soon = undefined;
      this.save().catch(() => {});
    }, this.#delayMs);
  }

  #schedule(): void {
    this.#interval = this.#timers.setTimeout(() => {
      if (this.#closed) return;
      if (this.dirty) this.save().catch(() => {});
      this.#schedule();
    }, this.#intervalMs);
  }

  /** Writes the snapshot now (after the write in progress). Failures are logged and rethrown. */
  save(): Promise<void> {
    if (!this.#path) return Promise.resolve();
    this.#timers.clearTimeout(this.#soon); // this write covers a pending debounced one
    this.#soon = undefined;
    if (this.#writing) {
      this.#again = true;
      return this.#writing;
    }
    this.#writing = this.#write(this.#path).finally(() => {
      this.#writing = undefined;
      if (this.#again) {
        this.#again = false;
        this.save().catch(() => {});
      }
    });
    return this.#writing;
  }

  async #write(path: string): Promise<void> {
    const version = this.#version();
    const started = performance.now();
    try {
      this.lastWriteBytes = await writeSnapshot(path, {
        savedAt: this.#clock(),
        records: this.registry.records(),
        tombstones: this.registry.tombstones(),
        owners: this.registry.owners(),
        log: this.#log.state(),
      });
      this.#savedVersion = version;
      this.writes++;
      this.lastWriteMs = performance.now() - started;
    } catch (error) {
      this.#warn(`snapshot write to ${path} failed: ${(error as Error).message}`);
      throw error;
    }
  }

  /** Stops the snapshot schedule and writes a last snapshot if anything changed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#timers.clearTimeout(this.#soon);
    this.#timers.clearTimeout(this.#interval);
    this.#soon = undefined;
    while (this.#writing) await this.#writing.catch(() => {});
    if (this.#path && this.dirty) await this.save().catch(() => {});
  }
}

const EMPTY_LOG = { generation: "", seq: 0, floor: "", events: [], pending: [] };

/** The change event of a registry event. */
function changeOf(event: RegistryEvent): Omit<ChangeEvent, "id"> {
  if (event.type === "owner_changed") {
    return {
      type: "world.owner_changed",
      at: event.at,
      agentId: event.owner ?? event.previousOwner ?? "",
      worldId: event.worldId,
      previousOwner: event.previousOwner,
      owner: event.owner,
      cause: event.cause,
    };
  }
  const record = event.record;
  const kind = record.worldId === undefined ? "agent" : "world";
  const base = { at: event.at, agentId: record.agentId, worldId: record.worldId };
  if (event.type === "expired") {
    return { type: `${kind}.expired`, ...base, reason: event.reason };
  }
  return {
    type: event.type === "granted" ? `${kind}.announced` : `${kind}.updated`,
    ...base,
    record: { ...record },
  };
}
