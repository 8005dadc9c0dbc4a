import { type LeaseRecord, loadSnapshot, Registry, writeSnapshot } from "../gateway/mod.ts";
import { json, makeWorld, startHarness } from "./_gateway.ts";
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
      alias: `w${i}`,
      version: "1",
      endpoints: [{ address: "10.0.0.1", port: 8000 + i }],
      capabilities: [`world:w${i}`],
      worldId: `w${i}`,
      timestamp: now,
    }, now - i);
  }
  return registry;
}

Deno.test("a snapshot round-trips every record field and leaves no temp file", async () => {
  await tempDir(async (dir) => {
    const now = 1_000_000;
    const source = filledRegistry(4500, now); // more than one write chunk
    source.heartbeat("aw:sha256:7", now + 5, now);
    await writeSnapshot(`${dir}/registry.json`, source, now);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["registry.json"]);
    const target = new Registry();
    const result = await loadSnapshot(`${dir}/registry.json`, target, now);
    assertEquals(result, { restored: 4500, expired: 0, skipped: 0 });
    const strip = (r: LeaseRecord) => ({ ...r, verifyKey: undefined });
    assertEquals(target.records().map(strip).sort(byId), source.records().map(strip).sort(byId));
    assertEquals(target.listWorlds(now, 2).records.map((r) => r.worldId), ["w0", "w1"]);
  });
});

function byId(a: { agentId: string }, b: { agentId: string }) {
  return a.agentId.localeCompare(b.agentId);
}

Deno.test("loading drops records whose lease ran out while the gateway was down", async () => {
  await tempDir(async (dir) => {
    const registry = filledRegistry(3, 1_000_000);
    await writeSnapshot(`${dir}/registry.json`, registry, 1_000_000);
    const target = new Registry();
    // w0 was seen at 1_000_000, w2 at 999_998: at +90_001 only w0 is live.
    const result = await loadSnapshot(`${dir}/registry.json`, target, 1_000_000 + 90_000 - 1 + 1);
    assertEquals([result.restored, result.expired], [1, 2]);
    assertEquals(target.records().map((r) => r.worldId), ["w0"]);
  });
});

Deno.test("malformed records are skipped and the rest restored", async () => {
  await tempDir(async (dir) => {
    const good = filledRegistry(1, 5_000).records()[0];
    const file = {
      format: "agentworlds-registry",
      version: 1,
      savedAt: 5_000,
      records: [
        good,
        { agentId: 7 },
        null,
        { ...good, agentId: "x", worldId: "../bad" },
        { ...good, agentId: "y", worldId: "y", publicKey: "not a key" },
      ],
      tombstones: [{ agentId: "gone", lastAnnounceTs: 4_000, lastHeartbeatTs: 0 }, "junk"],
    };
    await Deno.writeTextFile(`${dir}/registry.json`, JSON.stringify(file));
    const logs: string[] = [];
    const target = new Registry();
    const result = await loadSnapshot(`${dir}/registry.json`, target, 5_000, (m) => logs.push(m));
    assertEquals([result.restored, result.skipped], [1, 4]);
    assertEquals(target.tombstones().map((t) => t.agentId), ["gone"]);
    assertMatch(logs.join("\n"), /skipped 4 malformed records/);
  });
});

Deno.test("a file that is not a snapshot, or cannot be read, is moved aside", async () => {
  await tempDir(async (dir) => {
    for (const content of ['{"hello":"world"}', "[]", "\u0000\u0001binary"]) {
      await Deno.writeTextFile(`${dir}/registry.json`, content);
      const result = await loadSnapshot(`${dir}/registry.json`, new Registry(), 0, () => {});
      assert(result.movedAside, `moved aside for ${JSON.stringify(content)}`);
      assertEquals(await Deno.readTextFile(result.movedAside!), content, "kept for inspection");
      await Deno.remove(result.movedAside!);
    }
    await Deno.mkdir(`${dir}/registry.json`); // unreadable as a file
    const result = await loadSnapshot(`${dir}/registry.json`, new Registry(), 0, () => {});
    assert(result.movedAside);
  });
});

Deno.test("an announce is on disk within a second, without waiting for the interval", async () => {
  const h = await startHarness({ snapshotIntervalMs: 3_600_000 });
  try {
    const w = await makeWorld("debounced");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    let saved = false;
    for (let i = 0; i < 20 && !saved; i++) {
      await new Promise((r) => setTimeout(r, 50));
      saved = await Deno.readTextFile(`${h.dataDir}/registry.json`).then(
        (text) => text.includes('"debounced"'),
        () => false,
      );
    }
    assert(saved, "registry.json holds the world within a second");
  } finally {
    await h.close();
  }
});

Deno.test("the snapshot interval writes heartbeats' lastSeen and skips unchanged registries", async () => {
  const h = await startHarness({ snapshotIntervalMs: 100, port: 0, hostname: "127.0.0.1" });
  try {
    await h.gateway.start();
    const w = await makeWorld("interval");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    await h.gateway.snapshots.flush();
    h.clock.advance(10_000);
    assertEquals((await h.post("/peer/heartbeat", await w.heartbeat(h.clock.now))).status, 200);
    await new Promise((r) => setTimeout(r, 350));
    const snapshot = JSON.parse(await Deno.readTextFile(`${h.dataDir}/registry.json`));
    assertEquals(snapshot.records[0].lastSeen, h.clock.now);
    const writes = h.gateway.snapshots.writes;
    await new Promise((r) => setTimeout(r, 350));
    assertEquals(h.gateway.snapshots.writes, writes, "nothing changed, nothing written");
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
