/**
 * The `/watch` hub against an in-memory change feed: ordering, resuming,
 * resets, filters, keep-alives on injected timers, slow clients and caps.
 */
import { WatchHub, type WatchHubOptions } from "../gateway/watch.ts";
import type { ChangeEvent, ChangeRead, LeaseRecord } from "../gateway/store.ts";
import { worldView } from "../gateway/_views.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { FakeTimers, MemoryFeed, SseReader } from "./_sse.ts";

function setup(options: Partial<WatchHubOptions> = {}) {
  const feed = (options.feed as MemoryFeed | undefined) ?? new MemoryFeed();
  const timers = new FakeTimers();
  const hub = new WatchHub({ feed, timers, ...options });
  const open = (query = "", headers: Record<string, string> = {}, address = "127.0.0.1") => {
    const response = hub.handle(
      new Request(`http://gateway.test/watch${query}`, { headers }),
      address,
    );
    let sse: SseReader | undefined;
    return {
      response,
      /** The body as SSE blocks (locks the body; read on demand). */
      get sse() {
        return sse ??= new SseReader(response.body!);
      },
    };
  };
  return { feed, timers, hub, open };
}

/** A world's lease record whose view the stream sends. */
function leaseRecord(alias: string): LeaseRecord {
  return {
    agentId: "aw:sha256:ab",
    publicKey: "A".repeat(43) + "=",
    alias,
    protocolVersion: "1.2",
    endpoints: [{ address: "203.0.113.7", port: 8099 }],
    capabilities: ["world:pixel-city"],
    worldId: "pixel-city",
    grantedAt: 1000,
    lastSeen: 1000,
    lastAnnounceTs: 1,
    lastHeartbeatTs: 0,
  };
}

Deno.test("a stream opens with retry, then hello with the current revision", async () => {
  const { feed, open, hub } = setup();
  feed.append("world.announced");
  feed.append("world.announced");
  const { response, sse } = open();
  assertEquals(response.status, 200);
  assertEquals(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
  assertEquals((await sse.next()).retry, "2000");
  assertEquals(await sse.nextEvent(), { id: "m2", event: "hello", data: { revision: "m2" } });
  assert(await sse.quiet(), "nothing older than the revision is sent");
  await sse.cancel();
  hub.close();
});

Deno.test("events after hello arrive in order with their id, type and JSON data", async () => {
  const { feed, open, hub } = setup();
  const { sse } = open();
  await sse.nextEvent();
  const record = leaseRecord("Pixel City");
  const item = worldView(record);
  feed.append("world.announced", { worldId: "pixel-city", record });
  feed.append("world.expired", { worldId: "pixel-city", agentId: "aw:sha256:ab", reason: "ttl" });
  assertEquals(await sse.nextEvent(), { id: "m1", event: "world.announced", data: item });
  assertEquals(await sse.nextEvent(), {
    id: "m2",
    event: "world.expired",
    data: { worldId: "pixel-city", agentId: "aw:sha256:ab", reason: "ttl", at: 1002 },
  });
  await sse.cancel();
  hub.close();
});

Deno.test("Last-Event-ID resumes with exactly the missed events, then live ones", async () => {
  const { feed, open, hub } = setup();
  for (let i = 0; i < 5; i++) feed.append("world.announced");
  const { sse } = open("", { "last-event-id": "m2" });
  assertEquals((await sse.next()).retry, "2000");
  for (const id of ["m3", "m4", "m5"]) assertEquals((await sse.nextEvent()).id, id);
  feed.append("world.updated");
  assertEquals((await sse.nextEvent()).id, "m6");
  assert(await sse.quiet());
  await sse.cancel();
  hub.close();
});

Deno.test("?since= resumes like Last-Event-ID, and the header wins over it", async () => {
  const { feed, open, hub } = setup();
  for (let i = 0; i < 4; i++) feed.append("world.announced");
  const bySince = open("?since=m3").sse;
  assertEquals((await bySince.nextEvent()).id, "m4");
  const byHeader = open("?since=m1", { "last-event-id": "m3" }).sse;
  assertEquals((await byHeader.nextEvent()).id, "m4");
  await bySince.cancel();
  await byHeader.cancel();
  hub.close();
});

Deno.test("events appended while a client catches up are sent once, in order", async () => {
  // The read answers only after more events arrived: one of them is in its
  // answer and also came through the subscription, the next came only there.
  const reading = Promise.withResolvers<void>();
  class SlowFeed extends MemoryFeed {
    override async read(after: string | undefined, limit: number): Promise<ChangeRead> {
      this.append("world.updated"); // m6: seen by the subscription and the read
      const answer = await super.read(after, limit);
      await reading.promise;
      return answer;
    }
  }
  const feed = new SlowFeed();
  for (let i = 0; i < 5; i++) feed.append("world.announced");
  const { open, hub } = setup({ feed });
  const { sse } = open("?since=m2");
  feed.append("world.updated"); // m7: only through the subscription
  reading.resolve();
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await sse.nextEvent()).id);
  assertEquals(ids, ["m3", "m4", "m5", "m6", "m7"]);
  assert(await sse.quiet(), "no duplicate follows");
  await sse.cancel();
  hub.close();
});

