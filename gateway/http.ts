/**
 * The gateway's HTTP adapter: Hono routes around the registry. Each route
 * parses and validates (protocol shapes), verifies signatures, asks the
 * registry to decide, and answers; persistence and webhooks react to
 * registry events, not to handlers.
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
import { importVerifyKey } from "../protocol/_ed25519.ts";
import { NOT_UTF8, parseJson, readLimitedText, TOO_LARGE } from "./_body.ts";
import { CursorError, type LeaseRecord, type Page, type Registry } from "./registry.ts";

/** Largest heartbeat body accepted, in bytes: a heartbeat is about 200. */
export const MAX_HEARTBEAT_BYTES = 4096;
/** Most live peers an announce answer carries. */
export const ANNOUNCE_PEERS = 20;
/** Default and largest page of a listing. */
export const PAGE_LIMITS = Object.freeze({ default: 100, max: 1000 });

/** What the routes need from the gateway around them. */
export interface HttpContext {
  registry: Registry;
  identity: Identity;
  clock: () => number;
  /** When the registry began serving, for `/health`. */
  startedAt: number;
  /** `host[:port]` of `PUBLIC_URL`, also accepted as the signed authority. */
  publicAuthority?: string;
  /** Browsers watching a world through `/ws`. */
  subscribers(worldId: string): number;
  /** The OpenAPI document, served at `/openapi.yaml`. */
  openapi(): Promise<string>;
  /** The change feed's newest id, which listings carry as `revision`. */
  revision(): Promise<string>;
}

type Ctx = Context;

function fail(c: Ctx, status: ContentfulStatusCode, error: string): Response {
  return c.json({ error }, status);
}

/** The public view of an agent, as `/agents` lists it. */
export function agentView(record: LeaseRecord): Record<string, unknown> {
  return {
    agentId: record.agentId,
    publicKey: record.publicKey,
    alias: record.alias,
    ...(record.version === undefined ? {} : { version: record.version }),
    endpoints: record.endpoints,
    capabilities: record.capabilities,
    ...(record.worldId === undefined ? {} : { worldId: record.worldId }),
    lastSeen: record.lastSeen,
  };
}

/** The view of a peer in announce answers and `/peer/peers`. */
export function peerView(record: LeaseRecord): Record<string, unknown> {
  return {
    agentId: record.agentId,
    publicKey: record.publicKey,
    alias: record.alias,
    endpoints: record.endpoints,
    capabilities: record.capabilities,
    lastSeen: record.lastSeen,
  };
}

