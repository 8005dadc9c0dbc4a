import { Webhook } from "standardwebhooks";
import { createDeregistration, signHttpRequest } from "../protocol/mod.ts";
import { json, makeWorld, memoryStore, startHarness, withHarness } from "./_gateway.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";

async function expectError(response: Response, status: number, pattern: RegExp) {
  const body = await json(response);
  assertEquals(response.status, status, `status (body ${JSON.stringify(body)})`);
  assertEquals(Object.keys(body), ["error"]);
  assertMatch(body.error as string, pattern);
  assertMatch(response.headers.get("content-type") ?? "", /application\/json/);
}

// --- announce ---------------------------------------------------------------

Deno.test("an announce registers the world and answers the live peers", async () => {
  await withHarness(async (h) => {
    const a = await makeWorld("alpha");
    const b = await makeWorld("beta");
    const first = await h.post("/peer/announce", await a.announce(h.clock.now));
    assertEquals(await json(first), { ok: true, peers: [] });
    h.clock.advance(1);
    const second = await json(await h.post("/peer/announce", await b.announce(h.clock.now)));
    assertEquals((second.peers as { agentId: string }[]).map((p) => p.agentId), [
      a.identity.agentId,
    ]);
    const worlds = await json(await h.request("/worlds"));
    assertEquals((worlds.worlds as { worldId: string }[]).map((w) => w.worldId), ["beta", "alpha"]);
  });
});

Deno.test("an announce signed only by request headers is accepted", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld("headers-only");
    const body = JSON.stringify(
      await w.announce(h.clock.now, { signature: "A".repeat(86) + "==" }),
    );
    const headers = await signHttpRequest(
      w.identity,
      "POST",
      "127.0.0.1:8100",
      "/peer/announce",
      body,
      {
        clock: h.clock.read,
      },
    );
    assertEquals((await h.post("/peer/announce", body, headers)).status, 200);
  });
});

Deno.test("an announce with neither a valid body signature nor valid headers is 403", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld();
    const forged = await w.announce(h.clock.now, { alias: "Tampered" });
    await expectError(await h.post("/peer/announce", forged), 403, /signature does not verify/);
    const text = JSON.stringify(forged);
    const headers = await signHttpRequest(
      w.identity,
      "POST",
      "127.0.0.1:8100",
      "/peer/other",
      text,
      {
        clock: h.clock.read,
      },
    );
    await expectError(await h.post("/peer/announce", text, headers), 403, /does not verify/);
    assertEquals((await json(await h.request("/worlds"))).worlds, []);
  });
});

Deno.test("an announce whose from is not its key's agent id is 403", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld();
    const other = await makeWorld();
    const body = await w.announce(h.clock.now, { from: other.identity.agentId });
    await expectError(
      await h.post("/peer/announce", body),
      403,
      /from is not the agent id of publicKey/,
    );
  });
});

Deno.test("an announce outside the ±5 minute window is 400", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld();
    await expectError(
      await h.post("/peer/announce", await w.announce(h.clock.now - 300_001)),
      400,
      /timestamp is outside/,
    );
    await expectError(
      await h.post("/peer/announce", await w.announce(h.clock.now + 300_001)),
      400,
      /timestamp is outside/,
    );
  });
});

Deno.test("a replayed or older announce is 409", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld();
    const body = await w.announce(h.clock.now);
    assertEquals((await h.post("/peer/announce", body)).status, 200);
    await expectError(await h.post("/peer/announce", body), 409, /not newer/);
    await expectError(
      await h.post("/peer/announce", await w.announce(h.clock.now - 1)),
      409,
      /not newer/,
    );
  });
});

Deno.test("a captured announce does not bring a dead world back", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld("dead");
    const captured = await w.announce(h.clock.now);
    assertEquals((await h.post("/peer/announce", captured)).status, 200);
    h.clock.advance(90_001);
    h.gateway.sweep();
    await expectError(await h.post("/peer/announce", captured), 409, /not newer/);
    await expectError(await h.request("/world/dead"), 404, /no live world/);
  });
});

