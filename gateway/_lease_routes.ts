/**
 * The signed routes that change leases, for every AgentWorld version 1.2–1.6
 * and both route styles: announce (`POST /peer/announce`, `POST /agents`),
 * heartbeat (`POST /peer/heartbeat`, `POST /worlds/{id}/heartbeat`,
 * `POST /agents/{id}/heartbeat`), signed deregistration
 * (`POST /peer/deregister`) and key rotation (`POST /peer/key-rotation`).
 *
 * Each route: the client's failed-signature quota first (a forger costs no
 * verification once it is spent), then the protocol's one set of rules
 * (body limit as bytes arrive, JSON, shape, time window, key binding,
 * signature in the sender's version), then the store's decision.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  agentIdFromPathSegment,
  BODY_LIMITS,
  type Heartbeat,
  type HeartbeatIdField,
  MAX_CLOCK_SKEW_MS,
  parseDeregistration,
  parseHeartbeat,
  parseResourceHeartbeat,
  readJsonBody,
  readParsedBody,
  REJECTION_TEXT,
  verifyAnnounceRequest,
  verifyDeregistration,
  verifyHeartbeat,
  verifyKeyRotation,
} from "../protocol/mod.ts";
import type { ConnInfo, HttpContext } from "./http.ts";
import { REFUSAL_STATUS } from "./store.ts";
import { peerView } from "./_views.ts";

type Ctx = Context<{ Bindings: ConnInfo | undefined }>;

/** What the lease routes share with the rest of the app. */
export interface RouteKit {
  /** The quota key of the request's client. */
  clientOf(c: Ctx): string;
  /** A 429 when the client's failed-signature quota is spent, before anything is verified. */
  signatureQuota(c: Ctx, client: string): Response | undefined;
  /** A refusal; a 403 (a signature that does not verify) spends a failed-signature token. */
  refuse(c: Ctx, client: string, status: number, error: string): Response;
  /** A 429 with `Retry-After`. */
  tooMany(c: Ctx, seconds: number, error: string): Response;
}

/** Most live peers an announce answer carries. */
export const ANNOUNCE_PEERS = 20;

