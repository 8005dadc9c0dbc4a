import {
  type ChangeEvent,
  loadSnapshot,
  MemoryStore,
  Registry,
  type SnapshotContents,
  writeSnapshot,
} from "../gateway/mod.ts";
import { json, makeWorld, memoryStore, startHarness } from "./_gateway.ts";
import { announceInput } from "./_store_contract.ts";
import { ManualTimers } from "./_timers.ts";
import { until } from "./_ws.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";

async function tempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function filledRegistry(count: number, now: number): Registry {
  const registry = new Registry();
  for (let i = 0; i < count; i++) {
    registry.announce({
      agentId: `aw:sha256:${i}`,
      publicKey: "A".repeat(43) + "=",
      alias: `w${i} ✓`,
      version: "1",
      protocolVersion: i % 2 ? "1.6" : "1.2",
      endpoints: [{ address: "10.0.0.1", port: 8000 + i }],
      capabilities: [`world:w${i}`],
      worldId: `w${i}`,
      timestamp: now,
      address: `198.51.100.${i % 250}`,
    }, now - i);
  }
  return registry;
}

function contents(registry: Registry, savedAt: number): SnapshotContents {
  return {
    savedAt,
    records: registry.records(),
    tombstones: registry.tombstones(),
    owners: registry.owners(),
    log: { generation: "g1", seq: 0, events: [], pending: [] },
  };
}

function byId(a: { agentId: string }, b: { agentId: string }) {
  return a.agentId.localeCompare(b.agentId);
}

const quiet = () => {};

Deno.test("a snapshot round-trips every record, floor and owner, and leaves no temp file", async () => {
  await tempDir(async (dir) => {
    const now = 1_000_000;
    const source = filledRegistry(4500, now); // more than one write chunk
    source.renew("aw:sha256:7", now + 5, now);
    source.setReachable("aw:sha256:8", false, now);
    source.revoke("aw:sha256:9", "deregistered", now);
    await writeSnapshot(`${dir}/directory.ndjson`, contents(source, now));
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["directory.ndjson"]);
    const loaded = await loadSnapshot(dir, quiet);
    assertEquals([loaded.source, loaded.skipped, loaded.movedAside], ["current", 0, []]);
    assertEquals(loaded.contents.records.sort(byId), source.records().sort(byId));
    assertEquals(loaded.contents.tombstones, source.tombstones());
    assertEquals(loaded.contents.owners.length, 4500);
    assertEquals(loaded.contents.savedAt, now);
  });
});

Deno.test("each write keeps the file it replaces as the generation back", async () => {
  await tempDir(async (dir) => {
    await writeSnapshot(`${dir}/directory.ndjson`, contents(filledRegistry(1, 1_000), 1_000));
    await writeSnapshot(`${dir}/directory.ndjson`, contents(filledRegistry(2, 2_000), 2_000));
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "directory.ndjson",
      "directory.ndjson.prev",
    ]);
    assertMatch(await Deno.readTextFile(`${dir}/directory.ndjson.prev`), /"savedAt":1000/);
  });
});

Deno.test("a truncated newest snapshot is moved aside and the previous one loaded, loudly", async () => {
  await tempDir(async (dir) => {
    const path = `${dir}/directory.ndjson`;
    await writeSnapshot(path, contents(filledRegistry(3, 1_000), 1_000));
    await writeSnapshot(path, contents(filledRegistry(5, 2_000), 2_000));
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, text.slice(0, text.length - 30)); // the trailer is gone
    const warnings: string[] = [];
    const loaded = await loadSnapshot(dir, (m) => warnings.push(m));
    assertEquals(loaded.source, "previous");
    assertEquals(loaded.contents.records.length, 3);
    assertEquals(loaded.movedAside.length, 1);
    assertMatch(warnings.join("\n"), /truncated/);
    assertMatch(warnings.join("\n"), /generation kept back/);
  });
});

