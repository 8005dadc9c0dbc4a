/**
 * `createGateway`: the lease store, its HTTP routes, the WebSocket bridge and
 * the webhook dispatcher wired together, with the sweep loop that drives
 * expiry. Every adapter reacts to the store's change log; time and timers
 * are injected.
 *
 * @module
 */
import { BODY_LIMITS, type Identity, loadOrCreateIdentity } from "../protocol/mod.ts";
import { type HttpServer, type HttpServerStats, serve } from "./_http_server.ts";
import { Bridge, LEAVE_AT_CLOSE_MS, type WatcherLimits } from "./bridge.ts";
import { clientKey, createHttpApp, type Quotas, signatureGuard } from "./http.ts";
import { KeyCache } from "./_keys.ts";
import { PeerList } from "./_peers.ts";
import { type Logger, silentLogger } from "./log.ts";
import { RateLimitedLog } from "./_rate_limited_log.ts";
import { MemoryStore } from "./memory_store.ts";
import { RedisStore } from "./redis_store.ts";
import { defaultOutboundPolicy, type OutboundPolicy } from "./_outbound.ts";
import { type Rate, TokenBuckets } from "./_quota.ts";
import type { LoadResult } from "./snapshot.ts";
import {
  type LeaseStore,
  STORE_DEFAULTS,
  StoreUnavailableError,
  type WorldIdPolicy,
} from "./store.ts";
import { systemTimers, type TimerHandle, type Timers } from "../protocol/_timers.ts";
import { WebhookDispatcher } from "./webhooks.ts";
import { GatewayMetrics, instrumentStore, type MetricsText } from "./metrics.ts";
import { readBeside } from "./_static.ts";
import { mountWeb } from "./web.ts";
import { WatchHub, type WatchLimits } from "./watch.ts";

/** The per-client quotas' defaults: generous enough that a host running hundreds of worlds is never limited. */
export const QUOTA_DEFAULTS: Readonly<{ newLeases: Rate; badSignatures: Rate; upgrades: Rate }> =
  Object.freeze({
    newLeases: { perMinute: 600, burst: 1000 },
    badSignatures: { perMinute: 60, burst: 100 },
    upgrades: { perMinute: 120, burst: 200 },
  });

