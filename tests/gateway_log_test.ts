/**
 * Structured logs: one JSON object per line with `time`, `level`, `msg` and
 * fields; `LOG_LEVEL` filters; grants, expiries, deregistrations and admin
 * actions are logged at info with the fields gateway/log.ts lists; lines a
 * failing receiver or a hostile client can cause are rate-limited per kind.
 */
import { createGateway, createLogger, type GatewayOptions, type LogLevel } from "../gateway/mod.ts";
import { RateLimitedLog } from "../gateway/_rate_limited_log.ts";
import { createDeregistration, generateIdentity, PROTOCOL_VERSION } from "../protocol/mod.ts";
import { type Harness, makeWorld, withHarness } from "./_gateway.ts";
import { ManualTimers } from "./_timers.ts";
import { Client, until, wsUrl } from "./_ws.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";

interface Line {
  time: string;
  level: LogLevel;
  msg: string;
  [field: string]: unknown;
}

/** A gateway whose log lines are kept, parsed (each must be one JSON object). */
async function withLoggedHarness(
  fn: (h: Harness, lines: Line[]) => Promise<void>,
  options: GatewayOptions & { level?: LogLevel } = {},
): Promise<void> {
  const lines: Line[] = [];
  const { level, ...rest } = options;
  const logger = createLogger({
    level: level ?? "info",
    write: (line) => {
      assert(!line.includes("\n"), `one line: ${line}`);
      lines.push(JSON.parse(line));
    },
  });
  await withHarness((h) => fn(h, lines), { ...rest, logger });
}

function find(lines: Line[], msg: string): Line[] {
  return lines.filter((line) => line.msg === msg);
}

const TOKEN = "admin-token-0123456789";

