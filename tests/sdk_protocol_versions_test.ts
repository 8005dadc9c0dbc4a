/**
 * The SDK set to each protocol version: a world of ours produces the bytes
 * of that version's vectors (announce, headers, heartbeat, routes), and
 * answers like a world of that version.
 *
 * @module
 */
import {
  canonicalize,
  createPeerMessage,
  type Identity,
  PEER_EVENTS,
  type ProtocolVersion,
  signHttpRequest,
  verifyHttpResponseHeaders,
} from "../protocol/mod.ts";
import {
  announceToGateway,
  createWorldServer,
  sendHeartbeat,
  startGatewayAnnounce,
  type WorldServer,
} from "../sdk/mod.ts";
import {
  agentWorldHeartbeat,
  ALL_VECTORS,
  identityOf,
  type WireVectors,
  worldFields,
} from "./_vectors.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "./assert.ts";
import { waitFor } from "./_sdk_fakes.ts";

const GATEWAY = "http://127.0.0.1:8100";

interface Captured {
  url: URL;
  headers: Headers;
  body: string;
}

/** A `fetch` that records each request and answers 200 `{ok: true}` without a socket. */
function capturing(answer: (request: Captured) => Response = () => Response.json({ ok: true })) {
  const requests: Captured[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const captured = {
      url: new URL(request.url),
      headers: request.headers,
      body: await request.text(),
    };
    requests.push(captured);
    return answer(captured);
  };
  return { requests, fetch: fetchImpl };
}

/** The six AgentWorld signature headers of a request, by their canonical names. */
function signatureHeaders(headers: Headers, like: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(like).map((name) => [name, headers.get(name) ?? ""]));
}

const withoutSpecShape = (vectors: WireVectors) => vectors.heartbeat.requests?.[0];

