/**
 * The lessor's subtle parts, tested directly: the expiry queue's sweep
 * cursor, the grant index's lazy compaction, the replay floors' forgetting,
 * restore and the post-outage grace. The directory's rules themselves are
 * the store contract (`_store_contract.ts`), run on every store.
 */
import { type AnnounceInput, Registry, type RegistryEvent } from "../gateway/mod.ts";
import { LeaseQueue } from "../gateway/_lease_queue.ts";
import { decodeCursor, encodeCursor, GrantIndex } from "../gateway/_grant_index.ts";
import { ReplayFloors } from "../gateway/_replay_floors.ts";
import { assert, assertEquals, assertThrows } from "./assert.ts";

const TTL = 90_000;

function input(n: number, overrides: Partial<AnnounceInput> = {}): AnnounceInput {
  return {
    agentId: `aw:sha256:${String(n).padStart(4, "0")}`,
    publicKey: "key",
    alias: `World ${n}`,
    protocolVersion: "1.2",
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

// --- the expiry queue -------------------------------------------------------

Deno.test("the queue takes exactly the items whose deadline has passed, at every instant", () => {
  const queue = new LeaseQueue<number>(100);
  for (let i = 0; i < 50; i++) queue.set(i, 1_000 + i * 37);
  const taken = new Set<number>();
  for (let now = 1_000; now < 1_000 + 50 * 37 + 100; now += 13) {
    for (const item of queue.takeDue(now)) taken.add(item);
    for (let i = 0; i < 50; i++) {
      assertEquals(taken.has(i), 1_000 + i * 37 < now, `item ${i} at ${now}`);
    }
  }
});

Deno.test("moving a deadline back into swept time is still found by the next sweep", () => {
  const queue = new LeaseQueue<string>(100);
  queue.set("a", 10_000);
  assertEquals(queue.takeDue(5_000), []);
  queue.set("b", 4_000); // earlier than the cursor already passed
  assertEquals(queue.takeDue(5_001), ["b"]);
  assertEquals(queue.earliest(), 10_000);
});

Deno.test("a limited take stops mid-bucket and finishes that bucket next time", () => {
  const queue = new LeaseQueue<number>(100);
  for (let i = 0; i < 10; i++) queue.set(i, 1_000);
  assertEquals(queue.takeDue(2_000, 4).length, 4);
  let due = 0;
  queue.forEachDue(2_000, () => due++);
  assertEquals(due, 6, "the rest are still due");
  assertEquals(queue.takeDue(2_000, 4).length, 4);
  assertEquals(queue.takeDue(2_000, 4).length, 2);
  assertEquals(queue.size, 0);
});

// --- the grant index ---------------------------------------------------------

Deno.test("the grant index pages newest first and skips lazily removed records", () => {
  const index = new GrantIndex<{ grantedAt: number; agentId: string }>();
  const records = Array.from({ length: 10 }, (_, i) => ({ grantedAt: i, agentId: `a${i}` }));
  for (const record of records) index.insert(record);
  index.remove(records[8], records[5]);
  assertEquals(index.size, 8);
  const first = index.page(3, undefined, () => true);
  assertEquals(first.records.map((r) => r.agentId), ["a9", "a7", "a6"]);
  assert(first.more);
  const next = index.page(10, first.records[2], () => true);
  assertEquals(next.records.map((r) => r.agentId), ["a4", "a3", "a2", "a1", "a0"]);
  assertEquals(next.more, false);
});

Deno.test("the grant index compacts once half of it is removed, and can take a record back", () => {
  const index = new GrantIndex<{ grantedAt: number; agentId: string }>();
  const records = Array.from({ length: 6 }, (_, i) => ({ grantedAt: i, agentId: `a${i}` }));
  for (const record of records) index.insert(record);
  index.remove(records[0], records[1], records[2], records[3]);
  assertEquals(index.size, 2);
  index.insert(records[1]); // out of order: spliced into place
  assertEquals(index.page(10, undefined, () => true).records.map((r) => r.agentId), [
    "a5",
    "a4",
    "a1",
  ]);
});

Deno.test("cursors round-trip and anything else is refused", () => {
  const position = { grantedAt: 1_700_000_000_123, agentId: "aw:sha256:ab|cd" };
  assertEquals(decodeCursor(encodeCursor(position)), position);
  for (const cursor of ["", "!!", "bm90LWEtY3Vyc29y", "x".repeat(500), btoa("12|")]) {
    assertEquals(decodeCursor(cursor), undefined, cursor);
  }
});

// --- replay floors ------------------------------------------------------------

Deno.test("floors are held until the window after their newest timestamp, then forgotten", () => {
  const floors = new ReplayFloors(300_000);
  floors.keep({ agentId: "a", lastAnnounceTs: 1_000, lastHeartbeatTs: 50_000 }, 10_000);
  assertEquals(floors.get("a", 350_000)?.lastHeartbeatTs, 50_000);
  assertEquals(floors.sweep(350_000), 0);
  assertEquals(floors.get("a", 351_000), undefined, "past the window it no longer counts");
  assertEquals(floors.sweep(352_000), 1);
  assertEquals(floors.size, 0);
});

// --- the lessor -----------------------------------------------------------------

Deno.test("a limited sweep reclaims the oldest deadlines first and the rest on later calls", () => {
  const registry = new Registry({ ttlMs: TTL });
  const events = recorder(registry);
  for (let i = 0; i < 30; i++) registry.announce(input(i), i * 250); // deadlines in distinct buckets
  registry.announce(input(99), 0); // shares the first bucket
  const now = TTL + 30 * 250;
  const first = registry.sweep(now, 7);
  assertEquals(first.length, 7);
  const firstDeadlines = first.map((r) => r.lastSeen + TTL).sort((a, b) => a - b);
  assertEquals(firstDeadlines, [TTL, TTL, TTL + 250, TTL + 500, TTL + 750, TTL + 1000, TTL + 1250]);
  let total = first.length;
  for (let round = 0; round < 10 && total < 31; round++) total += registry.sweep(now, 7).length;
  assertEquals(total, 31);
  assertEquals(registry.size, 0);
  assertEquals(events.filter((e) => e.type === "expired").length, 31);
  assertEquals(registry.sweep(now, 7), []);
});

Deno.test("changing the declared world moves the world index; the old id stays owned", () => {
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
  assertEquals(registry.owner("w1", 1)?.owner, input(1).agentId);
  const other = registry.announce(input(2, { worldId: "w1", capabilities: ["world:w1"] }), 2);
  assertEquals(other.ok ? "accepted" : other.reason, "world_owned");
});

Deno.test("restoring keeps live records without a granted event and turns expired ones into expired events", () => {
  const source = new Registry({ ttlMs: TTL });
  source.announce(input(1), 0);
  source.announce(input(2), 60_000);
  const target = new Registry({ ttlMs: TTL });
  const events = recorder(target);
  for (const record of source.records()) target.restore({ ...record }, TTL + 1);
  assertEquals(events.map((e) => e.type), ["expired"]);
  assert(target.get(input(2).agentId, TTL + 1));
  const replay = target.announce(input(1), TTL + 2);
  assertEquals(replay.ok ? "accepted" : replay.reason, "replay", "expired record's floor is kept");
});

Deno.test("after an outage every lease live when it began gets one TTL from recovery", () => {
  const source = new Registry({ ttlMs: TTL });
  source.announce(input(1), 0); // live until TTL
  source.announce(input(2), 50_000); // live until 50 s + TTL
  source.announce(input(3), 0);
  source.revoke(input(3).agentId, "admin", 10_000);
  const stoppedAt = 60_000;
  const recoveredAt = 10 * 60_000; // ten minutes later
  const target = new Registry({ ttlMs: TTL });
  const events = recorder(target);
  target.beginGrace(stoppedAt, recoveredAt + TTL);
  for (const record of source.records()) target.restore({ ...record }, recoveredAt);
  assertEquals(events, [], "nothing expires at recovery");
  assert(target.get(input(1).agentId, recoveredAt + TTL));
  assertEquals(target.get(input(1).agentId, recoveredAt + TTL + 1), undefined);
  assertEquals(target.grace(recoveredAt)?.until, recoveredAt + TTL);
  // A renewal during the grace is an ordinary renewal.
  assert(target.renew(input(2).agentId, 99, recoveredAt + 1_000).ok);
  assert(target.get(input(2).agentId, recoveredAt + 1_000 + TTL));
  assertEquals(target.sweep(recoveredAt + TTL + 1).map((r) => r.agentId), [input(1).agentId]);
  assertEquals(
    events.map((e) => e.type === "expired" ? [e.type, e.at] : [e.type]),
    [["expired", recoveredAt + TTL]],
  );
});

Deno.test("a lease already expired before the outage began is not revived by the grace", () => {
  const target = new Registry({ ttlMs: TTL });
  const events = recorder(target);
  const source = new Registry({ ttlMs: TTL });
  source.announce(input(1), 0); // expired at TTL, before the stop at 2·TTL
  target.beginGrace(2 * TTL, 3 * TTL);
  target.restore({ ...source.records()[0] }, 2 * TTL + 5);
  assertEquals(target.get(input(1).agentId, 2 * TTL + 5), undefined);
  assertEquals(events.map((e) => e.type), ["expired"]);
});

Deno.test("options are validated", () => {
  assertThrows(() => new Registry({ ttlMs: 0 }), /ttlMs/);
  assertThrows(() => new Registry({ maxAgents: 0 }), /maxAgents/);
  assertThrows(() => new Registry({ maxLeasesPerAddress: 0 }), /maxLeasesPerAddress/);
});
