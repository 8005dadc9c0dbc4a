/**
 * The registry's bookkeeping at benchmark scale: thousands of leases
 * granted, renewed, reclaimed in batches of every size and granted again
 * leave listings, counts and replay floors exact. (Timings are measured by
 * `deno task bench`, never asserted here.)
 *
 * @module
 */
import { type AnnounceInput, Registry } from "../gateway/mod.ts";
import { assert, assertEquals } from "./assert.ts";

const TTL = 90_000;

function input(n: number, timestamp: number): AnnounceInput {
  return {
    agentId: `aw:sha256:${String(n).padStart(6, "0")}`,
    publicKey: "key",
    alias: `World ${n}`,
    endpoints: [],
    capabilities: [`world:w${n}`],
    worldId: `w${n}`,
    timestamp,
    protocolVersion: "1.2",
  };
}

/** Every world id a listing shows, following cursors to the end. */
function listAll(registry: Registry, now: number, limit = 97): string[] {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = registry.listWorlds(now, limit, cursor);
    seen.push(...page.records.map((r) => r.worldId!));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return seen;
}

Deno.test("reclaiming leases in batches of every size keeps listings and counts exact", () => {
  const registry = new Registry({ ttlMs: TTL });
  const count = 3000;
  // Granted one per ms, and a tenth of them renewed so expiry order differs from grant order.
  for (let i = 0; i < count; i++) registry.announce(input(i, 1), i);
  for (let i = 0; i < count; i += 10) registry.renew(input(i, 0).agentId, 2, count + i);
  const live = (now: number) =>
    Array.from({ length: count }, (_, i) => i)
      .filter((i) => now - (i % 10 === 0 ? count + i : i) <= TTL)
      .reverse()
      .map((i) => `w${i}`);
  // Sweeps reclaiming 1, a few, hundreds, then most of what is left.
  for (const now of [TTL + 1, TTL + 5, TTL + 300, TTL + 1200, TTL + 2999, TTL + 4000]) {
    registry.sweep(now);
    const expected = live(now);
    assertEquals(listAll(registry, now), expected, `listing at ${now}`);
    assertEquals(registry.counts(now), { agents: expected.length, worlds: expected.length });
    assertEquals(registry.size, expected.length, `records held at ${now}`);
  }
});

Deno.test("a lease reclaimed in a batch can be granted again and is listed once", () => {
  const registry = new Registry({ ttlMs: TTL });
  for (let i = 0; i < 100; i++) registry.announce(input(i, 1), 0);
  assertEquals(registry.sweep(TTL + 1).length, 100);
  const again = registry.announce(input(7, 2), TTL + 2);
  assert(again.ok && again.granted);
  assertEquals(listAll(registry, TTL + 2), ["w7"]);
  assertEquals(registry.counts(TTL + 2), { agents: 1, worlds: 1 });
  const replay = registry.announce(input(8, 1), TTL + 3);
  assertEquals(replay.ok ? "accepted" : replay.reason, "replay", "floors kept for the batch");
});

Deno.test("replay floors of a mass expiry are forgotten one window after each lease ended", () => {
  const registry = new Registry({ ttlMs: TTL, replayWindowMs: 300_000 });
  for (let i = 0; i < 2000; i++) registry.announce(input(i, 1000 + i), i);
  registry.sweep(TTL + 2000);
  assertEquals(registry.tombstones().length, 2000);
  // Lease i ended at i + TTL; its floors matter until a window after that.
  registry.sweep(TTL + 300_000 + 1000);
  assertEquals(registry.tombstones().length, 1000);
  registry.sweep(TTL + 2000 + 300_001);
  assertEquals(registry.tombstones(), []);
  assert(registry.announce(input(5, 1), TTL + 400_000).ok, "a forgotten floor no longer refuses");
});
