/**
 * The gateway's HTTP adapter: Hono routes around the lease store. Each route
 * parses and validates (protocol shapes), applies the client's quotas,
 * verifies signatures, asks the store to decide, and answers; the change
 * stream, webhooks and the bridge react to the store's change log, not to
 * handlers.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  AGENT_CARD_PATH,
  agentIdFromPathSegment,
  BODY_LIMITS,
  buildAgentCard,
  type Identity,
  isSupportedVersion,
  isValidWorldId,
  type ProtocolVersion,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "../protocol/mod.ts";
import { clientAddress, quotaKey } from "./_client.ts";
import type { KeyCache } from "./_keys.ts";
import type { PeerList } from "./_peers.ts";
import type { TokenBuckets } from "./_quota.ts";
import type { Logger } from "./log.ts";
import type { RateLimitedLog } from "./_rate_limited_log.ts";
import { type GatewayMetrics, methodLabel, statusLabel } from "./metrics.ts";
import { routePath } from "hono/route";
import { mountAdmin } from "./admin.ts";
import { mountLeaseRoutes } from "./_lease_routes.ts";
import { agentView, peerView, reachability, worldView } from "./_views.ts";
import { readiness } from "./_readiness.ts";
import {
  CursorError,
  type LeaseRecord,
  type LeaseStore,
  type Page,
  StoreUnavailableError,
} from "./store.ts";

/** Largest heartbeat body accepted, in bytes: a heartbeat is about 200. */
export const MAX_HEARTBEAT_BYTES: number = BODY_LIMITS.heartbeat;
/** Default and largest page of a listing. */
export const PAGE_LIMITS = Object.freeze({ default: 100, max: 1000 });
/** `Cache-Control` of the agent card: the reference gateway's. */
const AGENT_CARD_CACHE_CONTROL = "public, max-age=300";
/** Seconds a client is told to wait when the store is unreachable. */
export const STORE_RETRY_AFTER_S = 5;

/** The per-client quotas the routes apply. */
export interface Quotas {
  /** Announces that create a new lease. */
  newLeases: TokenBuckets;
  /** Requests whose signature does not verify. */
  badSignatures: TokenBuckets;
  /** `/ws` upgrades. */
  upgrades: TokenBuckets;
}

/** What the routes need from the gateway around them. */
export interface HttpContext {
  /** The lease store. */
  store: LeaseStore;
  /** The gateway's identity. */
  identity: Identity;
  /** The local clock, for signed-timestamp windows. */
  clock: () => number;
  /** When this gateway began serving, for `/health`. */
  startedAt: number;
  /** `host[:port]` of `PUBLIC_URL`, also accepted as the signed authority. */
  publicAuthority?: string;
  /** The gateway's public base URL (for its agent card), once known. */
  publicUrl(): string | undefined;
  /** Browsers watching a world through `/ws`. */
  subscribers(worldId: string): number;
  /** The OpenAPI document, served at `/openapi.yaml`. */
  openapi(): Promise<string>;
  /** Imported verification keys. */
  keys: KeyCache;
  /** The peers announce answers list. */
  peers: PeerList;
  /** Per-client quotas. */
  quotas: Quotas;
  /** Take the client address from `X-Forwarded-For`. */
  trustProxy: boolean;
  /** Where events and errors are logged. */
  logger: Logger;
  /** Where lines a client can cause are logged, one per kind per second. */
  limitedLog: RateLimitedLog;
  /** Whether the gateway is shutting down (readiness fails). */
  stopping(): boolean;
  /** The admin API's bearer token; the admin API answers 403 without one. */
  adminToken?: string;
  /** Where requests are counted and timed; `GET /metrics` renders it. Default: none. */
  metrics?: GatewayMetrics;
}

/** The route templates whose answers are counted as announces, heartbeats or deregistrations. */
const ROUTE_FAMILIES: Record<string, "announces" | "heartbeats" | "deregistrations"> = {
  "POST /peer/announce": "announces",
  "POST /agents": "announces",
  "POST /peer/heartbeat": "heartbeats",
  "POST /worlds/:id/heartbeat": "heartbeats",
  "POST /agents/:id/heartbeat": "heartbeats",
  "POST /peer/deregister": "deregistrations",
};

/** The Hono environment the server passes: the socket's peer. */
export interface ConnInfo {
  /** The peer's address. */
  remoteAddr?: { hostname?: string };
}

type Ctx = Context<{ Bindings: ConnInfo | undefined }>;

function fail(c: Ctx, status: ContentfulStatusCode, error: string): Response {
  return c.json({ error }, status);
}

function tooMany(c: Ctx, seconds: number, error: string): Response {
  c.header("retry-after", String(seconds));
  return fail(c, 429, error);
}

/** Parses `?limit=`: an integer from 1 to 1000, default 100. */
function pageLimit(c: Ctx): number | string {
  const raw = c.req.query("limit");
  if (raw === undefined) return PAGE_LIMITS.default;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1 || Number(raw) > PAGE_LIMITS.max) {
    return `limit must be an integer from 1 to ${PAGE_LIMITS.max}`;
  }
  return Number(raw);
}

