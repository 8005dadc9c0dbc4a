/**
 * Webhooks: at least once, in order per world, retried with backoff for a
 * bounded time, signed by the stock package, stable ids, bounded shutdown.
 */
import { Webhook } from "standardwebhooks";
import {
  type ChangeEvent,
  MemoryStore,
  type Outbox,
  WebhookDispatcher,
  type WebhookOptions,
} from "../gateway/mod.ts";
import { announceInput } from "./_store_contract.ts";
import { ManualTimers } from "./_timers.ts";
import { type Harness, makeWorld, withHarness } from "./_gateway.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";

const SECRET = "whsec_" + btoa("0123456789abcdef0123456789abcdef");

interface Delivery {
  body: Record<string, unknown>;
  headers: Headers;
  text: string;
  at: number;
}

/** A receiver whose answer per attempt a test decides. */
function receiver(timers: ManualTimers, answer: (d: Delivery, n: number) => number | "hang") {
  const deliveries: Delivery[] = [];
  const fetch: typeof globalThis.fetch = ((_url: string | URL | Request, init?: RequestInit) => {
    const text = String(init?.body);
    const delivery = {
      body: JSON.parse(text),
      headers: new Headers(init?.headers),
      text,
      at: timers.now,
    };
    deliveries.push(delivery);
    const status = answer(delivery, deliveries.length);
    if (status === "hang") {
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason))
      );
    }
    return Promise.resolve(new Response(null, { status }));
  }) as typeof globalThis.fetch;
  return { deliveries, fetch };
}

async function setup(
  answer: (d: Delivery, n: number) => number | "hang",
  options: Partial<WebhookOptions> = {},
) {
  const timers = new ManualTimers(Date.now());
  const store = await MemoryStore.open({ clock: timers.clock, outbox: true });
  const sink = receiver(timers, answer);
  const dispatcher = new WebhookDispatcher({
    url: "http://127.0.0.1:9/hook",
    secret: SECRET,
    outbox: store.outbox,
    clock: timers.clock,
    timers,
    random: () => 0.999999,
    fetch: sink.fetch,
    ...options,
  });
  store.feed.subscribe(() => dispatcher.poke());
  return { timers, store, sink, dispatcher };
}

Deno.test("a failing world's events wait in order behind it while other worlds are delivered", async () => {
  let w1Attempts = 0;
  const { timers, store, sink, dispatcher } = await setup((d) =>
    d.body.worldId === "w1" && ++w1Attempts <= 2 ? 503 : 204
  );
  dispatcher.start();
  await store.announce(announceInput(1)); // w1 announced
  await store.revoke(announceInput(1).agentId, "deregistered"); // w1 expired
  await store.announce(announceInput(2)); // w2 announced
  await timers.advance(0);
  assertEquals(
    sink.deliveries.map((d) => `${d.body.worldId} ${d.body.event}`),
    ["w1 world.announced", "w2 world.announced"],
    "w1's second event waits; w2 is not held up",
  );
  await timers.advance(10_000);
  const w1 = sink.deliveries.filter((d) => d.body.worldId === "w1");
  assertEquals(w1.map((d) => d.body.event), [
    "world.announced",
    "world.announced",
    "world.announced",
    "world.expired",
  ]);
  assertEquals(w1[3].body.reason, "deregistered");
  assertEquals((await store.outbox.backlog()).pending, 0);
  await dispatcher.stop();
  await store.close();
});

Deno.test("retries back off exponentially with jitter, capped, for a bounded time, then give up", async () => {
  const { timers, store, sink, dispatcher } = await setup(() => 500, {
    initialBackoffMs: 1000,
    maxBackoffMs: 8000,
    retryForMs: 40_000,
  });
  dispatcher.start();
  await store.announce(announceInput(1));
  await timers.advance(60_000);
  const gaps = sink.deliveries.slice(1).map((d, i) => d.at - sink.deliveries[i].at);
  // random ≈ 1 takes the top of each jitter range [exp/2, exp]: 1, 2, 4, 8, 8, 8 … s.
  assertEquals(gaps.slice(0, 6).map((g) => Math.round(g / 1000)), [1, 2, 4, 8, 8, 8]);
  const last = sink.deliveries[sink.deliveries.length - 1].at - sink.deliveries[0].at;
  assert(last >= 40_000 - 8000 && last <= 40_000 + 8000, `attempts stopped near 40 s (${last})`);
  assertEquals(dispatcher.gaveUp, 1);
  assertEquals((await store.outbox.backlog()).pending, 0, "given up on: acknowledged");
  await dispatcher.stop();
  await store.close();
});

