/**
 * The Redis store: the directory on Redis 7 or Valkey, so N stateless
 * gateway replicas share it and losing one loses nothing.
 *
 * Every operation is one Lua script (see `_redis_scripts.ts`), so each rule
 * (replay floors, world-id ownership and exclusivity, capacity, exactly one
 * `*.announced` per grant and one `*.expired` per expiry) holds atomically
 * across replicas. Time is Redis `TIME`, the one clock every replica agrees
 * on (a `clock` option replaces it in tests). Changes go to one Redis stream
 * in the same atomic step; the feed tails it and the webhook outbox reads it
 * through a consumer group.
 *
 * While Redis cannot be reached every call rejects quickly with
 * {@linkcode StoreUnavailableError} (the gateway answers 503) and the store
 * reconnects by itself. After an outage longer than a few seconds, every
 * lease live when it began is held for one TTL from recovery (see
 * {@linkcode RedisStoreOptions.outageGraceAfterMs}), so a directory that was
 * unreachable does not expire every world it holds.
 *
 * @example Connect (waits and retries while Redis is unreachable)
 * ```ts ignore
 * import { RedisStore } from "@agentworlds/sdk/gateway";
 * const store = await RedisStore.connect({ url: "redis://127.0.0.1:6379", prefix: "aw" });
 * console.log(await store.counts());
 * await store.close();
 * ```
 *
 * @module
 */
import {
  type AnnounceInput,
  type AnnounceOutcome,
  type AnnounceRefusal,
  type ChangeFeed,
  CursorError,
  type ExpiryReason,
  type LeaseRecord,
  type LeaseStore,
  type Outbox,
  type OwnershipOutcome,
  type Page,
  type RenewOutcome,
  type RevokeOutcome,
  type RotateOutcome,
  type RotationInput,
  STORE_DEFAULTS,
  type StoreOptions,
  type StoreStatus,
  StoreUnavailableError,
  type SweepResult,
  type WorldOwner,
} from "./store.ts";
import type { Redis } from "ioredis";
import { decodeCursor, encodeCursor } from "./_grant_index.ts";
import {
  announceArgument,
  type Flat,
  grantMember,
  positionOf,
  recordFrom,
} from "./_redis_codec.ts";
import { isUnavailable, redactUrl, RedisConnection } from "./_redis_connection.ts";
import { RedisFeed } from "./_redis_feed.ts";
import { checkRedisPrefix, checkRedisUrl, REDIS_STORE_DEFAULTS } from "./redis_config.ts";

export { REDIS_STORE_DEFAULTS, type RedisStoreDefaults } from "./redis_config.ts";
import { type Logger, silentLogger } from "./log.ts";
import { RedisOutbox, WEBHOOK_GROUP } from "./_redis_outbox.ts";
import { type RedisScript, SCRIPTS } from "./_redis_scripts.ts";

