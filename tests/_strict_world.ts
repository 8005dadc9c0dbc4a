/**
 * A world that speaks exactly one protocol version, as the reference world of
 * that version does: a peer message is accepted only when its
 * `X-AgentWorld-Version`, its request-signature headers and its body
 * signature are all of that version, and its signed answers are in that
 * version. It answers `world.join` as that version's world: from 1.4 its key
 * id in `worldId` and the slug in `slug`, before that the slug in `worldId`.
 *
 * Our own `createWorldServer` accepts every version, so it cannot catch a
 * gateway that calls a world in the wrong one; this world can.
 *
 * @module
 */
import {
  type Identity,
  parseContent,
  parsePeerMessage,
  PEER_EVENTS,
  type ProtocolVersion,
  signHttpResponse,
  verifyHttpRequestHeaders,
  verifyPeerMessage,
  versionFeatures,
} from "../protocol/mod.ts";

/** A message the world received, and what it made of it. */
export interface Received {
  event: string;
  from: string;
  /** The `X-AgentWorld-Version` it came with. */
  declared: string | null;
  /** The status the world answered. */
  status: number;
}

/** A running strict world. */
export interface StrictWorld {
  readonly version: ProtocolVersion;
  readonly identity: Identity;
  readonly slug: string;
  readonly port: number;
  /** Every peer message received, in order. */
  readonly received: Received[];
  /** The members who joined and have not left. */
  readonly members: Set<string>;
  close(): Promise<void>;
}

/** The world's answer to `world.join`, as that version's reference world gives it. */
export function joinReply(
  version: ProtocolVersion,
  identity: Identity,
  slug: string,
  state: unknown,
): Record<string, unknown> {
  return versionFeatures(version).keyIdIsWorldId
    ? { ok: true, worldId: identity.agentId, slug, manifest: { name: slug }, state, members: [] }
    : { ok: true, worldId: slug, manifest: { name: slug }, state, members: [] };
}

/** Starts a strict world of `version` on a free loopback port. */
export function startStrictWorld(
  version: ProtocolVersion,
  identity: Identity,
  slug: string,
): StrictWorld {
  const received: Received[] = [];
  const members = new Set<string>();
  let moves = 0;

  const answer = async (status: number, body: Record<string, unknown>) => {
    const text = JSON.stringify(body);
    const headers = await signHttpResponse(identity, status, text, { version });
    return new Response(text, {
      status,
      headers: { ...headers, "content-type": "application/json; charset=utf-8" },
    });
  };

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/peer/message") {
      return await answer(404, { error: "Not Found" });
    }
    const text = await request.text();
    const parsed = parsePeerMessage(JSON.parse(text));
    if (!parsed.ok) return await answer(400, { error: "Invalid message" });
    const message = parsed.value;
    const declared = request.headers.get("x-agentworld-version");
    const record = (status: number) =>
      received.push({ event: message.event, from: message.from, declared, status });
    // The reference world verifies under its own separators only: another
    // version's signature, or another version's `v`, does not verify.
    const headers = await verifyHttpRequestHeaders(
      request.headers,
      "POST",
      url.pathname,
      request.headers.get("host") ?? url.host,
      text,
      message.publicKey,
      { versions: [version] },
    );
    if (declared !== version || !headers.ok || !await verifyPeerMessage(message, version)) {
      record(403);
      return await answer(403, { error: "Invalid X-AgentWorld-Signature" });
    }
    const content = parseContent(message.content);
    switch (message.event) {
      case PEER_EVENTS.JOIN: {
        members.add(message.from);
        record(200);
        return await answer(200, joinReply(version, identity, slug, { moves }));
      }
      case PEER_EVENTS.ACTION: {
        if (!members.has(message.from)) {
          record(400);
          return await answer(400, { ok: false, error: "join the world first" });
        }
        moves++;
        record(200);
        return await answer(200, { ok: true, state: { moves, last: content } });
      }
      case PEER_EVENTS.LEAVE: {
        members.delete(message.from);
        record(200);
        return await answer(200, { ok: true });
      }
      default:
        record(400);
        return await answer(400, { error: `unknown event ${message.event}` });
    }
  };

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handle);
  return {
    version,
    identity,
    slug,
    port: server.addr.port,
    received,
    members,
    close: () => server.shutdown(),
  };
}