Deno.test("the lower half of the jitter range spreads retries: random 0 waits half the backoff", async () => {
  const { timers, store, sink, dispatcher } = await setup((_, n) => n < 3 ? 500 : 204, {
    random: () => 0,
  });
  dispatcher.start();
  await store.announce(announceInput(1));
  await timers.advance(10_000);
  const gaps = sink.deliveries.slice(1).map((d, i) => d.at - sink.deliveries[i].at);
  assertEquals(gaps, [500, 1000]);
  await dispatcher.stop();
  await store.close();
});

Deno.test("every attempt of an event carries the same webhook-id and verifies with the stock package", async () => {
  const { timers, store, sink, dispatcher } = await setup((_, n) => n === 1 ? 502 : 200);
  dispatcher.start();
  await store.announce(announceInput(1));
  await timers.advance(5_000);
  assertEquals(sink.deliveries.length, 2);
  const [first, second] = sink.deliveries;
  assertEquals(first.headers.get("webhook-id"), second.headers.get("webhook-id"));
  const [event] = (await store.feed.read("", 10)).events;
  assertEquals(first.headers.get("webhook-id"), `msg_${event.id}`);
  for (const { text, headers } of sink.deliveries) {
    new Webhook(SECRET).verify(text, Object.fromEntries(headers)); // throws when it does not verify
  }
  await dispatcher.stop();
  await store.close();
});

Deno.test("a redirect is a failed attempt, never followed", async () => {
  let redirect: RequestRedirect | undefined;
  const timers = new ManualTimers(Date.now());
  const store = await MemoryStore.open({ clock: timers.clock, outbox: true });
  const dispatcher = new WebhookDispatcher({
    url: "http://127.0.0.1:9/hook",
    outbox: store.outbox,
    clock: timers.clock,
    timers,
    fetch: ((_: unknown, init?: RequestInit) => {
      redirect = init?.redirect;
      return Promise.resolve(new Response(null, { status: 307, headers: { location: "/x" } }));
    }) as typeof fetch,
  });
  dispatcher.start();
  await store.announce(announceInput(1));
  await timers.advance(0);
  assertEquals(redirect, "manual");
  assertEquals([dispatcher.delivered, dispatcher.failures], [0, 1]);
  await dispatcher.stop();
  await store.close();
});

Deno.test("changes webhooks do not report are acknowledged without a delivery", async () => {
  const { timers, store, sink, dispatcher } = await setup(() => 204);
  dispatcher.start();
  await store.announce(announceInput(1, { worldId: undefined, capabilities: [] })); // an agent
  await store.announce(announceInput(2));
  await store.setReachable(announceInput(2).agentId, false); // world.updated
  await timers.advance(0);
  assertEquals(sink.deliveries.map((d) => d.body.event), ["world.announced"]);
  assertEquals((await store.outbox.backlog()).pending, 0);
  await dispatcher.stop();
  await store.close();
});

Deno.test("an admin's revocation of an agent that hosts no world is an agent.expired webhook; its own departures are not", async () => {
  const { timers, store, sink, dispatcher } = await setup(() => 204);
  dispatcher.start();
  const leaving = announceInput(1, { worldId: undefined, capabilities: [] });
  const removed = announceInput(2, { worldId: undefined, capabilities: [] });
  await store.announce(leaving);
  await store.revoke(leaving.agentId, "deregistered");
  await store.announce(removed);
  await store.revoke(removed.agentId, "admin");
  await timers.advance(0);
  assertEquals(sink.deliveries.map((d) => d.body), [{
    event: "agent.expired",
    agentId: removed.agentId,
    ts: timers.now,
    reason: "admin",
  }]);
  new Webhook(SECRET).verify(
    sink.deliveries[0].text,
    Object.fromEntries(sink.deliveries[0].headers),
  );
  assertEquals((await store.outbox.backlog()).pending, 0, "the rest acknowledged unsent");
  await dispatcher.stop();
  await store.close();
});

