import {
  createAnnounce,
  createHeartbeat,
  generateIdentity,
  type Identity,
} from "../protocol/mod.ts";
import { type HangingWorld, startHangingWorld } from "./_sdk_fakes.ts";
import { freePort, runTask, spawnTask } from "./_process.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { Client, until, wsUrl } from "./_ws.ts";

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
        ["PUBLIC_URL", "https://gateway.example/directory"],
        ["WEBHOOK_URL", "https://user:secret@hooks.example/in"],
      ]
    ) {
      const { code, output } = await runTask("gateway", env(dataDir, { [name]: value }));
      assertEquals(code, 2, output);
      assertEquals(failureLine(output), failureLine(output).split("\n")[0]);
      assertMatch(failureLine(output), new RegExp(`^gateway: ${name} must`));
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

/** The output's `gateway:` line, after asserting it is the only one and no stack trace came with it. */
function failureLine(output: string): string {
  const lines = output.trimEnd().split("\n");
  const failures = lines.filter((line) => line.startsWith("gateway: "));
  assertEquals(failures.length, 1, output);
  assert(!/^\s+at /m.test(output), `a stack trace:\n${output}`);
  assertEquals(lines[lines.length - 1], failures[0], "the failure is the last line");
  return failures[0];
}

Deno.test("deno task gateway --help (or -h) lists every variable and starts nothing", async () => {
  const { GATEWAY_ENV_VARS } = await import("../gateway/config.ts");
  const dataDir = `${await Deno.makeTempDir()}/never-created`;
  try {
    for (const flag of ["--help", "-h"]) {
      const { code, output } = await runTask("gateway", env(dataDir), { args: [flag] });
      assertEquals(code, 0, output);
      assertMatch(output, /^Usage: deno task gateway \[--help\]/);
      for (const { name } of GATEWAY_ENV_VARS) assertMatch(output, new RegExp(`\\n  ${name} `));
      assert(!output.includes("listening on"), output);
    }
    assertEquals(await Deno.stat(dataDir).catch(() => undefined), undefined, "DATA_DIR untouched");
  } finally {
    await Deno.remove(dataDir.replace(/\/never-created$/, ""), { recursive: true });
  }
});

Deno.test("any other argument stops the gateway with one line and a hint", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const { code, output } = await runTask("gateway", env(dataDir), { args: ["--port=9000"] });
    assertEquals(code, 2, output);
    assertEquals(
      failureLine(output),
      'gateway: unknown argument "--port=9000": the gateway takes no arguments, only environment variables (deno task gateway --help lists them)',
    );
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a port in use stops startup with one line naming HTTP_PORT", async () => {
  const dataDir = await Deno.makeTempDir();
  const occupant = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(),
  );
  try {
    const port = String(occupant.addr.port);
    const { code, output } = await runTask("gateway", env(dataDir, { HTTP_PORT: port }));
    assertEquals(code, 2, output);
    assertEquals(
      failureLine(output),
      `gateway: HTTP_PORT ${port} is already in use on 127.0.0.1 (another process listens on 127.0.0.1:${port}); stop it or choose another HTTP_PORT`,
    );
  } finally {
    await occupant.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a file in DATA_DIR's place stops startup with one line naming DATA_DIR", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/data`;
    await Deno.writeTextFile(file, "not a directory");
    for (const dataDir of [file, `${file}/nested`]) {
      const { code, output } = await runTask("gateway", env(dataDir));
      assertEquals(code, 2, output);
      assertEquals(
        failureLine(output),
        `gateway: DATA_DIR ${dataDir} is not a directory (a file is in its place, or in its path); point DATA_DIR at a directory`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a DATA_DIR the gateway may not write or read stops startup with one line naming it", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    // Deno's own permissions deny it even to root (as the image's --allow-write=/data would).
    for (const flag of [`--deny-write=${dataDir}`, `--deny-read=${dataDir}`]) {
      const { code, output } = await runTask("gateway", env(dataDir), { flags: [flag] });
      assertEquals(code, 2, output);
      assertMatch(
        failureLine(output),
        new RegExp(
          `^gateway: DATA_DIR ${dataDir} is outside what this process may read and write \\(Deno's --allow-read/--allow-write; in the Docker image, keep it under /data\\): `,
        ),
      );
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a look-alike variable and a short TTL are logged as warnings, and the gateway starts", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const gateway = await spawnTask(
      "gateway",
      env(dataDir, { HTTP_PROT: "8200", STALE_TTL_MS: "2000" }),
    );
    try {
      const warnings = gateway.output().split("\n").filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line)).filter((line) => line.level === "warn");
      assertEquals(warnings.map((w) => [w.variable, w.meant]), [
        ["HTTP_PROT", "HTTP_PORT"],
        ["STALE_TTL_MS", undefined],
      ]);
      assertEquals(
        warnings[0].msg,
        "HTTP_PROT is not a gateway variable and is ignored; did you mean HTTP_PORT?",
      );
      assertMatch(warnings[1].msg, /^STALE_TTL_MS=2000 is less than two heartbeat intervals/);
    } finally {
      await gateway.kill("SIGTERM");
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("LOG_LEVEL=warn writes warnings and no info line; METRICS=off serves no /metrics", async () => {
  const dataDir = await Deno.makeTempDir();
  const identity = await generateIdentity();
  try {
    // At warn the gateway prints no "listening on" line: it is told its port.
    const port = freePort();
    const gateway = await spawnTask(
      "gateway",
      env(dataDir, { HTTP_PORT: String(port), LOG_LEVEL: "warn", METRICS: "off", METRIX: "1" }),
      { port },
    );
    let output: string;
    try {
      assertEquals(await announce(gateway.url, identity, "quiet-world"), 200);
      const metrics = await fetch(`${gateway.url}/metrics`);
      assertEquals(metrics.status, 404);
      await metrics.body?.cancel();
    } finally {
      await gateway.kill("SIGTERM");
      output = gateway.output();
    }
    const lines = output.split("\n").filter((line) => line.trim() !== "").map((line) =>
      JSON.parse(line)
    );
    assertEquals(lines.map((line) => [line.level, line.variable, line.meant]), [
      ["warn", "METRIX", "METRICS"],
    ], "the warning only: no listening, grant or stop line at info");
    for (const line of lines) {
      assertMatch(line.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assertEquals(typeof line.msg, "string");
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("at the default LOG_LEVEL every line is one JSON object, a grant among them", async () => {
  const dataDir = await Deno.makeTempDir();
  const identity = await generateIdentity();
  try {
    const gateway = await spawnTask("gateway", env(dataDir));
    let output: string;
    try {
      assertEquals(await announce(gateway.url, identity, "loud-world"), 200);
      const metrics = await fetch(`${gateway.url}/metrics`);
      assertEquals(metrics.status, 200, "METRICS is on by default");
      await metrics.body?.cancel();
    } finally {
      await gateway.kill("SIGTERM");
      output = gateway.output();
    }
    const lines = output.split("\n").filter((line) => line.trim() !== "").map((line) =>
      JSON.parse(line)
    );
    for (const line of lines) {
      assertEquals(typeof line.time, "string");
      assertEquals(typeof line.level, "string");
      assertEquals(typeof line.msg, "string");
    }
    const msgs = lines.map((line) => line.msg);
    assert(msgs.some((msg) => msg.startsWith("gateway listening on ")), msgs.join(" | "));
    const granted = lines.find((line) => line.msg === "lease granted");
    assertEquals([granted?.level, granted?.agentId, granted?.worldId], [
      "info",
      identity.agentId,
      "loud-world",
    ]);
    assert(msgs.includes("stopped"), msgs.join(" | "));
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

/** Polls `url` until it answers `status`; bounded. */
async function untilStatus(url: string, status: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const response = await fetch(url);
    await response.body?.cancel();
    if (response.status === status) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url} never answered ${status}`);
}

Deno.test("on SIGTERM /ready turns 503 while the gateway keeps serving, then it stops", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const gateway = await spawnTask("gateway", env(dataDir, { SHUTDOWN_DRAIN_MS: "1500" }));
    assertEquals((await fetch(`${gateway.url}/ready`)).status, 200);
    gateway.process.kill("SIGTERM");
    await untilStatus(`${gateway.url}/ready`, 503);
    const health = await fetch(`${gateway.url}/health`);
    assertEquals(health.status, 200, "alive while it drains");
    await health.body?.cancel();
    assertEquals(await worldIds(gateway.url), [], "reads are served while it drains");
    assertEquals((await gateway.status).code, 0);
    assertMatch(gateway.output(), /"msg":"stopping","signal":"SIGTERM","drainMs":1500/);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a second signal during the drain stops the gateway at once", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const gateway = await spawnTask("gateway", env(dataDir, { SHUTDOWN_DRAIN_MS: "4000" }));
    gateway.process.kill("SIGTERM");
    await untilStatus(`${gateway.url}/ready`, 503);
    assertEquals((await gateway.kill("SIGINT")).code, 0);
    assertMatch(gateway.output(), /"msg":"drain cut short","signal":"SIGINT"/);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("SIGTERM ends with code 0 and the final snapshot while a world hangs on leave and the webhook receiver never answers", async () => {
  const dataDir = await Deno.makeTempDir();
  // A webhook receiver that takes every connection and never answers.
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of silent) held.push(conn);
  })().catch(() => {});
  const identity = await generateIdentity();
  let hanging: HangingWorld | undefined;
  let client: Client | undefined;
  try {
    const gateway = await spawnTask(
      "gateway",
      env(dataDir, {
        SHUTDOWN_DRAIN_MS: "2000",
        SNAPSHOT_INTERVAL_MS: "3600000",
        WEBHOOK_URL: `http://127.0.0.1:${(silent.addr as Deno.NetAddr).port}/hook`,
      }),
    );
    try {
      // A world that answers world.join, and never world.leave.
      hanging = await startHangingWorld("hangs-on-leave", gateway.url, identity);
      const world = hanging.world;
      await until(async () => (await worldIds(gateway.url)).includes("hangs-on-leave"), "announce");
      const gatewayId = (await (await fetch(`${gateway.url}/health`)).json()).agentId;
      client = new Client(wsUrl(gateway.url, "?world=hangs-on-leave"));
      await client.next("subscribed");
      await until(() => world.members().some((m) => m.agentId === gatewayId), "gateway join");
      // Only the shutdown's snapshot can hold this heartbeat (the interval is an hour).
      await new Promise((r) => setTimeout(r, 600));
      const ts = Date.now();
      const heartbeat = await fetch(`${gateway.url}/peer/heartbeat`, {
        method: "POST",
        body: JSON.stringify(await createHeartbeat(identity, ts)),
      });
      assertEquals(heartbeat.status, 200);
      await heartbeat.body?.cancel();
      assert(held.length > 0, "the world.announced delivery is in flight");

      gateway.process.kill("SIGTERM");
      let outer: ReturnType<typeof setTimeout> | undefined;
      const status = await Promise.race([
        gateway.status,
        new Promise<undefined>((resolve) => outer = setTimeout(() => resolve(undefined), 30_000)),
      ]);
      clearTimeout(outer);
      if (status === undefined) await gateway.kill("SIGKILL");
      assertEquals(status?.code, 0, gateway.output());
      assert(hanging.leaving.includes(gatewayId), "the gateway's world.leave reached the world");
      const leases = (await Deno.readTextFile(`${dataDir}/directory.ndjson`)).trimEnd()
        .split("\n").map((line) => JSON.parse(line)).filter((line) => line.lease)
        .map((line) => line.lease);
      assertEquals(leases.map((l) => [l.worldId, l.lastHeartbeatTs]), [["hangs-on-leave", ts]]);
      assertMatch(
        gateway.output(),
        /"msg":"webhook delivery stopped with events undelivered; they stay in the outbox","undelivered":[1-9]/,
      );
    } finally {
      await gateway.kill("SIGKILL");
    }
  } finally {
    hanging?.release();
    await client?.close();
    await hanging?.world.stop();
    for (const conn of held) conn.close();
    silent.close();
    await accepting;
    await Deno.remove(dataDir, { recursive: true });
  }
});