Deno.test("announce limits name the field", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ alias: "x".repeat(129) }, /^alias must be at most 128/],
      [{ endpoints: Array(9).fill({ address: "a", port: 1 }) }, /^endpoints must have at most 8/],
      [{ capabilities: Array(17).fill("c") }, /^capabilities must have at most 16/],
      [{ capabilities: ["c".repeat(129)] }, /^capabilities\[0\] must be at most 128/],
      [{ endpoints: [{ address: "a", port: 70000 }] }, /^endpoints\[0\]\.port/],
      [{ timestamp: "now" }, /^timestamp must be/],
      [{ alias: 5 }, /^alias must be a string/],
      [{ from: undefined }, /^missing field: from/],
      [{ publicKey: "short" }, /^publicKey must be the base64 of a 32-byte/],
      [{ capabilities: ["world:../etc"] }, /^capabilities\[0\] is not a valid world id/],
      [{ capabilities: ["world:a", "world:b"] }, /at most one world/],
    ];
    for (const [overrides, pattern] of cases) {
      await expectError(
        await h.post("/peer/announce", await w.announce(h.clock.now, overrides)),
        400,
        pattern,
      );
    }
  });
});

Deno.test("malformed announce bodies are 400 and oversized ones 413", async () => {
  await withHarness(async (h) => {
    await expectError(await h.post("/peer/announce", "{not json"), 400, /not valid JSON/);
    await expectError(await h.post("/peer/announce", "[1,2]"), 400, /JSON object/);
    await expectError(await h.post("/peer/announce", "null"), 400, /JSON object/);
    await expectError(await h.post("/peer/announce", ""), 400, /not valid JSON/);
    const w = await makeWorld();
    const huge = await w.announce(h.clock.now, { padding: "x".repeat(70_000) });
    await expectError(await h.post("/peer/announce", huge), 413, /exceeds 8192 bytes/);
  });
});

Deno.test("a chunked body over the limit is cut off with 413", async () => {
  await withHarness(async (h) => {
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await h.request("/peer/announce", { method: "POST", body: stream });
    await expectError(response, 413, /exceeds/);
  });
});

Deno.test("a world id owned by another key is 409, during and after its lease", async () => {
  await withHarness(async (h) => {
    const owner = await makeWorld("contested");
    const thief = await makeWorld("contested");
    assertEquals((await h.post("/peer/announce", await owner.announce(h.clock.now))).status, 200);
    await expectError(
      await h.post("/peer/announce", await thief.announce(h.clock.now)),
      409,
      /world id contested is owned by another key/,
    );
    assertEquals((await json(await h.request("/world/contested"))).agentId, owner.identity.agentId);
    h.clock.advance(120_000);
    await expectError(
      await h.post("/peer/announce", await thief.announce(h.clock.now)),
      409,
      /owned by another key/,
    );
  });
});

Deno.test("under WORLD_ID_POLICY=live-holder a world id is taken only while its lease is live", async () => {
  await withHarness(async (h) => {
    const first = await makeWorld("contested");
    const second = await makeWorld("contested");
    assertEquals((await h.post("/peer/announce", await first.announce(h.clock.now))).status, 200);
    await expectError(
      await h.post("/peer/announce", await second.announce(h.clock.now)),
      409,
      /held by another live agent/,
    );
    h.clock.advance(90_001);
    assertEquals((await h.post("/peer/announce", await second.announce(h.clock.now))).status, 200);
    assertEquals(
      (await json(await h.request("/world/contested"))).agentId,
      second.identity.agentId,
    );
  }, { worldIdPolicy: "live-holder" });
});

Deno.test("a full registry answers 503 to a new agent and keeps every live one", async () => {
  await withHarness(async (h) => {
    const worlds = [await makeWorld(), await makeWorld()];
    for (const w of worlds) {
      assertEquals((await h.post("/peer/announce", await w.announce(h.clock.now))).status, 200);
    }
    const late = await makeWorld();
    await expectError(
      await h.post("/peer/announce", await late.announce(h.clock.now)),
      503,
      /full/,
    );
    assertEquals((await json(await h.request("/health"))).agents, 2);
  }, { maxAgents: 2 });
});

// --- heartbeat --------------------------------------------------------------

Deno.test("a heartbeat keeps a world visible past the TTL of its announce", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld("kept");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    h.clock.advance(60_000);
    assertEquals(await json(await h.post("/peer/heartbeat", await w.heartbeat(h.clock.now))), {
      ok: true,
    });
    h.clock.advance(60_000);
    assertEquals((await h.request("/world/kept")).status, 200);
    h.clock.advance(30_001);
    assertEquals((await h.request("/world/kept")).status, 404);
  });
});

