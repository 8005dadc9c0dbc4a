/**
 * The lease store contract: every directory rule, as a test, run against
 * each {@linkcode LeaseStore} implementation (the memory store here, the
 * Redis store in its own file). Time comes from a manual clock the store
 * reads, so a 90 s TTL is tested in milliseconds on both.
 *
 * @module
 */
import {
  type AnnounceInput,
  type ChangeEvent,
  CursorError,
  type LeaseStore,
  type StoreOptions,
} from "../gateway/store.ts";
import { assert, assertEquals, assertRejects } from "./assert.ts";

/** A clock tests move by hand. */
export class TestClock {
  /** The time, ms. */
  now = 1_700_000_000_000;
  /** Reads the time. */
  readonly read = (): number => this.now;
  /** Moves the time forward. */
  advance(ms: number): number {
    return this.now += ms;
  }
}

/** How a store implementation is made for the contract. */
export interface StoreFactory {
  /** Prefix of every test name. */
  name: string;
  /** Skip every test (say why where the factory is defined). */
  ignore?: boolean;
  /** A fresh, empty store reading `clock`. */
  create(options: StoreOptions & { clock: () => number; outbox?: boolean }): Promise<LeaseStore>;
}

const TTL = 90_000;
const WINDOW = 300_000;

/** An announce of agent `n`, hosting world `w<n>` unless overridden. */
export function announceInput(n: number, overrides: Partial<AnnounceInput> = {}): AnnounceInput {
  return {
    agentId: `aw:sha256:${String(n).padStart(64, "0")}`,
    publicKey: btoa(String.fromCharCode(...new Uint8Array(32).fill(n % 256))),
    alias: `World ${n}`,
    version: "1.0.0",
    protocolVersion: "1.2",
    endpoints: [{ address: "127.0.0.1", port: 8000 + n, transport: "tcp" }],
    capabilities: [`world:w${n}`],
    worldId: `w${n}`,
    timestamp: 1_000 + n,
    ...overrides,
  };
}

/** Every event after `after`, in order. */
export async function eventsAfter(store: LeaseStore, after: string): Promise<ChangeEvent[]> {
  const out: ChangeEvent[] = [];
  for (;;) {
    const { events, reset } = await store.feed.read(after, 1000);
    assert(!reset, "the feed should still hold the events after the start of the test");
    if (events.length === 0) return out;
    out.push(...events);
    after = events[events.length - 1].id;
  }
}

