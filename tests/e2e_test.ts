/**
 * End to end, with real processes and sockets: `deno task gateway` and
 * `deno task world` (the grid example), a browser-like WebSocket client on
 * `/ws`, a webhook receiver, and a world killed with SIGKILL.
 */
import { spawnTask } from "./_process.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { Client, until, wsUrl } from "./_ws.ts";

const TTL_MS = 2000;

Deno.test("a world registers, is played through /ws, and vanishes after SIGKILL with webhooks for both edges", async () => {
  const dataDir = await Deno.makeTempDir();
  const hooks: { event: string; worldId: string; agentId: string; ts: number }[] = [];
  const receiver = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      hooks.push(await request.json());
      return new Response(null, { status: 204 });
    },
  );
  const gateway = await spawnTask("gateway", {
    HTTP_PORT: "0",
    LISTEN_ADDR: "127.0.0.1",
    DATA_DIR: `${dataDir}/gateway`,
    STALE_TTL_MS: String(TTL_MS),
    WEBHOOK_URL: `http://127.0.0.1:${receiver.addr.port}/hooks`,
  });
  const world = await spawnTask("world", {
    WORLD_ID: "e2e-grid",
    WORLD_NAME: "End to End",
    GATEWAY_URL: gateway.url,
    PORT: "0",
    LISTEN_ADDR: "127.0.0.1",
    DATA_DIR: `${dataDir}/world`,
    HEARTBEAT_INTERVAL_MS: "400",
    BROADCAST_INTERVAL_MS: "100",
  });
  let client: Client | undefined;
  try {
    // Listed by the directory.
    await until(async () => {
      const { worlds } = await (await fetch(`${gateway.url}/worlds`)).json();
      return worlds.some((w: { worldId: string }) => w.worldId === "e2e-grid");
    }, "the world in /worlds");
    const detail = await (await fetch(`${gateway.url}/world/e2e-grid`)).json();
    assertEquals(detail.name, "End to End");

    // Played through the bridge.
    client = new Client(wsUrl(gateway.url, "?world=e2e-grid"));
    assertEquals((await client.next("subscribed")).worldId, "e2e-grid");
    client.send({ type: "join", alias: "Ada" });
    const joined = await client.next("join_result");
    assert(joined.ok, JSON.stringify(joined));
    client.send({ type: "action", data: { direction: "right" } });
    const acted = await client.next("action_result");
    assert(acted.ok, JSON.stringify(acted));
    const state = await client.next("world.state");
    assertEquals(state.worldId, "e2e-grid");
    const agents = (state.state as { agents: unknown[] }).agents;
    assert(Array.isArray(agents) && agents.length >= 1, `state: ${JSON.stringify(state)}`);

    // Heartbeats keep it listed well past the TTL.
    await new Promise((r) => setTimeout(r, TTL_MS + 500));
    assertEquals(
      await fetch(`${gateway.url}/world/e2e-grid`).then((r) => (r.body?.cancel(), r.status)),
      200,
    );

    // Killed without a goodbye: gone after the TTL, and the socket is told.
    const killedAt = Date.now();
    await world.kill("SIGKILL");
    await until(
      async () =>
        (await fetch(`${gateway.url}/world/e2e-grid`).then((r) => (r.body?.cancel(), r.status))) ===
          404,
      "the world to vanish",
      TTL_MS + 3000,
    );
    const vanishedAfter = Date.now() - killedAt;
    assert(vanishedAfter <= TTL_MS + 1500, `vanished ${vanishedAfter} ms after the kill`);
    assertEquals((await client.next("error")).message, "world went offline");
    await until(() => hooks.some((h) => h.event === "world.expired"), "world.expired", 3000);
    assertEquals(hooks.map((h) => `${h.event}:${h.worldId}`), [
      "world.announced:e2e-grid",
      "world.expired:e2e-grid",
    ]);
    assertEquals(hooks[0].agentId, detail.agentId);
  } finally {
    await client?.close();
    await world.kill("SIGKILL");
    await gateway.kill("SIGTERM");
    await receiver.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
});

/** Heartbeat interval of the per-version worlds, ms. */
const HEARTBEAT_MS = 300;
/** Versions whose worlds heartbeat on `POST /worlds/{aw id}/heartbeat`. */
const RESOURCE_ROUTES = new Set(["1.4", "1.5", "1.6"]);

/** Heartbeat answers the gateway counted, as `"<route template> <status>"` → count, from `/metrics`. */
async function heartbeatsByRoute(gatewayUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  const counts = new Map<string, number>();
  const line = /^agentworlds_gateway_http_request_duration_seconds_count\{(.*)\} (\d+)$/gm;
  for (const [, labels, count] of text.matchAll(line)) {
    const label = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(labels)?.[1];
    const route = label("route") ?? "";
    if (label("method") !== "POST" || !route.endsWith("heartbeat")) continue;
    counts.set(`${route} ${label("status")}`, Number(count));
  }
  return counts;
}

