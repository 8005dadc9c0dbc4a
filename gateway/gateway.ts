/**
 * `createGateway`: the registry, its HTTP routes, the snapshot store and the
 * webhooks wired together, with the timers that drive them.
 *
 * @module
 */
import { type Identity, loadOrCreateIdentity } from "../protocol/mod.ts";
import { Bridge } from "./bridge.ts";
import type { ChangeFeed } from "./change_feed.ts";
import { createHttpApp } from "./http.ts";
import { RegistryFeed } from "./_registry_feed.ts";
import { readBeside } from "./_static.ts";
import { mountWeb } from "./web.ts";
import { WatchHub, type WatchLimits } from "./watch.ts";
import { SnapshotWriter } from "./persistence.ts";
import { DEFAULT_MAX_AGENTS, DEFAULT_TTL_MS, Registry } from "./registry.ts";
import { type LoadResult, loadSnapshot } from "./snapshot.ts";
import { WebhookDispatcher } from "./webhooks.ts";

/** Options of {@linkcode createGateway}; `main.ts` reads them from the environment. */
export interface GatewayOptions {
  /** TCP port for {@linkcode Gateway.start}; 0 picks a free one. Default: 8100. */
  port?: number;
  /** Address to bind. Default: `"0.0.0.0"`. */
  hostname?: string;
  /** Directory of `registry.json` and the gateway identity. Default: `"./data"`. */
  dataDir?: string;
  /** Lease TTL in ms. Default: 90000. */
  staleTtlMs?: number;
  /** How often the registry is written when it changed, in ms. Default: 30000. */
  snapshotIntervalMs?: number;
  /** How soon after an announce the registry is written, in ms. Default: 250. */
  announceSnapshotDelayMs?: number;
  /** Where `world.announced` / `world.expired` are POSTed. Default: none. */
  webhookUrl?: string;
  /** Standard Webhooks secret for signing webhooks. Default: unsigned. */
  webhookSecret?: string;
  /** Most agents held. Default: 100000. */
  maxAgents?: number;
  /** This gateway's public base URL. Default: its listening address. */
  publicUrl?: string;
  /** The clock, ms since the epoch. Default: `Date.now`. */
  clock?: () => number;
  /** The gateway's identity. Default: loaded or created in `dataDir` as "gateway". */
  identity?: Identity;
  /** The fetch used for webhooks and calls to worlds. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Where warnings go. Default: `console.warn`. */
  log?: (message: string) => void;
  /**
   * The change feed `/watch` streams and listings take `revision` from.
   * Default: a bounded in-memory log of this registry's events.
   */
  changeFeed?: ChangeFeed;
  /** Limits of `/watch` (clients, queued bytes, keep-alive). Default: see {@linkcode WatchLimits}. */
  watch?: WatchLimits;
}

/** The gateway's HTTP app, as far as callers need it (it is a Hono app). */
export interface GatewayApp {
  /** Answers one request. */
  fetch(request: Request): Response | Promise<Response>;
  /** Answers a request built from a path or URL, in-process. */
  request(input: string | URL | Request, init?: RequestInit): Response | Promise<Response>;
}

/** A running (or startable) gateway. */
export interface Gateway {
  /** The HTTP app: `app.request(...)` tests it without a socket. */
  readonly app: GatewayApp;
  /** The request handler, for `Deno.serve` or embedding. */
  readonly handler: (request: Request) => Response | Promise<Response>;
  /** The lease registry. */
  readonly registry: Registry;
  /** The gateway's own identity. */
  readonly identity: Identity;
  /** What loading the snapshot found at creation. */
  readonly loaded: LoadResult;
  /** The webhook dispatcher, when `webhookUrl` is set. */
  readonly webhooks: WebhookDispatcher | undefined;
  /** The snapshot writer. */
  readonly snapshots: SnapshotWriter;
  /** The change feed behind `/watch` and listings' `revision`. */
  readonly changeFeed: ChangeFeed;
  /** The `/watch` hub, for its stats. */
  readonly watch: WatchHub;
  /** Listens on `port`/`hostname` and starts the snapshot and sweep timers. */
  start(): Promise<{ port: number; hostname: string; url: string }>;
  /** Reclaims expired leases now (the timer does this on its own). */
  sweep(): void;
  /** Stops timers and the listener, writes the snapshot, delivers queued webhooks. */
  stop(): Promise<void>;
}

/** The longest the sweep timer sleeps, so expiry is noticed within ~1 s. */
const MAX_SWEEP_SLEEP_MS = 1000;
/** Most leases one timed sweep reclaims (~10 ms of work); the rest follow at once. */
export const SWEEP_BATCH = 5000;

