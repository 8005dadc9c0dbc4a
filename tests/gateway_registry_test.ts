import { type AnnounceInput, Registry, type RegistryEvent } from "../gateway/mod.ts";
import { assert, assertEquals, assertThrows } from "./assert.ts";

const TTL = 90_000;

function input(n: number, overrides: Partial<AnnounceInput> = {}): AnnounceInput {
  return {
    agentId: `aw:sha256:${String(n).padStart(4, "0")}`,
    publicKey: "key",
    alias: `World ${n}`,
    endpoints: [],
    capabilities: [`world:w${n}`],
    worldId: `w${n}`,
    timestamp: 1_000 + n,
    ...overrides,
  };
}

function recorder(registry: Registry): RegistryEvent[] {
  const events: RegistryEvent[] = [];
  registry.subscribe((event) => events.push(event));
  return events;
}

Deno.test("a lease is live at exactly the TTL and expired one millisecond after", () => {
  const registry = new Registry({ ttlMs: TTL });
  registry.announce(input(1), 0);
  assert(registry.get(input(1).agentId, TTL));
  assert(registry.getWorld("w1", TTL));
  assertEquals(registry.get(input(1).agentId, TTL + 1), undefined);
  assertEquals(registry.getWorld("w1", TTL + 1), undefined);
  assertEquals(registry.counts(TTL), { agents: 1, worlds: 1 });
  assertEquals(registry.counts(TTL + 1), { agents: 0, worlds: 0 });
  assertEquals(registry.listWorlds(TTL + 1, 10).records, []);
});

Deno.test("a heartbeat moves the deadline to a full TTL after it", () => {
  const registry = new Registry({ ttlMs: TTL });
  registry.announce(input(1), 0);
  assert(registry.heartbeat(input(1).agentId, 5, 60_000).ok);
  assert(registry.get(input(1).agentId, 150_000));
  assertEquals(registry.get(input(1).agentId, 150_001), undefined);
});

Deno.test("expired leases are invisible before the sweep and reclaimed by it with an event", () => {
  const registry = new Registry({ ttlMs: TTL });
  const events = recorder(registry);
  registry.announce(input(1), 0);
  registry.announce(input(2), 50_000);
  assertEquals(registry.size, 2);
  assertEquals(registry.counts(TTL + 1).agents, 1);
  const reclaimed = registry.sweep(TTL + 1);
  assertEquals(reclaimed.map((r) => r.worldId), ["w1"]);
  assertEquals(registry.size, 1);
  const expired = events.filter((e) => e.type === "expired");
  assertEquals(expired.length, 1);
  assertEquals(expired[0].at, TTL, "the event carries when the lease ran out");
  assertEquals(registry.sweep(TTL + 2), [], "nothing is reclaimed twice");
});

Deno.test("the sweep reclaims exactly the leases whose deadline has passed", () => {
  const registry = new Registry({ ttlMs: TTL });
  for (let i = 0; i < 50; i++) registry.announce(input(i), i * 37);
  for (let now = TTL; now < TTL + 50 * 37 + 100; now += 13) {
    registry.sweep(now);
    for (let i = 0; i < 50; i++) {
      const held = registry.records().some((r) => r.agentId === input(i).agentId);
      assertEquals(held, now <= i * 37 + TTL, `agent ${i} at ${now}`);
    }
  }
});

Deno.test("an announce or heartbeat not newer than the last accepted is a replay", () => {
  const registry = new Registry({ ttlMs: TTL });
  registry.announce(input(1, { timestamp: 500 }), 0);
  const replay = registry.announce(input(1, { timestamp: 500 }), 10);
  assertEquals(replay.ok ? "accepted" : replay.reason, "replay");
  assert(registry.heartbeat(input(1).agentId, 700, 20).ok);
  const hb = registry.heartbeat(input(1).agentId, 700, 30);
  assertEquals(hb.ok ? "accepted" : hb.reason, "replay");
  assertEquals(registry.heartbeat(input(1).agentId, 699, 30).ok, false);
});