Deno.test("a heartbeat signed with the AgentWorld 1.2 separator is accepted", async () => {
  const { AGENTWORLD_HEARTBEAT_SEPARATOR, signWithDomainSeparator } = await import(
    "../protocol/mod.ts"
  );
  await withHarness(async (h) => {
    const w = await makeWorld();
    await h.post("/peer/announce", await w.announce(h.clock.now));
    const payload = { agentId: w.identity.agentId, ts: h.clock.now };
    const signature = await signWithDomainSeparator(
      AGENTWORLD_HEARTBEAT_SEPARATOR,
      payload,
      w.identity,
    );
    assertEquals((await h.post("/peer/heartbeat", { ...payload, signature })).status, 200);
  });
});

Deno.test("a heartbeat for an unknown or expired agent is 404", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld();
    await expectError(
      await h.post("/peer/heartbeat", await w.heartbeat(h.clock.now)),
      404,
      /announce again/,
    );
    await h.post("/peer/announce", await w.announce(h.clock.now));
    h.clock.advance(90_001);
    await expectError(
      await h.post("/peer/heartbeat", await w.heartbeat(h.clock.now)),
      404,
      /announce again/,
    );
  });
});

Deno.test("a heartbeat with a bad signature is 403 and does not renew", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld("forged-hb");
    const impostor = await makeWorld();
    await h.post("/peer/announce", await w.announce(h.clock.now));
    h.clock.advance(80_000);
    const forged = { ...await impostor.heartbeat(h.clock.now), agentId: w.identity.agentId };
    await expectError(await h.post("/peer/heartbeat", forged), 403, /signature does not verify/);
    const wrongPayload = { ...await w.heartbeat(h.clock.now), ts: h.clock.now + 1 };
    await expectError(await h.post("/peer/heartbeat", wrongPayload), 403, /signature/);
    h.clock.advance(10_001);
    assertEquals((await h.request("/world/forged-hb")).status, 404);
  });
});

Deno.test("a replayed heartbeat is 409", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld();
    await h.post("/peer/announce", await w.announce(h.clock.now));
    const heartbeat = await w.heartbeat(h.clock.now);
    assertEquals((await h.post("/peer/heartbeat", heartbeat)).status, 200);
    await expectError(await h.post("/peer/heartbeat", heartbeat), 409, /not newer/);
    await expectError(
      await h.post("/peer/heartbeat", await w.heartbeat(h.clock.now - 5)),
      409,
      /not newer/,
    );
  });
});

Deno.test("malformed heartbeats are 400 with the field named, oversized ones 413", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld();
    await h.post("/peer/announce", await w.announce(h.clock.now));
    const good = await w.heartbeat(h.clock.now);
    await expectError(await h.post("/peer/heartbeat", "nope"), 400, /not valid JSON/);
    await expectError(
      await h.post("/peer/heartbeat", { ...good, agentId: undefined }),
      400,
      /missing field: agentId/,
    );
    await expectError(await h.post("/peer/heartbeat", { ...good, ts: "1" }), 400, /^ts must be/);
    await expectError(await h.post("/peer/heartbeat", { ...good, ts: 1.5 }), 400, /^ts must be/);
    await expectError(
      await h.post("/peer/heartbeat", { ...good, signature: 7 }),
      400,
      /signature must be a string/,
    );
    await expectError(
      await h.post("/peer/heartbeat", await w.heartbeat(h.clock.now - 300_001)),
      400,
      /outside/,
    );
    await expectError(
      await h.post("/peer/heartbeat", { ...good, pad: "x".repeat(5000) }),
      413,
      /exceeds 1024/,
    );
  });
});

Deno.test("heartbeats change nothing on disk", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld();
    await h.post("/peer/announce", await w.announce(h.clock.now));
    const store = memoryStore(h.gateway);
    await store.save();
    const before = await Deno.readTextFile(`${h.dataDir}/directory.ndjson`);
    const writes = store.writes;
    for (let i = 1; i <= 5; i++) {
      assertEquals(
        (await h.post("/peer/heartbeat", await w.heartbeat(h.clock.now + i))).status,
        200,
      );
    }
    await new Promise((r) => setTimeout(r, 300)); // longer than the announce debounce
    assertEquals(store.writes, writes);
    assertEquals(await Deno.readTextFile(`${h.dataDir}/directory.ndjson`), before);
    assert(store.dirty, "but the next interval will write them");
  });
});

