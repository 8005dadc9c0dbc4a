/**
 * The admin API: off without a token; 403 for a missing or wrong one; list,
 * inspect, revoke, release and transfer with the right one, each logged and
 * reported as a webhook.
 */
import { type Harness, json, makeWorld, withHarness } from "./_gateway.ts";
import { sameSecret } from "../gateway/admin.ts";
import { configFromEnv, createLogger } from "../gateway/mod.ts";
import { createAnnounce, generateIdentity } from "../protocol/mod.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";

const TOKEN = "admin-token-0123456789";

function admin(h: Harness, method: string, path: string, body?: unknown, token = TOKEN) {
  return h.request(path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A webhook receiver as a `fetch`: keeps every delivered body, answers 204. */
function webhookSink(): { deliveries: Record<string, unknown>[]; fetch: typeof globalThis.fetch } {
  const deliveries: Record<string, unknown>[] = [];
  const fetch = ((_: unknown, init?: RequestInit) => {
    deliveries.push(JSON.parse(String(init?.body)));
    return Promise.resolve(new Response(null, { status: 204 }));
  }) as typeof globalThis.fetch;
  return { deliveries, fetch };
}

Deno.test("secrets are compared by value", async () => {
  assert(await sameSecret(TOKEN, TOKEN));
  assert(!await sameSecret(TOKEN, TOKEN + "x"));
  assert(!await sameSecret("", TOKEN));
});

Deno.test("without a configured token the admin API is off: every route is 403", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld("kept");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    for (
      const [method, path] of [
        ["GET", "/admin/worlds"],
        ["DELETE", "/worlds/kept"],
        ["DELETE", `/agents/${w.identity.agentId}`],
        ["POST", "/admin/worlds/kept/release"],
      ]
    ) {
      const response = await admin(h, method, path);
      assertEquals(response.status, 403, `${method} ${path}`);
      assertMatch((await json(response)).error as string, /admin API is disabled/);
    }
    assertEquals((await h.request("/world/kept")).status, 200, "nothing was removed");
  });
});

Deno.test("a missing or wrong token is 403, and an address that keeps trying is held back", async () => {
  await withHarness(async (h) => {
    for (const token of ["", "wrong-token-0123456789", TOKEN.slice(0, -1)]) {
      const response = await admin(h, "GET", "/admin/worlds", undefined, token);
      assertEquals(response.status, 403);
      assertMatch((await json(response)).error as string, /Forbidden/);
    }
    const held = await admin(h, "GET", "/admin/worlds");
    assertEquals(held.status, 429, "even the right token waits once the quota is spent");
    assertMatch(held.headers.get("retry-after") ?? "", /^\d+$/);
  }, { adminToken: TOKEN, quotas: { badSignatures: { perMinute: 1, burst: 3 } } });
});

Deno.test("admins list and inspect world ids with their owners and leases", async () => {
  await withHarness(async (h) => {
    const a = await makeWorld("alpha");
    const b = await makeWorld("beta");
    await h.post("/peer/announce", await a.announce(h.clock.now));
    await h.post("/peer/announce", await b.announce(h.clock.now));
    const list = await json(await admin(h, "GET", "/admin/worlds?limit=1"));
    assertEquals((list.worlds as { worldId: string }[]).map((w) => w.worldId), ["alpha"]);
    assertEquals(list.next, "alpha");
    const rest = await json(await admin(h, "GET", "/admin/worlds?after=alpha"));
    assertEquals(rest.worlds, [{
      worldId: "beta",
      owner: b.identity.agentId,
      publicKey: b.identity.publicKeyB64,
      since: h.clock.now,
      lastUsedAt: h.clock.now,
      live: true,
      lastSeen: h.clock.now,
    }]);
    const one = await json(await admin(h, "GET", "/admin/worlds/alpha"));
    assertEquals((one.owner as { owner: string }).owner, a.identity.agentId);
    assertEquals((one.lease as { address: string }).address, "unknown");
    assertEquals((await admin(h, "GET", "/admin/worlds/nobody")).status, 404);
    assertEquals((await admin(h, "GET", "/admin/worlds?limit=0")).status, 400);
  }, { adminToken: TOKEN });
});