Deno.test("a captured announce cannot revive a lease after it expired and was reclaimed", () => {
  const registry = new Registry({ ttlMs: TTL });
  registry.announce(input(1, { timestamp: 500 }), 0);
  registry.sweep(TTL + 1);
  assertEquals(registry.size, 0);
  const replay = registry.announce(input(1, { timestamp: 500 }), TTL + 2);
  assertEquals(replay.ok ? "accepted" : replay.reason, "replay");
  const fresh = registry.announce(input(1, { timestamp: 501 }), TTL + 3);
  assert(fresh.ok && fresh.granted);
});

Deno.test("replay floors are forgotten once the signed-timestamp window has passed", () => {
  const registry = new Registry({ ttlMs: TTL, replayWindowMs: 300_000 });
  registry.announce(input(1, { timestamp: 500 }), 0);
  registry.sweep(TTL + 1);
  assertEquals(registry.tombstones().length, 1);
  registry.sweep(TTL + 300_002);
  assertEquals(registry.tombstones(), []);
});

Deno.test("re-announcing while live renews without a granted event; after expiry it is granted again", () => {
  const registry = new Registry({ ttlMs: TTL });
  const events = recorder(registry);
  registry.announce(input(1, { timestamp: 1 }), 0);
  registry.announce(input(1, { timestamp: 2, alias: "Renamed" }), 10_000);
  assertEquals(events.map((e) => e.type), ["granted", "announced"]);
  assertEquals(registry.get(input(1).agentId, 10_000)?.alias, "Renamed");
  assertEquals(registry.get(input(1).agentId, 10_000)?.grantedAt, 0);
  const later = registry.announce(input(1, { timestamp: 3 }), 10_000 + TTL + 1);
  assert(later.ok && later.granted);
  assertEquals(events.map((e) => e.type), ["granted", "announced", "expired", "granted"]);
});

Deno.test("a world id held by a live agent cannot be taken by another until it expires", () => {
  const registry = new Registry({ ttlMs: TTL });
  registry.announce(input(1, { worldId: "shared", capabilities: ["world:shared"] }), 0);
  const taken = registry.announce(
    input(2, { worldId: "shared", capabilities: ["world:shared"] }),
    1,
  );
  assertEquals(taken.ok ? "accepted" : taken.reason, "world_taken");
  const after = registry.announce(
    input(2, { worldId: "shared", capabilities: ["world:shared"] }),
    TTL + 1,
  );
  assert(after.ok);
  assertEquals(registry.getWorld("shared", TTL + 1)?.agentId, input(2).agentId);
});

Deno.test("a full registry refuses new agents but never evicts live ones", () => {
  const registry = new Registry({ ttlMs: TTL, maxAgents: 2 });
  registry.announce(input(1), 0);
  registry.announce(input(2), 0);
  const third = registry.announce(input(3), 1);
  assertEquals(third.ok ? "accepted" : third.reason, "full");
  assertEquals(registry.counts(1).agents, 2);
  assert(
    registry.announce(input(1, { timestamp: 99_999 }), 2).ok,
    "known agents still re-announce",
  );
  // Once a lease runs out there is room again.
  registry.heartbeat(input(1).agentId, 10, 50_000);
  assert(registry.announce(input(3), TTL + 1).ok);
  assertEquals(registry.get(input(2).agentId, TTL + 1), undefined);
});

Deno.test("listings are newest lease first and page with a cursor without gaps or repeats", () => {
  const registry = new Registry({ ttlMs: TTL });
  for (let i = 0; i < 25; i++) registry.announce(input(i), i);
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = registry.listWorlds(30, 10, cursor);
    seen.push(...page.records.map((r) => r.worldId!));
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor);
  assertEquals(pages, 3);
  assertEquals(seen, Array.from({ length: 25 }, (_, i) => `w${24 - i}`));
});

