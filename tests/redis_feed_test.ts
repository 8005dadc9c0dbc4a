/**
 * The Redis store's change stream across replicas: tailing, resuming and
 * resetting, trimming that never drops what webhooks still need, and the
 * outbox's leader lease and takeover.
 *
 * @module
 */
import type { RedisStore, RedisStoreOptions } from "../gateway/redis_store.ts";
import type { ChangeEvent } from "../gateway/store.ts";
import type { LogLevel } from "../gateway/log.ts";
import { assert, assertEquals } from "./assert.ts";
import {
  fileRedis,
  openStore,
  recordingLogger,
  redisTest,
  startRedis,
  uniquePrefix,
  withReplicas as withReplicasOf,
} from "./_redis.ts";
import { announceInput, TestClock } from "./_store_contract.ts";

const server = await fileRedis();

function withReplicas(
  count: number,
  options: Partial<RedisStoreOptions>,
  fn: (replicas: RedisStore[], clock: TestClock) => Promise<void>,
): Promise<void> {
  return withReplicasOf(server!, count, options, fn);
}

/** Collects a subscriber's events; `until(n)` waits (bounded) for n of them. */
function collect(store: RedisStore) {
  const events: ChangeEvent[] = [];
  let waiting: { count: number; resolve: () => void } | undefined;
  const unsubscribe = store.feed.subscribe((event) => {
    events.push(event);
    if (waiting && events.length >= waiting.count) waiting.resolve();
  });
  return {
    events,
    unsubscribe,
    async until(count: number, ms = 10_000): Promise<void> {
      if (events.length >= count) return;
      const done = Promise.withResolvers<void>();
      waiting = { count, resolve: done.resolve };
      const timer = setTimeout(
        () => done.reject(new Error(`${events.length} of ${count} events arrived`)),
        ms,
      );
      try {
        await done.promise;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

redisTest({
  name: "a subscriber on one replica hears, in order, the changes another replica made",
  fn: () =>
    withReplicas(2, {}, async ([a, b], clock) => {
      const heard = collect(a);
      try {
        await b.announce(announceInput(1));
        await b.announce(announceInput(2));
        clock.advance(b.ttlMs + 1);
        await b.sweep(10);
        await heard.until(4);
        assertEquals(heard.events.map((e) => [e.type, e.worldId]), [
          ["world.announced", "w1"],
          ["world.announced", "w2"],
          ["world.expired", "w1"],
          ["world.expired", "w2"],
        ]);
        const ids = heard.events.map((e) => e.id);
        assertEquals([...ids].sort((x, y) => a.feed.compare(x, y)), ids);
      } finally {
        heard.unsubscribe();
      }
    }),
});

redisTest({
  name: "the feed tails on across a Redis restart without losing or repeating an event",
  fn: async () => {
    const own = await startRedis({ appendonly: true });
    const { store } = await openStore(own);
    const heard = collect(store);
    try {
      for (let n = 1; n <= 3; n++) await store.announce(announceInput(n));
      await heard.until(3);
      await own.kill();
      await own.restart();
      for (let n = 4; n <= 6;) {
        try {
          await store.announce(announceInput(n));
          n++;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50)); // reconnecting
        }
      }
      await heard.until(6);
      assertEquals(heard.events.map((e) => e.worldId), ["w1", "w2", "w3", "w4", "w5", "w6"]);
    } finally {
      heard.unsubscribe();
      await store.close();
      await own.dispose();
    }
  },
});

redisTest({
  name: "reading after an id whose successors were trimmed is a reset; after a kept one is not",
  fn: () =>
    withReplicas(1, { eventRetentionMs: 60_000 }, async ([store], clock) => {
      await store.announce(announceInput(1));
      const first = await store.feed.revision();
      await store.announce(announceInput(2));
      const second = await store.feed.revision();
      clock.advance(30_000);
      await store.announce(announceInput(3));
      const third = await store.feed.revision();
      clock.advance(40_000); // the first two events are now past the retention
      assertEquals((await store.trim()).trimmed, 2);
      const gap = await store.feed.read(first, 10);
      assertEquals([gap.reset, gap.events, gap.revision], [true, [], third], "w2's event is gone");
      const resumed = await store.feed.read(second, 10);
      assertEquals(resumed.reset, false, "nothing after the second event was lost");
      assertEquals(resumed.events.map((e) => e.worldId), ["w3"]);
      assertEquals((await store.feed.read("", 10)).reset, true, "the start is no longer held");
    }),
});

redisTest({
  name: "trimming never drops an event the webhook group has not acknowledged",
  fn: () =>
    withReplicas(1, { eventRetentionMs: 1_000, outbox: true }, async ([store], clock) => {
      for (let n = 1; n <= 5; n++) await store.announce(announceInput(n));
      assert(await store.outbox.lead("a", 60_000));
      const taken = await store.outbox.take("a", 3);
      await store.outbox.ack([taken[0].id]);
      clock.advance(10_000);
      await store.trim();
      // w2 and w3 are taken, unacknowledged; w4 and w5 not yet taken.
      assertEquals((await store.outbox.backlog()).pending, 4);
      const rest = await store.outbox.take("b", 10);
      assertEquals(rest.map((e) => e.worldId), ["w2", "w3", "w4", "w5"]);
      await store.outbox.ack(rest.map((e) => e.id));
      const { trimmed } = await store.trim();
      assertEquals(trimmed, 4, "acknowledged and past the retention: gone");
    }),
});

redisTest({
  name: "past maxEvents the log drops even undelivered events, and logs it as an error",
  fn: async () => {
    const lines: [LogLevel, string][] = [];
    await withReplicas(
      1,
      { maxEvents: 3, outbox: true, logger: recordingLogger(lines) },
      async ([store]) => {
        assert(await store.outbox.lead("a", 1_000)); // webhooks are being delivered
        for (let n = 1; n <= 6; n++) await store.announce(announceInput(n));
        const { unacknowledgedDropped } = await store.trim();
        assertEquals(unacknowledgedDropped, 3);
        assert(lines.some(([level, m]) => level === "error" && m.includes("maxEvents")));
        assertEquals((await store.outbox.take("a", 10)).map((e) => e.worldId), ["w4", "w5", "w6"]);
      },
    );
  },
});

redisTest({
  name: "one consumer leads at a time; another leads once the lease runs out",
  fn: () =>
    withReplicas(2, {}, async ([a, b], clock) => {
      assert(await a.outbox.lead("a", 1_000));
      assert(!await b.outbox.lead("b", 1_000));
      clock.advance(800);
      assert(await a.outbox.lead("a", 1_000), "the leader extends its lease");
      clock.advance(800);
      assert(!await b.outbox.lead("b", 1_000), "extended: still a's");
      clock.advance(201);
      assert(await b.outbox.lead("b", 1_000));
      assert(!await a.outbox.lead("a", 1_000));
    }),
});

redisTest({
  name: "a replica that dies holding events has them delivered by the next leader, oldest first",
  fn: () =>
    withReplicas(2, { outbox: true }, async ([a, b], clock) => {
      for (let n = 1; n <= 5; n++) await a.announce(announceInput(n));
      assert(await a.outbox.lead("a", 5_000));
      const held = await a.outbox.take("a", 5);
      await a.outbox.ack(held.slice(0, 2).map((e) => e.id));
      await a.close(); // dies with w3…w5 taken and unacknowledged
      await b.announce(announceInput(6));
      assert(!await b.outbox.lead("b", 5_000), "a's lease still runs");
      clock.advance(5_001);
      assert(await b.outbox.lead("b", 5_000));
      const delivered = await b.outbox.take("b", 10);
      assertEquals(delivered.map((e) => e.worldId), ["w3", "w4", "w5", "w6"]);
      await b.outbox.ack(delivered.map((e) => e.id));
      assertEquals(await b.outbox.take("b", 10), []);
      assertEquals((await b.outbox.backlog()).pending, 0);
    }),
});

redisTest({
  name: "the backlog counts events not acknowledged and says when the oldest happened",
  fn: () =>
    withReplicas(1, { outbox: true }, async ([store], clock) => {
      const first = clock.now;
      await store.announce(announceInput(1));
      clock.advance(1_000);
      await store.announce(announceInput(2));
      assertEquals(await store.outbox.backlog(), { pending: 2, oldestAt: first });
      assert(await store.outbox.lead("a", 1_000));
      const [oldest] = await store.outbox.take("a", 1);
      assertEquals(await store.outbox.backlog(), { pending: 2, oldestAt: first });
      await store.outbox.ack([oldest.id]);
      assertEquals(await store.outbox.backlog(), { pending: 1, oldestAt: first + 1_000 });
    }),
});

redisTest({
  name: "a replica delivering webhooks keeps what they have not acknowledged past any retention",
  fn: async () => {
    // Every replica is down for 11 minutes with events taken and unacknowledged;
    // the first one back trims (at connect, before it leads) and then leads.
    const prefix = uniquePrefix("outage");
    const clock = new TestClock();
    const lines: [LogLevel, string][] = [];
    const options = { prefix, clock: clock.read, outbox: true, logger: recordingLogger(lines) };
    const { store: a } = await openStore(server!, options);
    for (let n = 1; n <= 3; n++) await a.announce(announceInput(n));
    assert(await a.outbox.lead("a", 5_000));
    assertEquals((await a.outbox.take("a", 10)).length, 3);
    await a.close(); // killed with the three in hand
    clock.advance(11 * 60_000);
    const { store: b } = await openStore(server!, options);
    try {
      assertEquals(await b.trim(), { trimmed: 0, unacknowledgedDropped: 0 });
      assert(await b.outbox.lead("b", 5_000));
      const delivered = await b.outbox.take("b", 10);
      assertEquals(delivered.map((e) => e.worldId), ["w1", "w2", "w3"]);
      await b.outbox.ack(delivered.map((e) => e.id));
      assertEquals(lines.filter(([level]) => level === "error"), []);
      clock.advance(11 * 60_000);
      assertEquals((await b.trim()).trimmed, 3, "acknowledged: the retention applies again");
    } finally {
      await b.close();
    }
  },
});

redisTest({
  name:
    "where no replica delivers webhooks, the retention drops what they never got, counted loudly",
  fn: async () => {
    // The webhook group stays from when webhooks were on; now none delivers.
    // (Left pinned, the log would grow to its hard cap.)
    const lines: [LogLevel, string][] = [];
    await withReplicas(
      1,
      { eventRetentionMs: 60_000, outbox: false, logger: recordingLogger(lines) },
      async ([store], clock) => {
        assert(await store.outbox.lead("a", 1_000)); // creates the group
        for (let n = 1; n <= 4; n++) await store.announce(announceInput(n));
        const taken = await store.outbox.take("a", 2);
        await store.outbox.ack([taken[0].id]); // w1 delivered, w2 pending, w3 and w4 never taken
        clock.advance(30_000);
        assertEquals((await store.trim()).trimmed, 0, "within the retention of the last lead");
        clock.advance(40_000);
        assertEquals(await store.trim(), { trimmed: 4, unacknowledgedDropped: 3 });
        const errors = lines.filter(([level]) => level === "error").map(([, m]) => m);
        assertEquals(errors.length, 1);
        assert(errors[0].includes("no replica delivering webhooks"), errors[0]);
        assertEquals(store.unacknowledgedDropped, 3);
        await store.announce(announceInput(5));
        clock.advance(70_000);
        assertEquals(await store.trim(), { trimmed: 1, unacknowledgedDropped: 1 }, "counted once");
      },
    );
  },
});
