import {
  createAnnounce,
  createHeartbeat,
  generateIdentity,
  type Identity,
} from "../protocol/mod.ts";
import { runTask, spawnTask } from "./_process.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";

async function announce(url: string, identity: Identity, worldId: string): Promise<number> {
  const body = await createAnnounce(identity, {
    alias: worldId,
    endpoints: [{ address: "127.0.0.1", port: 9 }],
    capabilities: [`world:${worldId}`],
  });
  const response = await fetch(`${url}/peer/announce`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  await response.body?.cancel();
  return response.status;
}

async function worldIds(url: string): Promise<string[]> {
  const body = await (await fetch(`${url}/worlds`)).json();
  return body.worlds.map((w: { worldId: string }) => w.worldId);
}

function env(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { HTTP_PORT: "0", LISTEN_ADDR: "127.0.0.1", DATA_DIR: dataDir, ...extra };
}

Deno.test("a gateway killed with SIGKILL a second after an announce keeps the world on restart", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const first = await spawnTask("gateway", env(dataDir));
    const world = await generateIdentity();
    assertEquals(await announce(first.url, world, "survivor"), 200);
    await new Promise((r) => setTimeout(r, 1000));
    const status = await first.kill("SIGKILL");
    assertEquals(status.signal, "SIGKILL");
    const second = await spawnTask("gateway", env(dataDir));
    try {
      assertEquals(await worldIds(second.url), ["survivor"]);
      // The restored lease still takes heartbeats, and keeps its replay floor.
      const heartbeat = await createHeartbeat(world, Date.now());
      const response = await fetch(`${second.url}/peer/heartbeat`, {
        method: "POST",
        body: JSON.stringify(heartbeat),
      });
      assertEquals(response.status, 200);
      await response.body?.cancel();
    } finally {
      await second.kill("SIGTERM");
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("SIGTERM writes the registry, heartbeats included, before the gateway exits", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    // A long interval and no debounce window to rely on: only the shutdown flush writes lastSeen.
    const gateway = await spawnTask("gateway", env(dataDir, { SNAPSHOT_INTERVAL_MS: "3600000" }));
    const world = await generateIdentity();
    assertEquals(await announce(gateway.url, world, "flushed"), 200);
    await new Promise((r) => setTimeout(r, 600));
    const ts = Date.now();
    const response = await fetch(`${gateway.url}/peer/heartbeat`, {
      method: "POST",
      body: JSON.stringify(await createHeartbeat(world, ts)),
    });
    assertEquals(response.status, 200);
    await response.body?.cancel();
    const status = await gateway.kill("SIGTERM");
    assertEquals(status.code, 0);
    const leases = (await Deno.readTextFile(`${dataDir}/directory.ndjson`)).trimEnd().split("\n")
      .map((line) => JSON.parse(line)).filter((line) => line.lease).map((line) => line.lease);
    assertEquals(leases.length, 1);
    assertEquals(leases[0].worldId, "flushed");
    assertEquals(leases[0].lastHeartbeatTs, ts);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a truncated snapshot is moved aside and the generation kept back is loaded", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    let gateway = await spawnTask("gateway", env(dataDir));
    const world = await generateIdentity();
    assertEquals(await announce(gateway.url, world, "kept-back"), 200);
    await new Promise((r) => setTimeout(r, 600)); // the announce's snapshot
    const heartbeat = await fetch(`${gateway.url}/peer/heartbeat`, {
      method: "POST",
      body: JSON.stringify(await createHeartbeat(world, Date.now())),
    });
    assertEquals(heartbeat.status, 200);
    await heartbeat.body?.cancel();
    assertEquals((await gateway.kill("SIGTERM")).code, 0); // the shutdown's: one generation back
    const path = `${dataDir}/directory.ndjson`;
    const text = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, text.slice(0, text.length / 2)); // torn: no trailer
    gateway = await spawnTask("gateway", env(dataDir));
    try {
      assertEquals(await worldIds(gateway.url), ["kept-back"]);
      const names = [...Deno.readDirSync(dataDir)].map((e) => e.name);
      assert(names.some((n) => n.startsWith("directory.ndjson.corrupt-")), `moved aside: ${names}`);
      assertMatch(gateway.output(), /is unreadable \(the file is truncated/);
      assertMatch(gateway.output(), /the generation kept back/);
    } finally {
      await gateway.kill("SIGTERM");
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("with no readable snapshot the gateway starts empty and says so loudly", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dataDir}/directory.ndjson`,
      '{"format":"agentworlds-directory","rec',
    );
    const gateway = await spawnTask("gateway", env(dataDir));
    try {
      assertEquals(await worldIds(gateway.url), []);
      const names = [...Deno.readDirSync(dataDir)].map((e) => e.name);
      assert(names.some((n) => n.startsWith("directory.ndjson.corrupt-")), `moved aside: ${names}`);
      assertMatch(gateway.output(), /STARTS EMPTY/);
    } finally {
      await gateway.kill("SIGTERM");
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a malformed environment variable stops startup with a message naming it", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    for (
      const [name, value] of [
        ["STALE_TTL_MS", "abc"],
        ["HTTP_PORT", "99999"],
        ["MAX_AGENTS", "-5"],
        ["WEBHOOK_URL", "not a url"],
        ["SNAPSHOT_INTERVAL_MS", "1.5"],
      ]
    ) {
      const { code, output } = await runTask("gateway", env(dataDir, { [name]: value }));
      assertEquals(code, 2, output);
      assertMatch(output, new RegExp(`gateway: ${name} must`));
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("the gateway's identity persists in DATA_DIR across restarts", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const gateway = await spawnTask("gateway", env(dataDir));
      ids.push((await (await fetch(`${gateway.url}/health`)).json()).agentId);
      await gateway.kill("SIGTERM");
    }
    assertMatch(ids[0], /^aw:sha256:[0-9a-f]{64}$/);
    assertEquals(ids[0], ids[1]);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("with a short TTL a silent world vanishes and a webhook receiver hears it expire", async () => {
  const dataDir = await Deno.makeTempDir();
  const events: { event: string; worldId: string }[] = [];
  const receiver = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      events.push(await request.json());
      return new Response(null, { status: 204 });
    },
  );
  try {
    const gateway = await spawnTask(
      "gateway",
      env(dataDir, {
        STALE_TTL_MS: "2000",
        WEBHOOK_URL: `http://127.0.0.1:${receiver.addr.port}/hook`,
      }),
    );
    try {
      assertEquals(await announce(gateway.url, await generateIdentity(), "brief"), 200);
      assertEquals(await worldIds(gateway.url), ["brief"]);
      const deadline = Date.now() + 2000;
      await new Promise((r) => setTimeout(r, deadline - Date.now() + 50));
      assertEquals(await worldIds(gateway.url), [], "gone right after the TTL");
      for (let i = 0; i < 40 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      assertEquals(events.map((e) => `${e.event}:${e.worldId}`), [
        "world.announced:brief",
        "world.expired:brief",
      ]);
    } finally {
      await gateway.kill("SIGTERM");
    }
  } finally {
    await receiver.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
});