Deno.test("stop is bounded whatever the receiver does, and what is undelivered stays in the outbox", async () => {
  const { timers, store, dispatcher } = await setup(() => "hang", { timeoutMs: 60_000 });
  dispatcher.start();
  for (let n = 0; n < 5; n++) await store.announce(announceInput(n));
  await timers.advance(0);
  const started = performance.now();
  const undelivered = await dispatcher.stop(100);
  assert(performance.now() - started < 2_000, "stop returned within its grace");
  assertEquals(undelivered, 5);
  assertEquals((await store.outbox.backlog()).pending, 5, "durable: the next leader delivers them");
  await timers.advance(0);
  assertEquals(
    dispatcher.failures,
    0,
    "attempts the stop cut short are not the receiver's failures",
  );
  await store.close();
});

Deno.test("a dispatcher that dies holding events is taken over by the next one", async () => {
  const { timers, store, sink, dispatcher } = await setup(() => "hang", { timeoutMs: 60_000 });
  dispatcher.start();
  await store.announce(announceInput(1));
  await store.announce(announceInput(2));
  await timers.advance(0);
  await dispatcher.stop(0); // it "dies" with both in hand
  const next = receiver(timers, () => 204);
  const successor = new WebhookDispatcher({
    url: "http://127.0.0.1:9/hook",
    outbox: store.outbox,
    consumer: "successor",
    clock: timers.clock,
    timers,
    fetch: next.fetch,
  });
  successor.start();
  await timers.advance(0);
  assertEquals(next.deliveries.map((d) => d.body.worldId).sort(), ["w1", "w2"]);
  assertEquals(
    next.deliveries.map((d) => d.headers.get("webhook-id")),
    sink.deliveries.map((d) => d.headers.get("webhook-id")),
    "the same ids: a receiver deduplicates the repeats",
  );
  await successor.stop();
  await store.close();
});

Deno.test("only the leader delivers", async () => {
  const events: ChangeEvent[] = [{
    id: "g-1",
    type: "world.announced",
    at: 1,
    agentId: "a",
    worldId: "w",
  }];
  let taken = 0;
  const follower: Outbox = {
    lead: () => Promise.resolve(false),
    take: () => {
      taken++;
      return Promise.resolve(events);
    },
    ack: () => Promise.resolve(),
    backlog: () => Promise.resolve({ pending: 1 }),
  };
  const timers = new ManualTimers(Date.now());
  const sink = receiver(timers, () => 204);
  const dispatcher = new WebhookDispatcher({
    url: "http://127.0.0.1:9/hook",
    outbox: follower,
    clock: timers.clock,
    timers,
    fetch: sink.fetch,
  });
  dispatcher.start();
  await timers.advance(10_000);
  assertEquals([taken, sink.deliveries.length], [0, 0]);
  await dispatcher.stop();
});

Deno.test("a malformed secret is refused: only whsec_ with a real key", () => {
  for (const secret of ["plain", "whsec_***", "whsec_" + btoa("short")]) {
    let error: Error | undefined;
    try {
      new WebhookDispatcher({ url: "http://x", secret, outbox: {} as Outbox });
    } catch (e) {
      error = e as Error;
    }
    assertMatch(error?.message ?? "", /webhook secret/);
  }
});

Deno.test("for one world id, the old holder's expiry is delivered before the new holder's announce", async () => {
  const deliveries: Record<string, unknown>[] = [];
  const fetch: typeof globalThis.fetch = ((_: unknown, init?: RequestInit) => {
    deliveries.push(JSON.parse(String(init?.body)));
    return Promise.resolve(new Response(null, { status: 204 }));
  }) as typeof globalThis.fetch;
  await withHarness(async (h: Harness) => {
    const first = await makeWorld("handed-over");
    const second = await makeWorld("handed-over");
    await h.post("/peer/announce", await first.announce(h.clock.now));
    h.clock.advance(90_001); // the first lease runs out; no sweep has run
    assertEquals((await h.post("/peer/announce", await second.announce(h.clock.now))).status, 200);
    await h.gateway.webhooks!.drain();
    assertEquals(deliveries.map((d) => [d.event, d.agentId]), [
      ["world.announced", first.identity.agentId],
      ["world.expired", first.identity.agentId],
      ["world.announced", second.identity.agentId],
    ]);
  }, { webhookUrl: "http://127.0.0.1:9/hook", fetch, worldIdPolicy: "live-holder" });
});