for (const vectors of ALL_VECTORS) {
  const version = vectors.protocolVersion;
  const clock = () => vectors.fixedTimeMs;

  Deno.test(`${version}: a world's announce is the vector's request byte for byte: route, body and headers`, async () => {
    const identity = await identityOf(vectors, vectors.announce.identity);
    const { requests, fetch } = capturing();
    const { slug: _slug, ...fields } = worldFields(vectors);
    const result = await announceToGateway(GATEWAY, {
      ...fields,
      identity,
      protocolVersion: version,
      fetch,
      clock,
    });
    assertEquals(result.ok, true);
    const [request] = requests;
    assertEquals(request.url.href, vectors.announce.url);
    assertEquals(request.body, vectors.announce.body);
    assertEquals(
      signatureHeaders(request.headers, vectors.announce.headers),
      vectors.announce.headers,
    );
    assertEquals(request.headers.get("content-type"), "application/json");
  });

  Deno.test(`${version}: a world's heartbeat is the vector's request: route and body`, async () => {
    const identity = await identityOf(vectors, vectors.heartbeat.identity);
    const { requests, fetch } = capturing();
    assertEquals(
      await sendHeartbeat(GATEWAY, identity, { protocolVersion: version, fetch, clock }),
      true,
    );
    const recorded = withoutSpecShape(vectors);
    const expectedBody = recorded?.body ?? JSON.stringify(agentWorldHeartbeat(vectors));
    assertEquals(requests[0].url.href, recorded?.url ?? `${GATEWAY}/peer/heartbeat`);
    assertEquals(requests[0].body, expectedBody);
  });

  Deno.test(`${version}: without a protocol version set, heartbeats are the short aw:hb: spec vector on the 1.2 route`, async () => {
    const identity = await identityOf(vectors, vectors.heartbeat.identity);
    const { requests, fetch } = capturing();
    await sendHeartbeat(GATEWAY, identity, { fetch, clock });
    assertEquals(requests[0].url.pathname, "/peer/heartbeat");
    assertEquals(requests[0].body, JSON.stringify(vectors.heartbeat.spec));
  });

  if (vectors.heartbeat.requests?.[1]) {
    const agentRequest = vectors.heartbeat.requests[1];

    Deno.test(`${version}: an agent's heartbeat takes the agents route, signed over agentId`, async () => {
      const identity = await identityOf(vectors, agentRequest.identity);
      const { requests, fetch } = capturing();
      await sendHeartbeat(GATEWAY, identity, {
        protocolVersion: version,
        role: "agent",
        fetch,
        clock,
      });
      assertEquals(requests[0].url.href, agentRequest.url);
      assertEquals(requests[0].body, agentRequest.body);
    });
  }

  if (vectors.scheduling) {
    const scheduled = vectors.scheduling.world;

    Deno.test(`${version}: a world's schedule announces and heartbeats at the vector's URLs, and re-announces after a 404`, async () => {
      const identity = await identityOf(vectors, vectors.announce.identity);
      let refused = false;
      const { requests, fetch } = capturing((request) => {
        if (request.url.pathname.endsWith("/heartbeat") && !refused) {
          refused = true;
          return Response.json({ error: "World not found" }, { status: 404 });
        }
        return Response.json({ ok: true });
      });
      const handle = startGatewayAnnounce({
        ...worldFields(vectors),
        identity,
        gatewayUrls: GATEWAY,
        protocolVersion: version,
        heartbeatIntervalMs: 5,
        fetch,
        onError: () => {},
      });
      try {
        await waitFor(() => requests.length >= 4, "announce, heartbeat, announce, heartbeat");
      } finally {
        await handle.stop({ deregister: false });
      }
      assertEquals(requests.slice(0, 4).map((r) => r.url.href), [
        scheduled.announceUrl,
        scheduled.heartbeatUrl,
        scheduled.announceUrl,
        scheduled.heartbeatUrl,
      ]);
    });
  }

  if (vectors.worldIdentity) {
    const names = vectors.worldIdentity;
    const live = vectors.liveCapture!;

    /** A private world of ours, set to this version, as the vectors' world. */
    const withWorld = async (fn: (world: WorldServer, identity: Identity) => Promise<void>) => {
      const identity = await identityOf(vectors, names.identity);
      const world = await createWorldServer({
        worldId: "pixel-city",
        worldName: "Pixel City",
        port: 0,
        hostname: "127.0.0.1",
        identity,
        isPublic: false,
        protocolVersion: version,
        clock,
      });
      try {
        await fn(world, identity);
      } finally {
        await world.stop();
      }
    };

    Deno.test(`${version}: /peer/ping names the world as the vector's world does, signed in the version`, async () => {
      await withWorld(async (world, identity) => {
        const response = await world.app.request("/peer/ping");
        const text = await response.text();
        const ping = JSON.parse(text);
        assertEquals(ping.worldId, names.worldPingFields.worldId);
        assertEquals(ping.slug ?? null, names.worldPingFields.slug);
        const upstream = JSON.parse(live.worldResponses.find((r) => r.path === "/peer/ping")!.body);
        assertEquals(Object.keys(ping).sort(), Object.keys(upstream).sort());
        assertEquals(
          await verifyHttpResponseHeaders(response.headers, 200, text, identity.publicKeyB64, {
            clock,
          }),
          { ok: true, version },
        );
      });
    });

    Deno.test(`${version}: the join reply names the world as the vector's world does, signed in the joiner's version`, async () => {
      const agent = await identityOf(vectors, 0);
      await withWorld(async (world) => {
        for (const asked of [version, "1.2"] as ProtocolVersion[]) {
          const message = await createPeerMessage(
            agent,
            PEER_EVENTS.JOIN,
            { alias: "agent-zero" },
            clock() + (asked === version ? 0 : 1),
            asked,
          );
          const body = canonicalize(message);
          const headers = await signHttpRequest(
            agent,
            "POST",
            "world.test",
            "/peer/message",
            body,
            { clock, version: asked },
          );
          const response = await world.app.request("http://world.test/peer/message", {
            method: "POST",
            headers,
            body,
          });
          const text = await response.text();
          assertEquals(response.status, 200, text);
          const reply = JSON.parse(text);
          assertEquals(reply.worldId, names.worldJoinReplyFields.worldId);
          assertEquals(reply.slug ?? null, names.worldJoinReplyFields.slug);
          assertEquals(response.headers.get("X-AgentWorld-Version"), asked);
        }
      });
    });

    Deno.test(`${version}: /peer/peers lists members under the vector's key`, async () => {
      await withWorld(async (world) => {
        const body = await (await world.app.request("/peer/peers")).json();
        const upstreamKey = Object.keys(
          JSON.parse(live.worldResponses.find((r) => r.path === "/peer/peers")!.body),
        );
        assertEquals(Object.keys(body), upstreamKey);
      });
    });

    Deno.test(`${version}: /world/manifest is served exactly when the vector's world serves it, with its fields`, async () => {
      await withWorld(async (world, identity) => {
        const upstream = live.worldResponses.find((r) => r.path === "/world/manifest")!;
        const response = await world.app.request("/world/manifest");
        assertEquals(response.status, upstream.status);
        const body = await response.json();
        if (upstream.status !== 200) return;
        const expected = JSON.parse(upstream.body);
        assertEquals(Object.keys(body), Object.keys(expected));
        assertEquals(body.worldId, identity.agentId);
        assertEquals([body.slug, body.name], [expected.slug, expected.name]);
      });
    });
  }
}