/** Options of {@linkcode createGateway}; `main.ts` reads them from the environment. */
export interface GatewayOptions {
  /** TCP port for {@linkcode Gateway.start}; 0 picks a free one. Default: 8100. */
  port?: number;
  /** Address to bind. Default: `"0.0.0.0"`. */
  hostname?: string;
  /** Directory of the snapshot (memory store) and the gateway identity. Default: `"./data"`. */
  dataDir?: string;
  /** Lease TTL in ms. Default: 90000. */
  staleTtlMs?: number;
  /** How often the memory store's snapshot is written when it changed, in ms. Default: 30000. */
  snapshotIntervalMs?: number;
  /** How soon after a change of the live set the snapshot is written, in ms. Default: 250. */
  announceSnapshotDelayMs?: number;
  /** Where webhook events are POSTed. Default: none. */
  webhookUrl?: string;
  /** Standard Webhooks secret (`whsec_<base64>`). Default: unsigned. */
  webhookSecret?: string;
  /** How long an undeliverable webhook is retried, in ms. Default: 3600000. */
  webhookRetryForMs?: number;
  /** Most live agents held. Default: 100000. */
  maxAgents?: number;
  /** Most live leases granted from one client address (IPv6: one /64). Default: 1000. */
  maxLeasesPerAddress?: number;
  /** How world ids are held: `owned` or `live-holder`. Default: `"owned"`. */
  worldIdPolicy?: WorldIdPolicy;
  /** How long an unused world id stays bound to its owner, in ms. Default: 30 days. */
  ownerRetentionMs?: number;
  /** This gateway's public base URL. Default: its listening address. */
  publicUrl?: string;
  /** Take client addresses from `X-Forwarded-For` (behind a load balancer). Default: false. */
  trustProxy?: boolean;
  /** Which world addresses the gateway may call. Default: from `publicUrl` (see `defaultOutboundPolicy`). */
  outboundPolicy?: OutboundPolicy;
  /** Bearer token of the admin API; without one the admin API answers 403. Default: none. */
  adminToken?: string;
  /** Per-client quotas. Default: {@linkcode QUOTA_DEFAULTS}. */
  quotas?: Partial<typeof QUOTA_DEFAULTS>;
  /** The lease store. Default: the Redis store when `redis` is set, else a {@linkcode MemoryStore} with its snapshot in `dataDir`. */
  store?: LeaseStore;
  /**
   * A Redis or Valkey shared by the gateway's replicas. Unset: the embedded
   * memory store. Startup waits (and logs) until Redis answers; `signal`
   * aborts the wait.
   */
  redis?: {
    /** `redis://` or `rediss://` URL. */
    url: string;
    /** Key prefix (several directories may share one Redis). Default: `"aw"`. */
    prefix?: string;
    /** PEM file of the CA of a `rediss://` server's certificate. Default: the system's. */
    tlsCaFile?: string;
    /** Longest wait for one reply, ms. Default: 1000. */
    commandTimeoutMs?: number;
    /** An outage longer than this gives restored leases one TTL from recovery, ms. Default: 5000. */
    outageGraceAfterMs?: number;
    /** Aborts the wait for Redis at startup. */
    signal?: AbortSignal;
  };
  /** The local clock, ms since the epoch. Default: `Date.now`. */
  clock?: () => number;
  /** Timers for the sweep loop, snapshots and webhook retries. Default: the runtime's. */
  timers?: Timers;
  /** The gateway's identity. Default: loaded or created in `dataDir` as "gateway". */
  identity?: Identity;
  /** The fetch used for webhooks and calls to worlds. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Where the gateway logs. Default: silent. */
  logger?: Logger;
  /** Limits of `/watch` (clients, queued bytes, keep-alive). Default: see {@linkcode WatchLimits}. */
  watch?: WatchLimits;
  /** Caps on `/ws` watchers (in all, per client address, per world). Default: see {@linkcode WatcherLimits}. */
  watchers?: WatcherLimits;
  /** Serve `GET /metrics` (Prometheus text). Default: true. */
  metrics?: boolean;
  /** Most open connections (WebSockets included); more get 503. Default: 10000. */
  maxConnections?: number;
  /** Most open connections from one client address; more get 429. Default: 512. */
  maxConnectionsPerAddress?: number;
  /** Time for a request's head to arrive (from accept, or its first byte), in ms. Default: 10000. */
  headersTimeoutMs?: number;
  /** Time for a whole request, body included, in ms; then 408. Default: 30000. */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open, in ms. Default: 75000. */
  idleTimeoutMs?: number;
}

/** The gateway's HTTP app, as far as callers need it (it is a Hono app). */
export interface GatewayApp {
  /** Answers one request; `env` carries the socket's peer (`{ remoteAddr }`). */
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
  /** Answers a request built from a path or URL, in-process. */
  request(
    input: string | URL | Request,
    init?: RequestInit,
    env?: unknown,
  ): Response | Promise<Response>;
}

/** A running (or startable) gateway. */
export interface Gateway {
  /** The HTTP app: `app.request(...)` tests it without a socket. */
  readonly app: GatewayApp;
  /** The request handler, for `Deno.serve` or embedding. */
  readonly handler: (request: Request, info?: unknown) => Response | Promise<Response>;
  /** The lease store. */
  readonly store: LeaseStore;
  /** The gateway's own identity. */
  readonly identity: Identity;
  /** What loading the memory store's snapshot found (undefined for other stores). */
  readonly loaded: LoadResult | undefined;
  /** The webhook dispatcher, when `webhookUrl` is set. */
  readonly webhooks: WebhookDispatcher | undefined;
  /** The `/watch` hub, for its stats. */
  readonly watch: WatchHub;
  /** The metrics `GET /metrics` renders, unless turned off. */
  readonly metrics: MetricsText | undefined;
  /** Listens on `port`/`hostname` and starts the sweep loop and webhook delivery. */
  start(): Promise<{ port: number; hostname: string; url: string }>;
  /**
   * Takes the gateway out of rotation before a stop: from now on `GET /ready`
   * answers 503 (shutting down) while every route keeps serving, so a load
   * balancer moves traffic away first. {@linkcode Gateway.stop} implies it.
   */
  drain(): void;
  /** Reclaims expired leases now (the loop does this on its own). */
  sweep(): Promise<void>;
  /**
   * Stops within a bounded time, whatever a peer does: the listener and the
   * requests under way (3 s), webhook deliveries in flight (2 s; undelivered
   * events stay in the durable outbox) and the bridge's `world.leave` calls
   * (1 s, best effort) wind down side by side, each cut short at its share;
   * then the store is closed (the memory store writes its final snapshot).
   * Calling it again returns the same stop.
   */
  stop(): Promise<void>;
  /** The HTTP server's counters (connections, refusals, timeouts, bytes); undefined before `start()`. */
  serverStats(): HttpServerStats | undefined;
}

