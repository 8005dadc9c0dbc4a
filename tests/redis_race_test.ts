/**
 * Every rule holds across replicas: several stores on one Redis (each with
 * its own connections, as replica processes have) doing the same thing at
 * the same moment still make exactly one `world.announced` per
 * offline→online edge and one `world.expired` per expiry.
 *
 * @module
 */
import type { RedisStore, RedisStoreOptions } from "../gateway/redis_store.ts";
import { assert, assertEquals } from "./assert.ts";
import { fileRedis, redisTest, withReplicas as withReplicasOf } from "./_redis.ts";
import { announceInput, type TestClock } from "./_store_contract.ts";

const server = await fileRedis();
const REPLICAS = 4;

function withReplicas(
  options: Partial<RedisStoreOptions>,
  fn: (replicas: RedisStore[], clock: TestClock) => Promise<void>,
): Promise<void> {
  return withReplicasOf(server!, REPLICAS, options, fn);
}

async function eventTypes(store: RedisStore): Promise<Map<string, string[]>> {
  const byWorld = new Map<string, string[]>();
  let after = "";
  for (let pages = 0; pages < 100; pages++) {
    const { events } = await store.feed.read(after, 1000);
    if (events.length === 0) break;
    for (const event of events) {
      const key = event.worldId ?? event.agentId;
      byWorld.set(key, [...(byWorld.get(key) ?? []), event.type]);
    }
    after = events[events.length - 1].id;
  }
  return byWorld;
}

redisTest({
  name: "every replica announcing the same world at once grants it once, with one world.announced",
  fn: () =>
    withReplicas({}, async (replicas) => {
      const worlds = 50;
      const outcomes = await Promise.all(
        Array.from({ length: worlds }, (_, w) =>
          replicas.map((replica, r) =>
            replica.announce(announceInput(w, { timestamp: 1_000 + r }))
          )).flat(),
      );
      const granted = outcomes.filter((o) =>
        o.ok && o.granted
      ).length;
      assertEquals(granted, worlds);
      const events = await eventTypes(replicas[0]);
      for (let w = 0; w < worlds; w++) assertEquals(events.get(`w${w}`), ["world.announced"]);
      assertEquals((await replicas[3].counts()).worlds, worlds);
    }),
});

redisTest({
  name: "different keys racing for one world id through different replicas: exactly one holds it",
  fn: () =>
    withReplicas({ worldIdPolicy: "live-holder" }, async (replicas) => {
      const outcomes = await Promise.all(
        replicas.map((replica, r) =>
          replica.announce(announceInput(100 + r, { worldId: "contested" }))
        ),
      );
      assertEquals(outcomes.filter((o) => o.ok).length, 1);
      assertEquals(
        outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.reason),
        ["world_taken", "world_taken", "world_taken"],
      );
      assertEquals((await eventTypes(replicas[1])).get("contested"), ["world.announced"]);
    }),
});

redisTest({
  name: "every replica sweeping at once records exactly one world.expired per expiry",
  fn: () =>
    withReplicas({ sweepBatch: 25 }, async (replicas, clock) => {
      const leases = 300;
      for (let w = 0; w < leases; w += 50) {
        await Promise.all(
          Array.from(
            { length: 50 },
            (_, i) => replicas[i % REPLICAS].announce(announceInput(w + i)),
          ),
        );
      }
      clock.advance(replicas[0].ttlMs + 1);
      const reclaimed = await Promise.all(replicas.map(async (replica) => {
        let total = 0;
        for (let rounds = 0; rounds < 100; rounds++) {
          const { reclaimed, more } = await replica.sweep(50);
          total += reclaimed;
          if (!more) break;
        }
        return total;
      }));
      assertEquals(reclaimed.reduce((a, b) => a + b, 0), leases);
      const events = await eventTypes(replicas[2]);
      for (let w = 0; w < leases; w++) {
        assertEquals(events.get(`w${w}`), ["world.announced", "world.expired"], `w${w}`);
      }
    }),
});

redisTest({
  name: "re-announces racing sweeps on other replicas keep each world's edges alternating",
  fn: () =>
    withReplicas({}, async (replicas, clock) => {
      const worlds = 40;
      let ts = 10_000;
      for (let round = 0; round < 5; round++) {
        clock.advance(replicas[0].ttlMs + 1); // every lease from the last round is due
        await Promise.all([
          ...Array.from(
            { length: worlds },
            (_, w) => replicas[w % 2].announce(announceInput(w, { timestamp: ts++ })),
          ),
          replicas[2].sweep(500),
          replicas[3].sweep(500),
        ]);
      }
      const events = await eventTypes(replicas[0]);
      for (let w = 0; w < worlds; w++) {
        const types = events.get(`w${w}`) ?? [];
        types.forEach((type, i) =>
          assertEquals(type, i % 2 === 0 ? "world.announced" : "world.expired", `w${w}: ${types}`)
        );
        assertEquals(types.length, 9, `w${w}: five grants, four expiries`);
      }
    }),
});

redisTest({
  name: "owned: different keys racing for one new world id through different replicas: one owns it",
  fn: () =>
    withReplicas({}, async (replicas) => {
      const outcomes = await Promise.all(
        replicas.map((replica, r) =>
          replica.announce(announceInput(200 + r, { worldId: "claimed" }))
        ),
      );
      const winners = outcomes.flatMap((o, r) => o.ok ? [announceInput(200 + r).agentId] : []);
      assertEquals(winners.length, 1);
      assertEquals(
        outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.reason),
        ["world_owned", "world_owned", "world_owned"],
      );
      for (const replica of replicas) {
        assertEquals((await replica.owner("claimed"))?.owner, winners[0]);
      }
      assertEquals((await eventTypes(replicas[2])).get("claimed"), ["world.announced"]);
    }),
});

redisTest({
  name:
    "one signed heartbeat sent to every replica at once is accepted once; the copies are replays",
  fn: () =>
    withReplicas({}, async (replicas) => {
      const input = announceInput(300);
      assert((await replicas[0].announce(input)).ok);
      for (const ts of [2_000, 2_001, 2_002]) {
        const outcomes = await Promise.all(
          replicas.map((replica) => replica.renew(input.agentId, ts)),
        );
        assertEquals(outcomes.filter((o) => o.ok).length, 1, `ts ${ts}`);
        assertEquals(
          outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.reason),
          ["replay", "replay", "replay"],
        );
      }
      // An older one than the last accepted is a replay on every replica too.
      for (const replica of replicas) {
        const older = await replica.renew(input.agentId, 2_001);
        assertEquals(older.ok ? "accepted" : older.reason, "replay");
      }
    }),
});