for (const handover of ["a key rotation", "an admin transfer"] as const) {
  Deno.test(`after ${handover}, the old holder's end is delivered before the new holder's start, even when retried`, async () => {
    let refused = 0;
    const { timers, store, sink, dispatcher } = await setup((d) =>
      d.body.event === "world.expired" && ++refused <= 2 ? 503 : 204
    );
    dispatcher.start();
    const oldKey = announceInput(1, { worldId: "pixel", capabilities: ["world:pixel"] });
    const newKey = announceInput(2, { worldId: "pixel", capabilities: ["world:pixel"] });
    await store.announce(oldKey);
    await timers.advance(0);
    if (handover === "a key rotation") {
      const rotated = await store.rotate({
        oldAgentId: oldKey.agentId,
        newAgentId: newKey.agentId,
        newPublicKey: newKey.publicKey,
        timestamp: oldKey.timestamp + 1,
      });
      assert(rotated.ok);
    } else {
      assert((await store.transferWorld("pixel", newKey)).ok);
    }
    assert((await store.announce(newKey)).ok);
    await timers.advance(0);
    const attempts = () => sink.deliveries.map((d) => [d.body.event, d.body.agentId]);
    assertEquals(attempts(), [
      ["world.announced", oldKey.agentId],
      ["world.expired", oldKey.agentId],
    ], "the end is refused once: everything after it waits");
    await timers.advance(10_000);
    assertEquals(attempts(), [
      ["world.announced", oldKey.agentId],
      ["world.expired", oldKey.agentId],
      ["world.expired", oldKey.agentId],
      ["world.expired", oldKey.agentId],
      ["world.owner_changed", newKey.agentId],
      ["world.announced", newKey.agentId],
    ]);
    assertEquals(
      sink.deliveries[4].body.cause,
      handover === "a key rotation" ? "rotation" : "admin_transfer",
    );
    assertEquals(
      sink.deliveries[1].body.reason,
      handover === "a key rotation" ? "rotated" : "admin",
    );
    assertEquals((await store.outbox.backlog()).pending, 0);
    await dispatcher.stop();
    await store.close();
  });
}

Deno.test("a dispatcher that loses the lead, or cannot renew it, stops delivering at once and resumes when it leads again", async () => {
  const timers = new ManualTimers(Date.now());
  const store = await MemoryStore.open({ clock: timers.clock, outbox: true });
  let lead: "yes" | "no" | "unreachable" = "yes";
  const outbox: Outbox = {
    lead: () =>
      lead === "unreachable"
        ? Promise.reject(new Error("store unreachable"))
        : Promise.resolve(lead === "yes"),
    take: (consumer, limit) => store.outbox.take(consumer, limit),
    ack: (ids) => store.outbox.ack(ids),
    backlog: () => store.outbox.backlog(),
  };
  let hanging = true;
  const sink = receiver(timers, () => hanging ? "hang" : 204);
  const dispatcher = new WebhookDispatcher({
    url: "http://127.0.0.1:9/hook",
    outbox,
    clock: timers.clock,
    timers,
    leaseMs: 6_000,
    timeoutMs: 60_000,
    random: () => 0,
    fetch: sink.fetch,
  });
  store.feed.subscribe(() => dispatcher.poke());
  dispatcher.start();
  await store.announce(announceInput(1));
  await timers.advance(0);
  assertEquals(sink.deliveries.length, 1, "in flight while leading");

  // Another replica wins the lead: the attempt in flight is cut short, and
  // nothing more goes out however long this one waits, retries included.
  lead = "no";
  hanging = false;
  await timers.advance(2_000);
  await timers.advance(60_000);
  assertEquals(sink.deliveries.length, 1);
  assertEquals(dispatcher.failures, 0, "a lost lead is not the receiver's failure");

  // Leading again: the held event is delivered, once more, with the same id.
  lead = "yes";
  await timers.advance(2_000);
  assertEquals(sink.deliveries.length, 2);
  assertEquals(
    sink.deliveries[1].headers.get("webhook-id"),
    sink.deliveries[0].headers.get("webhook-id"),
  );

  // The store stops answering: the lead runs out by this replica's clock (6 s
  // after it was last won); what is in flight then is cut short, and nothing
  // is sent past it.
  await store.announce(announceInput(2));
  lead = "unreachable";
  hanging = true;
  await timers.advance(0);
  assertEquals(sink.deliveries.length, 3, "still within the lease");
  await timers.advance(10_000);
  assertEquals(dispatcher.failures, 0, "cut short at the lease's end, not failed");
  hanging = false;
  await store.announce(announceInput(3));
  await timers.advance(60_000);
  assertEquals(sink.deliveries.length, 3, "no delivery past the lease it could not renew");
  await dispatcher.stop(0);
  await store.close();
});