Deno.test("a world set to 1.6 broadcasts world.state signed in 1.6, with its slug as the content's worldId", async () => {
  const vectors = ALL_VECTORS[4];
  const received: Captured[] = [];
  const { fetch } = capturing((request) => {
    received.push(request);
    return Response.json({ ok: true });
  });
  const identity = await identityOf(vectors, 1);
  const world = await createWorldServer({
    worldId: "pixel-city",
    port: 0,
    hostname: "127.0.0.1",
    identity,
    isPublic: false,
    protocolVersion: "1.6",
    broadcastIntervalMs: 60_000,
    fetch,
  });
  try {
    const agent = await identityOf(vectors, 0);
    const join = await createPeerMessage(agent, PEER_EVENTS.JOIN, {
      endpoints: [{ address: "127.0.0.1", port: 9 }],
    });
    assertEquals(
      (await world.app.request("http://w.test/peer/message", {
        method: "POST",
        body: JSON.stringify(join),
      })).status,
      200,
    );
    await world.broadcast();
    const [sent] = received;
    assertEquals(sent.headers.get("X-AgentWorld-Version"), "1.6");
    const message = JSON.parse(sent.body);
    assertEquals(sent.body, canonicalize(message));
    assertEquals(JSON.parse(message.content).worldId, "pixel-city");
  } finally {
    await world.stop();
  }
});

Deno.test("an unknown protocol version is a TypeError before anything is sent", async () => {
  const identity = await identityOf(ALL_VECTORS[0], 1);
  assertThrows(
    () =>
      startGatewayAnnounce({
        ...worldFields(ALL_VECTORS[0]),
        identity,
        gatewayUrls: GATEWAY,
        protocolVersion: "1.7" as "1.2",
      }),
    /unsupported protocol version "1.7"/,
  );
  await assertRejects(
    () =>
      createWorldServer({
        worldId: "w",
        port: 0,
        isPublic: false,
        protocolVersion: "2.0" as "1.2",
        identity,
      }),
    /unsupported protocol version "2.0"/,
  );
  const { fetch } = capturing();
  await assertRejects(
    () => sendHeartbeat(GATEWAY, identity, { protocolVersion: "1.1" as "1.2", fetch }),
    /unsupported protocol version/,
  );
  assert(true);
});