/** Options of {@linkcode RedisStore.connect}. */
export interface RedisStoreOptions extends StoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  url: string;
  /**
   * Every key starts with `{prefix}:` (one hash tag: one Redis Cluster slot),
   * so several directories can share one Redis. Default: `"aw"`.
   */
  prefix?: string;
  /** Longest wait for one Redis reply, in ms; past it the call is unavailable. Default: 1000. */
  commandTimeoutMs?: number;
  /** PEM of the CA of a `rediss://` server whose certificate no public CA signed. */
  tlsCa?: string;
  /**
   * The store clock, in ms. Default: Redis `TIME` (the one clock all
   * replicas share). Tests pass a manual clock.
   */
  clock?: () => number;
  /** Where the store logs (connection lost and back, trimming, grace). Default: none. */
  logger?: Logger;
  /**
   * When no replica has ticked for longer than this (Redis was down, or every
   * replica was), the leases live when the ticks stopped get one TTL from
   * recovery. `0` turns the grace off. Default: 5000.
   */
  outageGraceAfterMs?: number;
  /**
   * How often this replica ticks (writes its liveness time, notes a running
   * grace, trims the change log every tenth tick), in ms. `0` runs no timer
   * (tests call {@linkcode RedisStore.tick}). Default: 1000.
   */
  tickMs?: number;
  /**
   * Most events the change log keeps, even ones the webhook consumer has not
   * acknowledged (dropping those is logged as an error). Default: 1000000.
   */
  maxEvents?: number;
  /**
   * Most leases one sweep script reclaims: a longer script stalls Redis
   * (100 ≈ 5 ms of Redis CPU; see `deno task bench redis`). Default: 100.
   */
  sweepBatch?: number;
  /**
   * Most index entries one listing page visits, so a page over a mass expiry
   * not yet swept stays short (it may then hold fewer records than asked,
   * with a cursor to go on). Default: 5000.
   */
  listBudget?: number;
  /**
   * This replica delivers webhooks (set it when they are configured): the
   * consumer group is created at connect, so every event recorded from then
   * on is delivered, and this replica's trims never drop an event the group
   * has not acknowledged, however long no replica led (only `maxEvents`
   * does). Without it the group is created by the first `outbox.lead()`.
   * Default: false.
   */
  outbox?: boolean;
  /** How long {@linkcode RedisStore.connect} waits between attempts, in ms. Default: 1000. */
  connectRetryMs?: number;
  /** Aborts {@linkcode RedisStore.connect}'s waiting. */
  signal?: AbortSignal;
}

type ResolvedOptions = Required<Omit<RedisStoreOptions, "clock" | "tlsCa" | "signal" | "logger">>;

const REFUSALS = new Set<string>(["replay", "world_owned", "world_taken", "full", "address_full"]);
const TRIM_EVERY_TICKS = 10;

/** A lease store on Redis 7 or Valkey; see the module documentation. */
export class RedisStore implements LeaseStore {
  /** `"redis"`. */
  readonly kind = "redis";
  /** Lease time-to-live in ms. */
  readonly ttlMs: number;
  /** The ordered change log (a Redis stream). */
  readonly feed: ChangeFeed;
  /** The webhook side of the change log (a consumer group). */
  readonly outbox: Outbox;
  /** The key base, `{prefix}:`. */
  readonly keyBase: string;
  /** Events the webhook group had not acknowledged that this replica's trims dropped. */
  unacknowledgedDropped = 0;

  readonly #connection: RedisConnection;
  readonly #feed: RedisFeed;
  readonly #outbox: RedisOutbox;
  readonly #options: ResolvedOptions;
  readonly #clock?: () => number;
  readonly #log: Logger;
  readonly #stateChannel: string;
  #reachable = false;
  #lastError?: string;
  #graceUntil?: number;
  #ticks = 0;
  #tickTimer?: ReturnType<typeof setTimeout>;
  #ticking?: Promise<void>;
  #subscriber?: Redis;
  #subscribed?: Promise<void>;
  #stateListeners = new Set<(worldId: string, frame: string) => void>();
  #closed = false;