// --- directory ----------------------------------------------------------------

Deno.test("health reports the gateway's agent id, live counts and its status", async () => {
  await withHarness(async (h) => {
    let health = await json(await h.request("/health"));
    assertEquals(health.agentId, h.gateway.identity.agentId);
    assertEquals(health.status, "warming");
    h.clock.advance(90_000);
    health = await json(await h.request("/health"));
    assertEquals([health.status, health.agents, health.worlds, health.registryAge], [
      "empty",
      0,
      0,
      90_000,
    ]);
    const w = await makeWorld();
    await h.post("/peer/announce", await w.announce(h.clock.now));
    health = await json(await h.request("/health"));
    assertEquals([health.status, health.agents, health.worlds], ["ready", 1, 1]);
    assertEquals(health.ts, h.clock.now);
    h.clock.advance(90_001);
    health = await json(await h.request("/health"));
    assertEquals([health.agents, health.worlds], [0, 0]);
  });
});

Deno.test("/worlds pages with limit and nextCursor and validates both", async () => {
  await withHarness(async (h) => {
    for (let i = 0; i < 5; i++) {
      const w = await makeWorld(`page-${i}`);
      h.clock.advance(1);
      await h.post("/peer/announce", await w.announce(h.clock.now));
    }
    const first = await json(await h.request("/worlds?limit=2"));
    assertEquals((first.worlds as { worldId: string }[]).map((w) => w.worldId), [
      "page-4",
      "page-3",
    ]);
    const second = await json(await h.request(`/worlds?limit=2&cursor=${first.nextCursor}`));
    assertEquals((second.worlds as { worldId: string }[]).map((w) => w.worldId), [
      "page-2",
      "page-1",
    ]);
    const third = await json(await h.request(`/worlds?limit=2&cursor=${second.nextCursor}`));
    assertEquals(third.nextCursor, null);
    for (const query of ["limit=0", "limit=1001", "limit=abc", "limit=-1", "cursor=%%%"]) {
      await expectError(await h.request(`/worlds?${query}`), 400, /limit|cursor/);
    }
  });
});

Deno.test("/world/{id} shows a live world and 404s or 400s otherwise", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld("shown");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    const world = await json(await h.request("/world/shown"));
    assertEquals(world, {
      worldId: "shown",
      agentId: w.identity.agentId,
      publicKey: w.identity.publicKeyB64,
      name: "World shown",
      slug: "shown",
      protocolVersion: "1.2",
      endpoints: [{ address: "127.0.0.1", port: 8099, transport: "tcp" }],
      reachable: true,
      subscribers: 0,
      lastSeen: h.clock.now,
    });
    await expectError(await h.request("/world/missing"), 404, /no live world missing/);
    await expectError(await h.request("/world/..%2Fetc"), 400, /invalid worldId/);
  });
});

Deno.test("/agents, /peer/peers and /peer/ping answer live data", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld("listed");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    const agents = await json(await h.request("/agents"));
    assertEquals((agents.agents as { worldId: string }[])[0].worldId, "listed");
    assertEquals(agents.nextCursor, null);
    const peers = await json(await h.request("/peer/peers?limit=5"));
    assertEquals((peers.peers as { agentId: string }[])[0].agentId, w.identity.agentId);
    for (const path of ["/peer/ping", "/ping"]) {
      assertEquals(await json(await h.request(path)), {
        ok: true,
        ts: h.clock.now,
        role: "gateway",
        agentId: h.gateway.identity.agentId,
      });
    }
    h.clock.advance(90_001);
    assertEquals((await json(await h.request("/agents"))).agents, []);
    assertEquals((await json(await h.request("/peer/peers"))).peers, []);
  });
});

Deno.test("unknown routes and wrong methods are JSON 404s", async () => {
  await withHarness(async (h) => {
    await expectError(await h.request("/nope"), 404, /no route for GET \/nope/);
    await expectError(await h.request("/worlds", { method: "DELETE" }), 404, /no route/);
    await expectError(await h.request("/peer/announce"), 404, /no route/);
  });
});