Deno.test("a resume id older than the feed holds gets reset, then live events", async () => {
  const { feed, open, hub } = setup({ feed: new MemoryFeed({ retention: 3 }) });
  for (let i = 0; i < 6; i++) feed.append("world.announced");
  const { sse } = open("?since=m1");
  assertEquals(await sse.nextEvent(), { id: "m6", event: "reset", data: { revision: "m6" } });
  feed.append("world.expired");
  assertEquals((await sse.nextEvent()).id, "m7");
  await sse.cancel();
  hub.close();
});

Deno.test("a resume id of another directory gets reset", async () => {
  const { feed, open, hub } = setup();
  feed.append("world.announced");
  const { sse } = open("", { "last-event-id": "other-9" });
  assertEquals((await sse.nextEvent()).event, "reset");
  await sse.cancel();
  hub.close();
});

Deno.test("agent events are streamed only with ?agents=1", async () => {
  const { feed, open, hub } = setup();
  const worldsOnly = open().sse;
  const withAgents = open("?agents=1").sse;
  await worldsOnly.nextEvent();
  await withAgents.nextEvent();
  feed.append("agent.announced");
  feed.append("world.announced");
  assertEquals((await worldsOnly.nextEvent()).event, "world.announced");
  assertEquals((await withAgents.nextEvent()).event, "agent.announced");
  assertEquals((await withAgents.nextEvent()).event, "world.announced");
  await worldsOnly.cancel();
  await withAgents.cancel();
  hub.close();
});

Deno.test("?world= streams only that world's events", async () => {
  const { feed, open, hub } = setup();
  const { sse } = open("?world=pixel-city");
  await sse.nextEvent();
  feed.append("world.announced", { worldId: "elsewhere" });
  feed.append("world.announced", { worldId: "pixel-city" });
  const got = await sse.nextEvent();
  assertEquals([got.id, got.event], ["m2", "world.announced"]);
  await sse.cancel();
  hub.close();
});

Deno.test("a keep-alive comment goes out each interval, moving a filtered client's id", async () => {
  const { feed, open, hub, timers } = setup();
  const { sse } = open("?world=pixel-city");
  await sse.nextEvent();
  feed.append("world.announced", { worldId: "elsewhere" });
  timers.fire();
  const block = await sse.next();
  assertEquals(block.comments, ["keep-alive"]);
  assertEquals(block.id, "m1", "a reconnect resumes after the event it did not need");
  assertEquals(block.event, undefined);
  timers.fire();
  assertEquals((await sse.next()).id, undefined, "the id is told once");
  await sse.cancel();
  hub.close();
});

Deno.test("the keep-alive timer runs only while clients are connected", async () => {
  const { open, hub, timers } = setup();
  assertEquals(timers.intervals.size, 0);
  const { sse } = open();
  await sse.nextEvent();
  assertEquals(timers.intervals.size, 1);
  await sse.cancel();
  assertEquals(timers.intervals.size, 0);
  hub.close();
});