for (const version of ["1.2", "1.3", "1.4", "1.5", "1.6"]) {
  Deno.test(`a grid world set to protocol ${version} registers, heartbeats on its route, is found by key id and slug, is played through /ws, and leaves at once on SIGTERM`, async () => {
    const dataDir = await Deno.makeTempDir();
    const hooks: { event: string; worldId: string; reason?: string }[] = [];
    const receiver = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      async (request) => {
        hooks.push(await request.json());
        return new Response(null, { status: 204 });
      },
    );
    const gateway = await spawnTask("gateway", {
      HTTP_PORT: "0",
      LISTEN_ADDR: "127.0.0.1",
      DATA_DIR: `${dataDir}/gateway`,
      WEBHOOK_URL: `http://127.0.0.1:${receiver.addr.port}/hooks`,
    });
    const worldId = `grid-${version.replace(".", "-")}`;
    const world = await spawnTask("world", {
      WORLD_ID: worldId,
      WORLD_NAME: `Grid ${version}`,
      GATEWAY_URL: gateway.url,
      PORT: "0",
      LISTEN_ADDR: "127.0.0.1",
      DATA_DIR: `${dataDir}/world`,
      PROTOCOL_VERSION: version,
      BROADCAST_INTERVAL_MS: "100",
      HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_MS),
    });
    let client: Client | undefined;
    try {
      await until(async () => {
        const { worlds } = await (await fetch(`${gateway.url}/worlds`)).json();
        return worlds.some((w: { worldId: string }) => w.worldId === worldId);
      }, "the world in /worlds");
      const detail = await (await fetch(`${gateway.url}/world/${worldId}`)).json();
      assertEquals(detail.protocolVersion, version);

      // Heartbeats arrive on this version's route, accepted, and move lastSeen; the world is
      // found by its key id and by its slug.
      const keyPath = `/worlds/${encodeURIComponent(detail.agentId)}`;
      const route = RESOURCE_ROUTES.has(version) ? "/worlds/:id/heartbeat" : "/peer/heartbeat";
      await until(
        async () => ((await heartbeatsByRoute(gateway.url)).get(`${route} 200`) ?? 0) >= 2,
        `two heartbeats on ${route}`,
        HEARTBEAT_MS * 10,
      );
      const beats = await heartbeatsByRoute(gateway.url);
      assertEquals(
        [...beats.keys()].filter((key) => key !== `${route} 200`),
        [],
        `every heartbeat on ${route} and accepted: ${JSON.stringify([...beats])}`,
      );
      const byKey = await (await fetch(`${gateway.url}${keyPath}`)).json();
      assert(byKey.lastSeen > detail.lastSeen, "lastSeen moved with the heartbeats");
      assertEquals([byKey.worldId, byKey.agentId], [worldId, detail.agentId]);
      assertEquals(
        (await (await fetch(`${gateway.url}/worlds/${worldId}`)).json()).agentId,
        detail.agentId,
      );

      client = new Client(wsUrl(gateway.url, `?world=${worldId}`));
      await client.next("subscribed");
      client.send({ type: "join", alias: "Ada" });
      const joined = await client.next("join_result");
      assert(joined.ok, `join in ${version}: ${JSON.stringify(joined)}`);
      client.send({ type: "action", data: { direction: "down" } });
      assert((await client.next("action_result")).ok);
      const state = await client.next("world.state");
      assertEquals(state.worldId, worldId);

      // A clean stop deregisters: gone at once, not a TTL later.
      const stoppedAt = Date.now();
      assertEquals((await world.kill("SIGTERM")).code, 0);
      const status = await fetch(`${gateway.url}/world/${worldId}`).then((r) => (
        r.body?.cancel(), r.status
      ));
      assertEquals(status, 404, "listed no more the moment the world has stopped");
      assertMatch(String((await client.next("error")).message), /world went offline/);
      await until(() => hooks.some((h) => h.event === "world.expired"), "world.expired", 3000);
      assertEquals(hooks.map((h) => [h.event, h.reason]), [
        ["world.announced", undefined],
        ["world.expired", "deregistered"],
      ]);
      assert(Date.now() - stoppedAt < 5000);
    } finally {
      await client?.close();
      await world.kill("SIGKILL");
      await gateway.kill("SIGTERM");
      await receiver.shutdown();
      await Deno.remove(dataDir, { recursive: true });
    }
  });
}