/** The quota key of a request's client: its address (or forwarded address), IPv6 by /64. */
export function clientKey(
  c: Ctx,
  trustProxy: boolean,
): string {
  return quotaKey(clientAddress(c.req.raw.headers, c.env?.remoteAddr?.hostname, trustProxy));
}

/**
 * The failed-signature quota as signed routes use it: `held` refuses a
 * client whose failures spent its tokens (before anything is verified),
 * `failed` spends one.
 */
export function signatureGuard(ctx: Pick<HttpContext, "quotas" | "trustProxy">) {
  const clientOf = (c: Ctx) => clientKey(c, ctx.trustProxy);
  const signatureQuota = (c: Ctx, client: string): Response | undefined =>
    !ctx.quotas.badSignatures.has(client)
      ? tooMany(
        c,
        ctx.quotas.badSignatures.retryAfter(client),
        "too many requests with bad signatures from this address",
      )
      : undefined;
  return {
    clientOf,
    signatureQuota,
    /** A 429 for a spent quota, else nothing. */
    held: (c: Ctx) => signatureQuota(c, clientOf(c)),
    /** Spends a token of the request's client. */
    failed: (c: Ctx) => void ctx.quotas.badSignatures.take(clientOf(c)),
  };
}

/**
 * Builds the gateway's Hono app.
 *
 * @example
 * ```ts ignore
 * const app = createHttpApp(context);
 * const response = await app.request("/health");
 * ```
 */
