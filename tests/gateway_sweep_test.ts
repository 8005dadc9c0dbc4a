/**
 * The gateway's sweep loop, on injected timers: it wakes at the next lease
 * deadline (at least once a second), reclaims what expired, and ends with
 * `stop()`.
 *
 * @module
 */
import { type ChangeEvent, MemoryStore } from "../gateway/mod.ts";
import { makeWorld, startHarness } from "./_gateway.ts";
import { ManualTimers, runSchedules } from "./_timers.ts";
import { assert, assertEquals } from "./assert.ts";

const TTL_MS = 2_500;

/**
 * A started gateway whose store, sweep loop and clock all run on `timers`.
 * The store keeps no snapshot, so the sweep loop is the one timer pending.
 */
async function sweepingGateway(timers: ManualTimers) {
  const store = await MemoryStore.open({ clock: timers.clock, timers, ttlMs: TTL_MS });
  const h = await startHarness({
    store,
    clock: timers.clock,
    timers,
    port: 0,
    hostname: "127.0.0.1",
  });
  await h.gateway.start();
  return h;
}

Deno.test("the sweep loop records world.expired once, a moment after the lease's deadline, with the deadline as its time", async () => {
  const timers = new ManualTimers(Date.now());
  const h = await sweepingGateway(timers);
  try {
    const expired: { event: ChangeEvent; seenAt: number }[] = [];
    h.gateway.store.feed.subscribe((event) => {
      if (event.type === "world.expired") expired.push({ event, seenAt: timers.now });
    });
    const w = await makeWorld("sweeping");
    assertEquals((await h.post("/peer/announce", await w.announce(timers.now))).status, 200);
    const deadline = timers.now + TTL_MS;

    // Every sweep up to the deadline, inclusive: the lease is live until then.
    await runSchedules(timers, TTL_MS, 1);
    assertEquals(expired, []);
    assertEquals((await h.request("/world/sweeping")).status, 200);

    await runSchedules(timers, 1_000, 1);
    assertEquals(expired.length, 1);
    const [{ event, seenAt }] = expired;
    assertEquals([event.agentId, event.worldId, event.reason], [
      w.identity.agentId,
      "sweeping",
      "ttl",
    ]);
    assertEquals(event.at, deadline, "the lease ended at its deadline, whenever the sweep ran");
    // The loop woke for this deadline, not at its next whole-second round.
    assert(seenAt > deadline && seenAt <= deadline + 10, `swept ${seenAt - deadline} ms after`);

    await runSchedules(timers, 10_000, 1);
    assertEquals(expired.length, 1, "reclaimed once");
    assertEquals((await h.request("/world/sweeping")).status, 404);
  } finally {
    await h.close();
  }
});

Deno.test("with no lease due the sweep loop sleeps a second at most", async () => {
  const timers = new ManualTimers(Date.now());
  const h = await sweepingGateway(timers);
  try {
    await runSchedules(timers, 0, 1); // the first sweep, at start
    assertEquals(timers.nextAt, timers.now + 1_000);
  } finally {
    await h.close();
  }
});

Deno.test("stop() ends the sweep loop: no timer is left", async () => {
  const timers = new ManualTimers(Date.now());
  const h = await sweepingGateway(timers);
  await runSchedules(timers, 3_000, 1);
  await h.close();
  assertEquals(timers.pending, 0);
});
