/**
 * The admin API, for the platform: list and inspect world ids and leases,
 * revoke a lease, release or transfer a world id. Off unless an admin token
 * is configured (`GATEWAY_ADMIN_TOKEN`, or the reference gateway's name
 * `GATEWAY_ADMIN_KEY`): every request then needs `Authorization: Bearer
 * <token>`, compared in constant time; anything else is 403, and an address
 * that keeps failing is held back with 429 like one that keeps sending bad
 * signatures. Every action taken with the right token is logged at info, reads
 * included (they disclose owners and client addresses), with the client's
 * address; every change is reported as a webhook (a revoke is
 * `world.expired`, or `agent.expired` for an agent that hosts no world, with
 * reason `admin`; a release or transfer is `world.owner_changed`).
 *
 * `DELETE /worlds/{worldId}` and `DELETE /agents/{agentId}` are the
 * reference gateway's removal routes; the rest lives under `/admin/`.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { agentIdFromPublicKey, isValidWorldId, readJsonBody } from "../protocol/mod.ts";
import { fromBase64, utf8 } from "../protocol/_bytes.ts";
import type { ConnInfo, HttpContext } from "./http.ts";
import type { LeaseRecord, WorldOwner } from "./store.ts";

type Ctx = Context<{ Bindings: ConnInfo | undefined }>;

const AGENT_ID = /^aw:sha256:[0-9a-f]{64}$/;

function fail(c: Ctx, status: ContentfulStatusCode, error: string): Response {
  return c.json({ error }, status);
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(text)));
}

/** Compares two secrets in time independent of where they differ (hashes have one length). */
export async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** The admin view of a lease: everything the store holds, the client address included. */
export function leaseView(record: LeaseRecord): Record<string, unknown> {
  return {
    agentId: record.agentId,
    publicKey: record.publicKey,
    alias: record.alias,
    ...(record.version === undefined ? {} : { version: record.version }),
    protocolVersion: record.protocolVersion,
    endpoints: record.endpoints,
    capabilities: record.capabilities,
    ...(record.worldId === undefined ? {} : { worldId: record.worldId }),
    grantedAt: record.grantedAt,
    lastSeen: record.lastSeen,
    lastAnnounceTs: record.lastAnnounceTs,
    lastHeartbeatTs: record.lastHeartbeatTs,
    ...(record.address === undefined ? {} : { address: record.address }),
    ...(record.unreachableSince === undefined ? {} : { unreachableSince: record.unreachableSince }),
    ...(record.lastReachableAt === undefined ? {} : { lastReachableAt: record.lastReachableAt }),
  };
}

function ownerView(owner: WorldOwner): Record<string, unknown> {
  return {
    owner: owner.owner,
    publicKey: owner.publicKey,
    since: owner.since,
    lastUsedAt: owner.lastUsedAt,
  };
}