/** Registers the contract's tests for one implementation. */
export function defineStoreContract(factory: StoreFactory): void {
  const test = (
    name: string,
    fn: (store: LeaseStore, clock: TestClock) => Promise<void>,
    options: StoreOptions & { outbox?: boolean } = {},
  ) =>
    Deno.test({
      name: `${factory.name}: ${name}`,
      ignore: factory.ignore,
      async fn() {
        const clock = new TestClock();
        const store = await factory.create({
          ttlMs: TTL,
          replayWindowMs: WINDOW,
          ...options,
          clock: clock.read,
        });
        try {
          await fn(store, clock);
        } finally {
          await store.close();
        }
      },
    });

  const sweepAll = async (store: LeaseStore) => {
    let total = 0;
    for (;;) {
      const { reclaimed, more } = await store.sweep(500);
      total += reclaimed;
      if (!more) return total;
    }
  };

  test(
    "a lease is live at exactly the TTL and expired one millisecond after",
    async (store, clock) => {
      const start = clock.now;
      assert((await store.announce(announceInput(1))).ok);
      clock.now = start + TTL;
      assert(await store.get(announceInput(1).agentId));
      assert(await store.getWorld("w1"));
      assertEquals(await store.counts(), { agents: 1, worlds: 1 });
      clock.now = start + TTL + 1;
      assertEquals(await store.get(announceInput(1).agentId), undefined);
      assertEquals(await store.getWorld("w1"), undefined);
      assertEquals(await store.counts(), { agents: 0, worlds: 0 });
      assertEquals((await store.listWorlds(10)).records, []);
    },
  );

  test("a heartbeat moves the deadline to a full TTL after it", async (store, clock) => {
    const start = clock.now;
    await store.announce(announceInput(1));
    clock.now = start + 60_000;
    assertEquals(await store.renew(announceInput(1).agentId, 5_000), {
      ok: true,
      lastSeen: start + 60_000,
    });
    clock.now = start + 60_000 + TTL;
    assert(await store.get(announceInput(1).agentId));
    clock.now += 1;
    assertEquals(await store.get(announceInput(1).agentId), undefined);
  });

  test(
    "a heartbeat for an unknown or expired agent is refused as unknown",
    async (store, clock) => {
      const unknown = await store.renew(announceInput(9).agentId, 1);
      assertEquals(unknown.ok ? "renewed" : unknown.reason, "unknown");
      await store.announce(announceInput(1));
      clock.advance(TTL + 1);
      const expired = await store.renew(announceInput(1).agentId, 2);
      assertEquals(expired.ok ? "renewed" : expired.reason, "unknown");
    },
  );

  test(
    "the sweep reclaims an expired lease once, with one world.expired at its deadline",
    async (store, clock) => {
      const rev = await store.feed.revision();
      const start = clock.now;
      await store.announce(announceInput(1));
      clock.advance(50_000);
      await store.announce(announceInput(2));
      clock.now = start + TTL + 1;
      assertEquals((await store.counts()).agents, 1, "expired before any sweep");
      const swept = await store.sweep(100);
      assertEquals([swept.reclaimed, swept.more], [1, false]);
      assertEquals(swept.expired, [{ agentId: announceInput(1).agentId, worldId: "w1" }]);
      assertEquals((await store.sweep(100)).reclaimed, 0, "nothing twice");
      const expired = (await eventsAfter(store, rev)).filter((e) => e.type === "world.expired");
      assertEquals(expired.length, 1);
      assertEquals(expired[0].worldId, "w1");
      assertEquals(expired[0].reason, "ttl");
      assertEquals(expired[0].at, start + TTL, "the event carries when the lease ran out");
    },
  );

  test("the sweep takes at most its limit and says when more are due", async (store, clock) => {
    for (let i = 0; i < 7; i++) await store.announce(announceInput(i));
    clock.advance(TTL + 1);
    const first = await store.sweep(5);
    assertEquals([first.reclaimed, first.more, first.expired.length], [5, true, 5]);
    const second = await store.sweep(5);
    assertEquals([second.reclaimed, second.more], [2, false]);
    assertEquals(await store.counts(), { agents: 0, worlds: 0 });
  });

  test("nextDeadline is the earliest lease deadline held", async (store, clock) => {
    assertEquals(await store.nextDeadline(), undefined);
    const start = clock.now;
    await store.announce(announceInput(1));
    clock.advance(1000);
    await store.announce(announceInput(2));
    const next = await store.nextDeadline();
    assert(next !== undefined && Math.abs(next - (start + TTL)) <= 1, `next deadline ${next}`);
  });

  test("an announce or heartbeat not newer than the last accepted is a replay", async (store) => {
    await store.announce(announceInput(1, { timestamp: 500 }));
    const replay = await store.announce(announceInput(1, { timestamp: 500 }));
    assertEquals(replay.ok ? "accepted" : replay.reason, "replay");
    assert((await store.renew(announceInput(1).agentId, 700)).ok);
    const again = await store.renew(announceInput(1).agentId, 700);
    assertEquals(again.ok ? "accepted" : again.reason, "replay");
    assertEquals((await store.renew(announceInput(1).agentId, 699)).ok, false);
  });

  test(
    "a captured announce cannot revive a lease after it expired and was reclaimed",
    async (store, clock) => {
      await store.announce(announceInput(1, { timestamp: 500 }));
      clock.advance(TTL + 1);
      await sweepAll(store);
      const replay = await store.announce(announceInput(1, { timestamp: 500 }));
      assertEquals(replay.ok ? "accepted" : replay.reason, "replay");
      const fresh = await store.announce(announceInput(1, { timestamp: 501 }));
      assert(fresh.ok && fresh.granted);
    },
  );

  test(
    "a heartbeat floor survives the lease: a captured heartbeat cannot renew the next lease",
    async (store, clock) => {
      await store.announce(announceInput(1, { timestamp: 500 }));
      assert((await store.renew(announceInput(1).agentId, 900)).ok);
      clock.advance(TTL + 1);
      await sweepAll(store);
      assert((await store.announce(announceInput(1, { timestamp: 1_000 }))).ok);
      const replay = await store.renew(announceInput(1).agentId, 900);
      assertEquals(replay.ok ? "accepted" : replay.reason, "replay");
    },
  );

  test(
    "replay floors are forgotten once the signed-timestamp window has passed",
    async (store, clock) => {
      const ts = clock.now;
      await store.announce(announceInput(1, { timestamp: ts }));
      clock.advance(TTL + 1);
      await sweepAll(store);
      clock.advance(WINDOW + 1_000);
      await sweepAll(store);
      // The gateway refuses a timestamp this old before asking the store; the
      // store no longer holds a floor for it.
      const again = await store.announce(announceInput(1, { timestamp: ts }));
      assert(again.ok && again.granted, "the floor was forgotten");
    },
  );

  test(
    "re-announcing while live renews without a new lease; details changes are world.updated",
    async (store, clock) => {
      const rev = await store.feed.revision();
      const start = clock.now;
      await store.announce(announceInput(1, { timestamp: 1 }));
      clock.advance(10_000);
      const same = await store.announce(announceInput(1, { timestamp: 2 }));
      assert(same.ok && !same.granted && !same.changed);
      const renamed = await store.announce(announceInput(1, { timestamp: 3, alias: "Renamed" }));
      assert(renamed.ok && !renamed.granted && renamed.changed);
      const record = await store.get(announceInput(1).agentId);
      assertEquals(record?.alias, "Renamed");
      assertEquals(record?.grantedAt, start);
      assertEquals(record?.lastSeen, start + 10_000);
      clock.advance(TTL + 1);
      const later = await store.announce(announceInput(1, { timestamp: 4 }));
      assert(later.ok && later.granted);
      assertEquals((await eventsAfter(store, rev)).map((e) => e.type), [
        "world.announced",
        "world.updated",
        "world.expired",
        "world.announced",
      ]);
    },
  );

  test(
    "a live world re-announced under another world id: the old id's world.expired first, then the new id's world.announced",
    async (store, clock) => {
      const rev = await store.feed.revision();
      const start = clock.now;
      const agentId = announceInput(1).agentId;
      await store.announce(announceInput(1, { timestamp: 1 }));
      clock.advance(1000);
      const moved = await store.announce(
        announceInput(1, { timestamp: 2, worldId: "w9", capabilities: ["world:w9"] }),
      );
      assert(moved.ok && !moved.granted && moved.changed, "the same lease, changed");
      assertEquals(await store.getWorld("w1"), undefined);
      assertEquals((await store.getWorld("w9"))?.agentId, agentId);
      assertEquals((await store.listWorlds(10)).records.map((r) => r.worldId), ["w9"]);
      assertEquals(await store.counts(), { agents: 1, worlds: 1 });
      const record = await store.get(agentId);
      assertEquals([record?.grantedAt, record?.lastSeen], [start, clock.now]);
      assertEquals((await store.owner("w1"))?.owner, agentId, "the old id stays owned");
      const events = await eventsAfter(store, rev);
      assertEquals(events.map((e) => [e.type, e.worldId, e.reason]), [
        ["world.announced", "w1", undefined],
        ["world.expired", "w1", "deregistered"],
        ["world.announced", "w9", undefined],
      ]);
      assertEquals(events[1].at, clock.now);
      assertEquals(events[2].record?.worldId, "w9");
      // The lease went on: nothing is left to expire under the old id.
      clock.advance(TTL + 1);
      await sweepAll(store);
      assertEquals(
        (await eventsAfter(store, events[2].id)).map((e) => [e.type, e.worldId, e.reason]),
        [["world.expired", "w9", "ttl"]],
      );
    },
  );

  test(
    "a world that stops hosting (a plain agent now) ends as world.expired, then agent.announced, and back",
    async (store, clock) => {
      const rev = await store.feed.revision();
      const agentId = announceInput(1).agentId;
      await store.announce(announceInput(1, { timestamp: 1 }));
      clock.advance(1000);
      const plain = await store.announce(
        announceInput(1, { timestamp: 2, worldId: undefined, capabilities: ["chat"] }),
      );
      assert(plain.ok && !plain.granted && plain.changed);
      assertEquals(await store.getWorld("w1"), undefined);
      assertEquals(await store.counts(), { agents: 1, worlds: 0 });
      assertEquals((await store.get(agentId))?.worldId, undefined);
      clock.advance(1000);
      assert((await store.announce(announceInput(1, { timestamp: 3 }))).ok, "hosts it again");
      assertEquals((await store.getWorld("w1"))?.agentId, agentId);
      assertEquals(
        (await eventsAfter(store, rev)).map((e) => [e.type, e.agentId, e.worldId, e.reason]),
        [
          ["world.announced", agentId, "w1", undefined],
          ["world.expired", agentId, "w1", "deregistered"],
          ["agent.announced", agentId, undefined, undefined],
          ["agent.expired", agentId, undefined, "deregistered"],
          ["world.announced", agentId, "w1", undefined],
        ],
      );
    },
  );

  test("an agent without a world is listed as an agent and reported as agent.* events", async (store) => {
    const rev = await store.feed.revision();
    await store.announce(announceInput(1, { worldId: undefined, capabilities: ["chat"] }));
    await store.announce(announceInput(2));
    assertEquals((await store.listAgents(10)).records.length, 2);
    assertEquals((await store.listWorlds(10)).records.map((r) => r.worldId), ["w2"]);
    assertEquals(await store.counts(), { agents: 2, worlds: 1 });
    const events = await eventsAfter(store, rev);
    assertEquals(events.map((e) => e.type), ["agent.announced", "world.announced"]);
    assertEquals(events[1].record?.alias, "World 2");
  });

  test(
    "a lease keeps the protocol version it was announced with, and a re-announce in another one replaces it",
    async (store) => {
      const rev = await store.feed.revision();
      const agentId = announceInput(1).agentId;
      assert((await store.announce(announceInput(1, { protocolVersion: "1.6" }))).ok);
      assertEquals((await store.get(agentId))?.protocolVersion, "1.6");
      assertEquals((await store.getWorld("w1"))?.protocolVersion, "1.6");
      assertEquals((await store.listWorlds(10)).records[0].protocolVersion, "1.6");
      assertEquals((await store.listAgents(10)).records[0].protocolVersion, "1.6");
      // The same key moves to another version: its heartbeats are verified in that one now.
      const moved = await store.announce(
        announceInput(1, { protocolVersion: "1.3", timestamp: announceInput(1).timestamp + 1 }),
      );
      assert(moved.ok && !moved.granted);
      assertEquals((await store.get(agentId))?.protocolVersion, "1.3");
      const events = await eventsAfter(store, rev);
      assertEquals(events.map((e) => [e.type, e.record?.protocolVersion]), [
        ["world.announced", "1.6"],
        ["world.updated", "1.3"],
      ]);
    },
  );

  test(
    "owned: a world id stays bound to the key that first registered it, beyond its lease",
    async (store, clock) => {
      await store.announce(announceInput(1, { worldId: "pixel", capabilities: ["world:pixel"] }));
      const live = await store.announce(
        announceInput(2, { worldId: "pixel", capabilities: ["world:pixel"] }),
      );
      assertEquals(live.ok ? "accepted" : live.reason, "world_owned");
      clock.advance(TTL + 1);
      await sweepAll(store);
      const later = await store.announce(
        announceInput(2, { worldId: "pixel", capabilities: ["world:pixel"] }),
      );
      assertEquals(later.ok ? "accepted" : later.reason, "world_owned", "after the lease ended");
      assert(!later.ok && /owned/.test(later.error));
      assertEquals((await store.owner("pixel"))?.owner, announceInput(1).agentId);
      const back = await store.announce(
        announceInput(1, { worldId: "pixel", capabilities: ["world:pixel"], timestamp: 9_000 }),
      );
      assert(back.ok && back.granted, "its owner comes back at any time");
    },
  );

  test("owned: an unused world id is free again after the retention", async (store, clock) => {
    const rev = await store.feed.revision();
    await store.announce(announceInput(1, { worldId: "pixel", capabilities: ["world:pixel"] }));
    clock.advance(TTL + 1);
    await sweepAll(store);
    clock.advance(3_600_000);
    await sweepAll(store);
    const taken = await store.announce(
      announceInput(2, { worldId: "pixel", capabilities: ["world:pixel"] }),
    );
    assert(taken.ok && taken.granted);
    assertEquals((await store.owner("pixel"))?.owner, announceInput(2).agentId);
    const changes = (await eventsAfter(store, rev)).filter((e) => e.type === "world.owner_changed");
    assertEquals(changes.map((e) => [e.cause, e.previousOwner, e.owner]), [
      ["retention", announceInput(1).agentId, null],
    ]);
  }, { ownerRetentionMs: 3_600_000, eventRetentionMs: 24 * 3_600_000 });

  test(
    "live-holder: a world id is exclusive while live and free once the lease ends",
    async (store, clock) => {
      const rev = await store.feed.revision();
      await store.announce(announceInput(1, { worldId: "shared", capabilities: ["world:shared"] }));
      const taken = await store.announce(
        announceInput(2, { worldId: "shared", capabilities: ["world:shared"] }),
      );
      assertEquals(taken.ok ? "accepted" : taken.reason, "world_taken");
      clock.advance(TTL + 1);
      // Not swept yet: the previous holder's end is recorded before the new holder's start.
      const next = await store.announce(
        announceInput(2, { worldId: "shared", capabilities: ["world:shared"] }),
      );
      assert(next.ok && next.granted);
      assertEquals((await store.getWorld("shared"))?.agentId, announceInput(2).agentId);
      assertEquals(
        (await eventsAfter(store, rev)).map((e) => [e.type, e.agentId]),
        [
          ["world.announced", announceInput(1).agentId],
          ["world.expired", announceInput(1).agentId],
          ["world.announced", announceInput(2).agentId],
        ],
      );
      assertEquals(await store.owner("shared"), undefined, "nothing is owned");
    },
    { worldIdPolicy: "live-holder" },
  );

  test(
    "an agent's own expired, unswept lease ends (world.expired) before its new lease starts",
    async (store, clock) => {
      const rev = await store.feed.revision();
      await store.announce(announceInput(1, { timestamp: 1 }));
      clock.advance(TTL + 1);
      await store.announce(announceInput(1, { timestamp: 2 }));
      assertEquals((await eventsAfter(store, rev)).map((e) => e.type), [
        "world.announced",
        "world.expired",
        "world.announced",
      ]);
    },
  );

  test(
    "the directory refuses new leases when full, and admits again once one expires",
    async (store, clock) => {
      await store.announce(announceInput(1));
      await store.announce(announceInput(2));
      const full = await store.announce(announceInput(3));
      assertEquals(full.ok ? "accepted" : full.reason, "full");
      assert((await store.announce(announceInput(1, { timestamp: 9_999 }))).ok, "re-announce fits");
      clock.advance(TTL + 1);
      assert((await store.announce(announceInput(3))).ok, "expired leases do not count");
    },
    { maxAgents: 2 },
  );

  test("one client address holds at most maxLeasesPerAddress live leases", async (store, clock) => {
    const from = (n: number, address: string) => announceInput(n, { address });
    assert((await store.announce(from(1, "198.51.100.7"))).ok);
    assert((await store.announce(from(2, "198.51.100.7"))).ok);
    const third = await store.announce(from(3, "198.51.100.7"));
    assertEquals(third.ok ? "accepted" : third.reason, "address_full");
    assert((await store.announce(from(4, "203.0.113.9"))).ok, "another address is not limited");
    assert(
      (await store.announce(from(1, "198.51.100.7"))).ok === false,
      "a replayed announce stays a replay",
    );
    assert((await store.announce({ ...from(2, "198.51.100.7"), timestamp: 5_000 })).ok);
    clock.advance(TTL + 1);
    assert((await store.announce(from(3, "198.51.100.7"))).ok, "expired leases free the address");
  }, { maxLeasesPerAddress: 2 });

  test(
    "a signed deregistration ends the lease at once with reason deregistered",
    async (store, clock) => {
      const rev = await store.feed.revision();
      await store.announce(announceInput(1));
      assert((await store.renew(announceInput(1).agentId, 100)).ok);
      const stale = await store.revoke(announceInput(1).agentId, "deregistered", 100);
      assertEquals(stale.ok ? "revoked" : stale.reason, "replay");
      clock.advance(5);
      const revoked = await store.revoke(announceInput(1).agentId, "deregistered", 101);
      assert(revoked.ok);
      assertEquals(await store.get(announceInput(1).agentId), undefined);
      assertEquals(await store.getWorld("w1"), undefined);
      assertEquals((await store.listWorlds(10)).records, []);
      assertEquals(await store.counts(), { agents: 0, worlds: 0 });
      const ended = (await eventsAfter(store, rev)).filter((e) => e.type === "world.expired");
      assertEquals(ended.map((e) => [e.reason, e.at]), [["deregistered", clock.now]]);
      const again = await store.revoke(announceInput(1).agentId, "deregistered", 102);
      assertEquals(again.ok ? "revoked" : again.reason, "unknown");
      const replayed = await store.announce(announceInput(1));
      assertEquals(replayed.ok ? "accepted" : replayed.reason, "replay", "floors outlive it");
      assertEquals((await store.owner("w1"))?.owner, announceInput(1).agentId, "still owned");
      assertEquals((await store.sweep(10)).reclaimed, 0, "nothing left to expire");
    },
  );

  test(
    "a captured deregistration replayed after the agent announced again is a replay",
    async (store, clock) => {
      const agentId = announceInput(1).agentId;
      await store.announce(announceInput(1, { timestamp: 1_000 }));
      assert((await store.revoke(agentId, "deregistered", 2_000)).ok);
      clock.advance(1000);
      // Back, with an announce signed before the goodbye by its clock.
      assert((await store.announce(announceInput(1, { timestamp: 1_500 }))).ok);
      const replayed = await store.revoke(agentId, "deregistered", 2_000);
      assertEquals(replayed.ok ? "revoked" : replayed.reason, "replay");
      assert(await store.getWorld("w1"), "the world stays");
    },
  );

  test("an admin revocation ends the lease with reason admin", async (store) => {
    const rev = await store.feed.revision();
    await store.announce(announceInput(1, { worldId: undefined, capabilities: [] }));
    assert((await store.revoke(announceInput(1).agentId, "admin")).ok);
    assertEquals(
      (await eventsAfter(store, rev)).map((e) => [e.type, e.reason]),
      [["agent.announced", undefined], ["agent.expired", "admin"]],
    );
  });

  test(
    "a key rotation moves the world id to the new key and revokes the old lease",
    async (store, clock) => {
      const rev = await store.feed.revision();
      const oldKey = announceInput(1, { worldId: "pixel", capabilities: ["world:pixel"] });
      const newKey = announceInput(2, { worldId: "pixel", capabilities: ["world:pixel"] });
      await store.announce(oldKey);
      const early = await store.rotate({
        oldAgentId: oldKey.agentId,
        newAgentId: newKey.agentId,
        newPublicKey: newKey.publicKey,
        timestamp: oldKey.timestamp,
      });
      assertEquals(early.ok ? "rotated" : early.reason, "replay", "older than the binding");
      clock.advance(1000);
      const rotated = await store.rotate({
        oldAgentId: oldKey.agentId,
        newAgentId: newKey.agentId,
        newPublicKey: newKey.publicKey,
        timestamp: oldKey.timestamp + 1,
      });
      assert(rotated.ok);
      assertEquals(rotated.worlds, ["pixel"]);
      assertEquals(rotated.revoked, true);
      assertEquals(await store.getWorld("pixel"), undefined);
      assertEquals((await store.owner("pixel"))?.owner, newKey.agentId);
      assertEquals((await store.owner("pixel"))?.publicKey, newKey.publicKey);
      const old = await store.announce({ ...oldKey, timestamp: oldKey.timestamp + 10 });
      assertEquals(old.ok ? "accepted" : old.reason, "world_owned");
      assert((await store.announce(newKey)).ok);
      const events = await eventsAfter(store, rev);
      assertEquals(events.map((e) => [e.type, e.reason ?? e.cause]), [
        ["world.announced", undefined],
        ["world.expired", "rotated"],
        ["world.owner_changed", "rotation"],
        ["world.announced", undefined],
      ]);
      const unknown = await store.rotate({
        oldAgentId: announceInput(7).agentId,
        newAgentId: newKey.agentId,
        newPublicKey: newKey.publicKey,
        timestamp: clock.now,
      });
      assertEquals(unknown.ok ? "rotated" : unknown.reason, "unknown");
    },
  );

  test(
    "a rotation not newer than the old key's last announce or heartbeat is a replay",
    async (store) => {
      const oldKey = announceInput(1, { timestamp: 1_000 });
      const newKey = announceInput(2);
      await store.announce(oldKey);
      assert((await store.renew(oldKey.agentId, 5_000)).ok);
      const rotation = {
        oldAgentId: oldKey.agentId,
        newAgentId: newKey.agentId,
        newPublicKey: newKey.publicKey,
      };
      const stale = await store.rotate({ ...rotation, timestamp: 4_000 });
      assertEquals(stale.ok ? "rotated" : stale.reason, "replay", "older than its heartbeat");
      assert(!stale.ok && /heartbeat/.test(stale.error));
      assert(await store.get(oldKey.agentId), "the lease is untouched");
      assert((await store.rotate({ ...rotation, timestamp: 5_001 })).ok);
    },
  );

  test(
    "a rotation reclaims the old key's expired, unswept lease first, and its floors still hold",
    async (store, clock) => {
      const rev = await store.feed.revision();
      const oldKey = announceInput(1, { timestamp: 1_000 });
      const newKey = announceInput(2);
      await store.announce(oldKey);
      assert((await store.renew(oldKey.agentId, 5_000)).ok);
      clock.advance(TTL + 1);
      const rotation = {
        oldAgentId: oldKey.agentId,
        newAgentId: newKey.agentId,
        newPublicKey: newKey.publicKey,
      };
      const stale = await store.rotate({ ...rotation, timestamp: 4_000 });
      assertEquals(stale.ok ? "rotated" : stale.reason, "replay");
      const rotated = await store.rotate({ ...rotation, timestamp: 6_000 });
      assert(rotated.ok && !rotated.revoked);
      assertEquals(
        (await eventsAfter(store, rev)).map((e) => [e.type, e.reason ?? e.cause]),
        [
          ["world.announced", undefined],
          ["world.expired", "ttl"],
          ["world.owner_changed", "rotation"],
        ],
      );
      assertEquals((await store.sweep(10)).reclaimed, 0, "reclaimed once");
    },
  );

  for (const policy of ["owned", "live-holder"] as const) {
    test(
      `${policy}: a captured rotation cannot revoke a lease its old key announced again`,
      async (store, clock) => {
        // A plain agent under either policy, and a world under live-holder,
        // own no world id: only the old key's own floors stop the replay.
        const oldKey = announceInput(
          1,
          policy === "owned" ? { worldId: undefined, capabilities: ["chat"] } : {},
        );
        const newKey = announceInput(2);
        await store.announce({ ...oldKey, timestamp: 1_000 });
        const captured = {
          oldAgentId: oldKey.agentId,
          newAgentId: newKey.agentId,
          newPublicKey: newKey.publicKey,
          timestamp: 2_000,
        };
        const rotated = await store.rotate(captured);
        assert(rotated.ok && rotated.revoked);
        clock.advance(1000);
        // Back, signed before the rotation by its clock: the rotation is its floor still.
        const back = await store.announce({ ...oldKey, timestamp: 1_500 });
        assert(back.ok && back.granted);
        const replayed = await store.rotate(captured);
        assertEquals(replayed.ok ? "rotated" : replayed.reason, "replay");
        assert(await store.get(oldKey.agentId), "the lease it announced again stays");
        assertEquals((await store.renew(oldKey.agentId, 2_000)).ok, false, "ts ≤ the rotation");
        assert((await store.renew(oldKey.agentId, 2_001)).ok);
        clock.advance(1000);
        assert((await store.announce({ ...oldKey, timestamp: 3_000 })).ok);
        const again = await store.rotate(captured);
        assertEquals(again.ok ? "rotated" : again.reason, "replay");
        assert(await store.get(oldKey.agentId));
      },
      { worldIdPolicy: policy },
    );
  }

  test(
    "a rotation of a key with no live lease raises its floors: its next lease cannot be revoked by a replay",
    async (store, clock) => {
      const oldKey = announceInput(1, { worldId: "pixel", capabilities: ["world:pixel"] });
      const newKey = announceInput(2, { worldId: "pixel", capabilities: ["world:pixel"] });
      await store.announce({ ...oldKey, timestamp: 1_000 });
      clock.advance(TTL + 1);
      await sweepAll(store);
      clock.advance(WINDOW + 2_000);
      await sweepAll(store); // the floors of its lease are forgotten; it still owns pixel
      const captured = {
        oldAgentId: oldKey.agentId,
        newAgentId: newKey.agentId,
        newPublicKey: newKey.publicKey,
        timestamp: 2_000,
      };
      const rotated = await store.rotate(captured);
      assert(rotated.ok && !rotated.revoked);
      assertEquals(rotated.worlds, ["pixel"]);
      const plain = await store.announce({
        ...oldKey,
        worldId: undefined,
        capabilities: ["chat"],
        timestamp: 1_500,
      });
      assert(plain.ok && plain.granted, "the old key may still be an agent");
      const replayed = await store.rotate(captured);
      assertEquals(replayed.ok ? "rotated" : replayed.reason, "replay");
      assert(await store.get(oldKey.agentId));
    },
  );

  test("an admin transfer binds the id to another key and ends the holder's lease", async (store) => {
    const rev = await store.feed.revision();
    const a = announceInput(1, { worldId: "pixel", capabilities: ["world:pixel"] });
    const b = announceInput(2, { worldId: "pixel", capabilities: ["world:pixel"] });
    await store.announce(a);
    const moved = await store.transferWorld("pixel", {
      agentId: b.agentId,
      publicKey: b.publicKey,
    });
    assertEquals(moved, { ok: true, previous: a.agentId, revoked: true });
    assertEquals(await store.getWorld("pixel"), undefined);
    const refused = await store.announce({ ...a, timestamp: a.timestamp + 1 });
    assertEquals(refused.ok ? "accepted" : refused.reason, "world_owned");
    assert((await store.announce(b)).ok);
    assertEquals(
      (await eventsAfter(store, rev)).map((e) => [e.type, e.agentId, e.reason ?? e.cause]),
      [
        ["world.announced", a.agentId, undefined],
        ["world.expired", a.agentId, "admin"],
        ["world.owner_changed", b.agentId, "admin_transfer"],
        ["world.announced", b.agentId, undefined],
      ],
    );
    const unowned = await store.transferWorld("fresh", {
      agentId: a.agentId,
      publicKey: a.publicKey,
    });
    assertEquals(unowned, { ok: true, previous: undefined, revoked: false }, "an admin may assign");
    assertEquals((await store.owner("fresh"))?.owner, a.agentId);
  });

  test("an admin release frees the id and ends its lease; an unknown id is unknown", async (store) => {
    const a = announceInput(1, { worldId: "pixel", capabilities: ["world:pixel"] });
    const b = announceInput(2, { worldId: "pixel", capabilities: ["world:pixel"] });
    await store.announce(a);
    assertEquals(await store.releaseWorld("pixel"), {
      ok: true,
      previous: a.agentId,
      revoked: true,
    });
    assertEquals(await store.owner("pixel"), undefined);
    assert((await store.announce(b)).ok, "anyone may take a released id");
    const unknown = await store.releaseWorld("nobody");
    assertEquals(unknown.ok ? "released" : unknown.reason, "unknown");
  });

  test("owners are listed in id order, a page at a time", async (store) => {
    for (const n of [3, 1, 2]) await store.announce(announceInput(n));
    const first = await store.listOwners(2);
    assertEquals(first.owners.map((o) => o.worldId), ["w1", "w2"]);
    assertEquals(first.next, "w2");
    const second = await store.listOwners(2, first.next!);
    assertEquals(second.owners.map((o) => o.worldId), ["w3"]);
    assertEquals(second.next, null);
  });

  test("reachability changes are recorded and reported as world.updated", async (store, clock) => {
    const rev = await store.feed.revision();
    await store.announce(announceInput(1));
    const agentId = announceInput(1).agentId;
    await store.setReachable(agentId, false);
    await store.setReachable(agentId, false);
    assertEquals((await store.get(agentId))?.unreachableSince, clock.now);
    clock.advance(1000);
    await store.setReachable(agentId, true);
    const record = await store.get(agentId);
    assertEquals(record?.unreachableSince, undefined);
    assertEquals(record?.lastReachableAt, clock.now);
    assertEquals((await eventsAfter(store, rev)).map((e) => e.type), [
      "world.announced",
      "world.updated",
      "world.updated",
    ]);
  });

  test(
    "reachability never touches the lease: lastSeen and the deadline stay, and it expires on time",
    async (store, clock) => {
      const start = clock.now;
      const agentId = announceInput(1).agentId;
      await store.announce(announceInput(1));
      const deadline = await store.nextDeadline();
      clock.advance(30_000);
      await store.setReachable(agentId, false);
      clock.advance(30_000);
      await store.setReachable(agentId, true);
      const record = await store.get(agentId);
      assertEquals(record?.lastSeen, start, "a reachable call is no heartbeat");
      assertEquals(await store.nextDeadline(), deadline);
      clock.now = start + TTL;
      assert(await store.get(agentId));
      clock.now = start + TTL + 1;
      assertEquals(await store.get(agentId), undefined, "expired at its announce's deadline");
      assertEquals((await store.sweep(10)).reclaimed, 1);
    },
  );

  test(
    "listings are newest lease first, paged by cursors that survive expiry",
    async (store, clock) => {
      for (let n = 0; n < 5; n++) {
        await store.announce(announceInput(n));
        clock.advance(10);
      }
      const first = await store.listWorlds(2);
      assertEquals(first.records.map((r) => r.worldId), ["w4", "w3"]);
      assert(first.nextCursor);
      const second = await store.listWorlds(2, first.nextCursor);
      assertEquals(second.records.map((r) => r.worldId), ["w2", "w1"]);
      // w3 (the cursor's own record) and w2 end: the cursor still works.
      await store.revoke(announceInput(3).agentId, "admin");
      await store.revoke(announceInput(1).agentId, "admin");
      const again = await store.listWorlds(2, first.nextCursor);
      assertEquals(again.records.map((r) => r.worldId), ["w2", "w0"]);
      assertEquals(again.nextCursor, null);
      const agents = await store.listAgents(10);
      assertEquals(agents.records.length, 3);
      assertEquals((await store.counts()).worlds, 3);
    },
  );

  test("a cursor the store did not make is refused", async (store) => {
    await assertRejects(() => store.listWorlds(10, "not-a-cursor!"));
    const error = await store.listAgents(10, "%%%").catch((e) => e);
    assert(error instanceof CursorError);
  });

  test("the change feed resumes exactly after an id, and resets for a foreign one", async (store) => {
    const start = await store.feed.revision();
    for (let n = 0; n < 4; n++) await store.announce(announceInput(n));
    const all = await eventsAfter(store, start);
    assertEquals(all.length, 4);
    const ids = all.map((e) => e.id);
    assertEquals([...ids].sort((a, b) => store.feed.compare(a, b)), ids, "ids are ordered");
    assertEquals(await store.feed.revision(), ids[3]);
    const resumed = await store.feed.read(ids[1], 10);
    assertEquals(resumed.events.map((e) => e.id), ids.slice(2));
    assertEquals(resumed.reset, false);
    assertEquals(resumed.revision, ids[3]);
    assertEquals((await store.feed.read(ids[3], 10)).events, []);
    assertEquals((await store.feed.read("zzz-1", 10)).reset, true);
    assertEquals((await store.listWorlds(10)).revision, ids[3], "a page names its revision");
  });

  test(
    "the outbox hands out undelivered events until acknowledged, and another consumer takes over",
    async (store) => {
      await store.announce(announceInput(1));
      await store.announce(announceInput(2));
      assert(await store.outbox.lead("a", 5_000));
      const taken = await store.outbox.take("a", 10);
      assertEquals(taken.map((e) => e.worldId), ["w1", "w2"]);
      assertEquals((await store.outbox.take("a", 10)).length, 0, "not handed out twice");
      assertEquals((await store.outbox.backlog()).pending, 2);
      await store.outbox.ack([taken[0].id]);
      assertEquals((await store.outbox.backlog()).pending, 1);
      // "a" stops (dies) holding w2's event: the next consumer gets it first.
      await store.announce(announceInput(3));
      const next = await store.outbox.take("b", 10);
      assertEquals(next.map((e) => e.worldId), ["w2", "w3"]);
      await store.outbox.ack(next.map((e) => e.id));
      assertEquals((await store.outbox.backlog()).pending, 0);
    },
    { outbox: true },
  );

  test("a world.state timestamp is accepted once and only when newer", async (store) => {
    assert(await store.acceptState("w1", 10));
    assert(!await store.acceptState("w1", 10));
    assert(!await store.acceptState("w1", 9));
    assert(await store.acceptState("w1", 11));
    assert(await store.acceptState("w2", 1), "floors are per world");
  });

  test("published world.state frames reach subscribers", async (store) => {
    const received: [string, string][] = [];
    const got = Promise.withResolvers<void>();
    const unsubscribe = store.subscribeState((worldId, frame) => {
      received.push([worldId, frame]);
      got.resolve();
    });
    try {
      await store.publishState("w1", '{"type":"world.state"}');
      await got.promise;
      assertEquals(received, [["w1", '{"type":"world.state"}']]);
    } finally {
      unsubscribe();
    }
  });
}