function admin(h: Harness, method: string, path: string, body?: unknown, token = TOKEN) {
  return h.request(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

Deno.test("each line is one JSON object with time, level, msg and the event's fields", () => {
  const lines: string[] = [];
  const log = createLogger({
    write: (line) => lines.push(line),
    clock: () => Date.UTC(2026, 0, 2, 3, 4, 5, 6),
    fields: { replica: "r1" },
  });
  log.info("lease granted", { agentId: "aw:sha256:ab", worldId: "pixel-city" });
  log.error("failed", { error: new Error("boom"), big: 10n, nested: { a: 1 } });
  assertEquals(lines.length, 2);
  assertEquals(JSON.parse(lines[0]), {
    time: "2026-01-02T03:04:05.006Z",
    level: "info",
    msg: "lease granted",
    replica: "r1",
    agentId: "aw:sha256:ab",
    worldId: "pixel-city",
  });
  assertEquals(JSON.parse(lines[1]), {
    time: "2026-01-02T03:04:05.006Z",
    level: "error",
    msg: "failed",
    replica: "r1",
    error: "boom",
    big: "10",
    nested: { a: 1 },
  });
  for (const line of lines) assert(!line.includes("\n"));
});

Deno.test("a line whose fields cannot be written is still one line with time, level and msg", () => {
  const lines: string[] = [];
  const log = createLogger({ write: (line) => lines.push(line), clock: () => 0 });
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  log.warn("odd fields", { loop });
  assertEquals(JSON.parse(lines[0]), {
    time: "1970-01-01T00:00:00.000Z",
    level: "warn",
    msg: "odd fields",
  });
});

Deno.test("the level filters: warn hides debug and info, keeps warn and error", () => {
  const seen: [string, LogLevel][] = [];
  const log = createLogger({ level: "warn", write: (line, level) => seen.push([line, level]) });
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  assertEquals(seen.map(([line]) => JSON.parse(line).msg), ["w", "e"]);
  assertEquals(seen.map(([, level]) => level), ["warn", "error"]);
});

Deno.test("grants, TTL expiries and deregistrations are logged at info with their fields", () =>
  withLoggedHarness(async (h, lines) => {
    const w = await makeWorld("logged-world");
    assertEquals((await h.post("/peer/announce", await w.announce(h.clock.now))).status, 200);
    const [granted] = find(lines, "lease granted");
    assertEquals(granted.level, "info");
    assertEquals(granted.agentId, w.identity.agentId);
    assertEquals(granted.worldId, "logged-world");
    assertEquals(granted.protocolVersion, PROTOCOL_VERSION);
    assertMatch(granted.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // A renewal is not a grant.
    await h.post("/peer/announce", await w.announce(h.clock.now + 1));
    assertEquals(find(lines, "lease granted").length, 1);

    // Silent past its TTL: the sweep ends it, reason ttl.
    h.clock.advance(h.gateway.store.ttlMs + 1);
    await h.gateway.sweep();
    const [expired] = find(lines, "world went offline");
    assertEquals(
      { level: expired.level, agentId: expired.agentId, worldId: expired.worldId },
      { level: "info", agentId: w.identity.agentId, worldId: "logged-world" },
    );
    assertEquals(expired.reason, "ttl");

    // Back, then a signed goodbye.
    const again = await makeWorld("leaving-world");
    await h.post("/peer/announce", await again.announce(h.clock.now));
    const goodbye = await createDeregistration(again.identity, h.clock.now + 1);
    assertEquals((await h.post("/peer/deregister", goodbye)).status, 200);
    const [deregistered] = find(lines, "deregistered");
    assertEquals(deregistered.level, "info");
    assertEquals(deregistered.agentId, again.identity.agentId);
    assertEquals(deregistered.worldId, "leaving-world");
    const ended = find(lines, "world went offline").find((line) =>
      line.worldId === "leaving-world"
    );
    assertEquals(ended?.reason, "deregistered");
  }));

Deno.test("admin revokes, releases and transfers are logged at info with their fields", () =>
  withLoggedHarness(async (h, lines) => {
    const w = await makeWorld("ruled");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    assertEquals((await admin(h, "DELETE", "/worlds/ruled")).status, 200);
    const [revoked] = find(lines, "admin revoked a world's lease");
    assertEquals(
      { level: revoked.level, worldId: revoked.worldId, agentId: revoked.agentId },
      { level: "info", worldId: "ruled", agentId: w.identity.agentId },
    );
    assertEquals(find(lines, "world went offline")[0].reason, "admin");

    const agent = await makeWorld("held");
    await h.post("/peer/announce", await agent.announce(h.clock.now + 1));
    assertEquals((await admin(h, "DELETE", `/agents/${agent.identity.agentId}`)).status, 200);
    const [revokedAgent] = find(lines, "admin revoked a lease");
    assertEquals(revokedAgent.agentId, agent.identity.agentId);
    assertEquals(revokedAgent.worldId, "held");

    assertEquals((await admin(h, "POST", "/admin/worlds/ruled/release")).status, 200);
    const [released] = find(lines, "admin released a world id");
    assertEquals(released.level, "info");
    assertEquals(released.worldId, "ruled");
    assertEquals(released.previous, w.identity.agentId);

    const heir = await generateIdentity();
    const transfer = await admin(h, "POST", "/admin/worlds/held/transfer", {
      publicKey: heir.publicKeyB64,
    });
    assertEquals(transfer.status, 200);
    const [transferred] = find(lines, "admin transferred a world id");
    assertEquals(transferred.level, "info");
    assertEquals(transferred.worldId, "held");
    assertEquals(transferred.previous, agent.identity.agentId);
    assertEquals(transferred.owner, heir.agentId);
  }, { adminToken: TOKEN }));

Deno.test("at warn, grants and expiries are not logged", () =>
  withLoggedHarness(async (h, lines) => {
    const w = await makeWorld("quiet");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    h.clock.advance(h.gateway.store.ttlMs + 1);
    await h.gateway.sweep();
    assertEquals(lines, []);
  }, { level: "warn" }));

Deno.test("a token-guessing client gets one refusal line a second, with a count of the rest", () =>
  withLoggedHarness(async (h, lines) => {
    for (let i = 0; i < 50; i++) {
      assertEquals((await admin(h, "GET", "/admin/worlds", undefined, `guess-${i}`)).status, 403);
    }
    const refused = find(lines, "admin request refused");
    assertEquals(refused.length, 1);
    assertEquals(refused[0].level, "warn");
    assertEquals(refused[0].path, "/admin/worlds");
    h.clock.advance(1000);
    await admin(h, "GET", "/admin/worlds", undefined, "one-more");
    const after = find(lines, "admin request refused");
    assertEquals(after.length, 2);
    assertEquals(after[1].suppressed, 49);
  }, { adminToken: TOKEN }));

Deno.test("a failing webhook receiver gets one line per kind a second, and the count when it stops", async () => {
  const timers = new ManualTimers();
  const lines: Line[] = [];
  const logger = createLogger({
    clock: timers.clock,
    write: (line) => lines.push(JSON.parse(line)),
  });
  await withHarness(async (h) => {
    for (let i = 0; i < 30; i++) {
      const w = await makeWorld(`hooked-${i}`);
      await h.post("/peer/announce", await w.announce(timers.now));
    }
    await h.gateway.webhooks!.drain();
    const refused = find(lines, "webhook attempt refused");
    assertEquals(refused.length, 1, "30 failing attempts, one line");
    assertEquals(refused[0].status, 500);
    assertEquals(h.gateway.webhooks!.failures, 30);
    // The held count is written once the second has passed, without another failure.
    await timers.advance(1000);
    const counted = find(lines, "webhook attempt refused");
    assertEquals(counted.length, 2);
    assertEquals(
      counted[1].suppressed,
      28,
      "the last one held, written late, and the 28 before it",
    );
  }, {
    clock: timers.clock,
    timers,
    logger,
    webhookUrl: "http://127.0.0.1:9/hook",
    webhookRetryForMs: 0,
    fetch: (() => Promise.resolve(new Response("no", { status: 500 }))) as typeof fetch,
  });
  const gaveUp = find(lines, "webhook given up on");
  assertEquals(gaveUp[0].level, "error");
  assertEquals(
    gaveUp.reduce((sum, line) => sum + 1 + ((line.suppressed as number | undefined) ?? 0), 0),
    30,
    "every give-up is either a line or counted in one",
  );
  assert(gaveUp.length <= 2, `${gaveUp.length} give-up lines`);
});

Deno.test("the rate limiter: one line per kind per interval; kinds apart; the count rides the next line", () => {
  let now = 0;
  const lines: Line[] = [];
  const log = new RateLimitedLog(
    createLogger({ clock: () => now, write: (line) => lines.push(JSON.parse(line)) }),
    { intervalMs: 1000, clock: () => now },
  );
  for (let i = 0; i < 5; i++) log.warn("a", "kind a", { i });
  log.error("b", "kind b");
  assertEquals(lines.map((l) => [l.msg, l.i]), [["kind a", 0], ["kind b", undefined]]);
  now = 999;
  log.warn("a", "kind a", { i: 5 });
  assertEquals(lines.length, 2);
  now = 1000;
  log.warn("a", "kind a", { i: 6 });
  assertEquals(lines[2], {
    time: "1970-01-01T00:00:01.000Z",
    level: "warn",
    msg: "kind a",
    i: 6,
    suppressed: 5,
  });
  // flush writes a held count once its interval has passed, and only then.
  log.warn("a", "kind a", { i: 7 });
  log.warn("a", "kind a", { i: 8 });
  log.flush();
  assertEquals(lines.length, 3);
  now = 2000;
  log.flush();
  assertEquals(lines[3].i, 8, "the last line held");
  assertEquals(lines[3].suppressed, 1, "and the one before it");
  // A flushed line opens an interval of its own; close writes whatever is held.
  log.warn("a", "kind a", { i: 9 });
  assertEquals(lines.length, 4);
  log.close();
  assertEquals(lines.length, 5);
  assertEquals(lines[4].i, 9);
  assertEquals(lines[4].suppressed, undefined);
});

Deno.test("watching many unreachable worlds logs one join failure a second, the rest counted", async () => {
  const lines: Line[] = [];
  const dataDir = await Deno.makeTempDir();
  const gateway = await createGateway({
    dataDir,
    port: 0,
    hostname: "127.0.0.1",
    logger: createLogger({ write: (line) => lines.push(JSON.parse(line)) }),
  });
  const { url } = await gateway.start();
  const clients: Client[] = [];
  const worldIds = Array.from({ length: 5 }, (_, i) => `dead-end-${i}`);
  try {
    for (const worldId of worldIds) {
      const w = await makeWorld(worldId);
      const body = await w.announce(Date.now(), {});
      const announced = await fetch(`${url}/peer/announce`, {
        method: "POST",
        body: JSON.stringify(body),
      });
      assertEquals(announced.status, 200);
    }
    for (const worldId of worldIds) {
      const client = new Client(wsUrl(url, `?world=${worldId}`));
      await client.next("subscribed");
      clients.push(client);
    }
    // Each world's endpoint refuses: the bridge marks it unreachable once its join failed.
    for (const worldId of worldIds) {
      await until(async () => {
        const detail = await (await fetch(`${url}/world/${worldId}`)).json();
        return detail.reachable === false;
      }, `${worldId} unreachable`);
    }
    assertEquals(find(lines, "joining a watched world failed").length, 1);
  } finally {
    for (const client of clients) await client.close();
    await gateway.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
  const failed = find(lines, "joining a watched world failed");
  assert(failed.length <= 2, `${failed.length} lines`);
  assertEquals(
    failed.reduce((sum, line) => sum + 1 + ((line.suppressed as number | undefined) ?? 0), 0),
    5,
    "every failure a line or counted in one",
  );
});