Deno.test("a page boundary survives leases expiring and being granted between pages", () => {
  const registry = new Registry({ ttlMs: TTL });
  for (let i = 0; i < 6; i++) registry.announce(input(i), i * 1000);
  const first = registry.listWorlds(6000, 3);
  assertEquals(first.records.map((r) => r.worldId), ["w5", "w4", "w3"]);
  registry.announce(input(9), 7000);
  registry.sweep(TTL + 500); // w0 runs out
  const second = registry.listWorlds(TTL + 500, 3, first.nextCursor!);
  assertEquals(second.records.map((r) => r.worldId), ["w2", "w1"]);
  assertEquals(second.nextCursor, null);
});

Deno.test("a cursor this registry did not make is refused", () => {
  const registry = new Registry({ ttlMs: TTL });
  for (const cursor of ["", "!!", "bm90LWEtY3Vyc29y", "x".repeat(500)]) {
    assertThrows(() => registry.listWorlds(0, 10, cursor), /invalid cursor/);
  }
});

Deno.test("restoring keeps live records without a granted event and turns expired ones into expired events", () => {
  const source = new Registry({ ttlMs: TTL });
  source.announce(input(1), 0);
  source.announce(input(2), 60_000);
  const target = new Registry({ ttlMs: TTL });
  const events = recorder(target);
  for (const record of source.records()) target.restore({ ...record }, TTL + 1);
  assertEquals(events.map((e) => e.type).sort(), ["expired", "restored"]);
  assert(target.get(input(2).agentId, TTL + 1));
  const replay = target.announce(input(1), TTL + 2);
  assertEquals(replay.ok ? "accepted" : replay.reason, "replay", "expired record's floor is kept");
});

Deno.test("changing the declared world moves the world index", () => {
  const registry = new Registry({ ttlMs: TTL });
  registry.announce(input(1), 0);
  registry.announce(
    input(1, { worldId: "moved", capabilities: ["world:moved"], timestamp: 5_000 }),
    1,
  );
  assertEquals(registry.getWorld("w1", 1), undefined);
  assertEquals(registry.getWorld("moved", 1)?.agentId, input(1).agentId);
  assertEquals(registry.listWorlds(1, 10).records.length, 1);
  assertEquals(registry.counts(1), { agents: 1, worlds: 1 });
});

Deno.test("nextDeadline is the earliest lease deadline held", () => {
  const registry = new Registry({ ttlMs: TTL });
  assertEquals(registry.nextDeadline(), undefined);
  registry.announce(input(1), 5_000);
  registry.announce(input(2), 1_234);
  assertEquals(registry.nextDeadline(), 1_234 + TTL);
});

Deno.test("a limited sweep reclaims the oldest deadlines first and the rest on later calls", () => {
  const registry = new Registry({ ttlMs: TTL });
  const events = recorder(registry);
  for (let i = 0; i < 30; i++) registry.announce(input(i), i * 250); // deadlines in distinct buckets
  registry.announce(input(99), 0); // shares the first bucket
  const now = TTL + 30 * 250;
  const first = registry.sweep(now, 7);
  assertEquals(first.length, 7);
  const firstDeadlines = first.map((r) => registry.leaseExpiresAt(r)).sort((a, b) => a - b);
  assertEquals(firstDeadlines, [TTL, TTL, TTL + 250, TTL + 500, TTL + 750, TTL + 1000, TTL + 1250]);
  let total = first.length;
  for (let round = 0; round < 10 && total < 31; round++) total += registry.sweep(now, 7).length;
  assertEquals(total, 31);
  assertEquals(registry.size, 0);
  assertEquals(events.filter((e) => e.type === "expired").length, 31);
  assertEquals(registry.sweep(now, 7), []);
});

Deno.test("a limited sweep that stops mid-bucket finishes that bucket later", () => {
  const registry = new Registry({ ttlMs: TTL });
  for (let i = 0; i < 10; i++) registry.announce(input(i), 0); // one bucket
  assertEquals(registry.sweep(TTL + 1, 4).length, 4);
  assertEquals(registry.counts(TTL + 1).agents, 0, "all expired to readers already");
  assertEquals(registry.sweep(TTL + 1, 4).length, 4);
  assertEquals(registry.sweep(TTL + 1, 4).length, 2);
  assertEquals(registry.size, 0);
});
