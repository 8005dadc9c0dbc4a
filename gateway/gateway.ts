/**
 * `createGateway`: the registry, its HTTP routes, the snapshot store and the
 * webhooks wired together, with the timers that drive them.
 *
 * @module
 */
import {
  ANNOUNCE_LIMITS,
  type Identity,
  loadOrCreateIdentity,
  MAX_PEER_MESSAGE_BYTES,
} from "../protocol/mod.ts";
import { type HttpServer, type HttpServerStats, serve } from "./_http_server.ts";
import { Bridge } from "./bridge.ts";
import { createHttpApp, MAX_HEARTBEAT_BYTES } from "./http.ts";
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
  /** Listens on `port`/`hostname` and starts the snapshot and sweep timers. */
  start(): Promise<{ port: number; hostname: string; url: string }>;
  /** Reclaims expired leases now (the timer does this on its own). */
  sweep(): void;
  /** Stops timers and the listener, writes the snapshot, delivers queued webhooks. */
  stop(): Promise<void>;
  /** The HTTP server's counters (connections, refusals, timeouts, bytes); undefined before `start()`. */
  serverStats(): HttpServerStats | undefined;
}

/** The longest the sweep timer sleeps, so expiry is noticed within ~1 s. */
const MAX_SWEEP_SLEEP_MS = 1000;
/** Most leases one timed sweep reclaims (~10 ms of work); the rest follow at once. */
export const SWEEP_BATCH = 5000;
/** How long `stop()` lets requests under way finish before closing their connections, in ms. */
const SHUTDOWN_GRACE_MS = 5000;
/** Body limit of a write to a route without its own. */
const DEFAULT_BODY_BYTES = 64 * 1024;

/** Each route's body limit, which the server enforces as bytes arrive (before any handler). */
function requestBodyLimit(method: string, path: string): number {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return 0;
  switch (path) {
    case "/peer/announce":
      return ANNOUNCE_LIMITS.maxBodyBytes;
    case "/peer/heartbeat":
      return MAX_HEARTBEAT_BYTES;
    case "/peer/message":
      return MAX_PEER_MESSAGE_BYTES;
    default:
      return DEFAULT_BODY_BYTES;
  }
}

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
  const app = createHttpApp({
    registry,
    identity,
    clock,
    startedAt: clock(),
    get publicAuthority() {
      return publicAuthority;
    },
    subscribers: (worldId) => bridge.subscribers(worldId),
    openapi: () =>
      openapiText ??= openapiUrl.protocol === "file:"
        ? Deno.readTextFile(openapiUrl)
        : fetch(openapiUrl).then((r) => r.text()),
  });

  bridge.mount(app);

  let server: HttpServer | undefined;
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
    sweep,
    serverStats: () => server?.stats(),
    // Listening is synchronous now; start() stays async, so a bind error is a rejection.
    // deno-lint-ignore require-await
    async start() {
      if (server) throw new Error("gateway already started");
      server = serve({
        port: options.port ?? 8100,
        hostname: options.hostname ?? "0.0.0.0",
        handler: app.fetch,
        maxConnections: options.maxConnections,
        maxConnectionsPerAddress: options.maxConnectionsPerAddress,
        headersTimeoutMs: options.headersTimeoutMs,
        requestTimeoutMs: options.requestTimeoutMs,
        idleTimeoutMs: options.idleTimeoutMs,
        maxBodyBytes: requestBodyLimit,
        log: (_level, message) => log(message),
      });
      const addr = server.addr;
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
      await bridge.close();
      if (server) await server.shutdown(SHUTDOWN_GRACE_MS);
      await snapshots.flush().catch(() => {});
      if (webhooks) {
        webhooks.close();
        await webhooks.drain();
      }
    },
  };
}