/** The longest the sweep loop sleeps, so expiry is noticed within ~1 s. */
const MAX_SWEEP_SLEEP_MS = 1000;
/** Most leases one memory sweep reclaims (~10 ms of work); the rest follow at once. */
export const SWEEP_BATCH = 5000;
/** Most leases one Redis sweep claims (the store runs it as scripts of 100, ~5 ms each). */
const REDIS_SWEEP_BATCH = 500;
/**
 * How `stop()` spends its time. Requests under way, webhook deliveries in
 * flight, the `world.leave` calls to watched worlds and a sweep under way
 * wind down side by side, each within its own share, so the slowest peer
 * costs at most the longest share (3 s), never their sum; what a share cuts
 * short is aborted (an undelivered webhook stays in the outbox). The store
 * is closed last with the time that is left, so the memory store's final
 * snapshot is always written: with the longest drain (`SHUTDOWN_DRAIN_MS`,
 * 4 s), drain and stop end within ~7 s plus the snapshot, well inside an
 * orchestrator's 10 s.
 */
const STOP_SHARES = Object.freeze({
  /** Requests under way finish, then their connections are closed, in ms. */
  requestsMs: 3000,
  /** Webhook deliveries in flight finish, then they are aborted, in ms. */
  webhooksMs: 2000,
  /** `world.leave` calls to watched worlds (best effort), then aborted, in ms. */
  leaveMs: LEAVE_AT_CLOSE_MS,
  /** A sweep under way finishes (the store is not closed under it), in ms. */
  sweepMs: 3000,
});

/** Each route's body limit, which the server enforces as bytes arrive (before any handler). */
function requestBodyLimit(method: string, path: string): number {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS" || method === "DELETE") {
    return 0;
  }
  if (path === "/peer/announce" || path === "/agents") return BODY_LIMITS.announce;
  if (path === "/peer/heartbeat" || path.endsWith("/heartbeat")) return BODY_LIMITS.heartbeat;
  if (path === "/peer/deregister") return BODY_LIMITS.deregistration;
  if (path === "/peer/key-rotation") return BODY_LIMITS.keyRotation;
  if (path === "/peer/message" || path === "/messages") return BODY_LIMITS.peerMessage;
  return 4096; // the admin API's small bodies, and anything unknown (answered 404)
}

/**
 * Creates a gateway: loads its identity (and the memory store's snapshot)
 * from `dataDir`, builds the routes, and wires the bridge and webhooks to
 * the store's change log. Nothing listens and no loop runs until
 * {@linkcode Gateway.start}.
 *
 * @example In-process, with an injected clock
 * ```ts ignore
 * import { createGateway } from "@agentworlds/sdk/gateway";
 * let now = Date.now();
 * const gateway = await createGateway({ dataDir: "/tmp/gw", clock: () => now });
 * const health = await (await gateway.app.request("/health")).json();
 * now += 90_001; // leases granted before this instant have run out
 * await gateway.stop();
 * ```
 */