Deno.test("a client that does not read is dropped once its queue passes the limit", async () => {
  const { feed, open, hub } = setup({ maxQueuedBytes: 2048 });
  const { response } = open(); // never read
  const reader = response.body!.getReader();
  for (let i = 0; i < 40; i++) {
    feed.append("world.announced", { record: leaseRecord("x".repeat(100)) });
  }
  assertEquals(hub.stats(), { clients: 0, dropped: 1, rejected: 0 });
  assertEquals(feed.subscribers, 0, "its subscription is gone");
  const error = await (async () => {
    try {
      for (;;) if ((await reader.read()).done) return undefined;
    } catch (error) {
      return error as Error;
    }
  })();
  assertMatch(String(error?.message), /did not read/);
  hub.close();
});

Deno.test("a long backlog is sent as the client reads it, without dropping it", async () => {
  const { feed, open, hub } = setup({ maxQueuedBytes: 4096, readBatch: 10 });
  for (let i = 0; i < 300; i++) {
    feed.append("world.announced", { record: leaseRecord("x".repeat(80)) });
  }
  const { sse } = open("?since=m0");
  for (let i = 1; i <= 300; i++) assertEquals((await sse.nextEvent()).id, `m${i}`);
  assertEquals(hub.stats().dropped, 0);
  await sse.cancel();
  hub.close();
});

Deno.test("past the global cap a client gets 429 with Retry-After", async () => {
  const { open, hub } = setup({ maxClients: 2 });
  const a = open("", {}, "10.0.0.1").sse;
  const b = open("", {}, "10.0.0.2").sse;
  const refused = open("", {}, "10.0.0.3").response;
  assertEquals(refused.status, 429);
  assertEquals(refused.headers.get("retry-after"), "5");
  assertMatch((await refused.json()).error, /too many/);
  assertEquals(hub.stats().rejected, 1);
  await a.cancel();
  assertEquals(open("", {}, "10.0.0.3").response.status, 200, "a freed slot is reused");
  await b.cancel();
  hub.close();
});

Deno.test("past the per-address cap a client gets 429 while other addresses connect", async () => {
  const { open, hub } = setup({ maxClientsPerAddress: 1 });
  const first = open("", {}, "10.0.0.1").sse;
  const again = open("", {}, "10.0.0.1").response;
  assertEquals(again.status, 429);
  assertMatch((await again.json()).error, /this address/);
  const other = open("", {}, "10.0.0.2");
  assertEquals(other.response.status, 200);
  await first.cancel();
  await other.sse.cancel();
  hub.close();
});

Deno.test("a malformed world, agents or since is a 400 naming it", async () => {
  const { open, hub } = setup();
  for (
    const [query, headers, pattern] of [
      ["?world=-bad", {}, /^world/],
      ["?agents=yes", {}, /^agents/],
      ["?since=has%20space", {}, /^since/],
      ["", { "last-event-id": "x".repeat(300) }, /^Last-Event-ID/],
    ] as const
  ) {
    const { response } = open(query, headers);
    assertEquals(response.status, 400, query);
    assertMatch((await response.json()).error, pattern);
  }
  assertEquals(hub.stats().clients, 0);
  hub.close();
});

Deno.test("closing the hub ends every stream and unsubscribes from the feed", async () => {
  const { feed, open, hub } = setup();
  const { sse } = open();
  await sse.nextEvent();
  hub.close();
  let ended = false;
  try {
    await sse.next(1000);
  } catch (error) {
    ended = (error as Error).message === "the stream ended";
  }
  assert(ended, "the stream ended");
  assertEquals(feed.subscribers, 0);
  assertEquals(hub.stats().clients, 0);
});

Deno.test("owner changes carry the previous and new owner and the cause, as the webhook does", async () => {
  const { feed, open, hub } = setup();
  const { sse } = open();
  await sse.nextEvent();
  const event: Partial<ChangeEvent> = {
    worldId: "w",
    previousOwner: "aw:a",
    owner: null,
    cause: "admin_release",
  };
  feed.append("world.owner_changed", event);
  assertEquals((await sse.nextEvent()).data, {
    worldId: "w",
    previousOwner: "aw:a",
    owner: null,
    cause: "admin_release",
    at: 1001,
  });
  await sse.cancel();
  hub.close();
});