Deno.test("DELETE /worlds/{id} revokes a world by slug or by agent id; the webhook says admin", async () => {
  const { deliveries, fetch } = webhookSink();
  await withHarness(async (h) => {
    const a = await makeWorld("by-slug");
    const b = await makeWorld("by-key");
    await h.post("/peer/announce", await a.announce(h.clock.now));
    await h.post("/peer/announce", await b.announce(h.clock.now));
    const bySlug = await admin(h, "DELETE", "/worlds/by-slug");
    assertEquals([bySlug.status, await json(bySlug)], [200, { ok: true, removed: 1 }]);
    const byKey = await admin(h, "DELETE", `/worlds/${encodeURIComponent(b.identity.agentId)}`);
    assertEquals(byKey.status, 200);
    assertEquals((await h.request("/world/by-slug")).status, 404);
    assertEquals((await h.request("/world/by-key")).status, 404);
    const again = await admin(h, "DELETE", "/worlds/by-slug");
    assertEquals([again.status, await json(again)], [404, { error: "World not found" }]);
    await h.gateway.webhooks!.drain();
    assertEquals(
      deliveries.filter((d) => d.event === "world.expired").map((d) => [d.worldId, d.reason]),
      [["by-slug", "admin"], ["by-key", "admin"]],
    );
    // The id stays owned: the world may come back with its own key.
    h.clock.advance(1);
    assertEquals((await h.post("/peer/announce", await a.announce(h.clock.now))).status, 200);
  }, { adminToken: TOKEN, webhookUrl: "http://127.0.0.1:9/hook", fetch });
});

Deno.test("DELETE /agents/{id} revokes any agent; an unknown one is 404, a malformed one 400", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld("agent");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    const removed = await admin(h, "DELETE", `/agents/${w.identity.agentId}`);
    assertEquals([removed.status, await json(removed)], [200, { ok: true }]);
    const unknown = await admin(h, "DELETE", `/agents/${w.identity.agentId}`);
    assertEquals([unknown.status, await json(unknown)], [404, { error: "Agent not found" }]);
    assertEquals((await admin(h, "DELETE", "/agents/nope")).status, 400);
  }, { adminToken: TOKEN });
});

Deno.test("an admin releases a world id for anyone, or transfers it to a named key", async () => {
  await withHarness(async (h) => {
    const owner = await makeWorld("moving");
    const heir = await makeWorld("moving");
    await h.post("/peer/announce", await owner.announce(h.clock.now));
    const transfer = await admin(h, "POST", "/admin/worlds/moving/transfer", {
      publicKey: heir.identity.publicKeyB64,
    });
    assertEquals(await json(transfer), {
      ok: true,
      previous: owner.identity.agentId,
      revoked: true,
      owner: heir.identity.agentId,
    });
    h.clock.advance(1);
    assertEquals((await h.post("/peer/announce", await owner.announce(h.clock.now))).status, 409);
    assertEquals((await h.post("/peer/announce", await heir.announce(h.clock.now))).status, 200);
    const release = await admin(h, "POST", "/admin/worlds/moving/release");
    assertEquals((await json(release)).previous, heir.identity.agentId);
    const stranger = await makeWorld("moving");
    assertEquals(
      (await h.post("/peer/announce", await stranger.announce(h.clock.now))).status,
      200,
    );
    const bad = await admin(h, "POST", "/admin/worlds/moving/transfer", { publicKey: "nope" });
    assertEquals(bad.status, 400);
    const missing = await admin(h, "POST", "/admin/worlds/nobody/release");
    assertEquals(missing.status, 404);
  }, { adminToken: TOKEN });
});

