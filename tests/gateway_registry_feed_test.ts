/**
 * The temporary change feed over registry events (`gateway/_registry_feed.ts`):
 * which registry events become which changes, ids, retention and resets.
 */
import { RegistryFeed } from "../gateway/_registry_feed.ts";
import { type AnnounceInput, Registry } from "../gateway/registry.ts";
import type { ChangeEvent } from "../gateway/change_feed.ts";
import { assertEquals } from "./assert.ts";

const TTL = 1000;

function input(n: number, overrides: Partial<AnnounceInput> = {}): AnnounceInput {
  const worldId = `w${n}`;
  return {
    agentId: `aw:sha256:${String(n).padStart(64, "0")}`,
    publicKey: "k",
    alias: `World ${n}`,
    endpoints: [{ address: "127.0.0.1", port: 8000 + n, transport: "tcp" }],
    capabilities: [`world:${worldId}`],
    worldId,
    timestamp: 1,
    ...overrides,
  };
}

function setup(retention?: number) {
  const registry = new Registry({ ttlMs: TTL });
  const feed = new RegistryFeed(registry, { retention, boot: "b" });
  const seen: ChangeEvent[] = [];
  feed.subscribe((event) => seen.push(event));
  return { registry, feed, seen };
}

Deno.test("a granted world lease is world.announced carrying its /worlds item", () => {
  const { registry, seen } = setup();
  registry.announce(input(1), 10);
  assertEquals(seen, [{
    id: "b.1",
    type: "world.announced",
    at: 10,
    agentId: input(1).agentId,
    worldId: "w1",
    item: {
      worldId: "w1",
      agentId: input(1).agentId,
      name: "World 1",
      reachable: true,
      lastSeen: 10,
    },
  }]);
});

Deno.test("an agent that hosts no world is agent.announced carrying its /agents item", () => {
  const { registry, seen } = setup();
  registry.announce(input(2, { worldId: undefined, capabilities: [] }), 10);
  assertEquals(seen.map((e) => [e.type, e.worldId, e.item?.alias]), [
    ["agent.announced", undefined, "World 2"],
  ]);
});

Deno.test("a re-announce with the same details is no event; a new name is world.updated", () => {
  const { registry, seen } = setup();
  registry.announce(input(1), 10);
  registry.announce(input(1, { timestamp: 2 }), 20);
  assertEquals(seen.length, 1, "only lastSeen moved: nothing a watcher needs");
  registry.announce(input(1, { timestamp: 3, alias: "Renamed" }), 30);
  assertEquals(seen.map((e) => [e.type, e.item?.name]), [
    ["world.announced", "World 1"],
    ["world.updated", "Renamed"],
  ]);
});

Deno.test("heartbeats are not events", () => {
  const { registry, seen } = setup();
  registry.announce(input(1), 10);
  registry.heartbeat(input(1).agentId, 5, 20);
  assertEquals(seen.length, 1);
});

Deno.test("an expired lease is world.expired with reason ttl, at when it ran out", () => {
  const { registry, seen } = setup();
  registry.announce(input(1), 10);
  registry.sweep(10 + TTL + 1);
  assertEquals(seen[1], {
    id: "b.2",
    type: "world.expired",
    at: 10 + TTL,
    agentId: input(1).agentId,
    worldId: "w1",
    reason: "ttl",
  });
});

Deno.test("an agent that stops hosting its world expires that world and announces itself", () => {
  const { registry, seen } = setup();
  registry.announce(input(1), 10);
  registry.announce(input(1, { timestamp: 2, worldId: undefined, capabilities: [] }), 20);
  assertEquals(seen.map((e) => [e.type, e.worldId ?? null, e.reason ?? null]), [
    ["world.announced", "w1", null],
    ["world.expired", "w1", "deregistered"],
    ["agent.announced", null, null],
  ]);
});

Deno.test("before any event the revision is <boot>.0, and reading after it returns everything", async () => {
  const { registry, feed } = setup();
  assertEquals(await feed.revision(), "b.0");
  registry.announce(input(1), 10);
  registry.announce(input(2), 10);
  const read = await feed.read("b.0", 10);
  assertEquals([read.reset, read.revision, read.events.map((e) => e.id)], [false, "b.2", [
    "b.1",
    "b.2",
  ]]);
});

Deno.test("reads are paged by limit, strictly after the id given", async () => {
  const { registry, feed } = setup();
  for (let n = 1; n <= 5; n++) registry.announce(input(n), 10);
  assertEquals((await feed.read("b.1", 2)).events.map((e) => e.id), ["b.2", "b.3"]);
  assertEquals((await feed.read("b.5", 2)).events, []);
});

Deno.test("an id older than the retention, of another boot, or malformed reads as reset", async () => {
  const { registry, feed } = setup(4);
  for (let n = 1; n <= 10; n++) registry.announce(input(n), 10);
  for (const id of ["b.1", "a.9", "b.x", "nonsense", "b.11"]) {
    const read = await feed.read(id, 10);
    assertEquals([read.reset, read.events.length, read.revision], [true, 0, "b.10"], id);
  }
  const held = await feed.read("b.8", 10);
  assertEquals([held.reset, held.events.map((e) => e.id)], [false, ["b.9", "b.10"]]);
});

Deno.test("ids order by sequence, not as strings", () => {
  const { feed } = setup();
  assertEquals(Math.sign(feed.compare("b.10", "b.9")), 1);
  assertEquals(feed.compare("b.3", "b.3"), 0);
});

Deno.test("a listener that throws does not stop the registry or the other listeners", () => {
  const { registry, feed, seen } = setup();
  feed.subscribe(() => {
    throw new Error("boom");
  });
  registry.announce(input(1), 10);
  assertEquals(seen.length, 1);
});