/** Adds the admin routes to the app (they answer 403 while no token is configured). */
export function mountAdmin(
  app: Hono<{ Bindings: ConnInfo | undefined }>,
  ctx: HttpContext,
  clientOf: (c: Ctx) => string,
): void {
  const { store, logger, limitedLog, quotas } = ctx;

  const authorized = async (c: Ctx): Promise<Response | undefined> => {
    const client = clientOf(c);
    if (!quotas.badSignatures.has(client)) {
      c.header("retry-after", String(quotas.badSignatures.retryAfter(client)));
      return fail(c, 429, "too many failed admin requests from this address");
    }
    if (ctx.adminToken === undefined) {
      return fail(c, 403, "Forbidden: the admin API is disabled (set GATEWAY_ADMIN_TOKEN)");
    }
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S{1,512})$/i.exec(header);
    if (!match || !await sameSecret(match[1], ctx.adminToken)) {
      quotas.badSignatures.take(client);
      // A token-guessing client would flood the log: one line a second, with a count.
      limitedLog.warn("admin-refused", "admin request refused", {
        client,
        path: c.req.path.slice(0, 200),
      });
      return fail(c, 403, "Forbidden: a valid admin bearer token is required");
    }
    return undefined;
  };

  /** The live record a `DELETE /worlds/{id}` names: a world id (slug) or a world's agent id. */
  const worldRecord = async (id: string) => {
    if (AGENT_ID.test(id)) {
      const record = await store.get(id);
      return record?.worldId === undefined ? undefined : record;
    }
    return isValidWorldId(id) ? await store.getWorld(id) : undefined;
  };

  app.use("/admin/*", async (c, next) => {
    const refused = await authorized(c);
    if (refused) return refused;
    await next();
  });

  app.delete("/worlds/:worldId", async (c) => {
    const refused = await authorized(c);
    if (refused) return refused;
    const id = c.req.param("worldId");
    const record = await worldRecord(id);
    if (!record) return fail(c, 404, "World not found");
    const outcome = await store.revoke(record.agentId, "admin");
    if (!outcome.ok) return fail(c, 404, "World not found");
    logger.info("admin revoked a world's lease", {
      client: clientOf(c),
      worldId: record.worldId,
      agentId: record.agentId,
    });
    return c.json({ ok: true, removed: 1 });
  });

  app.delete("/agents/:agentId", async (c) => {
    const refused = await authorized(c);
    if (refused) return refused;
    const agentId = c.req.param("agentId");
    if (!AGENT_ID.test(agentId)) return fail(c, 400, "agentId must be aw:sha256:<64 hex digits>");
    const outcome = await store.revoke(agentId, "admin");
    if (!outcome.ok) return fail(c, 404, "Agent not found");
    logger.info("admin revoked a lease", {
      client: clientOf(c),
      agentId,
      worldId: outcome.record.worldId,
    });
    return c.json({ ok: true });
  });

  app.get("/admin/worlds", async (c) => {
    const raw = c.req.query("limit") ?? "100";
    if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) {
      return fail(c, 400, "limit must be an integer from 1 to 1000");
    }
    const after = c.req.query("after");
    if (after !== undefined && !isValidWorldId(after)) return fail(c, 400, "invalid after");
    const { owners, next } = await store.listOwners(Number(raw), after);
    // Reads are logged too: they disclose owners and client addresses.
    logger.info("admin listed world ids", {
      client: clientOf(c),
      limit: Number(raw),
      after,
      count: owners.length,
    });
    const worlds = await Promise.all(owners.map(async (owner) => {
      const lease = await store.getWorld(owner.worldId);
      return {
        worldId: owner.worldId,
        ...ownerView(owner),
        live: lease !== undefined && lease.agentId === owner.owner,
        ...(lease ? { lastSeen: lease.lastSeen } : {}),
      };
    }));
    return c.json({ worlds, next });
  });

  app.get("/admin/worlds/:worldId", async (c) => {
    const worldId = c.req.param("worldId");
    if (!isValidWorldId(worldId)) return fail(c, 400, "invalid worldId");
    const [owner, lease] = await Promise.all([store.owner(worldId), store.getWorld(worldId)]);
    logger.info("admin inspected a world id", {
      client: clientOf(c),
      worldId,
      found: owner !== undefined || lease !== undefined,
    });
    if (!owner && !lease) return fail(c, 404, `world id ${worldId} is neither owned nor live`);
    return c.json({
      worldId,
      owner: owner ? ownerView(owner) : null,
      lease: lease ? leaseView(lease) : null,
    });
  });

  app.post("/admin/worlds/:worldId/release", async (c) => {
    const worldId = c.req.param("worldId");
    if (!isValidWorldId(worldId)) return fail(c, 400, "invalid worldId");
    const outcome = await store.releaseWorld(worldId);
    if (!outcome.ok) return fail(c, 404, outcome.error);
    logger.info("admin released a world id", {
      client: clientOf(c),
      worldId,
      previous: outcome.previous,
      revoked: outcome.revoked,
    });
    return c.json(outcome);
  });

  app.post("/admin/worlds/:worldId/transfer", async (c) => {
    const worldId = c.req.param("worldId");
    if (!isValidWorldId(worldId)) return fail(c, 400, "invalid worldId");
    const read = await readJsonBody(c.req.raw, 4096);
    if (!read.ok) return fail(c, read.status as ContentfulStatusCode, read.error);
    const body = read.value.json as { publicKey?: unknown } | null;
    const raw = typeof body?.publicKey === "string" ? fromBase64(body.publicKey) : undefined;
    if (!raw || raw.length !== 32) {
      return fail(c, 400, 'body must be {"publicKey": <base64 of the new owner\'s 32-byte key>}');
    }
    const publicKey = body!.publicKey as string;
    const agentId = await agentIdFromPublicKey(publicKey);
    const outcome = await store.transferWorld(worldId, { agentId, publicKey });
    if (!outcome.ok) return fail(c, outcome.reason === "policy" ? 409 : 404, outcome.error);
    logger.info("admin transferred a world id", {
      client: clientOf(c),
      worldId,
      previous: outcome.previous,
      owner: agentId,
      revoked: outcome.revoked,
    });
    return c.json({ ...outcome, owner: agentId });
  });
}