Deno.test("under the live-holder policy a transfer is refused with 409", async () => {
  await withHarness(async (h) => {
    const key = await generateIdentity();
    const response = await admin(h, "POST", "/admin/worlds/any/transfer", {
      publicKey: key.publicKeyB64,
    });
    assertEquals(response.status, 409);
  }, { adminToken: TOKEN, worldIdPolicy: "live-holder" });
});

Deno.test("every admin action is logged at info with the client, and every change is a webhook", async () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: "debug", write: (line) => lines.push(JSON.parse(line)) });
  const { deliveries, fetch } = webhookSink();
  await withHarness(async (h) => {
    const doomed = await makeWorld("doomed");
    const owner = await makeWorld("moving");
    const heir = await makeWorld("moving");
    const plain = await generateIdentity();
    await h.post("/peer/announce", await doomed.announce(h.clock.now));
    await h.post("/peer/announce", await owner.announce(h.clock.now));
    await h.post(
      "/peer/announce",
      await createAnnounce(plain, { alias: "Bo", endpoints: [], capabilities: [] }, h.clock.now),
    );
    const statuses = [
      await admin(h, "GET", "/admin/worlds"),
      await admin(h, "GET", "/admin/worlds/moving"),
      await admin(h, "DELETE", "/worlds/doomed"),
      await admin(h, "DELETE", `/agents/${plain.agentId}`),
      await admin(h, "POST", "/admin/worlds/moving/transfer", {
        publicKey: heir.identity.publicKeyB64,
      }),
      await admin(h, "POST", "/admin/worlds/moving/release"),
    ].map((response) => response.status);
    assertEquals(statuses, [200, 200, 200, 200, 200, 200]);
    assertEquals(
      lines.filter((l) => String(l.msg).startsWith("admin ")).map((l) => [
        l.level,
        l.msg,
        l.client,
        l.worldId ?? l.agentId ?? l.count,
      ]),
      [
        ["info", "admin listed world ids", "unknown", 2],
        ["info", "admin inspected a world id", "unknown", "moving"],
        ["info", "admin revoked a world's lease", "unknown", "doomed"],
        ["info", "admin revoked a lease", "unknown", plain.agentId],
        ["info", "admin transferred a world id", "unknown", "moving"],
        ["info", "admin released a world id", "unknown", "moving"],
      ],
    );
    await h.gateway.webhooks!.drain();
    const admins = deliveries.filter((d) =>
      d.reason === "admin" || String(d.cause ?? "").startsWith("admin")
    );
    // Per world id (or agent) in order; across them, concurrently.
    const of = (key: string) =>
      admins.filter((d) => (d.worldId ?? d.agentId) === key)
        .map((d) => [d.event, d.reason ?? d.cause]);
    assertEquals(of("doomed"), [["world.expired", "admin"]]);
    assertEquals(of(plain.agentId), [["agent.expired", "admin"]]);
    assertEquals(of("moving"), [
      ["world.expired", "admin"],
      ["world.owner_changed", "admin_transfer"],
      ["world.owner_changed", "admin_release"],
    ]);
    assertEquals(admins.length, 5);
  }, { adminToken: TOKEN, webhookUrl: "http://127.0.0.1:9/hook", fetch, logger });
});

Deno.test("a gateway configured with GATEWAY_ADMIN_KEY alone serves the admin API with that token", async () => {
  const { adminToken } = configFromEnv((name) =>
    name === "GATEWAY_ADMIN_KEY" ? "reference-key-0123456789" : undefined
  );
  await withHarness(async (h) => {
    const w = await makeWorld("keyed");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    const listed = await admin(h, "GET", "/admin/worlds", undefined, "reference-key-0123456789");
    assertEquals(listed.status, 200);
    assertEquals(((await json(listed)).worlds as { worldId: string }[])[0].worldId, "keyed");
    assertEquals((await admin(h, "GET", "/admin/worlds")).status, 403, "another token is wrong");
  }, { adminToken });
});