Deno.test("when no snapshot is readable the directory starts empty and says so", async () => {
  await tempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/directory.ndjson`, '{"hello":"world"}\n');
    await Deno.writeTextFile(`${dir}/directory.ndjson.prev`, "\u0000\u0001binary");
    const warnings: string[] = [];
    const loaded = await loadSnapshot(dir, (m) => warnings.push(m));
    assertEquals(loaded.source, "none");
    assertEquals(loaded.movedAside.length, 2);
    for (const aside of loaded.movedAside) {
      assert(Deno.statSync(aside).isFile, "kept for inspection");
    }
    assertMatch(warnings.join("\n"), /STARTS EMPTY/);
  });
});

Deno.test("malformed lines are skipped and the rest loaded", async () => {
  await tempDir(async (dir) => {
    const path = `${dir}/directory.ndjson`;
    await writeSnapshot(path, contents(filledRegistry(2, 5_000), 5_000));
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
    const broken = [
      lines[0],
      lines[1],
      '{"lease":{"agentId":7}}',
      "not json",
      '{"floor":"junk"}',
      '{"unknown":{}}',
      lines[2],
      ...lines.slice(3, -1),
    ];
    broken.push(JSON.stringify({ end: { lines: broken.length + 1 } }));
    await Deno.writeTextFile(path, broken.join("\n") + "\n");
    const warnings: string[] = [];
    const loaded = await loadSnapshot(dir, (m) => warnings.push(m));
    assertEquals([loaded.source, loaded.contents.records.length, loaded.skipped], [
      "current",
      2,
      4,
    ]);
    assertMatch(warnings.join("\n"), /skipped 4 malformed lines/);
  });
});

Deno.test("a line longer than any record could be is refused, not buffered", async () => {
  await tempDir(async (dir) => {
    const header = JSON.stringify({
      format: "agentworlds-directory",
      version: 2,
      savedAt: 1,
      generation: "g",
      seq: 0,
    });
    await Deno.writeTextFile(`${dir}/directory.ndjson`, header + "\n" + "x".repeat(3 << 20));
    const warnings: string[] = [];
    const loaded = await loadSnapshot(dir, (m) => warnings.push(m));
    assertEquals(loaded.source, "none");
    assertMatch(warnings.join("\n"), /longer than/);
  });
});

Deno.test("the first version's registry.json is loaded when no newer snapshot exists", async () => {
  await tempDir(async (dir) => {
    const good = {
      agentId: "aw:sha256:1",
      publicKey: "A".repeat(43) + "=",
      alias: "old",
      endpoints: [{ address: "10.0.0.1", port: 1 }],
      capabilities: ["world:old"],
      worldId: "old",
      grantedAt: 10,
      lastSeen: 20,
      lastAnnounceTs: 5,
      lastHeartbeatTs: 6,
    };
    await Deno.writeTextFile(
      `${dir}/registry.json`,
      JSON.stringify({
        format: "agentworlds-registry",
        version: 1,
        savedAt: 30,
        records: [good, { agentId: 7 }],
        tombstones: [{ agentId: "gone", lastAnnounceTs: 4, lastHeartbeatTs: 0 }],
      }),
    );
    const loaded = await loadSnapshot(dir, quiet);
    assertEquals([loaded.source, loaded.skipped], ["legacy", 1]);
    assertEquals(loaded.contents.records[0].protocolVersion, "1.2");
    assertEquals(loaded.contents.tombstones.map((t) => t.agentId), ["gone"]);
  });
});

Deno.test("a restart keeps leases, owners, replay floors, the change log and undelivered webhooks", async () => {
  await tempDir(async (dir) => {
    let now = 1_700_000_000_000;
    const clock = () => now;
    const first = await MemoryStore.open({ dataDir: dir, clock, outbox: true, warn: quiet });
    const input = {
      agentId: "aw:sha256:1",
      publicKey: "A".repeat(43) + "=",
      alias: "kept",
      protocolVersion: "1.2",
      endpoints: [],
      capabilities: ["world:kept"],
      worldId: "kept",
      timestamp: now,
    };
    await first.announce(input);
    const revision = await first.feed.revision();
    await first.close();
    now += 10 * 60_000; // down for ten minutes: longer than the TTL
    const second = await MemoryStore.open({ dataDir: dir, clock, outbox: true, warn: quiet });
    assertEquals(second.loaded?.source, "current");
    assert(await second.getWorld("kept"), "held for one TTL after recovery");
    assertEquals((await second.announce(input)).ok, false, "the replay floor survived");
    assertEquals((await second.owner("kept"))?.owner, "aw:sha256:1");
    assertEquals(await second.feed.revision(), revision, "the change log resumes where it was");
    assertEquals((await second.outbox.backlog()).pending, 1, "the undelivered announce is kept");
    assert(second.status().graceUntil === now + 90_000);
    await second.close();
  });
});

Deno.test("an announce is on disk snapshotDelayMs (250 ms) after, without waiting for the interval", async () => {
  const timers = new ManualTimers(Date.now());
  const h = await startHarness({ snapshotIntervalMs: 3_600_000, timers, clock: timers.clock });
  try {
    const store = memoryStore(h.gateway);
    const written = store.writes;
    const w = await makeWorld("debounced");
    await h.post("/peer/announce", await w.announce(timers.now));
    assertEquals(timers.nextAt, timers.now + 250, "the write is planned 250 ms ahead");
    await timers.advance(249);
    assertEquals(store.writes, written);
    await timers.advance(1);
    await until(() => store.writes === written + 1, "the debounced write");
    const text = await Deno.readTextFile(`${h.dataDir}/directory.ndjson`);
    assert(text.includes('"debounced"'), "directory.ndjson holds the world");
  } finally {
    await h.close();
  }
});

Deno.test("the snapshot interval writes heartbeats' lastSeen and skips unchanged directories", async () => {
  const timers = new ManualTimers(Date.now());
  const h = await startHarness({ snapshotIntervalMs: 30_000, timers, clock: timers.clock });
  try {
    const store = memoryStore(h.gateway);
    const w = await makeWorld("interval");
    await h.post("/peer/announce", await w.announce(timers.now));
    await store.save();
    const written = store.writes;
    await timers.advance(10_000);
    assertEquals((await h.post("/peer/heartbeat", await w.heartbeat(timers.now))).status, 200);
    const heartbeatAt = timers.now;
    // A heartbeat changes no live set: it waits for the interval, 30 s after the store opened.
    await timers.advance(19_999);
    assertEquals(store.writes, written);
    await timers.advance(1);
    await until(() => store.writes === written + 1, "the interval's write");
    const lease = (await Deno.readTextFile(`${h.dataDir}/directory.ndjson`)).split("\n")
      .map((line) => line && JSON.parse(line)).find((line) => line?.lease)?.lease;
    assertEquals(lease.lastSeen, heartbeatAt);
    assertEquals(store.dirty, false);
    await timers.advance(3 * 30_000);
    assertEquals(timers.pending, 1, "the next interval, and no write planned");
    await store.close(); // waits for a write in flight, if the intervals had begun one
    assertEquals(store.writes, written + 1, "nothing changed, nothing written");
  } finally {
    await h.close();
  }
});

Deno.test("a gateway restarted on the same data keeps replay floors", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const first = await startHarness({ dataDir });
    const w = await makeWorld("floors");
    const captured = await w.announce(first.clock.now);
    await first.post("/peer/announce", captured);
    await first.close();
    const second = await startHarness({ dataDir });
    assertEquals((await second.post("/peer/announce", captured)).status, 409);
    assertEquals((await json(await second.request("/world/floors"))).worldId, "floors");
    await second.close();
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a world id stays owned across a restart: a stranger's announce is refused, live or not", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const first = await startHarness({ dataDir });
    const owner = await makeWorld("claimed");
    assertEquals(
      (await first.post("/peer/announce", await owner.announce(first.clock.now))).status,
      200,
    );
    await first.close();
    const second = await startHarness({ dataDir });
    const stranger = await makeWorld("claimed");
    const held = await second.post("/peer/announce", await stranger.announce(second.clock.now));
    assertEquals(held.status, 409, "while the restored lease is held");
    assertMatch(String((await json(held)).error), /owned by another key/);
    // Past the restored lease's grace, and reclaimed: the id is still the owner's.
    second.clock.advance(2 * 90_000 + 1);
    await second.gateway.sweep();
    assertEquals((await second.request("/world/claimed")).status, 404);
    const later = await second.post("/peer/announce", await stranger.announce(second.clock.now));
    assertEquals(later.status, 409);
    assertMatch(String((await json(later)).error), /owned by another key/);
    const back = await second.post("/peer/announce", await owner.announce(second.clock.now));
    assertEquals(back.status, 200, "its owner comes back");
    await second.close();
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
Deno.test("after a crash that lost the last snapshot writes, no change-log id names two events", async () => {
  await tempDir(async (dir) => {
    // One instant for every start: the ids must not rely on the clock moving.
    const timers = new ManualTimers();
    const open = () => MemoryStore.open({ dataDir: dir, clock: timers.clock, timers, warn: quiet });
    const announce = (store: MemoryStore, n: number) =>
      store.announce(announceInput(n, { timestamp: timers.now }));
    const first = await open();
    await announce(first, 1);
    await first.save();
    const saved = await first.feed.revision();
    await announce(first, 2);
    await announce(first, 3);
    const seenBeforeCrash = await first.feed.revision();
    // first crashes: no final write; its timers die with it.

    const second = await open();
    assertEquals(await second.feed.revision(), saved, "the snapshot's log is back");
    await announce(second, 4);
    await announce(second, 5);
    const fromSecond = (await second.feed.read(saved, 10)).events.map((e) => e.id);
    assertEquals(fromSecond.length, 2);
    assert(!fromSecond.includes(seenBeforeCrash), "a lost id is never given again");
    const lost = await second.feed.read(seenBeforeCrash, 10);
    assertEquals([lost.reset, lost.events], [true, []], "a reader of lost events lists again");
    // second crashes too, before any snapshot write.

    const third = await open();
    await announce(third, 6);
    await announce(third, 7);
    const resumed = await third.feed.read(saved, 10);
    assertEquals(resumed.reset, false, "the snapshot's revision still resumes");
    assertEquals(resumed.events.map((e) => e.worldId), ["w6", "w7"]);
    const fromThird = resumed.events.map((e) => e.id);
    assertEquals(new Set([seenBeforeCrash, ...fromSecond, ...fromThird]).size, 5);
    for (const id of [seenBeforeCrash, ...fromSecond]) {
      assertEquals((await third.feed.read(id, 10)).reset, true, `${id} is not third's`);
    }
    assert(third.feed.compare(saved, fromThird[0]) < 0, "ids stay ordered across starts");
    await third.close();
  });
});

Deno.test("a change log from the first snapshot format is restored with its ids reset", async () => {
  await tempDir(async (dir) => {
    const timers = new ManualTimers();
    const event: ChangeEvent = {
      id: "k3j9x2-4",
      type: "world.expired",
      at: 1,
      agentId: "a",
      worldId: "w",
    };
    await writeSnapshot(`${dir}/directory.ndjson`, {
      savedAt: timers.now,
      records: [],
      tombstones: [],
      owners: [],
      log: { generation: "k3j9x2", seq: 4, events: [event], pending: [event] },
    });
    const store = await MemoryStore.open({
      dataDir: dir,
      clock: timers.clock,
      timers,
      outbox: true,
      warn: quiet,
    });
    assertEquals((await store.feed.read("k3j9x2-3", 10)).reset, true);
    const revision = await store.feed.revision();
    assertMatch(revision, /^\d+-4$/, "a quiet log names the restored state anew");
    assertEquals(await store.outbox.take("c", 10), [event], "undelivered events are kept");
    await store.announce(announceInput(1, { timestamp: timers.now }));
    const after = await store.feed.read(revision, 10);
    assertEquals(after.events.map((e) => e.worldId), ["w1"]);
    await store.close();
  });
});