export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const clock = options.clock ?? Date.now;
  const timers = options.timers ?? systemTimers;
  const logger = options.logger ?? silentLogger;
  /** Lines clients can cause (refused admin requests, an unreachable store): one per kind per second. */
  const limitedLog = new RateLimitedLog(logger, { clock, timers });
  const dataDir = options.dataDir ?? "./data";
  await Deno.mkdir(dataDir, { recursive: true });
  const identity = options.identity ?? await loadOrCreateIdentity(dataDir, "gateway");
  const storeOptions = {
    ttlMs: options.staleTtlMs,
    maxAgents: options.maxAgents,
    maxLeasesPerAddress: options.maxLeasesPerAddress,
    worldIdPolicy: options.worldIdPolicy,
    ownerRetentionMs: options.ownerRetentionMs,
    outbox: options.webhookUrl !== undefined,
  };
  const redis = options.redis;
  const baseStore: LeaseStore = options.store ?? (redis
    ? await RedisStore.connect({
      ...storeOptions,
      url: redis.url,
      prefix: redis.prefix,
      tlsCa: redis.tlsCaFile === undefined ? undefined : await Deno.readTextFile(redis.tlsCaFile),
      commandTimeoutMs: redis.commandTimeoutMs,
      outageGraceAfterMs: redis.outageGraceAfterMs,
      signal: redis.signal,
      logger,
    })
    : undefined) ??
    await MemoryStore.open({
      ...storeOptions,
      clock,
      timers,
      dataDir,
      snapshotIntervalMs: options.snapshotIntervalMs,
      snapshotDelayMs: options.announceSnapshotDelayMs,
      warn: (message) => logger.warn(message),
    });
  const loaded = baseStore instanceof MemoryStore ? baseStore.loaded : undefined;
  // Filled in once the components it reads exist (below).
  let metrics: GatewayMetrics | undefined;
  const figures = {
    watchers: () => 0,
    watch: () => ({ clients: 0, dropped: 0, rejected: 0 }),
  };
  if (options.metrics !== false) {
    metrics = new GatewayMetrics({
      store: baseStore,
      clock,
      watchers: () => figures.watchers(),
      watch: () => figures.watch(),
      webhooks: options.webhookUrl === undefined ? undefined : () => ({
        delivered: webhooks?.delivered ?? 0,
        failures: webhooks?.failures ?? 0,
        gaveUp: webhooks?.gaveUp ?? 0,
        held: webhooks?.backlog ?? 0,
      }),
      webhookDrops: baseStore instanceof RedisStore
        ? () => baseStore.unacknowledgedDropped
        : baseStore instanceof MemoryStore
        ? () => baseStore.outboxDropped
        : undefined,
      snapshot: baseStore instanceof MemoryStore && options.dataDir !== undefined
        ? () => baseStore
        : undefined,
      connections: () => server?.stats(),
    });
  }
  // Calls to a shared store are timed and their failures counted.
  const store: LeaseStore = metrics && baseStore.kind !== "memory"
    ? instrumentStore(baseStore, metrics, (error) => error instanceof StoreUnavailableError)
    : baseStore;
  const webhooks: WebhookDispatcher | undefined = options.webhookUrl
    ? new WebhookDispatcher({
      url: options.webhookUrl,
      secret: options.webhookSecret,
      outbox: store.outbox,
      retryForMs: options.webhookRetryForMs,
      clock,
      timers,
      fetch: options.fetch,
      logger,
    })
    : undefined;
  const keys = new KeyCache(
    store,
    Math.ceil((options.maxAgents ?? STORE_DEFAULTS.maxAgents) * 1.1),
  );
  const peers = new PeerList(store, clock);
  const unfeed = store.feed.subscribe((event) => {
    if (event.type.endsWith(".expired")) {
      keys.forget(event.agentId);
      peers.forget();
      if (event.reason === "ttl") {
        metrics?.expiryLagSeconds.observe(Math.max(0, clock() - event.at) / 1000);
      }
      // Not always the end of the lease: a world re-announced under another
      // id (or none) ends only its old role, with reason deregistered.
      logger.info(event.type === "world.expired" ? "world went offline" : "agent went offline", {
        agentId: event.agentId,
        worldId: event.worldId,
        reason: event.reason,
      });
    } else if (event.type === "world.owner_changed") {
      logger.info("world id changed hands", {
        worldId: event.worldId,
        previousOwner: event.previousOwner,
        owner: event.owner,
        cause: event.cause,
      });
    }
    webhooks?.poke();
  });

  let publicUrl = options.publicUrl;
  let publicAuthority = publicUrl ? new URL(publicUrl).host : undefined;
  const quotaRates = { ...QUOTA_DEFAULTS, ...options.quotas };
  const trustProxy = options.trustProxy ?? false;
  const quotas: Quotas = {
    newLeases: new TokenBuckets(quotaRates.newLeases, clock),
    badSignatures: new TokenBuckets(quotaRates.badSignatures, clock),
    upgrades: new TokenBuckets(quotaRates.upgrades, clock),
  };
  const bridge = new Bridge({
    store,
    identity,
    clock,
    publicUrl: () => publicUrl,
    publicAuthority: () => publicAuthority,
    fetch: options.fetch,
    outboundPolicy: options.outboundPolicy ?? defaultOutboundPolicy(options.publicUrl),
    limits: options.watchers,
    upgrades: quotas.upgrades,
    logger,
    timers,
  });
  const openapiUrl = new URL("../openapi.yaml", import.meta.url);
  let openapiText: Promise<string> | undefined;
  const readOpenapi = () => readBeside(openapiUrl).then((bytes) => new TextDecoder().decode(bytes));
  let stopping = false;
  let draining = false;
  const app = createHttpApp({
    store,
    identity,
    clock,
    startedAt: clock(),
    get publicAuthority() {
      return publicAuthority;
    },
    subscribers: (worldId) => bridge.subscribers(worldId),
    openapi: () => openapiText ??= readOpenapi(),
    keys,
    peers,
    quotas,
    trustProxy,
    logger,
    limitedLog,
    stopping: () => draining || stopping,
    adminToken: options.adminToken,
    publicUrl: () => publicUrl,
    metrics,
  });

  const watch = new WatchHub({
    feed: store.feed,
    ...options.watch,
    log: (level, message, fields) => logger[level](message, fields),
  });
  app.get("/watch", (c) => {
    // Cut off from the store: say so now, rather than open a stream that cannot follow it.
    if (!store.status().reachable) {
      c.header("retry-after", "5");
      return c.json({ error: "the directory's store is unreachable; retry shortly" }, 503);
    }
    // Counted per client as the quotas count it: behind a trusted proxy, the forwarded address.
    return watch.handle(c.req.raw, clientKey(c, trustProxy));
  });
  bridge.mount(app, signatureGuard({ quotas, trustProxy }));
  figures.watchers = () => bridge.watchers;
  figures.watch = () => watch.stats();
  mountWeb(app);

  let server: HttpServer | undefined;
  let sweepTimer: TimerHandle | undefined;
  let sweeping: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  const sweepBatch = store.kind === "redis" ? REDIS_SWEEP_BATCH : SWEEP_BATCH;

  /** One sweep; the wait before the next (0 when more are due). */
  const sweepOnce = async (): Promise<number> => {
    try {
      const { more } = await store.sweep(sweepBatch);
      if (more) return 0;
      const next = await store.nextDeadline();
      const wait = next === undefined ? MAX_SWEEP_SLEEP_MS : next - await store.now() + 1;
      return Math.min(MAX_SWEEP_SLEEP_MS, Math.max(10, wait));
    } catch (error) {
      logger.warn("sweep failed", { error: (error as Error).message });
      return MAX_SWEEP_SLEEP_MS;
    }
  };
  // Wakes at the next lease deadline (at least once a second); a mass expiry
  // is reclaimed in batches with the event loop free between them.
  const scheduleSweep = (wait: number) => {
    if (stopping) return;
    sweepTimer = timers.setTimeout(() => {
      sweeping = sweepOnce().then(scheduleSweep);
    }, wait);
  };

  return {
    app,
    handler: (request, info) => app.fetch(request, info as never),
    store,
    identity,
    loaded,
    webhooks,
    watch,
    metrics,
    serverStats: () => server?.stats(),
    drain() {
      draining = true;
    },
    async sweep() {
      await sweepOnce();
    },
    start() {
      if (server) throw new Error("gateway already started");
      server = serve({
        port: options.port ?? 8100,
        hostname: options.hostname ?? "0.0.0.0",
        handler: (request, info) => app.fetch(request, info as never),
        maxConnections: options.maxConnections,
        maxConnectionsPerAddress: options.maxConnectionsPerAddress,
        headersTimeoutMs: options.headersTimeoutMs,
        requestTimeoutMs: options.requestTimeoutMs,
        idleTimeoutMs: options.idleTimeoutMs,
        maxBodyBytes: requestBodyLimit,
        log: (level, message, fields) => logger[level](message, fields),
      });
      const addr = server.addr;
      const host = addr.hostname === "0.0.0.0" || addr.hostname === "::"
        ? "127.0.0.1"
        : addr.hostname;
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${addr.port}`;
      publicUrl ??= url;
      publicAuthority ??= new URL(publicUrl).host;
      scheduleSweep(0);
      webhooks?.start();
      metrics?.start();
      return Promise.resolve({ port: addr.port, hostname: addr.hostname, url });
    },
    stop() {
      return stopped ??= (async () => {
        stopping = true;
        timers.clearTimeout(sweepTimer);
        // Streams never end by themselves: close them, or shutdown waits forever.
        watch.close();
        metrics?.stop();
        await Promise.all([
          bridge.close(STOP_SHARES.leaveMs),
          within(sweeping, STOP_SHARES.sweepMs).then(unfeed),
          server?.shutdown(STOP_SHARES.requestsMs),
          webhooks?.stop(STOP_SHARES.webhooksMs),
        ]);
        await store.close();
        limitedLog.close();
      })();
    },
  };
}

/** Waits for `promise` (its failure too), at most `ms`. */
async function within(promise: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!promise) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    promise.catch(() => {}),
    new Promise<void>((resolve) => timer = setTimeout(resolve, ms)),
  ]);
  clearTimeout(timer);
}
