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
  ANNOUNCE_LIMITS,
  type Identity,
  isAgentIdOf,
  isValidWorldId,
  MAX_CLOCK_SKEW_MS,
  parseAnnounce,
  parseHeartbeat,
  verifyAnnounceSignature,
  verifyHeartbeat,
  verifyHttpRequestHeaders,
  WORLD_CAPABILITY_PREFIX,
} from "../protocol/mod.ts";
import { fromBase64 } from "../protocol/_bytes.ts";
import { NOT_UTF8, parseJson, readLimitedText, TOO_LARGE } from "./_body.ts";
import { clientAddress, quotaKey } from "./_client.ts";
import type { KeyCache } from "./_keys.ts";
import type { TokenBuckets } from "./_quota.ts";
import { type Logger, RateLimitedLog } from "./log.ts";
import { mountAdmin } from "./admin.ts";
import { agentView, peerView, reachability, worldView } from "./_views.ts";
import { readiness } from "./_readiness.ts";
import {
  CursorError,
  type LeaseRecord,
  type LeaseStore,
  type Page,
  REFUSAL_STATUS,
  StoreUnavailableError,
} from "./store.ts";

/** Largest heartbeat body accepted, in bytes: a heartbeat is about 200. */
export const MAX_HEARTBEAT_BYTES = 4096;
/** Most live peers an announce answer carries. */
export const ANNOUNCE_PEERS = 20;
/** Default and largest page of a listing. */
export const PAGE_LIMITS = Object.freeze({ default: 100, max: 1000 });
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
  /** Browsers watching a world through `/ws`. */
  subscribers(worldId: string): number;
  /** The OpenAPI document, served at `/openapi.yaml`. */
  openapi(): Promise<string>;
  /** Imported verification keys. */
  keys: KeyCache;
  /** Per-client quotas. */
  quotas: Quotas;
  /** Take the client address from `X-Forwarded-For`. */
  trustProxy: boolean;
  /** Where events and errors are logged. */
  logger: Logger;
  /** Whether the gateway is shutting down (readiness fails). */
  stopping(): boolean;
  /** The admin API's bearer token; the admin API answers 403 without one. */
  adminToken?: string;
}

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

async function readJson(
  c: Ctx,
  limit: number,
): Promise<{ text: string; value: unknown } | Response> {
  let text: string | typeof TOO_LARGE | typeof NOT_UTF8;
  try {
    text = await readLimitedText(c.req.raw, limit);
  } catch {
    return fail(c, 400, "the body could not be read");
  }
  if (text === TOO_LARGE) return fail(c, 413, `body exceeds ${limit} bytes`);
  if (text === NOT_UTF8) return fail(c, 400, "body is not valid UTF-8");
  const parsed = parseJson(text);
  if (!parsed) return fail(c, 400, "body is not valid JSON");
  return { text, value: parsed.value };
}

function outsideWindow(ts: number, now: number): boolean {
  return Math.abs(now - ts) > MAX_CLOCK_SKEW_MS;
}