export function createHttpApp(ctx: HttpContext): Hono<{ Bindings: ConnInfo | undefined }> {
  const { store, clock, quotas, limitedLog: limited } = ctx;
  const app = new Hono<{ Bindings: ConnInfo | undefined }>();

  app.onError((error, c) => {
    if (error instanceof StoreUnavailableError) {
      limited.warn("store", "the store is unreachable", { error: error.message });
      c.header("retry-after", String(STORE_RETRY_AFTER_S));
      return fail(c, 503, "the directory's store is unreachable; retry shortly");
    }
    limited.error("unhandled", "unhandled error", {
      error: (error as Error).message,
      stack: (error as Error).stack?.split("\n").slice(0, 4).join(" | "),
    });
    return fail(c, 500, "internal error");
  });
  app.notFound((c) => fail(c, 404, `no route for ${c.req.method} ${c.req.path}`));

  const { metrics } = ctx;
  if (metrics) {
    app.use("*", async (c, next) => {
      const end = metrics.requestSeconds.startTimer();
      await next();
      // Every label from a fixed set: the route template the code registered
      // (never the path), the method and status mapped to known values.
      const matched = routePath(c);
      const route = matched === "*" || matched === "/*" ? "unmatched" : matched;
      const status = statusLabel(c.res.status);
      const method = methodLabel(c.req.method);
      end({ method, route, status });
      const family = ROUTE_FAMILIES[`${method} ${route}`];
      if (family) metrics[family].inc({ status });
    });
    app.get(
      "/metrics",
      async (c) => c.body(await metrics.render(), 200, { "content-type": metrics.contentType }),
    );
  }

  // Reads are open to any origin; writes are signed and need no CORS.
  app.use("*", async (c, next) => {
    if (c.req.method === "OPTIONS") {
      return c.body(null, 204, {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "GET, HEAD, OPTIONS",
        "access-control-allow-headers": "content-type, last-event-id",
        "access-control-max-age": "86400",
      });
    }
    await next();
    if (c.req.method === "GET" || c.req.method === "HEAD") {
      c.res.headers.set("access-control-allow-origin", "*");
    }
  });

  /** The quota key of the request's client. */
  const { clientOf, signatureQuota } = signatureGuard(ctx);

  mountAdmin(app, ctx, clientOf);

  mountLeaseRoutes(app, ctx, {
    clientOf,
    signatureQuota,
    tooMany,
    refuse: (c, client, status, error) => {
      if (status === 403) quotas.badSignatures.take(client);
      return fail(c, status as ContentfulStatusCode, error);
    },
  });

  app.get("/health", async (c) => {
    const now = clock();
    const status = store.status();
    if (!status.reachable) {
      c.header("retry-after", String(STORE_RETRY_AFTER_S));
      return c.json({
        ok: false,
        ts: now,
        agentId: ctx.identity.agentId,
        status: "unavailable",
        error: `the store is unreachable: ${status.error ?? "no answer"}`,
      }, 503);
    }
    const { agents, worlds } = await store.counts();
    const registryAge = now - ctx.startedAt;
    const warming = registryAge < store.ttlMs ||
      (status.graceUntil !== undefined && status.graceUntil >= now);
    return c.json({
      ok: true,
      ts: now,
      agentId: ctx.identity.agentId,
      agents,
      worlds,
      registryAge,
      status: warming ? "warming" : agents === 0 ? "empty" : "ready",
    });
  });

  // Liveness: the process serves, and nothing more. It never touches the store,
  // so a store outage (when /health answers 503) restarts no replica.
  app.get("/livez", (c) => c.json({ ok: true }));

  // Readiness apart from liveness: a load balancer's check (HEAD too); never touches the store.
  app.get("/ready", (c) => {
    const now = clock();
    const state = readiness(store.status(), now, store.ttlMs, ctx.stopping());
    if (state.ready) return c.json({ ready: true });
    const warming = state.warmingUntil === undefined
      ? 0
      : Math.ceil((state.warmingUntil - now) / 1000);
    c.header("retry-after", String(Math.max(STORE_RETRY_AFTER_S, warming)));
    return fail(c, 503, `not ready: ${state.reasons.join("; ")}`);
  });

  /** A paged listing: `?limit=` and `?cursor=` validated, records shown through `view`. */
  const listing = (
    key: string,
    list: (limit: number, cursor?: string) => Promise<Page>,
    view: (record: LeaseRecord) => Record<string, unknown>,
  ) =>
  async (c: Ctx) => {
    const limit = pageLimit(c);
    if (typeof limit === "string") return fail(c, 400, limit);
    try {
      const page = await list(limit, c.req.query("cursor"));
      return c.json({
        [key]: page.records.map(view),
        nextCursor: page.nextCursor,
        revision: page.revision,
      });
    } catch (error) {
      if (error instanceof CursorError) return fail(c, 400, "invalid cursor");
      throw error;
    }
  };

  app.get("/worlds", listing("worlds", (...a) => store.listWorlds(...a), worldView));

  const worldDetail = (c: Ctx, record: LeaseRecord) =>
    c.json({
      worldId: record.worldId,
      agentId: record.agentId,
      publicKey: record.publicKey,
      name: record.alias,
      slug: record.worldId,
      protocolVersion: record.protocolVersion,
      endpoints: record.endpoints,
      ...reachability(record),
      subscribers: ctx.subscribers(record.worldId!),
      lastSeen: record.lastSeen,
    });

  app.get("/world/:worldId", async (c) => {
    const worldId = c.req.param("worldId");
    if (!isValidWorldId(worldId)) return fail(c, 400, "invalid worldId");
    const record = await store.getWorld(worldId);
    if (!record) return fail(c, 404, `no live world ${worldId}`);
    return worldDetail(c, record);
  });

  // 1.4+ readers name a world by its key id (aw:sha256:…, percent-encoded or
  // not); older ones by its slug. Both find the same live world.
  app.get("/worlds/:id", async (c) => {
    const id = c.req.param("id");
    const agentId = agentIdFromPathSegment(id);
    let record: LeaseRecord | undefined;
    if (agentId) {
      record = await store.get(agentId);
      if (record?.worldId === undefined) record = undefined;
    } else if (isValidWorldId(id)) record = await store.getWorld(id);
    else return fail(c, 400, "invalid world id: an aw:sha256: key id or a slug");
    if (!record) return fail(c, 404, "World not found");
    return worldDetail(c, record);
  });

  app.get("/agents", listing("agents", (...a) => store.listAgents(...a), agentView));

  app.get("/agents/:id", async (c) => {
    const agentId = agentIdFromPathSegment(c.req.param("id"));
    if (!agentId) return fail(c, 400, "invalid agentId: aw:sha256:<64 hex digits>");
    const record = await store.get(agentId);
    if (!record) return fail(c, 404, "Agent not found");
    return c.json(agentView(record));
  });

  const ping = (c: Ctx) =>
    c.json({ ok: true, ts: clock(), role: "gateway", agentId: ctx.identity.agentId });
  app.get("/peer/ping", ping);
  app.get("/ping", ping);

  // The gateway's signed agent card, in the newest version by default; a
  // client of an older version asks for its own with ?version=.
  const cards = new Map<ProtocolVersion, Promise<string>>();
  app.get(AGENT_CARD_PATH, async (c) => {
    const asked = c.req.query("version") ?? SUPPORTED_PROTOCOL_VERSIONS.at(-1)!;
    if (!isSupportedVersion(asked)) {
      return fail(c, 400, `version must be one of ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")}`);
    }
    const base = ctx.publicUrl() ?? new URL(c.req.url).origin;
    let card = cards.get(asked);
    if (!card) {
      card = buildAgentCard(ctx.identity, {
        name: "AgentWorlds gateway",
        description: "The liveness directory of AgentWorlds worlds",
        cardUrl: `${base.replace(/\/+$/, "")}${AGENT_CARD_PATH}`,
        version: asked,
      });
      cards.set(asked, card);
    }
    // Cacheable for five minutes, as the reference gateway serves it.
    return c.body(await card, 200, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": AGENT_CARD_CACHE_CONTROL,
    });
  });

  app.get("/peer/peers", async (c) => {
    const limit = pageLimit(c);
    if (typeof limit === "string") return fail(c, 400, limit);
    return c.json({ peers: (await store.listAgents(limit)).records.map(peerView) });
  });

  app.get("/openapi.yaml", async (c) => {
    return c.body(await ctx.openapi(), 200, { "content-type": "application/yaml; charset=utf-8" });
  });

  return app;
}
