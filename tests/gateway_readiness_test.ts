/**
 * Readiness apart from liveness: `/ready` says no while the gateway shuts
 * down, while its store is unreachable, and while it warms up after an
 * outage; `/livez` keeps answering 200 meanwhile (and `/health` does while
 * the store answers).
 */
import { MemoryStore, Registry } from "../gateway/mod.ts";
import { OutageStore } from "./_outage_store.ts";
import { readiness, WARMING } from "../gateway/_readiness.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { json, makeWorld, startHarness, withHarness } from "./_gateway.ts";

const TTL = 90_000;
const RECOVERED = 1_000_000;

function input(n: number) {
  return {
    agentId: `aw:sha256:${n}`,
    publicKey: "k",
    alias: `world ${n}`,
    protocolVersion: "1.2",
    endpoints: [],
    capabilities: [`world:w${n}`],
    worldId: `w${n}`,
    timestamp: n,
  };
}

Deno.test("the registry counts leases restored under a grace and those not renewed since", () => {
  const source = new Registry({ ttlMs: TTL });
  for (let n = 1; n <= 4; n++) source.announce(input(n), RECOVERED - 60_000);
  const target = new Registry({ ttlMs: TTL });
  assertEquals(target.restoredLeases(RECOVERED), undefined, "no grace, nothing to count");
  target.beginGrace(RECOVERED - 30_000, RECOVERED + TTL);
  for (const record of source.records()) target.restore({ ...record }, RECOVERED);
  assertEquals(target.restoredLeases(RECOVERED), { leases: 4, unrenewed: 4 });
  assert(target.renew(input(1).agentId, 10, RECOVERED + 1000).ok);
  assert(target.renew(input(1).agentId, 11, RECOVERED + 2000).ok, "a second renewal counts once");
  assert(target.revoke(input(2).agentId, "deregistered", RECOVERED + 3000).ok);
  assert(target.announce({ ...input(5), timestamp: 5 }, RECOVERED + 4000).ok, "a new lease");
  assertEquals(target.restoredLeases(RECOVERED + 4000), { leases: 4, unrenewed: 2 });
  target.sweep(RECOVERED + TTL + 1);
  assertEquals(target.restoredLeases(RECOVERED + TTL + 1), undefined, "the grace is over");
});

Deno.test("a serving gateway with a reachable store and no grace is ready", () => {
  assertEquals(readiness({ reachable: true }, RECOVERED, TTL, false), { ready: true });
});

Deno.test("a gateway shutting down is not ready", () => {
  assertEquals(readiness({ reachable: true }, RECOVERED, TTL, true), {
    ready: false,
    reasons: ["the gateway is shutting down"],
  });
});

Deno.test("a gateway cut off from its store is not ready, and says why", () => {
  const state = readiness({ reachable: false, error: "ECONNREFUSED" }, RECOVERED, TTL, false);
  assertEquals(state, { ready: false, reasons: ["the store is unreachable (ECONNREFUSED)"] });
});

Deno.test("a gateway is warming while most restored leases are not renewed yet", () => {
  const graceUntil = RECOVERED + TTL;
  const warming = readiness(
    { reachable: true, graceUntil, restored: { leases: 10, unrenewed: 6 } },
    RECOVERED + 5000,
    TTL,
    false,
  );
  assert(!warming.ready);
  assertEquals(warming.reasons, [
    "warming up after an outage: 6 of 10 restored leases not renewed yet",
  ]);
  assertEquals(warming.warmingUntil, RECOVERED + WARMING.maxMs);
  const halfRenewed = readiness(
    { reachable: true, graceUntil, restored: { leases: 10, unrenewed: 5 } },
    RECOVERED + 5000,
    TTL,
    false,
  );
  assertEquals(halfRenewed, { ready: true });
});

Deno.test("warming ends one heartbeat interval after recovery even if few leases were renewed", () => {
  const status = {
    reachable: true,
    graceUntil: RECOVERED + TTL,
    restored: { leases: 10, unrenewed: 10 },
  };
  assert(!readiness(status, RECOVERED + WARMING.maxMs - 1, TTL, false).ready);
  assertEquals(readiness(status, RECOVERED + WARMING.maxMs, TTL, false), { ready: true });
});

