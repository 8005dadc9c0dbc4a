import { createGateway, type Gateway } from "../gateway/mod.ts";
import { MEMBERSHIP_REFRESH_MS, WORLD_CALL_TIMEOUT_MS } from "../gateway/bridge.ts";
import {
  canonicalize,
  createAnnounce,
  createPeerMessage,
  generateIdentity,
  type Identity,
  type ProtocolVersion,
  signHttpRequest,
  SUPPORTED_PROTOCOL_VERSIONS,
  versionFeatures,
} from "../protocol/mod.ts";
import { createWorldServer, type WorldServer } from "../sdk/mod.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { makeWorld } from "./_gateway.ts";
import { Client, until, wsUrl } from "./_ws.ts";
import { SseReader } from "./_sse.ts";
import { startStrictWorld } from "./_strict_world.ts";
import { startHangingWorld } from "./_sdk_fakes.ts";
import { ManualTimers } from "./_timers.ts";

interface Stack {
  gateway: Gateway;
  url: string;
  world: WorldServer;
  actions: { agentId: string; data: unknown }[];
  left: string[];
  close(): Promise<void>;
}

async function stack(worldId = "bridged"): Promise<Stack> {
  const dataDir = await Deno.makeTempDir();
  const gateway = await createGateway({ dataDir, port: 0, hostname: "127.0.0.1" });
  const { url } = await gateway.start();
  const actions: Stack["actions"] = [];
  const left: string[] = [];
  let counter = 0;
  const world = await createWorldServer({
    worldId,
    worldName: "Bridged",
    port: 0,
    hostname: "127.0.0.1",
    identity: await generateIdentity(),
    gatewayUrls: url,
    isPublic: true,
    broadcastIntervalMs: 50,
    onError: () => {},
  }, {
    onJoin: (_agentId, data) => ({ manifest: { welcome: (data as { alias?: string }).alias } }),
    onAction: (agentId, data) => {
      actions.push({ agentId, data });
      return { ok: true, state: { counter: ++counter } };
    },
    onLeave: (agentId) => void left.push(agentId),
    getState: () => ({ counter }),
  });
  await until(
    async () =>
      (await fetch(`${url}/world/${worldId}`).then((r) =>
        r.body?.cancel().then(() => r.status)
      )) === 200,
    "the world to register",
  );
  return {
    gateway,
    url,
    world,
    actions,
    left,
    async close() {
      await world.stop();
      await gateway.stop();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

Deno.test("a browser joins, acts and watches world.state through /ws", async () => {
  const s = await stack();
  const client = new Client(wsUrl(s.url, "?world=bridged"));
  try {
    assertEquals(await client.next("subscribed"), { type: "subscribed", worldId: "bridged" });
    const detail = await (await fetch(`${s.url}/world/bridged`)).json();
    assertEquals(detail.subscribers, 1);
    // The gateway joined the world with its own endpoint, so broadcasts reach it.
    await until(
      () => s.world.members().some((m) => m.agentId === s.gateway.identity.agentId),
      "gateway join",
    );
    client.send({ type: "join", alias: "Ada" });
    const joined = await client.next("join_result");
    assertEquals([joined.ok, joined.manifest], [true, { welcome: "Ada" }]);
    client.send({ type: "action", data: { move: "up" } });
    const acted = await client.next("action_result");
    assertEquals([acted.ok, acted.state], [true, { counter: 1 }]);
    assertEquals(s.actions[0].data, { move: "up" });
    const guest = s.actions[0].agentId;
    assert(guest !== s.gateway.identity.agentId, "the browser acts as its own guest identity");
    // Broadcasts from before the action may still be queued; the state catches up.
    let state = await client.next("world.state");
    while ((state.state as { counter: number }).counter < 1) {
      state = await client.next("world.state");
    }
    assertEquals(state.worldId, "bridged");
    assertEquals(state.state, { counter: 1 });
    assertEquals(typeof state.ts, "number");
    await client.close();
    // Closing the socket leaves the world as the guest, and the gateway leaves too.
    await until(() => s.left.includes(guest), "guest leave");
    await until(() => s.left.includes(s.gateway.identity.agentId), "gateway leave");
    assertEquals((await (await fetch(`${s.url}/world/bridged`)).json()).subscribers, 0);
  } finally {
    await client.close();
    await s.close();
  }
});

Deno.test("an action before join comes back as a failed action_result", async () => {
  const s = await stack();
  const client = new Client(wsUrl(s.url, "?world=bridged"));
  try {
    await client.next("subscribed");
    client.send({ type: "action", data: { move: "up" } });
    const acted = await client.next("action_result");
    assertEquals(acted.ok, false);
    assertMatch(String(acted.error), /join/);
    assertEquals(s.actions, []);
  } finally {
    await client.close();
    await s.close();
  }
});

Deno.test("malformed and oversized frames get error frames and the socket stays open", async () => {
  const s = await stack();
  const client = new Client(wsUrl(s.url, "?world=bridged"));
  try {
    await client.next("subscribed");
    client.send("{not json");
    assertMatch(String((await client.next("error")).message), /not a JSON object/);
    client.send([1, 2]);
    assertMatch(String((await client.next("error")).message), /not a JSON object/);
    client.send({ type: "dance" });
    assertMatch(String((await client.next("error")).message), /unknown frame type: dance/);
    client.send({ type: "join", alias: 42 });
    assertMatch(String((await client.next("error")).message), /alias must be a string/);
    client.send({ type: "action", data: "x".repeat(20_000) });
    assertMatch(String((await client.next("error")).message), /frame exceeds/);
    client.send({ type: "join", alias: "still here" });
    assertEquals((await client.next("join_result")).ok, true);
  } finally {
    await client.close();
    await s.close();
  }
});

Deno.test("a missing or unknown world is an error frame and a close", async () => {
  const s = await stack();
  try {
    for (
      const [query, pattern] of [["", /missing \?world/], [
        "?world=nowhere",
        /no live world nowhere/,
      ], [
        "?world=..%2F",
        /invalid worldId/,
      ], [
        `?world=aw%3Asha256%3A${"0".repeat(64)}`,
        /^no live world aw:sha256:0{64}$/,
      ]] as const
    ) {
      const client = new Client(wsUrl(s.url, query));
      assertMatch(String((await client.next("error")).message), pattern);
      const closed = await client.closed;
      assertEquals(closed.code, 1008);
    }
  } finally {
    await s.close();
  }
});

Deno.test("GET /ws without an upgrade is 426 JSON", async () => {
  const s = await stack();
  try {
    const response = await fetch(`${s.url}/ws?world=bridged`);
    assertEquals(response.status, 426);
    assertEquals(await response.json(), { error: "expected a WebSocket upgrade" });
  } finally {
    await s.close();
  }
});

async function postState(url: string, sender: Identity, content: unknown, timestamp = Date.now()) {
  const message = await createPeerMessage(sender, "world.state", content, timestamp);
  const response = await fetch(`${url}/peer/message`, {
    method: "POST",
    body: JSON.stringify(message),
  });
  return { status: response.status, body: await response.json() };
}

Deno.test("world.state is relayed only from the agent registered for that world", async () => {
  const s = await stack();
  const client = new Client(wsUrl(s.url, "?world=bridged"));
  try {
    await client.next("subscribed");
    const impostor = await generateIdentity();
    const spoofed = await postState(s.url, impostor, {
      worldId: "bridged",
      state: { hacked: true },
    });
    assertEquals(spoofed.status, 403);
    assertMatch(spoofed.body.error, /not the agent registered for world bridged/);
    const real = await postState(s.url, s.world.identity, {
      worldId: "bridged",
      state: { direct: 1 },
    });
    assertEquals(real, { status: 200, body: { ok: true, delivered: 1 } });
    let frame = await client.next("world.state");
    while ((frame.state as { direct?: number }).direct !== 1) {
      frame = await client.next("world.state");
    }
    assert(
      !client.frames.some((f) => (f.state as { hacked?: boolean })?.hacked),
      "spoofed state never relayed",
    );
  } finally {
    await client.close();
    await s.close();
  }
});

Deno.test("POST /peer/message refuses replays, other events, unknown worlds and bad bodies", async () => {
  const s = await stack();
  const client = new Client(wsUrl(s.url, "?world=bridged"));
  try {
    await client.next("subscribed");
    const ts = Date.now() + 1000; // ahead of the world's own broadcasts
    const message = await createPeerMessage(s.world.identity, "world.state", {
      worldId: "bridged",
      state: {},
    }, ts);
    const post = (body: unknown) =>
      fetch(`${s.url}/peer/message`, {
        method: "POST",
        body: typeof body === "string" ? body : JSON.stringify(body),
      })
        .then(async (r) => ({ status: r.status, body: await r.json() }));
    assertEquals((await post(message)).status, 200);
    assertEquals((await post(message)).status, 409);
    const join = await createPeerMessage(s.world.identity, "world.join", { worldId: "bridged" });
    assertMatch((await post(join)).body.error, /unsupported event: world.join/);
    const stranger = await makeWorld();
    const unknown = await createPeerMessage(stranger.identity, "world.state", {
      worldId: "elsewhere",
    });
    assertEquals((await post(unknown)).status, 404);
    assertEquals((await post("{oops")).status, 400);
    assertEquals((await post({ ...message, signature: 5 })).status, 400);
    const stale = await createPeerMessage(
      s.world.identity,
      "world.state",
      { worldId: "bridged" },
      Date.now() - 400_000,
    );
    assertMatch((await post(stale)).body.error, /outside/);
    const tampered = { ...message, timestamp: ts + 1 };
    assertEquals((await post(tampered)).status, 403);
    assertEquals((await post({ ...message, content: "x".repeat(300_000) })).status, 413);
  } finally {
    await client.close();
    await s.close();
  }
});

Deno.test("watchers are told and disconnected when the world's lease runs out", async () => {
  const dataDir = await Deno.makeTempDir();
  const gateway = await createGateway({
    dataDir,
    port: 0,
    hostname: "127.0.0.1",
    staleTtlMs: 300,
  });
  const { url } = await gateway.start();
  const world = await createWorldServer({
    worldId: "fading",
    port: 0,
    hostname: "127.0.0.1",
    identity: await generateIdentity(),
    gatewayUrls: url,
    heartbeatIntervalMs: 60_000,
    onError: () => {},
  });
  try {
    await until(
      async () =>
        (await fetch(`${url}/world/fading`).then(async (
          r,
        ) => (await r.body?.cancel(), r.status))) === 200,
      "registration",
    );
    const client = new Client(wsUrl(url, "?world=fading"));
    await client.next("subscribed");
    assertMatch(String((await client.next("error", 3000)).message), /world went offline/);
    await client.closed;
  } finally {
    await world.stop();
    await gateway.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a world the gateway cannot reach is listed unreachable and watchers hear world.updated", async () => {
  const s = await stack();
  const dead = await generateIdentity();
  const client = new Client(wsUrl(s.url, "?world=bridged"));
  let deadClient: Client | undefined;
  const stream = await fetch(`${s.url}/watch`);
  const sse = new SseReader(stream.body!);
  try {
    await sse.nextEvent(); // hello
    // Reached: joining works and lastReachableAt is set.
    await client.next("subscribed");
    client.send({ type: "join", alias: "Ada" });
    assert((await client.next("join_result")).ok);
    await until(async () => {
      const item = (await (await fetch(`${s.url}/worlds`)).json()).worlds
        .find((w: { worldId: string }) => w.worldId === "bridged");
      return typeof item?.lastReachableAt === "number";
    }, "lastReachableAt");
    // A world whose endpoint refuses connections (port 9 on the loopback).
    const body = await createAnnounce(dead, {
      alias: "Dead End",
      endpoints: [{ address: "127.0.0.1", port: 9, transport: "tcp" }],
      capabilities: ["world:dead-end"],
    });
    const announced = await fetch(`${s.url}/peer/announce`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    assertEquals(announced.status, 200);
    deadClient = new Client(wsUrl(s.url, "?world=dead-end"));
    await deadClient.next("subscribed");
    deadClient.send({ type: "join", alias: "Bo" });
    const error = await deadClient.next("error");
    assertEquals(error.message, "the world could not be reached", "nothing about the port");
    await until(async () => {
      const item = (await (await fetch(`${s.url}/worlds`)).json()).worlds
        .find((w: { worldId: string }) => w.worldId === "dead-end");
      return item?.reachable === false;
    }, "reachable: false");
    let event = await sse.nextEvent();
    while (
      !(event.event === "world.updated" &&
        (event.data as { worldId: string }).worldId === "dead-end")
    ) {
      event = await sse.nextEvent();
    }
    assertEquals((event.data as { reachable: boolean }).reachable, false);
    assertEquals((await (await fetch(`${s.url}/world/dead-end`)).json()).reachable, false);
  } finally {
    await sse.cancel();
    await deadClient?.close();
    await client.close();
    await s.close();
  }
});

Deno.test("watchers are capped per client address and per world, before any upgrade", async () => {
  const dataDir = await Deno.makeTempDir();
  const gateway = await createGateway({
    dataDir,
    port: 0,
    hostname: "127.0.0.1",
    watchers: { maxWatchersPerAddress: 2, maxWatchersPerWorld: 3 },
    trustProxy: true, // so one test can speak for several client addresses
  });
  const { url } = await gateway.start();
  try {
    for (const worldId of ["one", "two"]) {
      const body = await createAnnounce(await generateIdentity(), {
        alias: worldId,
        endpoints: [{ address: "127.0.0.1", port: 9, transport: "tcp" }],
        capabilities: [`world:${worldId}`],
      });
      const response = await fetch(`${url}/peer/announce`, {
        method: "POST",
        body: JSON.stringify(body),
      });
      assertEquals(response.status, 200);
      await response.body?.cancel();
    }
    const upgrade = async (worldId: string, client: string) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: new URL(url).port as never });
      await conn.write(new TextEncoder().encode(
        `GET /ws?world=${worldId} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n` +
          `Sec-WebSocket-Key: ${btoa("0123456789abcdef")}\r\nX-Forwarded-For: ${client}\r\n\r\n`,
      ));
      const buffer = new Uint8Array(4096);
      const n = await conn.read(buffer);
      const head = new TextDecoder().decode(buffer.subarray(0, n ?? 0));
      return { status: Number(head.split(" ")[1]), head, conn };
    };
    const open: Deno.Conn[] = [];
    for (const client of ["198.51.100.1", "198.51.100.1"]) {
      const answer = await upgrade("one", client);
      assertEquals(answer.status, 101);
      open.push(answer.conn);
    }
    const third = await upgrade("two", "198.51.100.1");
    assertEquals(third.status, 429, "a third watcher from one address");
    assertMatch(third.head, /at most 2 watchers per client address/);
    third.conn.close();
    const fromElsewhere = await upgrade("one", "198.51.100.2");
    assertEquals(fromElsewhere.status, 101);
    open.push(fromElsewhere.conn);
    const crowded = await upgrade("one", "198.51.100.3");
    assertEquals(crowded.status, 429, "a fourth watcher of one world");
    assertMatch(crowded.head, /world one has 3 watchers/);
    crowded.conn.close();
    const otherWorld = await upgrade("two", "198.51.100.3");
    assertEquals(otherWorld.status, 101);
    open.push(otherWorld.conn);
    // A watcher that leaves frees its place.
    open.shift()!.close();
    await until(async () =>
      (await upgrade("one", "198.51.100.1").then((a) => {
        a.conn.close();
        return a.status;
      })) === 101, "the freed place");
    for (const conn of open) conn.close();
  } finally {
    await gateway.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a world re-announced under another id, or as a plain agent, tells and closes the old id's watchers", async () => {
  const dataDir = await Deno.makeTempDir();
  const gateway = await createGateway({ dataDir, port: 0, hostname: "127.0.0.1" });
  const { url } = await gateway.start();
  const announce = (identity: Identity, capabilities: string[], timestamp: number) =>
    createAnnounce(identity, {
      alias: "Mover",
      endpoints: [{ address: "127.0.0.1", port: 9, transport: "tcp" }],
      capabilities,
    }, timestamp).then((body) =>
      fetch(`${url}/peer/announce`, { method: "POST", body: JSON.stringify(body) })
    ).then(async (r) => (await r.body?.cancel(), r.status));
  const mover = await generateIdentity();
  const quitter = await generateIdentity();
  const start = Date.now();
  const watched: Client[] = [];
  const stream = await fetch(`${url}/watch`);
  const sse = new SseReader(stream.body!);
  try {
    await sse.nextEvent(); // hello
    assertEquals(await announce(mover, ["world:old-name"], start), 200);
    assertEquals(await announce(quitter, ["world:retiring"], start), 200);
    for (const worldId of ["old-name", "retiring"]) {
      const client = new Client(wsUrl(url, `?world=${worldId}`));
      await client.next("subscribed");
      watched.push(client);
    }
    assertEquals(await announce(mover, ["world:new-name"], start + 1), 200);
    assertEquals(await announce(quitter, ["chat"], start + 1), 200);
    for (const client of watched) {
      assertEquals(
        (await client.next("error")).message,
        "world went offline (deregistered)",
      );
      await client.closed;
    }
    // /watch says the same, old id's end first (agent.* needs ?agents=1;
    // world.updated, the failed joins' reachability, is left out here).
    const seen: (string | undefined)[][] = [];
    while (seen.length < 5) {
      const { event, data } = await sse.nextEvent();
      const { worldId, reason } = data as { worldId?: string; reason?: string };
      if (event !== "world.updated") seen.push([event, worldId, reason]);
    }
    assertEquals(seen, [
      ["world.announced", "old-name", undefined],
      ["world.announced", "retiring", undefined],
      ["world.expired", "old-name", "deregistered"],
      ["world.announced", "new-name", undefined],
      ["world.expired", "retiring", "deregistered"],
    ]);
  } finally {
    await sse.cancel();
    for (const client of watched) await client.close();
    await gateway.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});
/** Announces a world as its version's SDK does: its route, canonical body, its version's headers. */
async function announceIn(
  gatewayUrl: string,
  version: ProtocolVersion,
  identity: Identity,
  slug: string,
  port: number,
): Promise<Response> {
  const path = versionFeatures(version).resourceRoutes ? "/agents" : "/peer/announce";
  const body = canonicalize(
    await createAnnounce(
      identity,
      {
        alias: `Strict ${version}`,
        endpoints: [{ address: "127.0.0.1", port, transport: "tcp" }],
        capabilities: [`world:${slug}`],
        ...(versionFeatures(version).resourceRoutes ? { slug } : {}),
      },
      Date.now(),
      version,
    ),
  );
  const headers = await signHttpRequest(identity, "POST", new URL(gatewayUrl).host, path, body, {
    version,
  });
  return await fetch(`${gatewayUrl}${path}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body,
  });
}

/** Posts a world.state as its version's world does: `/messages` from 1.4, signed body and headers. */
async function postStateIn(
  gatewayUrl: string,
  version: ProtocolVersion,
  identity: Identity,
  content: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const path = versionFeatures(version).resourceRoutes ? "/messages" : "/peer/message";
  const body = canonicalize(
    await createPeerMessage(identity, "world.state", content, Date.now(), version),
  );
  const headers = await signHttpRequest(identity, "POST", new URL(gatewayUrl).host, path, body, {
    version,
  });
  const response = await fetch(`${gatewayUrl}${path}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body,
  });
  return { status: response.status, body: await response.json() };
}

for (const version of SUPPORTED_PROTOCOL_VERSIONS) {
  const slug = `strict-${version.replace(".", "-")}`;
  const keyId = versionFeatures(version).keyIdIsWorldId;

  Deno.test(`a ${version} world that accepts only ${version} is watched and played through /ws, and its world.state relayed`, async () => {
    const dataDir = await Deno.makeTempDir();
    const gateway = await createGateway({ dataDir, port: 0, hostname: "127.0.0.1" });
    const { url } = await gateway.start();
    const identity = await generateIdentity();
    const world = startStrictWorld(version, identity, slug);
    let client: Client | undefined;
    try {
      // The world is strict: a join in any other version is refused, as its reference world would.
      const other: ProtocolVersion = version === "1.6" ? "1.5" : "1.6";
      const stranger = await generateIdentity();
      const foreign = JSON.stringify(
        await createPeerMessage(stranger, "world.join", {}, Date.now(), other),
      );
      const refused = await fetch(`http://127.0.0.1:${world.port}/peer/message`, {
        method: "POST",
        headers: await signHttpRequest(
          stranger,
          "POST",
          `127.0.0.1:${world.port}`,
          "/peer/message",
          foreign,
          { version: other },
        ),
        body: foreign,
      });
      assertEquals(refused.status, 403, "the strict world refuses another version");
      await refused.body?.cancel();
      world.received.length = 0;

      assertEquals((await announceIn(url, version, identity, slug, world.port)).status, 200);
      // 1.4+ clients name a world by its key id; older ones by its slug.
      client = new Client(wsUrl(url, `?world=${keyId ? identity.agentId : slug}`));
      assertEquals(await client.next("subscribed"), { type: "subscribed", worldId: slug });
      // The gateway joined as a watcher, in the world's version.
      await until(() => world.members.has(gateway.identity.agentId), "the gateway's join");

      client.send({ type: "join", alias: "Ada" });
      const joined = await client.next("join_result");
      assertEquals(joined.ok, true, JSON.stringify(joined));
      // As that version's world answers: the key id and the slug from 1.4, the slug before.
      assertEquals(
        [joined.worldId, joined.slug],
        keyId ? [identity.agentId, slug] : [slug, undefined],
      );
      client.send({ type: "action", data: { move: "up" } });
      const acted = await client.next("action_result");
      assertEquals([acted.ok, acted.state], [true, { moves: 1, last: { move: "up" } }]);

      // The world's broadcast, posted on its version's route, reaches the watcher.
      const posted = await postStateIn(url, version, identity, {
        worldId: slug,
        worldName: `Strict ${version}`,
        agents: [{ alias: "Ada" }],
      });
      assertEquals(posted, { status: 200, body: { ok: true, delivered: 1 } });
      const state = await client.next("world.state");
      assertEquals([state.worldId, state.state], [slug, {
        worldId: slug,
        worldName: `Strict ${version}`,
        agents: [{ alias: "Ada" }],
      }]);

      client.send({ type: "leave" });
      assertEquals((await client.next("leave_result")).ok, true);
      // Every call the gateway made was in the world's version, and accepted.
      assertEquals(
        world.received.filter((r) => r.declared !== version || r.status !== 200),
        [],
      );
      assertEquals(
        world.received.map((r) => r.event).filter((e) => e !== "world.join"),
        ["world.action", "world.leave"],
      );
    } finally {
      await client?.close();
      await gateway.stop();
      await world.close();
      await Deno.remove(dataDir, { recursive: true });
    }
  });
}

Deno.test("a world that hangs on world.leave holds the gateway's stop for the leave share only", async () => {
  const dataDir = await Deno.makeTempDir();
  // Counts the world's answers to joins once the gateway has read them whole:
  // the gateway's own leave is sent only for a join whose answer it has read.
  let joinsRead = 0;
  const countingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (!String(init?.body).includes('"world.join"') || !response.body) return response;
    const counted = response.body.pipeThrough(
      new TransformStream({ flush: () => void joinsRead++ }),
    );
    return new Response(counted, { status: response.status, headers: response.headers });
  };
  const gateway = await createGateway({
    dataDir,
    port: 0,
    hostname: "127.0.0.1",
    fetch: countingFetch,
  });
  const { url } = await gateway.start();
  const { world, leaving, release } = await startHangingWorld("stubborn", url);
  let client: Client | undefined;
  try {
    await until(
      async () =>
        (await fetch(`${url}/world/stubborn`).then((r) => r.json())).worldId !== undefined,
      "the world to register",
    );
    client = new Client(wsUrl(url, "?world=stubborn"));
    await client.next("subscribed");
    client.send({ type: "join", alias: "Ada" });
    assert((await client.next("join_result")).ok);
    await until(
      () => world.members().some((m) => m.agentId === gateway.identity.agentId),
      "gateway join",
    );
    await until(() => joinsRead >= 2, "the gateway to read both joins' answers");
    await new Promise((resolve) => setTimeout(resolve, 0)); // and act on them
    const started = performance.now();
    await gateway.stop();
    const took = performance.now() - started;
    assert(took < WORLD_CALL_TIMEOUT_MS / 2, `stop took ${Math.round(took)} ms`);
    assertEquals(leaving.length, 2, "the guest's and the gateway's world.leave were sent");
    const record = await gateway.store.getWorld("stubborn");
    assertEquals(
      record?.unreachableSince,
      undefined,
      "a leave cut short says nothing of the world",
    );
  } finally {
    release();
    await client?.close();
    await world.stop();
    await gateway.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("the gateway re-joins a watched world every refresh interval on its timers, and stops once nobody watches", async () => {
  const dataDir = await Deno.makeTempDir();
  const timers = new ManualTimers(Date.now());
  const gateway = await createGateway({
    dataDir,
    port: 0,
    hostname: "127.0.0.1",
    timers,
    clock: timers.clock,
    staleTtlMs: 3_600_000, // the world's own heartbeats run on real time
  });
  const { url } = await gateway.start();
  const joins: number[] = [];
  const world = await createWorldServer({
    worldId: "refreshed",
    port: 0,
    hostname: "127.0.0.1",
    identity: await generateIdentity(),
    gatewayUrls: url,
    onError: () => {},
  }, {
    onJoin: (agentId) => {
      if (agentId === gateway.identity.agentId) joins.push(timers.now);
      return { manifest: {} };
    },
    getState: () => ({}),
  });
  let client: Client | undefined;
  try {
    await until(
      async () =>
        (await fetch(`${url}/world/refreshed`).then((r) => r.json())).worldId !== undefined,
      "the world to register",
    );
    client = new Client(wsUrl(url, "?world=refreshed"));
    await client.next("subscribed");
    await until(() => joins.length === 1, "the first join");
    const watchedAt = timers.now;
    await timers.advance(MEMBERSHIP_REFRESH_MS - 1);
    assertEquals(joins.length, 1, "no refresh before the interval");
    await timers.advance(1);
    await until(() => joins.length === 2, "the first refresh");
    await timers.advance(MEMBERSHIP_REFRESH_MS);
    await until(() => joins.length === 3, "the second refresh");
    assertEquals(joins.slice(1), [
      watchedAt + MEMBERSHIP_REFRESH_MS,
      watchedAt + 2 * MEMBERSHIP_REFRESH_MS,
    ]);

    // The last watcher leaves: the refresh timer goes with it.
    const pending = timers.pending;
    await client.close();
    await until(() => timers.pending === pending - 1, "the refresh timer to go");
    await timers.advance(5 * MEMBERSHIP_REFRESH_MS);
    assertEquals(timers.pending, pending - 1);
  } finally {
    await client?.close();
    await world.stop();
    await gateway.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});
