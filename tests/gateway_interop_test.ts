/**
 * Every AgentWorld version registers with the gateway, unmodified: each
 * version's wire-vector world (same identity, same fields) re-signed at the
 * current time, announced and renewed on its own generation's routes, listed
 * beside the others, found by slug and by key id, and removed by its signed
 * deregistration.
 */
import { createGateway } from "../gateway/mod.ts";
import {
  type AnnounceFields,
  canonicalize,
  createAnnounce,
  createDeregistration,
  createHeartbeat,
  createKeyRotation,
  createPeerMessage,
  createResourceHeartbeat,
  generateIdentity,
  type Identity,
  type ProtocolVersion,
  signHttpRequest,
  verifyAgentCard,
  versionFeatures,
} from "../protocol/mod.ts";
import { ALL_VECTORS, identityOf, type WireVectors, worldFields } from "./_vectors.ts";
import { type Harness, json, withHarness } from "./_gateway.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { Client, wsUrl } from "./_ws.ts";

const AUTHORITY = "127.0.0.1:8100";

/** Announces as a world of `version` does: its route, canonical body, signed headers of its version. */
async function announceAs(
  h: Harness,
  identity: Identity,
  version: ProtocolVersion,
  fields: AnnounceFields,
  options: { headers?: boolean; path?: string } = {},
): Promise<Response> {
  const path = options.path ??
    (versionFeatures(version).resourceRoutes ? "/agents" : "/peer/announce");
  const body = canonicalize(await createAnnounce(identity, fields, h.clock.now, version));
  const headers = options.headers === false
    ? {}
    : await signHttpRequest(identity, "POST", AUTHORITY, path, body, {
      version,
      clock: () => h.clock.now,
    });
  return await h.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

/** Heartbeats as a world of `version` does: its route and its separator. */
async function heartbeatAs(
  h: Harness,
  identity: Identity,
  version: ProtocolVersion,
  ts: number,
  options: { encoded?: boolean; signedAs?: ProtocolVersion } = {},
): Promise<Response> {
  const signing = { version: options.signedAs ?? version, separator: "versioned" as const };
  if (!versionFeatures(version).resourceRoutes) {
    return await h.post("/peer/heartbeat", await createHeartbeat(identity, ts, signing));
  }
  const id = options.encoded === false ? identity.agentId : encodeURIComponent(identity.agentId);
  return await h.post(
    `/worlds/${id}/heartbeat`,
    await createResourceHeartbeat(identity, ts, { ...signing, idField: "worldId" }),
  );
}

for (const vectors of ALL_VECTORS as WireVectors[]) {
  const version = vectors.protocolVersion;
  const fields = worldFields(vectors);
  const slug = fields.slug ?? fields.capabilities[0].slice("world:".length);

  Deno.test(`${version}: the vector world announces, heartbeats, is listed and found, and deregisters`, () =>
    withHarness(async (h) => {
      const identity = await identityOf(vectors, vectors.announce.identity);
      const announced = await announceAs(h, identity, version, fields);
      assertEquals(announced.status, 200, JSON.stringify(await json(announced.clone())));
      const answer = await json(announced);
      assertEquals(answer.ok, true);
      assert(Array.isArray(versionFeatures(version).resourceRoutes ? answer.agents : answer.peers));

      h.clock.advance(30_000);
      const beat = await heartbeatAs(h, identity, version, h.clock.now);
      assertEquals([beat.status, await json(beat)], [200, { ok: true }]);
      h.clock.advance(30_000);
      assertEquals(
        (await heartbeatAs(h, identity, version, h.clock.now, { encoded: false })).status,
        200,
      );

      const listed = (await json(await h.request("/worlds"))).worlds as Record<string, unknown>[];
      assertEquals(listed.length, 1);
      assertEquals(listed[0].worldId, slug);
      assertEquals(listed[0].slug, slug);
      assertEquals(listed[0].agentId, identity.agentId);
      assertEquals(listed[0].name, fields.alias);
      assertEquals(listed[0].protocolVersion, version);
      assertEquals(listed[0].lastSeen, h.clock.now);
      for (
        const path of [
          `/worlds/${encodeURIComponent(identity.agentId)}`,
          `/worlds/${slug}`,
          `/world/${slug}`,
        ]
      ) {
        const detail = await json(await h.request(path));
        assertEquals([detail.agentId, detail.protocolVersion], [identity.agentId, version], path);
      }
      const agent = await json(await h.request(`/agents/${identity.agentId}`));
      assertEquals(agent.protocolVersion, version);

      h.clock.advance(1);
      const bye = await h.post(
        "/peer/deregister",
        await createDeregistration(identity, h.clock.now, version),
      );
      assertEquals(bye.status, 200);
      assertEquals((await h.request(`/world/${slug}`)).status, 404);
      assertEquals((await heartbeatAs(h, identity, version, h.clock.now + 1)).status, 404);
    }));

  Deno.test(`${version}: a heartbeat signed with another version's separator is refused`, () =>
    withHarness(async (h) => {
      const identity = await identityOf(vectors, vectors.announce.identity);
      assertEquals((await announceAs(h, identity, version, fields)).status, 200);
      const other: ProtocolVersion = version === "1.2" ? "1.6" : "1.2";
      const forged = await heartbeatAs(h, identity, version, h.clock.now + 1, { signedAs: other });
      assertEquals(forged.status, 403);
      assertEquals((await heartbeatAs(h, identity, version, h.clock.now + 2)).status, 200);
    }));

  Deno.test(`${version}: an announce signed in the body only (no version header) is found by trying each version`, () =>
    withHarness(async (h) => {
      const identity = await identityOf(vectors, vectors.announce.identity);
      const response = await announceAs(h, identity, version, fields, { headers: false });
      assertEquals(response.status, 200);
      assertEquals((await json(await h.request(`/world/${slug}`))).protocolVersion, version);
      // Its heartbeats are then verified in that version.
      assertEquals((await heartbeatAs(h, identity, version, h.clock.now + 1)).status, 200);
    }));
}

Deno.test("worlds of every version share one directory; each id is owned across versions", () =>
  withHarness(async (h) => {
    for (const vectors of ALL_VECTORS as WireVectors[]) {
      const identity = await generateIdentity();
      const response = await announceAs(h, identity, vectors.protocolVersion, {
        alias: `World ${vectors.protocolVersion}`,
        endpoints: [{ address: "203.0.113.7", port: 8099 }],
        capabilities: [`world:v${vectors.protocolVersion.replace(".", "-")}`],
        ...(versionFeatures(vectors.protocolVersion).resourceRoutes
          ? { slug: `v${vectors.protocolVersion.replace(".", "-")}` }
          : {}),
      });
      assertEquals(response.status, 200, vectors.protocolVersion);
    }
    const worlds = (await json(await h.request("/worlds"))).worlds as { worldId: string }[];
    assertEquals(worlds.map((w) => w.worldId).sort(), ["v1-2", "v1-3", "v1-4", "v1-5", "v1-6"]);
    // A 1.6 world may not take the slug a 1.2 world owns.
    const thief = await generateIdentity();
    const taken = await announceAs(h, thief, "1.6", {
      alias: "thief",
      endpoints: [],
      capabilities: ["world:v1-2"],
      slug: "v1-2",
    });
    assertEquals(taken.status, 409);
    assertMatch((await json(taken)).error as string, /owned by another key/);
  }));

Deno.test("an unknown protocol version is a clear 400", () =>
  withHarness(async (h) => {
    const identity = await generateIdentity();
    const body = canonicalize(
      await createAnnounce(identity, { alias: "x", endpoints: [], capabilities: [] }, h.clock.now),
    );
    const headers = await signHttpRequest(identity, "POST", AUTHORITY, "/agents", body, {
      clock: () => h.clock.now,
    });
    const response = await h.request("/agents", {
      method: "POST",
      headers: { ...headers, "X-AgentWorld-Version": "1.7" },
      body,
    });
    assertEquals(response.status, 400);
    assertMatch((await json(response)).error as string, /unsupported protocol version "1.7"/);
  }));

Deno.test("a non-world agent heartbeats on /agents/{id}/heartbeat, and is listed only as an agent", () =>
  withHarness(async (h) => {
    const identity = await generateIdentity();
    const response = await announceAs(h, identity, "1.6", {
      alias: "Ada",
      endpoints: [],
      capabilities: [],
    });
    assertEquals(response.status, 200);
    const beat = await createResourceHeartbeat(identity, h.clock.now + 1, {
      idField: "agentId",
      version: "1.6",
      separator: "versioned",
    });
    assertEquals((await h.post(`/agents/${identity.agentId}/heartbeat`, beat)).status, 200);
    assertEquals((await json(await h.request("/worlds"))).worlds, []);
    assertEquals(((await json(await h.request("/agents"))).agents as unknown[]).length, 1);
    assertEquals((await h.post("/agents/aw:sha256:nope/heartbeat", beat)).status, 404);
  }));

Deno.test("a signed key rotation moves the world to the new key; the old key is refused", () =>
  withHarness(async (h) => {
    const oldKey = await generateIdentity();
    const newKey = await generateIdentity();
    const fields = {
      alias: "Rotating",
      endpoints: [{ address: "203.0.113.7", port: 8099 }],
      capabilities: ["world:rotating"],
      slug: "rotating",
    };
    assertEquals((await announceAs(h, oldKey, "1.6", fields)).status, 200);
    h.clock.advance(1000);
    const rotation = await createKeyRotation(oldKey, newKey, h.clock.now, "1.6");
    const forged = JSON.parse(JSON.stringify(rotation));
    forged.proofs.signedByNew = forged.proofs.signedByOld;
    assertEquals((await h.post("/peer/key-rotation", forged)).status, 403, "both proofs");
    const rotated = await h.post("/peer/key-rotation", rotation);
    assertEquals(await json(rotated), { ok: true, worlds: ["rotating"], revoked: true });
    assertEquals((await h.request("/world/rotating")).status, 404, "the old lease ended");
    h.clock.advance(1);
    assertEquals((await announceAs(h, oldKey, "1.6", fields)).status, 409);
    assertEquals((await announceAs(h, newKey, "1.6", fields)).status, 200);
    assertEquals(
      (await h.post("/peer/key-rotation", rotation)).status,
      404,
      "a replay moves nothing",
    );
  }));

Deno.test("a replayed or forged deregistration is refused and the world stays", () =>
  withHarness(async (h) => {
    const identity = await generateIdentity();
    const stranger = await generateIdentity();
    assertEquals(
      (await announceAs(h, identity, "1.2", {
        alias: "Stays",
        endpoints: [],
        capabilities: ["world:stays"],
      })).status,
      200,
    );
    const beat = await createHeartbeat(identity, h.clock.now + 10);
    assertEquals((await h.post("/peer/heartbeat", beat)).status, 200);
    const stale = await createDeregistration(identity, h.clock.now + 10);
    assertEquals(
      (await h.post("/peer/deregister", stale)).status,
      409,
      "not newer than the heartbeat",
    );
    const forged = {
      ...(await createDeregistration(stranger, h.clock.now + 20)),
      agentId: identity.agentId,
    };
    assertEquals((await h.post("/peer/deregister", forged)).status, 403);
    assertEquals((await h.request("/world/stays")).status, 200);
  }));

Deno.test("a captured deregistration replayed after the world announced again is 409, and the world stays", () =>
  withHarness(async (h) => {
    const identity = await generateIdentity();
    const fields = { alias: "Returns", endpoints: [], capabilities: ["world:returns"] };
    assertEquals((await announceAs(h, identity, "1.2", fields)).status, 200);
    const goodbye = await createDeregistration(identity, h.clock.now + 10);
    assertEquals((await h.post("/peer/deregister", goodbye)).status, 200);
    assertEquals((await h.request("/world/returns")).status, 404);
    h.clock.advance(1000);
    assertEquals((await announceAs(h, identity, "1.2", fields)).status, 200);
    const replayed = await h.post("/peer/deregister", goodbye);
    assertEquals(replayed.status, 409);
    assertMatch(String((await json(replayed)).error), /not newer/);
    assertEquals((await h.request("/world/returns")).status, 200);
  }));

Deno.test("a captured key rotation replayed after the old key announced again is 409, and its lease stays", () =>
  withHarness(async (h) => {
    // A plain agent owns no world id: only its own replay floors stop the replay.
    const oldKey = await generateIdentity();
    const newKey = await generateIdentity();
    const fields = { alias: "Plain", endpoints: [], capabilities: ["chat"] };
    assertEquals((await announceAs(h, oldKey, "1.6", fields)).status, 200);
    h.clock.advance(1000);
    const rotation = await createKeyRotation(oldKey, newKey, h.clock.now, "1.6");
    const rotated = await h.post("/peer/key-rotation", rotation);
    assertEquals(await json(rotated), { ok: true, worlds: [], revoked: true });
    h.clock.advance(1000);
    assertEquals((await announceAs(h, oldKey, "1.6", fields)).status, 200, "back, a new lease");
    const replayed = await h.post("/peer/key-rotation", rotation);
    assertEquals(replayed.status, 409);
    assertEquals(
      (await json(replayed)).error,
      "the rotation is not newer than the last announce or heartbeat of the old key",
    );
    assertEquals((await h.request(`/agents/${oldKey.agentId}`)).status, 200, "not revoked");
  }));

Deno.test("the gateway serves its signed agent card, in the newest version or the one asked for", () =>
  withHarness(async (h) => {
    const card = await h.request("/.well-known/agent.json");
    assertEquals(card.status, 200);
    assertEquals(card.headers.get("cache-control"), "public, max-age=300", "as the reference");
    const text = await card.text();
    assert(await verifyAgentCard(text, h.gateway.identity.publicKeyB64));
    assertEquals(JSON.parse(text).extensions.agentworld.version, "1.6");
    const old = await (await h.request("/.well-known/agent.json?version=1.2")).text();
    assertEquals(JSON.parse(old).extensions.agentworld.version, "1.2");
    assert(await verifyAgentCard(old, h.gateway.identity.publicKeyB64));
    assertEquals((await h.request("/.well-known/agent.json?version=9")).status, 400);
  }));

/** The non-world agent's announced fields, as the 1.4+ vector files' `agentAnnounce` carries them. */
function agentFields(vectors: WireVectors): AnnounceFields {
  const body = JSON.parse(vectors.agentAnnounce!.body);
  return {
    alias: body.alias,
    version: body.version,
    endpoints: body.endpoints,
    capabilities: body.capabilities,
  };
}

for (
  const vectors of ALL_VECTORS.filter((v) => versionFeatures(v.protocolVersion).resourceRoutes)
) {
  const version = vectors.protocolVersion;

  Deno.test(`${version}: the vector agent announces on /agents, renews on /agents/{id}/heartbeat, and is an agent, never a world`, () =>
    withHarness(async (h) => {
      const identity = await identityOf(vectors, vectors.agentAnnounce!.identity);
      const announced = await announceAs(h, identity, version, agentFields(vectors));
      // Never the sender in its own answer.
      assertEquals([announced.status, await json(announced)], [200, { ok: true, agents: [] }]);
      const beat = (ts: number, signedAs = version, encoded = true) =>
        createResourceHeartbeat(identity, ts, {
          idField: "agentId",
          version: signedAs,
          separator: "versioned",
        }).then((body) =>
          h.post(
            `/agents/${
              encoded ? encodeURIComponent(identity.agentId) : identity.agentId
            }/heartbeat`,
            body,
          )
        );
      h.clock.advance(30_000);
      const renewed = await beat(h.clock.now);
      assertEquals([renewed.status, await json(renewed)], [200, { ok: true }]);
      const agent = await json(await h.request(`/agents/${encodeURIComponent(identity.agentId)}`));
      assertEquals(
        [agent.alias, agent.protocolVersion, agent.lastSeen],
        ["agent-zero", version, h.clock.now],
      );
      h.clock.advance(30_000);
      assertEquals((await beat(h.clock.now, version, false)).status, 200, "the raw id too");
      assertEquals((await beat(h.clock.now + 1, "1.2")).status, 403, "another version's separator");
      assertEquals((await json(await h.request("/worlds"))).worlds, []);
      assertEquals(
        (await h.request(`/worlds/${encodeURIComponent(identity.agentId)}`)).status,
        404,
        "an agent that hosts no world is not found as one",
      );
    }));

  Deno.test(`${version}: a world's DELETE /worlds/{aw id} by the admin ends its lease at once`, () =>
    withHarness(async (h) => {
      const identity = await identityOf(vectors, vectors.announce.identity);
      assertEquals((await announceAs(h, identity, version, worldFields(vectors))).status, 200);
      const path = `/worlds/${encodeURIComponent(identity.agentId)}`;
      const refused = await h.request(path, { method: "DELETE" });
      assertEquals(refused.status, 403, "never open");
      assertEquals((await h.request(path)).status, 200);
      const removed = await h.request(path, {
        method: "DELETE",
        headers: { authorization: "Bearer admin-token-for-interop" },
      });
      assertEquals([removed.status, await json(removed)], [200, { ok: true, removed: 1 }]);
      assertEquals((await h.request(path)).status, 404);
      assertEquals((await h.request("/worlds/pixel-city")).status, 404);
      assertEquals((await json(await h.request("/worlds"))).worlds, []);
      assertEquals((await heartbeatAs(h, identity, version, h.clock.now + 1)).status, 404);
      const again = await h.request(path, {
        method: "DELETE",
        headers: { authorization: "Bearer admin-token-for-interop" },
      });
      assertEquals([again.status, await json(again)], [404, { error: "World not found" }]);
    }, { adminToken: "admin-token-for-interop" }));
}

// Decision: either announce route takes a sender of any version (the route decides the answer's
// shape, the version the separators), as the 1.6 reference takes /peer/announce again. The
// lease then renews on its own version's heartbeat route.
for (const vectors of ALL_VECTORS as WireVectors[]) {
  const version = vectors.protocolVersion;
  const resource = versionFeatures(version).resourceRoutes;
  const otherRoute = resource ? "/peer/announce" : "/agents";

  Deno.test(`${version}: a sender announcing on the other generation's route (${otherRoute}) is accepted and renews in ${version}`, () =>
    withHarness(async (h) => {
      const identity = await identityOf(vectors, vectors.announce.identity);
      const fields = worldFields(vectors);
      const announced = await announceAs(h, identity, version, fields, { path: otherRoute });
      assertEquals(announced.status, 200);
      const answer = await json(announced);
      assertEquals(Object.keys(answer).sort(), resource ? ["ok", "peers"] : ["agents", "ok"]);
      const slug = fields.slug ?? "pixel-city";
      assertEquals((await json(await h.request(`/world/${slug}`))).protocolVersion, version);
      h.clock.advance(30_000);
      assertEquals((await heartbeatAs(h, identity, version, h.clock.now)).status, 200);
      assertEquals(
        (await heartbeatAs(h, identity, version, h.clock.now + 1, {
          signedAs: version === "1.2" ? "1.6" : "1.2",
        })).status,
        403,
      );
    }));
}

Deno.test("a world moving from 1.2 to 1.6 on the same key keeps its place; its heartbeats are then verified in 1.6", () =>
  withHarness(async (h) => {
    const [v12, v16] = [ALL_VECTORS[0], ALL_VECTORS[4]];
    const identity = await identityOf(v12, v12.announce.identity);
    assertEquals((await announceAs(h, identity, "1.2", worldFields(v12))).status, 200);
    h.clock.advance(30_000);
    assertEquals((await heartbeatAs(h, identity, "1.2", h.clock.now)).status, 200);
    h.clock.advance(1000);
    const moved = await announceAs(h, identity, "1.6", worldFields(v16));
    assertEquals(moved.status, 200);
    const worlds = (await json(await h.request("/worlds"))).worlds as Record<string, unknown>[];
    assertEquals(
      worlds.map((w) => [w.worldId, w.agentId, w.protocolVersion]),
      [["pixel-city", identity.agentId, "1.6"]],
    );
    h.clock.advance(30_000);
    // The 1.2 separator on the 1.2 route no longer verifies; 1.6's on the 1.6 route does.
    assertEquals((await heartbeatAs(h, identity, "1.2", h.clock.now)).status, 403);
    assertEquals((await heartbeatAs(h, identity, "1.6", h.clock.now + 1)).status, 200);
    const detail = await json(await h.request(`/worlds/${identity.agentId}`));
    assertEquals([detail.protocolVersion, detail.lastSeen], ["1.6", h.clock.now]);
  }));

for (
  const vectors of ALL_VECTORS.filter((v) => versionFeatures(v.protocolVersion).resourceRoutes)
) {
  const version = vectors.protocolVersion;

  Deno.test(`${version}: the vector world.state posted to POST /messages reaches a /ws watcher`, async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "aw-gw-" });
    const gateway = await createGateway({ dataDir, port: 0, hostname: "127.0.0.1" });
    const { url } = await gateway.start();
    const authority = new URL(url).host;
    const identity = await identityOf(vectors, vectors.announce.identity);
    let client: Client | undefined;
    try {
      // The vector world, on a loopback port that refuses (the watcher's join fails fast).
      const body = canonicalize(
        await createAnnounce(
          identity,
          {
            ...worldFields(vectors),
            endpoints: [{ address: "127.0.0.1", port: 9, transport: "tcp" }],
          },
          Date.now(),
          version,
        ),
      );
      const announced = await fetch(`${url}/agents`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...await signHttpRequest(identity, "POST", authority, "/agents", body, { version }),
        },
        body,
      });
      assertEquals(announced.status, 200);
      await announced.body?.cancel();
      client = new Client(wsUrl(url, `?world=${encodeURIComponent(identity.agentId)}`));
      assertEquals((await client.next("subscribed")).worldId, "pixel-city");

      // The vector's message, re-signed now: the same content, body and headers in the version.
      const vector = JSON.parse(vectors.worldStateMessage.body);
      const message = canonicalize(
        await createPeerMessage(
          identity,
          vector.event,
          JSON.parse(vector.content),
          Date.now(),
          version,
        ),
      );
      const posted = await fetch(`${url}/messages`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...await signHttpRequest(identity, "POST", authority, "/messages", message, { version }),
        },
        body: message,
      });
      assertEquals([posted.status, await posted.json()], [200, { ok: true, delivered: 1 }]);
      const frame = await client.next("world.state");
      assertEquals([frame.worldId, frame.state], ["pixel-city", JSON.parse(vector.content)]);
    } finally {
      await client?.close();
      await gateway.stop();
      await Deno.remove(dataDir, { recursive: true });
    }
  });
}