Deno.test("with a short TTL warming lasts at most a third of it", () => {
  const ttl = 9_000;
  const status = {
    reachable: true,
    graceUntil: RECOVERED + ttl,
    restored: { leases: 1, unrenewed: 1 },
  };
  assert(!readiness(status, RECOVERED + 2_999, ttl, false).ready);
  assertEquals(readiness(status, RECOVERED + 3_000, ttl, false), { ready: true });
});

Deno.test("a store that does not count restored leases warms for the first interval of its grace", () => {
  const status = { reachable: true, graceUntil: RECOVERED + TTL };
  const early = readiness(status, RECOVERED + 1000, TTL, false);
  assert(!early.ready);
  assertEquals(early.reasons, ["warming up after an outage: restored leases are being renewed"]);
  assertEquals(readiness(status, RECOVERED + WARMING.maxMs, TTL, false), { ready: true });
});

Deno.test("a grace with no restored lease is no reason to wait", () => {
  const status = {
    reachable: true,
    graceUntil: RECOVERED + TTL,
    restored: { leases: 0, unrenewed: 0 },
  };
  assertEquals(readiness(status, RECOVERED + 1000, TTL, false), { ready: true });
});

Deno.test("GET and HEAD /ready answer 200 with ready true while the gateway serves", async () => {
  await withHarness(async (h) => {
    const response = await h.request("/ready");
    assertEquals(response.status, 200);
    assertEquals(await response.json(), { ready: true });
    const head = await h.request("/ready", { method: "HEAD" });
    assertEquals(head.status, 200);
    assertEquals(await head.text(), "");
  });
});

Deno.test("GET and HEAD /livez answer 200 while the store is cut off and while the gateway drains", async () => {
  const store = new OutageStore(await MemoryStore.open({}));
  await withHarness(async (h) => {
    store.down = true;
    assertEquals((await h.request("/health")).status, 503, "the store is cut off");
    assertEquals((await h.request("/ready")).status, 503);
    const live = await h.request("/livez");
    assertEquals([live.status, await live.json()], [200, { ok: true }]);
    h.gateway.drain();
    const head = await h.request("/livez", { method: "HEAD" });
    assertEquals([head.status, await head.text()], [200, ""]);
    store.down = false;
    assertEquals((await h.request("/livez")).status, 200);
  }, { store });
});

Deno.test("after drain() /ready answers 503 with Retry-After while /health and the routes serve", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld("draining");
    h.gateway.drain();
    const ready = await h.request("/ready");
    assertEquals(ready.status, 503);
    assertEquals(ready.headers.get("retry-after"), "5");
    assertEquals(await ready.json(), { error: "not ready: the gateway is shutting down" });
    assertEquals((await h.request("/health")).status, 200, "liveness is apart");
    assertEquals((await h.post("/peer/announce", await w.announce(h.clock.now))).status, 200);
    const head = await h.request("/ready", { method: "HEAD" });
    assertEquals(head.status, 503);
    await head.body?.cancel();
  });
});

Deno.test("a gateway restarted from its snapshot is unready until half its worlds renewed", async () => {
  const first = await startHarness();
  const worlds = await Promise.all([1, 2, 3, 4].map((n) => makeWorld(`restored-${n}`)));
  try {
    for (const w of worlds) {
      assertEquals(
        (await first.post("/peer/announce", await w.announce(first.clock.now))).status,
        200,
      );
    }
  } finally {
    await first.gateway.stop(); // writes the snapshot; the directory stays
  }
  const second = await startHarness({ dataDir: first.dataDir });
  try {
    second.clock.advance(5000);
    const warming = await second.request("/ready");
    assertEquals(warming.status, 503);
    assertMatch(
      String((await json(warming)).error),
      /^not ready: warming up after an outage: 4 of 4 restored leases not renewed yet$/,
    );
    assertEquals(warming.headers.get("retry-after"), "25", "until the first interval ends");
    const beat = async (n: number) => {
      const response = await second.post(
        "/peer/heartbeat",
        await worlds[n].heartbeat(second.clock.now),
      );
      assertEquals(response.status, 200);
    };
    await beat(0);
    assertEquals((await second.request("/ready")).status, 503, "3 of 4 still to renew");
    await beat(1);
    assertEquals((await second.request("/ready")).status, 200, "half renewed");
  } finally {
    await second.close();
    await Deno.remove(first.dataDir, { recursive: true });
  }
});