Deno.test("reads are open to any origin", async () => {
  await withHarness(async (h) => {
    const response = await h.request("/worlds", { headers: { origin: "https://example.com" } });
    assertEquals(response.headers.get("access-control-allow-origin"), "*");
    await response.body?.cancel();
    const preflight = await h.request("/worlds", { method: "OPTIONS" });
    assertEquals(preflight.status, 204);
    assertMatch(preflight.headers.get("access-control-allow-methods") ?? "", /GET/);
  });
});

// --- webhooks -------------------------------------------------------------------

interface Delivery {
  body: Record<string, unknown>;
  headers: Headers;
  text: string;
}

function webhookSink(): { fetch: typeof fetch; deliveries: Delivery[] } {
  const deliveries: Delivery[] = [];
  const fake = ((_url: string | URL | Request, init?: RequestInit) => {
    const text = String(init?.body);
    deliveries.push({ body: JSON.parse(text), headers: new Headers(init?.headers), text });
    return Promise.resolve(new Response(null, { status: 204 }));
  }) as typeof fetch;
  return { fetch: fake, deliveries };
}

Deno.test("world.announced fires once per offline→online edge, and again after expiry", async () => {
  const sink = webhookSink();
  await withHarness(async (h) => {
    const w = await makeWorld("edges");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    h.clock.advance(1000);
    await h.post("/peer/announce", await w.announce(h.clock.now)); // re-announce while live
    await h.post("/peer/heartbeat", await w.heartbeat(h.clock.now));
    await h.gateway.webhooks!.drain();
    assertEquals(sink.deliveries.map((d) => d.body.event), ["world.announced"]);
    assertEquals(sink.deliveries[0].body, {
      event: "world.announced",
      agentId: w.identity.agentId,
      worldId: "edges",
      ts: h.clock.now - 1000,
    });
    h.clock.advance(90_001);
    await h.post("/peer/announce", await w.announce(h.clock.now));
    await h.gateway.webhooks!.drain();
    assertEquals(sink.deliveries.map((d) => d.body.event), [
      "world.announced",
      "world.expired",
      "world.announced",
    ]);
  }, { webhookUrl: "http://127.0.0.1:9/hook", fetch: sink.fetch });
});

Deno.test("world.expired carries when the lease ran out", async () => {
  const sink = webhookSink();
  await withHarness(async (h) => {
    const w = await makeWorld("expiring");
    const grantedAt = h.clock.now;
    await h.post("/peer/announce", await w.announce(h.clock.now));
    h.clock.advance(95_000);
    await h.gateway.sweep();
    await h.gateway.webhooks!.drain();
    assertEquals(sink.deliveries.map((d) => d.body), [
      { event: "world.announced", agentId: w.identity.agentId, worldId: "expiring", ts: grantedAt },
      {
        event: "world.expired",
        agentId: w.identity.agentId,
        worldId: "expiring",
        ts: grantedAt + 90_000,
        reason: "ttl",
      },
    ]);
  }, { webhookUrl: "http://127.0.0.1:9/hook", fetch: sink.fetch });
});