  private constructor(options: RedisStoreOptions, connection: RedisConnection) {
    this.#options = {
      ...STORE_DEFAULTS,
      ...REDIS_STORE_DEFAULTS,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    } as ResolvedOptions;
    this.#clock = options.clock;
    this.#log = options.logger ?? silentLogger;
    this.ttlMs = this.#options.ttlMs;
    this.keyBase = `{${this.#options.prefix}}:`;
    this.#stateChannel = `${this.keyBase}state`;
    this.#connection = connection;
    const streamKey = `${this.keyBase}ev`;
    this.#feed = new RedisFeed({
      streamKey,
      logger: this.#log,
      read: async (after, limit) => await this.#run(SCRIPTS.feedRead, [after, limit]) as unknown[],
      revision: async () => await this.#run(SCRIPTS.revision, []) as string,
      trimmed: () => this.#meta("trim"),
      tailClient: () =>
        connection.duplicate("aw-feed", {
          lazyConnect: true,
          // XREAD BLOCK waits 2 s; a reply later than that means a dead connection.
          commandTimeout: 2000 + this.#options.commandTimeoutMs,
        }),
    });
    this.feed = this.#feed;
    this.outbox = this.#outbox = new RedisOutbox({
      streamKey,
      run: (script, args) => this.#run(script, args),
      command: (name, ...args) => this.#command(name, ...args),
    });
  }

  /**
   * Connects to Redis and starts the store. While Redis cannot be reached it
   * waits and retries (logging each attempt), rather than serving an empty
   * directory; `signal` aborts the wait.
   */
  static async connect(options: RedisStoreOptions): Promise<RedisStore> {
    const urlError = checkRedisUrl(options.url);
    if (urlError !== undefined) throw new TypeError(`REDIS_URL ${urlError}`);
    const prefixError = checkRedisPrefix(options.prefix ?? REDIS_STORE_DEFAULTS.prefix);
    if (prefixError !== undefined) throw new TypeError(`REDIS_PREFIX ${prefixError}`);
    const connection = new RedisConnection({
      url: options.url,
      commandTimeoutMs: options.commandTimeoutMs ?? REDIS_STORE_DEFAULTS.commandTimeoutMs,
      tlsCa: options.tlsCa,
      name: "aw-store",
    });
    const store = new RedisStore(options, connection);
    try {
      await connection.prepare(Object.values(SCRIPTS));
      await store.#waitForRedis(options.signal);
      await store.#checkVersion();
      await store.tick();
      if (store.#options.outbox) await store.#outbox.prepare();
      await store.#feed.start();
      const tickMs = store.#options.tickMs;
      if (tickMs > 0) store.#scheduleTick(tickMs);
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  async #waitForRedis(signal?: AbortSignal): Promise<void> {
    const where = redactUrl(this.#options.url);
    for (let attempt = 1;; attempt++) {
      signal?.throwIfAborted();
      try {
        await this.#connection.ready(this.#options.connectRetryMs);
        await this.#connection.command("ping");
        if (attempt > 1) this.#log.info(`redis: reached ${where}`, { attempts: attempt });
        return;
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        // The first failure, then every tenth: clear, without a line a second.
        if (attempt === 1 || attempt % 10 === 0) {
          this.#log.warn(`redis: cannot reach ${where} (REDIS_URL); retrying`, {
            attempt,
            retryMs: this.#options.connectRetryMs,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
      if (this.#connection.client.status !== "reconnecting") {
        await abortableDelay(this.#options.connectRetryMs, signal);
      }
    }
  }

  // EVALSHA_RO, XADD <ms>-* and the consumer group's lag are Redis 7.0.
  async #checkVersion(): Promise<void> {
    const info = await this.#command("info", "server") as string;
    const version = info.match(/^redis_version:(\S+)/m)?.[1] ?? "";
    if (!(Number(version.split(".")[0]) >= 7)) {
      throw new Error(
        `REDIS_URL: the Redis store needs Redis 7.0 or newer (or Valkey); the server is ${
          version || "of an unknown version"
        }`,
      );
    }
  }

  #scheduleTick(ms: number): void {
    this.#tickTimer = setTimeout(() => {
      this.#ticking = this.tick().catch(() => {}).finally(() => {
        if (!this.#closed) this.#scheduleTick(ms);
      });
    }, ms);
  }

  /**
   * One tick of this replica: records that it is alive (the outage
   * detection's heartbeat), notes a running grace, and every tenth tick
   * trims the change log. The timer calls it every `tickMs`.
   */
  async tick(): Promise<void> {
    const grace = await this.#run(SCRIPTS.alive, []) as string[];
    this.#graceUntil = grace.length === 2 ? Number(grace[1]) : undefined;
    if (this.#ticks++ % TRIM_EVERY_TICKS === 0) await this.trim();
  }

  /**
   * Trims the change log to `eventRetentionMs` and to `maxEvents` at most.
   * Events the webhook group has not acknowledged are kept past the
   * retention while webhooks are delivered: always when this replica
   * delivers them (`outbox`), else while another replica led within the
   * retention. Only the cap, or a deployment where no replica delivers,
   * drops them, and every such drop is logged as an error with its count.
   */
  async trim(): Promise<{ trimmed: number; unacknowledgedDropped: number }> {
    const [trimmed, byRetention, byCap] = await this.#run(SCRIPTS.trim, [
      this.#options.eventRetentionMs,
      this.#options.maxEvents,
      WEBHOOK_GROUP,
      this.#options.outbox ? 1 : 0,
    ]) as [number, number, number];
    if (byRetention > 0) {
      this.#log.error(
        "change log: dropped events webhooks had not delivered, past the retention with no replica delivering webhooks",
        { dropped: byRetention, eventRetentionMs: this.#options.eventRetentionMs },
      );
    }
    if (byCap > 0) {
      this.#log.error("change log: over maxEvents, dropped events webhooks had not delivered", {
        dropped: byCap,
        maxEvents: this.#options.maxEvents,
      });
    }
    this.unacknowledgedDropped += byRetention + byCap;
    return { trimmed, unacknowledgedDropped: byRetention + byCap };
  }

  #header(): (string | number)[] {
    const grace = this.#options.outageGraceAfterMs;
    return [
      this.#clock ? String(this.#clock()) : "",
      this.#options.ttlMs,
      grace > 0 ? grace : "",
    ];
  }

  async #run(script: RedisScript, args: (string | number)[]): Promise<unknown> {
    this.#assertOpen();
    try {
      const reply = await this.#connection.script(script, this.keyBase, [
        ...this.#header(),
        ...args,
      ]);
      this.#markReachable();
      return reply;
    } catch (error) {
      this.#markUnreachable(error);
      throw error;
    }
  }

  async #command(name: string, ...args: (string | number)[]): Promise<unknown> {
    this.#assertOpen();
    try {
      const reply = await this.#connection.command(name, ...args);
      this.#markReachable();
      return reply;
    } catch (error) {
      this.#markUnreachable(error);
      throw error;
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreUnavailableError("the store is closed");
  }

  #markReachable(): void {
    if (this.#reachable) return;
    if (this.#lastError !== undefined) this.#log.info("redis: reachable again");
    this.#reachable = true;
    this.#lastError = undefined;
  }

  #markUnreachable(error: unknown): void {
    if (!(error instanceof StoreUnavailableError)) return;
    if (this.#reachable || this.#lastError === undefined) {
      this.#log.error("redis: unreachable; answering 503 until it is back", {
        error: error.message,
      });
    }
    this.#reachable = false;
    this.#lastError = error.message;
  }

  async #meta(field: string): Promise<string> {
    return (await this.#command("hget", `${this.keyBase}meta`, field) as string | null) ?? "";
  }

  /** See {@linkcode LeaseStore.now}. */
  async now(): Promise<number> {
    if (this.#clock) return this.#clock();
    const [seconds, micros] = await this.#command("time") as [string, string];
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  /** See {@linkcode LeaseStore.announce}. */
  async announce(input: AnnounceInput): Promise<AnnounceOutcome> {
    const o = this.#options;
    const reply = await this.#run(SCRIPTS.announce, [
      announceArgument(input),
      o.maxAgents,
      o.maxLeasesPerAddress,
      o.replayWindowMs,
      o.worldIdPolicy,
      o.ownerRetentionMs,
    ]) as unknown[];
    if (reply[0] === 0) {
      const reason = String(reply[1]);
      if (!REFUSALS.has(reason)) throw new Error(`announce script refused with ${reason}`);
      return { ok: false, reason: reason as AnnounceRefusal, error: String(reply[2]) };
    }
    return {
      ok: true,
      granted: reply[1] === 1,
      changed: reply[2] === 1,
      record: recordFrom(input.agentId, reply[3] as Flat),
    };
  }

  /** See {@linkcode LeaseStore.renew}. */
  async renew(agentId: string, ts: number): Promise<RenewOutcome> {
    const reply = await this.#run(SCRIPTS.renew, [agentId, String(ts)]) as [number, string];
    if (reply[0] === 1) return { ok: true, lastSeen: Number(reply[1]) };
    return refusal(reply[1] as "unknown" | "replay", "heartbeat");
  }

  /** See {@linkcode LeaseStore.revoke}. */
  async revoke(
    agentId: string,
    reason: Exclude<ExpiryReason, "ttl">,
    ts?: number,
  ): Promise<RevokeOutcome> {
    const reply = await this.#run(SCRIPTS.revoke, [
      agentId,
      reason,
      ts === undefined ? "" : String(ts),
      this.#options.replayWindowMs,
    ]) as [number, string | Flat];
    if (reply[0] === 0) return refusal(reply[1] as "unknown" | "replay", "deregistration");
    const record = recordFrom(agentId, reply[1] as Flat);
    if (ts !== undefined) record.lastHeartbeatTs = ts;
    return { ok: true, record };
  }

  /** See {@linkcode LeaseStore.sweep}. */
  async sweep(limit: number): Promise<SweepResult> {
    const expired: SweepResult["expired"] = [];
    let more = false;
    // Batches, so no one script holds Redis long (see sweepBatch).
    while (expired.length < limit) {
      const batch = Math.min(limit - expired.length, this.#options.sweepBatch);
      const [count, due, , ended] = await this.#run(SCRIPTS.sweep, [
        batch,
        this.#options.replayWindowMs,
        this.#options.ownerRetentionMs,
      ]) as [number, number, number, string[]];
      for (let i = 0; i < ended.length; i += 2) {
        expired.push(
          ended[i + 1] === "" ? { agentId: ended[i] } : {
            agentId: ended[i],
            worldId: ended[i + 1],
          },
        );
      }
      more = due === 1;
      if (!more || count < batch) break;
    }
    return { reclaimed: expired.length, more, expired };
  }

  /** See {@linkcode LeaseStore.nextDeadline}. */
  async nextDeadline(): Promise<number | undefined> {
    const reply = await this.#run(SCRIPTS.nextDeadline, []) as string[];
    return reply.length === 0 ? undefined : Number(reply[0]);
  }

  /** See {@linkcode LeaseStore.get}. */
  async get(agentId: string): Promise<LeaseRecord | undefined> {
    const flat = await this.#run(SCRIPTS.get, [agentId]) as Flat;
    return flat.length === 0 ? undefined : recordFrom(agentId, flat);
  }

  /** See {@linkcode LeaseStore.getWorld}. */
  async getWorld(worldId: string): Promise<LeaseRecord | undefined> {
    const reply = await this.#run(SCRIPTS.getWorld, [worldId]) as [string, Flat] | [];
    return reply.length === 0 ? undefined : recordFrom(reply[0], reply[1]);
  }

  /** See {@linkcode LeaseStore.listAgents}. */
  listAgents(limit: number, cursor?: string): Promise<Page> {
    return this.#list("a", limit, cursor);
  }

  /** See {@linkcode LeaseStore.listWorlds}. */
  listWorlds(limit: number, cursor?: string): Promise<Page> {
    return this.#list("w", limit, cursor);
  }

  async #list(index: "a" | "w", limit: number, cursor?: string): Promise<Page> {
    let start = "";
    if (cursor !== undefined) {
      const position = decodeCursor(cursor);
      if (!position || position.grantedAt < 0) throw new CursorError();
      start = grantMember(position);
    }
    const [revision, next, entries] = await this.#run(SCRIPTS.list, [
      index,
      Math.max(1, Math.floor(limit)),
      start,
      this.#options.listBudget,
    ]) as [string, string, unknown[]];
    const records: LeaseRecord[] = [];
    for (let i = 0; i < entries.length; i += 2) {
      records.push(recordFrom(positionOf(entries[i] as string).agentId, entries[i + 1] as Flat));
    }
    return {
      records,
      nextCursor: next === "" ? null : encodeCursor(positionOf(next)),
      revision,
    };
  }

  /** See {@linkcode LeaseStore.counts}. */
  async counts(): Promise<{ agents: number; worlds: number }> {
    const [agents, worlds] = await this.#run(SCRIPTS.counts, []) as [number, number];
    return { agents, worlds };
  }

  /** See {@linkcode LeaseStore.owner}. */
  async owner(worldId: string): Promise<WorldOwner | undefined> {
    const view = await this.#run(SCRIPTS.owner, [
      worldId,
      this.#options.ownerRetentionMs,
    ]) as string[];
    return view.length === 0 ? undefined : ownerFrom(view);
  }

  /** See {@linkcode LeaseStore.listOwners}. */
  async listOwners(
    limit: number,
    after?: string,
  ): Promise<{ owners: WorldOwner[]; next: string | null }> {
    const [more, ...views] = await this.#run(SCRIPTS.listOwners, [
      Math.max(1, Math.floor(limit)),
      after ?? "",
      this.#options.ownerRetentionMs,
    ]) as [number, ...string[][]];
    const owners = views.map(ownerFrom);
    return { owners, next: more === 1 && owners.length > 0 ? owners.at(-1)!.worldId : null };
  }

  /** See {@linkcode LeaseStore.rotate}. */
  async rotate(input: RotationInput): Promise<RotateOutcome> {
    const reply = await this.#run(SCRIPTS.rotate, [
      input.oldAgentId,
      input.newAgentId,
      input.newPublicKey,
      String(input.timestamp),
      this.#options.replayWindowMs,
      this.#options.ownerRetentionMs,
    ]) as unknown[];
    if (reply[0] === 0) {
      return {
        ok: false,
        reason: reply[1] as "unknown" | "replay" | "world_owned",
        error: String(reply[2]),
      };
    }
    return { ok: true, revoked: reply[1] === 1, worlds: reply[2] as string[] };
  }

  /** See {@linkcode LeaseStore.transferWorld}. */
  async transferWorld(
    worldId: string,
    to: { agentId: string; publicKey: string },
  ): Promise<OwnershipOutcome> {
    if (this.#options.worldIdPolicy !== "owned") {
      return {
        ok: false,
        reason: "policy",
        error: "world ids are not owned under the live-holder policy",
      };
    }
    const [, previous, revoked] = await this.#run(SCRIPTS.transfer, [
      worldId,
      to.agentId,
      to.publicKey,
      this.#options.replayWindowMs,
      this.#options.ownerRetentionMs,
    ]) as [number, string, number];
    return { ok: true, previous: previous === "" ? undefined : previous, revoked: revoked === 1 };
  }

  /** See {@linkcode LeaseStore.releaseWorld}. */
  async releaseWorld(worldId: string): Promise<OwnershipOutcome> {
    const reply = await this.#run(SCRIPTS.release, [
      worldId,
      this.#options.replayWindowMs,
      this.#options.ownerRetentionMs,
    ]) as [0] | [1, string, number];
    if (reply[0] === 0) {
      return {
        ok: false,
        reason: "unknown",
        error: `world id ${worldId} is neither owned nor live`,
      };
    }
    return { ok: true, previous: reply[1] === "" ? undefined : reply[1], revoked: reply[2] === 1 };
  }

  /** See {@linkcode LeaseStore.setReachable}. */
  async setReachable(agentId: string, reachable: boolean): Promise<void> {
    await this.#run(SCRIPTS.reachable, [agentId, reachable ? "1" : "0"]);
  }

  /** See {@linkcode LeaseStore.acceptState}. */
  async acceptState(worldId: string, ts: number): Promise<boolean> {
    const accepted = await this.#run(SCRIPTS.acceptState, [
      worldId,
      String(ts),
      this.#options.replayWindowMs,
    ]);
    return accepted === 1;
  }

  /** See {@linkcode LeaseStore.publishState}. */
  async publishState(worldId: string, frame: string): Promise<void> {
    // This replica's own subscription first, so its listeners hear its own
    // frames (bounded: a subscription waiting on an outage does not hold it).
    if (this.#subscribed) await timeout(this.#subscribed, this.#options.commandTimeoutMs);
    // "worldId\n frame": a world id never holds a newline.
    await this.#command("publish", this.#stateChannel, `${worldId}\n${frame}`);
  }

  /** See {@linkcode LeaseStore.subscribeState}. */
  subscribeState(listener: (worldId: string, frame: string) => void): () => void {
    const entry = (worldId: string, frame: string) => listener(worldId, frame);
    this.#stateListeners.add(entry);
    this.#subscribeStateChannel();
    return () => this.#stateListeners.delete(entry);
  }

  // One pub/sub connection per replica, fanned out to its listeners; ioredis
  // subscribes again by itself after a reconnect. Frames sent meanwhile are
  // lost, which is fine for ephemeral `world.state` frames.
  #subscribeStateChannel(): void {
    if (this.#subscriber || this.#closed) return;
    const subscriber = this.#connection.duplicate("aw-state", {
      enableOfflineQueue: true,
      commandTimeout: undefined,
    });
    this.#subscriber = subscriber;
    subscriber.on("message", (_channel: string, message: string) => {
      const newline = message.indexOf("\n");
      if (newline < 0) return;
      const worldId = message.slice(0, newline);
      const frame = message.slice(newline + 1);
      for (const listener of this.#stateListeners) {
        try {
          listener(worldId, frame);
        } catch (error) {
          this.#log.error("world.state listener threw", {
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    });
    this.#subscribed = subscriber.subscribe(this.#stateChannel).then(
      () => {},
      (error) => {
        this.#log.warn("redis: world.state subscription failed", {
          error: error instanceof Error ? error.message : String(error),
        });
      },
    );
  }

  /** See {@linkcode LeaseStore.status}. */
  status(): StoreStatus {
    const status: StoreStatus = { reachable: this.#reachable };
    if (!this.#reachable && this.#lastError !== undefined) status.error = this.#lastError;
    if (this.#graceUntil !== undefined) status.graceUntil = this.#graceUntil;
    return status;
  }

  /** See {@linkcode LeaseStore.close}. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#tickTimer);
    await this.#ticking;
    await this.#feed.close();
    this.#subscriber?.disconnect();
    this.#connection.close();
  }
}

function refusal(
  reason: "unknown" | "replay",
  what: "heartbeat" | "deregistration",
): { ok: false; reason: "unknown" | "replay"; error: string } {
  return reason === "unknown"
    ? { ok: false, reason, error: "unknown or expired agent: announce again" }
    : {
      ok: false,
      reason,
      error: `ts is not newer than the last ${
        what === "heartbeat" ? "heartbeat" : "heartbeat or deregistration"
      } accepted from this agent`,
    };
}

function ownerFrom(view: string[]): WorldOwner {
  const [worldId, owner, publicKey, since, lastUsedAt, rotationFloor] = view;
  return {
    worldId,
    owner,
    publicKey,
    since: Number(since),
    lastUsedAt: Number(lastUsedAt),
    rotationFloor: Number(rotationFloor),
  };
}

function timeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<void>((resolve) => timer = setTimeout(resolve, ms)),
  ]).finally(() => clearTimeout(timer));
}

function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}