/** The world a capability list declares, or an error for a malformed one. */
function declaredWorld(capabilities: string[]): { worldId?: string } | { error: string } {
  let worldId: string | undefined;
  for (let i = 0; i < capabilities.length; i++) {
    const capability = capabilities[i];
    if (!capability.startsWith(WORLD_CAPABILITY_PREFIX)) continue;
    const id = capability.slice(WORLD_CAPABILITY_PREFIX.length);
    if (!isValidWorldId(id)) return { error: `capabilities[${i}] is not a valid world id` };
    if (worldId !== undefined && worldId !== id) {
      return { error: `capabilities[${i}]: an agent hosts at most one world` };
    }
    worldId = id;
  }
  return { worldId };
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
  const { store, clock, quotas, logger } = ctx;
  const limited = new RateLimitedLog(logger, 1000, clock);
  const app = new Hono<{ Bindings: ConnInfo | undefined }>();

  app.onError((error, c) => {
    if (error instanceof StoreUnavailableError) {
      limited.log("warn", "store", "the store is unreachable", { error: error.message });
      c.header("retry-after", String(STORE_RETRY_AFTER_S));
      return fail(c, 503, "the directory's store is unreachable; retry shortly");
    }
    limited.log("error", "unhandled", "unhandled error", {
      error: (error as Error).message,
      stack: (error as Error).stack?.split("\n").slice(0, 4).join(" | "),
    });
    return fail(c, 500, "internal error");
  });
  app.notFound((c) => fail(c, 404, `no route for ${c.req.method} ${c.req.path}`));

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
  const clientOf = (c: Ctx) =>
    quotaKey(clientAddress(c.req.raw.headers, c.env?.remoteAddr?.hostname, ctx.trustProxy));

  /** Refuses a client whose failed signatures used up its quota, before verifying anything. */
  const signatureQuota = (c: Ctx, client: string): Response | undefined =>
    !quotas.badSignatures.has(client)
      ? tooMany(
        c,
        quotas.badSignatures.retryAfter(client),
        "too many requests with bad signatures from this address",
      )
      : undefined;

  mountAdmin(app, ctx, clientOf);

  const badSignature = (c: Ctx, client: string, error: string): Response => {
    quotas.badSignatures.take(client);
    return fail(c, 403, error);
  };

  app.post("/peer/announce", async (c) => {
    const now = clock();
    const client = clientOf(c);
    const read = await readJson(c, ANNOUNCE_LIMITS.maxBodyBytes);
    if (read instanceof Response) return read;
    const parsed = parseAnnounce(read.value);
    if (!parsed.ok) return fail(c, 400, parsed.error);
    const body = parsed.value;
    if (outsideWindow(body.timestamp, now)) {
      return fail(c, 400, "timestamp is outside the ±5 min window");
    }
    if (fromBase64(body.publicKey)?.length !== 32) {
      return fail(c, 400, "publicKey must be the base64 of a 32-byte Ed25519 key");
    }
    const world = declaredWorld(body.capabilities);
    if ("error" in world) return fail(c, 400, world.error);
    const refused = signatureQuota(c, client);
    if (refused) return refused;
    if (!await isAgentIdOf(body.from, body.publicKey)) {
      return badSignature(c, client, "from does not match publicKey");
    }
    if (!await verifyAnnounceSignature(body)) {
      const headerError = await verifyRequestHeaders(
        c.req.raw,
        ctx,
        "/peer/announce",
        read.text,
        body.publicKey,
      );
      if (headerError !== undefined) {
        return badSignature(c, client, `signature does not verify (${headerError})`);
      }
    }
    if (!quotas.newLeases.has(client) && !await store.get(body.from)) {
      return tooMany(
        c,
        quotas.newLeases.retryAfter(client),
        "too many new leases from this address",
      );
    }
    const outcome = await store.announce({
      agentId: body.from,
      publicKey: body.publicKey,
      alias: body.alias,
      version: body.version,
      protocolVersion: "1.2",
      endpoints: body.endpoints,
      capabilities: body.capabilities,
      worldId: world.worldId,
      timestamp: body.timestamp,
      address: client,
    });
    if (!outcome.ok) {
      const status = REFUSAL_STATUS[outcome.reason];
      if (status === 503) c.header("retry-after", "30");
      return fail(c, status, outcome.error);
    }
    ctx.keys.remember(outcome.record);
    if (outcome.granted) {
      quotas.newLeases.take(client);
      logger.info("lease granted", {
        agentId: outcome.record.agentId,
        worldId: outcome.record.worldId,
        protocolVersion: outcome.record.protocolVersion,
      });
    }
    const peers = (await store.listAgents(ANNOUNCE_PEERS + 1)).records
      .filter((record) => record.agentId !== outcome.record.agentId)
      .slice(0, ANNOUNCE_PEERS)
      .map(peerView);
    return c.json({ ok: true, peers });
  });

  app.post("/peer/heartbeat", async (c) => {
    const now = clock();
    const read = await readJson(c, MAX_HEARTBEAT_BYTES);
    if (read instanceof Response) return read;
    const parsed = parseHeartbeat(read.value);
    if (!parsed.ok) return fail(c, 400, parsed.error);
    const heartbeat = parsed.value;
    if (outsideWindow(heartbeat.ts, now)) return fail(c, 400, "ts is outside the ±5 min window");
    const client = clientOf(c);
    const refused = signatureQuota(c, client);
    if (refused) return refused;
    const agentKey = await ctx.keys.get(heartbeat.agentId);
    if (!agentKey) return fail(c, 404, "unknown or expired agent: announce again");
    if (!await verifyHeartbeat(heartbeat, agentKey.key)) {
      return badSignature(c, client, "signature does not verify");
    }
    const outcome = await store.renew(heartbeat.agentId, heartbeat.ts);
    if (!outcome.ok) {
      if (outcome.reason === "unknown") ctx.keys.forget(heartbeat.agentId);
      return fail(c, REFUSAL_STATUS[outcome.reason], outcome.error);
    }
    return c.json({ ok: true });
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

  app.get("/world/:worldId", async (c) => {
    const worldId = c.req.param("worldId");
    if (!isValidWorldId(worldId)) return fail(c, 400, "invalid worldId");
    const record = await store.getWorld(worldId);
    if (!record) return fail(c, 404, `no live world ${worldId}`);
    return c.json({
      worldId,
      agentId: record.agentId,
      publicKey: record.publicKey,
      name: record.alias,
      slug: worldId,
      endpoints: record.endpoints,
      ...reachability(record),
      subscribers: ctx.subscribers(worldId),
      lastSeen: record.lastSeen,
    });
  });

  app.get("/agents", listing("agents", (...a) => store.listAgents(...a), agentView));

  app.get("/peer/ping", (c) => c.json({ ok: true, ts: clock(), agentId: ctx.identity.agentId }));

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

/**
 * Verifies AgentWorld request-signature headers against the request as
 * received. The signed authority may be the `Host` the request arrived with
 * or `PUBLIC_URL`'s (a proxy may rewrite `Host`). Returns the error, if any.
 */
export async function verifyRequestHeaders(
  request: Request,
  ctx: Pick<HttpContext, "clock" | "publicAuthority">,
  path: string,
  body: string,
  publicKey: string,
): Promise<string | undefined> {
  const headers = request.headers;
  if (!headers.has("x-agentworld-signature")) return "no body signature and no signature headers";
  const authorities = [headers.get("host") ?? new URL(request.url).host];
  if (ctx.publicAuthority && ctx.publicAuthority !== authorities[0]) {
    authorities.push(ctx.publicAuthority);
  }
  let error: string | undefined;
  for (const authority of authorities) {
    const result = await verifyHttpRequestHeaders(
      headers,
      "POST",
      path,
      authority,
      body,
      publicKey,
      {
        clock: ctx.clock,
      },
    );
    if (result.ok) return undefined;
    error = result.error;
  }
  return error;
}