/** Adds the lease routes to the app. */
export function mountLeaseRoutes(
  app: Hono<{ Bindings: ConnInfo | undefined }>,
  ctx: HttpContext,
  kit: RouteKit,
): void {
  const { store, clock, quotas, logger, keys } = ctx;
  const fail = (c: Ctx, status: number, error: string) =>
    c.json({ error }, status as ContentfulStatusCode);

  /** `POST /peer/announce` answers the live peers; `POST /agents` (1.4+) the live non-world agents. */
  const announce = (style: "peer" | "resource") => async (c: Ctx) => {
    const client = kit.clientOf(c);
    const held = kit.signatureQuota(c, client);
    if (held) return held;
    const authority = ctx.publicAuthority;
    // The server hands over a body it has already received: this times CPU, not the network.
    const timer = ctx.metrics?.verifySeconds.startTimer({ kind: "announce" });
    const verified = await verifyAnnounceRequest(c.req.raw, {
      clock,
      authorities: authority ? [authority] : [],
    });
    timer?.();
    if (!verified.ok) return kit.refuse(c, client, verified.status, verified.error);
    const { record } = verified.value;
    if (!quotas.newLeases.has(client) && !await store.get(record.agentId)) {
      return kit.tooMany(
        c,
        quotas.newLeases.retryAfter(client),
        "too many new leases from this address",
      );
    }
    const outcome = await store.announce({ ...record, address: client });
    if (!outcome.ok) {
      const status = REFUSAL_STATUS[outcome.reason];
      // Room comes back as leases end: within a TTL at most.
      if (status === 503 || status === 429) c.header("retry-after", "30");
      return fail(c, status, outcome.error);
    }
    keys.remember(outcome.record);
    if (outcome.granted) {
      quotas.newLeases.take(client);
      logger.info("lease granted", {
        agentId: record.agentId,
        worldId: record.worldId,
        protocolVersion: record.protocolVersion,
      });
    }
    const others = (await ctx.peers.get()).filter((peer) => peer.agentId !== record.agentId);
    if (style === "peer") {
      return c.json({ ok: true, peers: others.slice(0, ANNOUNCE_PEERS).map(peerView) });
    }
    const agents = others.filter((peer) => peer.worldId === undefined).slice(0, ANNOUNCE_PEERS);
    return c.json({ ok: true, agents: agents.map(peerView) });
  };
  app.post("/peer/announce", announce("peer"));
  app.post("/agents", announce("resource"));

  /** Verifies a heartbeat with its lease's key and version, then renews. */
  const renew = async (c: Ctx, heartbeat: Heartbeat, idField: HeartbeatIdField) => {
    if (Math.abs(clock() - heartbeat.ts) > MAX_CLOCK_SKEW_MS) {
      return fail(c, 400, REJECTION_TEXT.outsideWindow("ts"));
    }
    const client = kit.clientOf(c);
    const held = kit.signatureQuota(c, client);
    if (held) return held;
    let agentKey = await keys.get(heartbeat.agentId);
    if (!agentKey) return fail(c, 404, "unknown or expired agent: announce again");
    const timer = ctx.metrics?.verifySeconds.startTimer({ kind: "heartbeat" });
    let verified = await verifyHeartbeat(heartbeat, agentKey.key, {
      version: agentKey.protocolVersion,
      idField,
    });
    timer?.();
    if (!verified) {
      // The lease may have been re-announced in another version (on another replica).
      const fresh = await keys.refresh(heartbeat.agentId);
      if (fresh && fresh.protocolVersion !== agentKey.protocolVersion) {
        agentKey = fresh;
        verified = await verifyHeartbeat(heartbeat, fresh.key, {
          version: fresh.protocolVersion,
          idField,
        });
      }
    }
    if (!verified) return kit.refuse(c, client, 403, "signature does not verify");
    const outcome = await store.renew(heartbeat.agentId, heartbeat.ts);
    if (!outcome.ok) {
      if (outcome.reason === "unknown") keys.forget(heartbeat.agentId);
      return fail(c, REFUSAL_STATUS[outcome.reason], outcome.error);
    }
    return c.json({ ok: true });
  };

  app.post("/peer/heartbeat", async (c) => {
    const read = await readParsedBody(c.req.raw, BODY_LIMITS.heartbeat, parseHeartbeat);
    if (!read.ok) return fail(c, read.status, read.error);
    return await renew(c, read.value, "agentId");
  });

  /** `POST /worlds/{aw id}/heartbeat` and `POST /agents/{id}/heartbeat` (1.4+): `{ts, signature}`. */
  const resourceHeartbeat = (idField: HeartbeatIdField) => async (c: Ctx) => {
    const read = await readJsonBody(c.req.raw, BODY_LIMITS.heartbeat);
    if (!read.ok) return fail(c, read.status, read.error);
    const agentId = agentIdFromPathSegment(c.req.param("id") ?? "");
    if (!agentId) {
      return fail(c, 404, idField === "worldId" ? "World not found" : "Agent not found");
    }
    const parsed = parseResourceHeartbeat(read.value.json, agentId);
    if (!parsed.ok) return fail(c, 400, parsed.error);
    return await renew(c, parsed.value, idField);
  };
  app.post("/worlds/:id/heartbeat", resourceHeartbeat("worldId"));
  app.post("/agents/:id/heartbeat", resourceHeartbeat("agentId"));

  app.post("/peer/deregister", async (c) => {
    const client = kit.clientOf(c);
    const held = kit.signatureQuota(c, client);
    if (held) return held;
    const read = await readParsedBody(
      c.req.raw,
      BODY_LIMITS.deregistration,
      parseDeregistration,
    );
    if (!read.ok) return fail(c, read.status, read.error);
    const goodbye = read.value;
    if (Math.abs(clock() - goodbye.ts) > MAX_CLOCK_SKEW_MS) {
      return fail(c, 400, REJECTION_TEXT.outsideWindow("ts"));
    }
    const agentKey = await keys.get(goodbye.agentId);
    if (!agentKey) return fail(c, 404, "unknown or expired agent");
    if (!await verifyDeregistration(goodbye, agentKey.key)) {
      return kit.refuse(c, client, 403, "signature does not verify");
    }
    const outcome = await store.revoke(goodbye.agentId, "deregistered", goodbye.ts);
    if (!outcome.ok) return fail(c, REFUSAL_STATUS[outcome.reason], outcome.error);
    keys.forget(goodbye.agentId);
    logger.info("deregistered", { agentId: goodbye.agentId, worldId: outcome.record.worldId });
    return c.json({ ok: true });
  });

  app.post("/peer/key-rotation", async (c) => {
    const client = kit.clientOf(c);
    const held = kit.signatureQuota(c, client);
    if (held) return held;
    const read = await readJsonBody(c.req.raw, BODY_LIMITS.keyRotation);
    if (!read.ok) return fail(c, read.status, read.error);
    const verified = await verifyKeyRotation(read.value.json, { clock });
    if (!verified.ok) return kit.refuse(c, client, verified.status, verified.error);
    const rotation = verified.value;
    const outcome = await store.rotate(rotation);
    if (!outcome.ok) return fail(c, REFUSAL_STATUS[outcome.reason], outcome.error);
    keys.forget(rotation.oldAgentId);
    logger.info("key rotated", {
      oldAgentId: rotation.oldAgentId,
      newAgentId: rotation.newAgentId,
      worlds: outcome.worlds,
    });
    return c.json({ ok: true, worlds: outcome.worlds, revoked: outcome.revoked });
  });
}