/**
 * Creates a gateway: loads its identity and snapshot from `dataDir`, builds
 * the routes, and wires persistence and webhooks to registry events. Nothing
 * listens and no interval runs until {@linkcode Gateway.start}.
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
  const log = options.log ?? console.warn;
  const dataDir = options.dataDir ?? "./data";
  await Deno.mkdir(dataDir, { recursive: true });
  const identity = options.identity ?? await loadOrCreateIdentity(dataDir, "gateway");
  const registry = new Registry({
    ttlMs: options.staleTtlMs ?? DEFAULT_TTL_MS,
    maxAgents: options.maxAgents ?? DEFAULT_MAX_AGENTS,
  });
  const snapshotPath = `${dataDir.replace(/\/+$/, "") || "."}/registry.json`;
  const snapshots = new SnapshotWriter(snapshotPath, registry, clock, log);
  const webhooks = options.webhookUrl
    ? new WebhookDispatcher({
      url: options.webhookUrl,
      secret: options.webhookSecret,
      clock,
      fetch: options.fetch,
      log,
    })
    : undefined;
  const announceDelay = options.announceSnapshotDelayMs ?? 250;

  let restoring = true;
  registry.subscribe((event) => {
    const { record } = event;
    if (event.type === "granted" || event.type === "announced") {
      snapshots.saveSoon(announceDelay);
    }
    if (!webhooks || record.worldId === undefined) return;
    if (event.type === "granted" && !restoring) {
      webhooks.enqueue({
        event: "world.announced",
        agentId: record.agentId,
        worldId: record.worldId,
        ts: event.at,
      });
    } else if (event.type === "expired") {
      webhooks.enqueue({
        event: "world.expired",
        agentId: record.agentId,
        worldId: record.worldId,
        ts: event.at,
      });
    }
  });
  // Before the snapshot loads, so the feed knows the restored records' views.
  const registryFeed = options.changeFeed ? undefined : new RegistryFeed(registry);
  const changeFeed = options.changeFeed ?? registryFeed!;
  const loaded = await loadSnapshot(snapshotPath, registry, clock(), log);
  restoring = false;

  let publicUrl = options.publicUrl;
  let publicAuthority = publicUrl ? new URL(publicUrl).host : undefined;
  const bridge = new Bridge({
    registry,
    identity,
    clock,
    publicUrl: () => publicUrl,
    publicAuthority: () => publicAuthority,
    fetch: options.fetch,
    log,
  });
  const openapiUrl = new URL("../openapi.yaml", import.meta.url);
  let openapiText: Promise<string> | undefined;
  const readOpenapi = () => readBeside(openapiUrl).then((bytes) => new TextDecoder().decode(bytes));
  const app = createHttpApp({
    registry,
    identity,
    clock,
    startedAt: clock(),
    get publicAuthority() {
      return publicAuthority;
    },
    subscribers: (worldId) => bridge.subscribers(worldId),
    openapi: () => openapiText ??= readOpenapi(),
    revision: () => changeFeed.revision(),
  });

  const watch = new WatchHub({
    feed: changeFeed,
    ...options.watch,
    log: (_level, message, fields) => log(`${message} ${JSON.stringify(fields ?? {})}`),
  });
  app.get("/watch", (c) => watch.handle(c.req.raw, remoteAddress(c.env)));
  bridge.mount(app);
  mountWeb(app);

  let server: Deno.HttpServer | undefined;
  let snapshotTimer: ReturnType<typeof setInterval> | undefined;
  let sweepTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const sweep = () => {
    registry.sweep(clock());
  };
  // Wakes at the next lease deadline (at least once a second); a mass expiry
  // is reclaimed in batches with the event loop free between them.
  const scheduleSweep = (more = false) => {
    if (stopped) return;
    const next = registry.nextDeadline();
    const wait = next === undefined ? MAX_SWEEP_SLEEP_MS : next - clock() + 1;
    sweepTimer = setTimeout(() => {
      let full = false;
      try {
        full = registry.sweep(clock(), SWEEP_BATCH).length >= SWEEP_BATCH;
      } catch (error) {
        log(`sweep failed: ${(error as Error).message}`);
      }
      scheduleSweep(full);
    }, more ? 0 : Math.min(MAX_SWEEP_SLEEP_MS, Math.max(10, wait)));
  };

  return {
    app,
    handler: (request) => app.fetch(request),
    registry,
    identity,
    loaded,
    webhooks,
    snapshots,
    changeFeed,
    watch,
    sweep,
    async start() {
      if (server) throw new Error("gateway already started");
      const listening = Promise.withResolvers<Deno.NetAddr>();
      server = Deno.serve({
        port: options.port ?? 8100,
        hostname: options.hostname ?? "0.0.0.0",
        onListen: (addr) => listening.resolve(addr as Deno.NetAddr),
      }, app.fetch);
      const addr = await listening.promise;
      const host = addr.hostname === "0.0.0.0" || addr.hostname === "::"
        ? "127.0.0.1"
        : addr.hostname;
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${addr.port}`;
      publicUrl ??= url;
      publicAuthority ??= new URL(publicUrl).host;
      snapshotTimer = setInterval(() => {
        snapshots.saveIfChanged().catch(() => {});
      }, options.snapshotIntervalMs ?? 30_000);
      scheduleSweep();
      return { port: addr.port, hostname: addr.hostname, url };
    },
    async stop() {
      stopped = true;
      clearInterval(snapshotTimer);
      clearTimeout(sweepTimer);
      // Streams never end by themselves: close them, or shutdown waits forever.
      watch.close();
      registryFeed?.close();
      await bridge.close();
      if (server) await server.shutdown();
      await snapshots.flush().catch(() => {});
      if (webhooks) {
        webhooks.close();
        await webhooks.drain();
      }
    },
  };
}

/** The client's address from the server's connection info, for per-address caps. */
function remoteAddress(env: unknown): string {
  const addr = (env as { remoteAddr?: { hostname?: unknown } } | undefined)?.remoteAddr;
  return typeof addr?.hostname === "string" ? addr.hostname : "unknown";
}