Deno.test("records restored from the snapshot fire no world.announced", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const first = await startHarness({ dataDir });
    const w = await makeWorld("restored");
    await first.post("/peer/announce", await w.announce(first.clock.now));
    await first.close();
    const sink = webhookSink();
    const second = await startHarness({
      dataDir,
      webhookUrl: "http://127.0.0.1:9/hook",
      fetch: sink.fetch,
    });
    assertEquals(second.gateway.loaded?.contents.records.length, 1);
    assertEquals((await second.request("/world/restored")).status, 200);
    await second.gateway.webhooks!.drain();
    assertEquals(sink.deliveries, []);
    await second.close();
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("signed webhooks verify with the standardwebhooks package", async () => {
  const secret = "whsec_" + btoa("a very secret webhook key, 32 b!");
  const sink = webhookSink();
  await withHarness(async (h) => {
    const w = await makeWorld("signed");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    await h.gateway.webhooks!.drain();
    assertEquals(sink.deliveries.length, 1);
    const { text, headers } = sink.deliveries[0];
    assertMatch(headers.get("webhook-id") ?? "", /^msg_[a-z0-9]+-1$/);
    const verified = new Webhook(secret).verify(text, Object.fromEntries(headers));
    assertEquals((verified as { worldId: string }).worldId, "signed");
    let rejected = false;
    try {
      new Webhook("whsec_" + btoa("another key")).verify(text, Object.fromEntries(headers));
    } catch {
      rejected = true;
    }
    assert(rejected, "a different secret must not verify");
  }, { webhookUrl: "http://127.0.0.1:9/hook", webhookSecret: secret, fetch: sink.fetch });
});

Deno.test("a failing webhook endpoint never delays or fails the announce", async () => {
  let calls = 0;
  const failing = (() => {
    calls++;
    return Promise.reject(new TypeError("connection refused"));
  }) as typeof fetch;
  await withHarness(async (h) => {
    const w = await makeWorld();
    assertEquals((await h.post("/peer/announce", await w.announce(h.clock.now))).status, 200);
    await h.gateway.webhooks!.drain();
    assertEquals([calls, h.gateway.webhooks!.failures], [1, 1]);
    assertEquals((await h.gateway.store.outbox.backlog()).pending, 1, "kept for its retry");
  }, { webhookUrl: "http://127.0.0.1:9/hook", fetch: failing });
});

Deno.test("signatures made without a domain separator are refused", async () => {
  const { canonicalize, announceSigningPayload } = await import("../protocol/mod.ts");
  const sign = async (identity: { sign(m: Uint8Array): Promise<Uint8Array> }, payload: unknown) =>
    btoa(
      String.fromCharCode(...await identity.sign(new TextEncoder().encode(canonicalize(payload)))),
    );
  await withHarness(async (h) => {
    const w = await makeWorld("bare");
    const body = await w.announce(h.clock.now);
    const bare = { ...body, signature: await sign(w.identity, announceSigningPayload(body)) };
    await expectError(await h.post("/peer/announce", bare), 403, /signature does not verify/);
    assertEquals((await h.post("/peer/announce", body)).status, 200);
    const payload = { agentId: w.identity.agentId, ts: h.clock.now };
    const heartbeat = { ...payload, signature: await sign(w.identity, payload) };
    await expectError(await h.post("/peer/heartbeat", heartbeat), 403, /signature does not verify/);
  });
});

Deno.test("the sweep timer reclaims a mass expiry in batches, all of it within a second", async () => {
  const { createGateway } = await import("../gateway/mod.ts");
  const dataDir = await Deno.makeTempDir();
  const gateway = await createGateway({
    dataDir,
    port: 0,
    hostname: "127.0.0.1",
    staleTtlMs: 200,
  });
  const registry = memoryStore(gateway).registry;
  try {
    const now = Date.now();
    for (let i = 0; i < 12_000; i++) {
      registry.announce({
        agentId: `aw:sha256:${i}`,
        publicKey: "k",
        alias: "w",
        endpoints: [],
        capabilities: [],
        timestamp: 1,
        protocolVersion: "1.2",
      }, now);
    }
    await gateway.start();
    const deadline = Date.now() + 1500;
    while (registry.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assertEquals(registry.size, 0);
  } finally {
    await gateway.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("announce answers read their peers at most once a second, and never list one that left", () =>
  withHarness(async (h) => {
    const store = h.gateway.store;
    const list = store.listAgents.bind(store);
    let reads = 0;
    store.listAgents = (limit, cursor) => (reads++, list(limit, cursor));
    const peersOf = async (response: Response) =>
      ((await json(response)).peers as { agentId: string }[]).map((p) => p.agentId).sort();

    const a = await makeWorld("peer-a");
    const b = await makeWorld("peer-b");
    const c = await makeWorld("peer-c");
    assertEquals(await peersOf(await h.post("/peer/announce", await a.announce(h.clock.now))), []);
    assertEquals(await peersOf(await h.post("/peer/announce", await b.announce(h.clock.now))), [
      a.identity.agentId,
    ]);
    assertEquals(reads, 1, "the second announce within a second reused the list");

    // A second later the list is read again: b is there.
    h.clock.advance(1_000);
    assertEquals(
      await peersOf(await h.post("/peer/announce", await c.announce(h.clock.now))),
      [b.identity.agentId, a.identity.agentId].sort(),
    );
    assertEquals(reads, 2);

    // b leaves: the very next answer no longer lists it, however fresh the list was.
    const goodbye = await createDeregistration(b.identity, h.clock.now + 1);
    assertEquals((await h.post("/peer/deregister", goodbye)).status, 200);
    assertEquals(
      await peersOf(await h.post("/peer/announce", await a.announce(h.clock.now + 2))),
      [c.identity.agentId],
    );
    assertEquals(reads, 3);
  }));