/** The public view of a world, as `/worlds` lists it and `world.*` events carry it. */
export function worldSummary(record: LeaseRecord): Record<string, unknown> {
  return {
    worldId: record.worldId,
    agentId: record.agentId,
    name: record.alias,
    reachable: record.endpoints.length > 0,
    lastSeen: record.lastSeen,
  };
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
  const text = await readLimitedText(c.req.raw, limit);
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
export function createHttpApp(ctx: HttpContext): Hono {
  const { registry, clock } = ctx;
  const app = new Hono();

  app.onError((error, c) => {
    console.error("gateway: unhandled error", error);
    return fail(c, 500, "internal error");
  });
  app.notFound((c) => fail(c, 404, `no route for ${c.req.method} ${c.req.path}`));

  // Reads are open to any origin; writes are signed and need no CORS.
  app.use("*", async (c, next) => {
    if (c.req.method === "OPTIONS") {
      return c.body(null, 204, {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "GET, HEAD, OPTIONS",
        "access-control-allow-headers": "content-type",
        "access-control-max-age": "86400",
      });
    }
    await next();
    if (c.req.method === "GET" || c.req.method === "HEAD") {
      c.res.headers.set("access-control-allow-origin", "*");
    }
  });

  app.post("/peer/announce", async (c) => {
    const now = clock();
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
    if (!await isAgentIdOf(body.from, body.publicKey)) {
      return fail(c, 403, "from does not match publicKey");
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
        return fail(c, 403, `signature does not verify (${headerError})`);
      }
    }
    const outcome = registry.announce({
      agentId: body.from,
      publicKey: body.publicKey,
      alias: body.alias,
      version: body.version,
      endpoints: body.endpoints,
      capabilities: body.capabilities,
      worldId: world.worldId,
      timestamp: body.timestamp,
    }, now);
    if (!outcome.ok) return fail(c, outcome.reason === "full" ? 503 : 409, outcome.error);
    const peers = registry.listAgents(now, ANNOUNCE_PEERS + 1).records
      .filter((record) => record !== outcome.record)
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
    const record = registry.get(heartbeat.agentId, now);
    if (!record) return fail(c, 404, "unknown or expired agent: announce again");
    // Imported once per lease and kept on the record: the hot path only verifies.
    record.verifyKey ??= await importVerifyKey(fromBase64(record.publicKey)!).catch(() =>
      undefined
    );
    if (!record.verifyKey || !await verifyHeartbeat(heartbeat, record.verifyKey)) {
      return fail(c, 403, "signature does not verify");
    }
    const outcome = registry.heartbeat(heartbeat.agentId, heartbeat.ts, now);
    if (!outcome.ok) return fail(c, outcome.reason === "unknown" ? 404 : 409, outcome.error);
    return c.json({ ok: true });
  });

  app.get("/health", (c) => {
    const now = clock();
    const { agents, worlds } = registry.counts(now);
    const registryAge = now - ctx.startedAt;
    const status = registryAge < registry.ttlMs ? "warming" : agents === 0 ? "empty" : "ready";
    return c.json({
      ok: true,
      ts: now,
      agentId: ctx.identity.agentId,
      agents,
      worlds,
      registryAge,
      status,
    });
  });

  /** A paged listing: `?limit=` and `?cursor=` validated, records shown through `view`. */
  const listing = (
    key: string,
    list: (now: number, limit: number, cursor?: string) => Page,
    view: (record: LeaseRecord) => Record<string, unknown>,
  ) =>
  async (c: Ctx) => {
    const limit = pageLimit(c);
    if (typeof limit === "string") return fail(c, 400, limit);
    // The revision is read before the listing: an event between the two is
    // then both in the listing and after the revision, and replaying it on a
    // listing is harmless, where missing it would not be.
    const revision = await ctx.revision();
    try {
      const page = list(clock(), limit, c.req.query("cursor"));
      return c.json({ [key]: page.records.map(view), nextCursor: page.nextCursor, revision });
    } catch (error) {
      if (error instanceof CursorError) return fail(c, 400, "invalid cursor");
      throw error;
    }
  };

  app.get("/worlds", listing("worlds", (...a) => registry.listWorlds(...a), worldSummary));

  app.get("/world/:worldId", (c) => {
    const worldId = c.req.param("worldId");
    if (!isValidWorldId(worldId)) return fail(c, 400, "invalid worldId");
    const record = registry.getWorld(worldId, clock());
    if (!record) return fail(c, 404, `no live world ${worldId}`);
    return c.json({
      worldId,
      agentId: record.agentId,
      publicKey: record.publicKey,
      name: record.alias,
      endpoints: record.endpoints,
      reachable: record.endpoints.length > 0,
      subscribers: ctx.subscribers(worldId),
      lastSeen: record.lastSeen,
    });
  });

  app.get("/agents", listing("agents", (...a) => registry.listAgents(...a), agentView));

  app.get("/peer/ping", (c) => c.json({ ok: true, ts: clock(), agentId: ctx.identity.agentId }));

  app.get("/peer/peers", (c) => {
    const limit = pageLimit(c);
    if (typeof limit === "string") return fail(c, 400, limit);
    return c.json({ peers: registry.listAgents(clock(), limit).records.map(peerView) });
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
