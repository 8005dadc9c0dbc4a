import {
  createPeerMessage,
  DOMAIN_SEPARATORS,
  generateIdentity,
  type Identity,
  MAX_PEER_MESSAGE_BYTES,
  parseAnnounce,
  parseContent,
  parsePeerMessage,
  PEER_EVENTS,
  type PeerMessage,
  signHttpRequest,
  signWithDomainSeparator,
  verifyAnnounceSignature,
  verifyHttpRequestHeaders,
  verifyHttpResponseHeaders,
  verifyPeerMessage,
} from "../protocol/mod.ts";
import {
  createWorldServer,
  SDK_VERSION,
  type WorldHooks,
  type WorldServer,
  type WorldServerConfig,
} from "../sdk/mod.ts";
import denoJson from "../deno.json" with { type: "json" };
import { type Recorder, startRecorder } from "./_sdk_fakes.ts";
import { ManualTimers, runSchedules } from "./_timers.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "./assert.ts";

const MESSAGE_URL = "http://world.test/peer/message";

/** Starts a private world on a free 127.0.0.1 port, runs `fn`, and always stops it. */
async function withWorld(
  config: Partial<WorldServerConfig>,
  hooks: WorldHooks,
  fn: (world: WorldServer) => Promise<void>,
): Promise<void> {
  const world = await createWorldServer({
    worldId: "test-world",
    worldName: "Test World",
    port: 0,
    hostname: "127.0.0.1",
    identity: await generateIdentity(),
    ...config,
  }, hooks);
  try {
    await fn(world);
  } finally {
    await world.stop();
  }
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
  headers: Headers;
}

/** POSTs a message (or raw text) to the world in-process. */
async function post(
  world: WorldServer,
  message: PeerMessage | Record<string, unknown> | string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await world.app.request(MESSAGE_URL, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof message === "string" ? message : JSON.stringify(message),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text, headers: response.headers };
}

// A sender's timestamps must strictly increase; two messages in one millisecond would not.
let lastStamp = 0;
function stamp(): number {
  return lastStamp = Math.max(Date.now(), lastStamp + 1);
}

function send(
  world: WorldServer,
  agent: Identity,
  event: string,
  content: unknown,
  timestamp: number = stamp(),
): Promise<Answer> {
  return createPeerMessage(agent, event, content, timestamp).then((message) =>
    post(world, message)
  );
}

const noHooks: WorldHooks = {};

/**
 * Timers and a clock for a world, starting at the real time (messages are
 * stamped with it). A private world runs two schedules on them (broadcasts
 * and idle sweeps), a public one a third (its gateway).
 */
function manualTime(): { timers: ManualTimers; clock: () => number } {
  const timers = new ManualTimers(Date.now());
  return { timers, clock: timers.clock };
}

Deno.test("a signed join is answered with the world's manifest and state", async () => {
  const joins: [string, Record<string, unknown>][] = [];
  const hooks: WorldHooks = {
    onJoin: (agentId, data) => {
      joins.push([agentId, data]);
      return { manifest: { actions: ["wave"] }, state: { waves: 0 } };
    },
  };
  await withWorld({}, hooks, async (world) => {
    const agent = await generateIdentity();
    const answer = await send(world, agent, PEER_EVENTS.JOIN, { alias: "Ada", hat: "red" });
    assertEquals(answer.status, 200);
    assertEquals(answer.body, {
      ok: true,
      worldId: "test-world",
      manifest: { actions: ["wave"] },
      state: { waves: 0 },
    });
    assertEquals(joins, [[agent.agentId, { alias: "Ada", hat: "red" }]]);
  });
});

Deno.test("a join without hooks is answered with a manifest naming the world", async () => {
  await withWorld({}, noHooks, async (world) => {
    const answer = await send(world, await generateIdentity(), PEER_EVENTS.JOIN, {});
    assertEquals(answer.body, {
      ok: true,
      worldId: "test-world",
      manifest: { worldId: "test-world", worldName: "Test World" },
    });
  });
});

Deno.test("onJoin is not given the join password", async () => {
  let given: Record<string, unknown> = {};
  const hooks: WorldHooks = {
    onJoin: (_agentId, data) => {
      given = data;
      return { manifest: {} };
    },
  };
  await withWorld({ password: "sesame" }, hooks, async (world) => {
    await send(world, await generateIdentity(), PEER_EVENTS.JOIN, { password: "sesame", a: 1 });
    assertEquals(given, { a: 1 });
  });
});

Deno.test("a member's action reaches onAction and its result is the answer", async () => {
  const actions: [string, unknown][] = [];
  const hooks: WorldHooks = {
    onAction: (agentId, data) => {
      actions.push([agentId, data]);
      return { ok: true, state: { moved: true } };
    },
  };
  await withWorld({}, hooks, async (world) => {
    const agent = await generateIdentity();
    await send(world, agent, PEER_EVENTS.JOIN, {});
    const answer = await send(world, agent, PEER_EVENTS.ACTION, { type: "move", dx: 1 });
    assertEquals(answer.status, 200);
    assertEquals(answer.body, { ok: true, state: { moved: true } });
    assertEquals(actions, [[agent.agentId, { type: "move", dx: 1 }]]);
  });
});

Deno.test("an action the world refuses is answered 200 with ok false and its error", async () => {
  const hooks: WorldHooks = { onAction: () => ({ ok: false, error: "no such move" }) };
  await withWorld({}, hooks, async (world) => {
    const agent = await generateIdentity();
    await send(world, agent, PEER_EVENTS.JOIN, {});
    const answer = await send(world, agent, PEER_EVENTS.ACTION, { type: "fly" });
    assertEquals(answer.status, 200);
    assertEquals(answer.body, { ok: false, error: "no such move" });
  });
});

Deno.test("a leave removes the member and calls onLeave", async () => {
  const left: string[] = [];
  await withWorld({}, { onLeave: (agentId) => void left.push(agentId) }, async (world) => {
    const agent = await generateIdentity();
    await send(world, agent, PEER_EVENTS.JOIN, {});
    const answer = await send(world, agent, PEER_EVENTS.LEAVE, {});
    assertEquals(answer.status, 200);
    assertEquals(answer.body, { ok: true });
    assertEquals(left, [agent.agentId]);
    assertEquals(world.members(), []);
  });
});

Deno.test("a leave from an agent that is not a member is answered 200 without onLeave", async () => {
  const left: string[] = [];
  await withWorld({}, { onLeave: (agentId) => void left.push(agentId) }, async (world) => {
    const answer = await send(world, await generateIdentity(), PEER_EVENTS.LEAVE, {});
    assertEquals(answer.status, 200);
    assertEquals(answer.body, { ok: true });
    assertEquals(left, []);
  });
});

Deno.test("an action before joining is refused with 409", async () => {
  let called = false;
  const hooks: WorldHooks = { onAction: () => ({ ok: called = true }) };
  await withWorld({}, hooks, async (world) => {
    const answer = await send(world, await generateIdentity(), PEER_EVENTS.ACTION, {});
    assertEquals(answer.status, 409);
    assertEquals(answer.body, { error: "join the world first" });
    assertEquals(called, false);
  });
});

Deno.test("a message whose content was changed after signing is refused with 403", async () => {
  await withWorld({}, noHooks, async (world) => {
    const message = await createPeerMessage(await generateIdentity(), PEER_EVENTS.JOIN, {});
    const answer = await post(world, { ...message, content: '{"alias":"Mallory"}' });
    assertEquals(answer.status, 403);
    assertMatch(answer.body.error as string, /^signature does not verify/);
    assertEquals(world.members(), []);
  });
});

Deno.test("a message whose from is not the agent id of its publicKey is refused with 403", async () => {
  await withWorld({}, noHooks, async (world) => {
    const victim = await generateIdentity();
    const forger = await generateIdentity();
    // Signed correctly by the forger's key, but claiming the victim's id.
    const unsigned = {
      from: victim.agentId,
      publicKey: forger.publicKeyB64,
      event: PEER_EVENTS.JOIN,
      content: "{}",
      timestamp: Date.now(),
    };
    const signature = await signWithDomainSeparator(DOMAIN_SEPARATORS.MESSAGE, unsigned, forger);
    const answer = await post(world, { ...unsigned, signature });
    assertEquals(answer.status, 403);
    assertEquals(answer.body, { error: "from is not the agent id of publicKey" });
  });
});

Deno.test("a message authenticated only by request-signature headers is accepted", async () => {
  await withWorld({}, noHooks, async (world) => {
    const agent = await generateIdentity();
    const message = await createPeerMessage(agent, PEER_EVENTS.JOIN, {});
    const bodyText = JSON.stringify({ ...message, signature: "A".repeat(86) + "==" });
    const headers = await signHttpRequest(agent, "POST", "world.test", "/peer/message", bodyText);
    const answer = await post(world, bodyText, headers);
    assertEquals(answer.status, 200);
    assertEquals(world.members().map((member) => member.agentId), [agent.agentId]);
  });
});

Deno.test("request-signature headers signed for another host are refused with 403", async () => {
  await withWorld({}, noHooks, async (world) => {
    const agent = await generateIdentity();
    const message = await createPeerMessage(agent, PEER_EVENTS.JOIN, {});
    const bodyText = JSON.stringify({ ...message, signature: "A".repeat(86) + "==" });
    const headers = await signHttpRequest(agent, "POST", "other.test", "/peer/message", bodyText);
    const answer = await post(world, bodyText, headers);
    assertEquals(answer.status, 403);
  });
});

Deno.test("a join with a wrong password is refused with 403", async () => {
  await withWorld({ password: "sesame" }, noHooks, async (world) => {
    const agent = await generateIdentity();
    const wrong = await send(world, agent, PEER_EVENTS.JOIN, { password: "open" });
    assertEquals(wrong.status, 403);
    assertEquals(wrong.body, { error: "wrong password" });
    const missing = await send(world, agent, PEER_EVENTS.JOIN, {});
    assertEquals(missing.status, 403);
    assertEquals(world.members(), []);
  });
});

Deno.test("a join with the right password is accepted", async () => {
  await withWorld({ password: "sesame" }, noHooks, async (world) => {
    const answer = await send(world, await generateIdentity(), PEER_EVENTS.JOIN, {
      password: "sesame",
    });
    assertEquals(answer.status, 200);
  });
});

Deno.test("a join to a full world is refused with 403", async () => {
  await withWorld({ maxAgents: 1 }, noHooks, async (world) => {
    await send(world, await generateIdentity(), PEER_EVENTS.JOIN, {});
    const answer = await send(world, await generateIdentity(), PEER_EVENTS.JOIN, {});
    assertEquals(answer.status, 403);
    assertEquals(answer.body, { error: "world is full" });
    assertEquals(world.members().length, 1);
  });
});

Deno.test("a member joining again refreshes it, even in a full world", async () => {
  await withWorld({ maxAgents: 1 }, noHooks, async (world) => {
    const agent = await generateIdentity();
    await send(world, agent, PEER_EVENTS.JOIN, { alias: "Ada" });
    const answer = await send(world, agent, PEER_EVENTS.JOIN, { alias: "Ada Lovelace" });
    assertEquals(answer.status, 200);
    assertEquals(world.members().map((member) => member.alias), ["Ada Lovelace"]);
  });
});

Deno.test("a replayed message is refused with 409", async () => {
  await withWorld({}, noHooks, async (world) => {
    const agent = await generateIdentity();
    const join = await createPeerMessage(agent, PEER_EVENTS.JOIN, {}, stamp());
    assertEquals((await post(world, join)).status, 200);
    const replay = await post(world, join);
    assertEquals(replay.status, 409);
    assertMatch(replay.body.error as string, /^replayed message/);
  });
});

Deno.test("a message older than the sender's last accepted one is refused with 409", async () => {
  await withWorld({}, noHooks, async (world) => {
    const agent = await generateIdentity();
    const now = stamp();
    await send(world, agent, PEER_EVENTS.JOIN, {}, now);
    const older = await send(world, agent, PEER_EVENTS.ACTION, {}, now - 1);
    assertEquals(older.status, 409);
  });
});

Deno.test("a replayed join after a leave is refused with 409", async () => {
  await withWorld({}, noHooks, async (world) => {
    const agent = await generateIdentity();
    const join = await createPeerMessage(agent, PEER_EVENTS.JOIN, {}, stamp());
    await post(world, join);
    await send(world, agent, PEER_EVENTS.LEAVE, {}, join.timestamp + 1);
    assertEquals((await post(world, join)).status, 409);
    assertEquals(world.members(), []);
  });
});

Deno.test("a message stamped more than five minutes away is refused with 400", async () => {
  await withWorld({}, noHooks, async (world) => {
    const agent = await generateIdentity();
    for (const offset of [-6 * 60_000, 6 * 60_000]) {
      const answer = await send(world, agent, PEER_EVENTS.JOIN, {}, Date.now() + offset);
      assertEquals(answer.status, 400);
      assertMatch(answer.body.error as string, /timestamp/);
    }
  });
});

Deno.test("a body that is not JSON is refused with 400", async () => {
  await withWorld({}, noHooks, async (world) => {
    const answer = await post(world, "{not json");
    assertEquals(answer.status, 400);
    assertEquals(answer.body, { error: "body is not valid JSON" });
  });
});

Deno.test("a body that is not a peer message is refused with 400 naming the field", async () => {
  await withWorld({}, noHooks, async (world) => {
    const answer = await post(world, { from: "aw:sha256:00" });
    assertEquals(answer.status, 400);
    assertEquals(answer.body, { error: "missing field: publicKey" });
  });
});

Deno.test("a message whose content is not JSON is refused with 400", async () => {
  await withWorld({}, noHooks, async (world) => {
    const agent = await generateIdentity();
    const { signature: _, ...unsigned } = await createPeerMessage(agent, PEER_EVENTS.JOIN, {});
    const signed = { ...unsigned, content: "{oops" };
    const signature = await signWithDomainSeparator(DOMAIN_SEPARATORS.MESSAGE, signed, agent);
    const answer = await post(world, { ...signed, signature });
    assertEquals(answer.status, 400);
    assertEquals(answer.body, { error: "content is not JSON" });
  });
});

Deno.test("a join whose endpoint address is not a host is refused with 400", async () => {
  await withWorld({}, noHooks, async (world) => {
    const agent = await generateIdentity();
    const answer = await send(world, agent, PEER_EVENTS.JOIN, {
      endpoints: [{ address: "user@evil.test", port: 80 }],
    });
    assertEquals(answer.status, 400);
    const badPort = await send(world, agent, PEER_EVENTS.JOIN, {
      endpoints: [{ address: "127.0.0.1", port: 0 }],
    });
    assertEquals(badPort.status, 400);
    assertMatch(badPort.body.error as string, /endpoints\[0\]\.port/);
  });
});

Deno.test("a body over 256 KiB is refused with 413", async () => {
  await withWorld({}, noHooks, async (world) => {
    const message = await createPeerMessage(await generateIdentity(), PEER_EVENTS.ACTION, {
      blob: "x".repeat(MAX_PEER_MESSAGE_BYTES),
    });
    const answer = await post(world, message);
    assertEquals(answer.status, 413);
    assertEquals(answer.body.error, `body exceeds ${MAX_PEER_MESSAGE_BYTES} bytes`);
  });
});

Deno.test("world.state and unknown events are refused with 400", async () => {
  await withWorld({}, noHooks, async (world) => {
    const agent = await generateIdentity();
    const state = await send(world, agent, PEER_EVENTS.STATE, {});
    assertEquals(state.status, 400);
    assertEquals(state.body, { error: "unsupported event: world.state" });
    const dance = await send(world, agent, "world.dance", {});
    assertEquals(dance.body, { error: "unsupported event: world.dance" });
  });
});

Deno.test("every /peer/message answer carries response-signature headers of the world", async () => {
  await withWorld({}, noHooks, async (world) => {
    const agent = await generateIdentity();
    const answers = [
      await send(world, agent, PEER_EVENTS.JOIN, {}),
      await send(world, agent, PEER_EVENTS.STATE, {}),
      await post(world, "{not json"),
      await send(world, await generateIdentity(), PEER_EVENTS.ACTION, {}),
      await post(world, {
        ...await createPeerMessage(agent, PEER_EVENTS.ACTION, {}, stamp()),
        content: '{"forged":true}',
      }),
      await post(world, "x".repeat(MAX_PEER_MESSAGE_BYTES + 1)),
    ];
    assertEquals(answers.map((answer) => answer.status), [200, 400, 400, 409, 403, 413]);
    for (const answer of answers) {
      const result = await verifyHttpResponseHeaders(
        answer.headers,
        answer.status,
        answer.text,
        world.identity.publicKeyB64,
      );
      assertEquals(result, { ok: true, version: "1.2" });
    }
  });
});

Deno.test("a hook that throws is answered 500 and reported, and the join does not count", async () => {
  const errors: Error[] = [];
  const hooks: WorldHooks = {
    onJoin: () => {
      throw new Error("bug in the world");
    },
  };
  await withWorld({ onError: (error) => errors.push(error) }, hooks, async (world) => {
    const answer = await send(world, await generateIdentity(), PEER_EVENTS.JOIN, {});
    assertEquals(answer.status, 500);
    assertEquals(answer.body, { error: "world hook failed" });
    assertEquals(errors.map((error) => error.message), [
      "world hook onJoin failed: bug in the world",
    ]);
    assertEquals(world.members(), []);
  });
});

Deno.test("GET /peer/ping answers with the world's agent id and world id", async () => {
  await withWorld({}, noHooks, async (world) => {
    const response = await world.app.request("/peer/ping");
    const body = await response.json();
    assertEquals(response.status, 200);
    assertEquals(body.ok, true);
    assertEquals(body.agentId, world.identity.agentId);
    assertEquals(body.worldId, "test-world");
    assertEquals(typeof body.ts, "number");
  });
});

Deno.test("GET /peer/peers lists the members with alias, joinedAt and lastSeen", async () => {
  let now = 1_774_276_670_000;
  await withWorld({ clock: () => now }, noHooks, async (world) => {
    const agent = await generateIdentity();
    await send(world, agent, PEER_EVENTS.JOIN, { alias: "Ada" }, now);
    now += 1_000;
    await send(world, agent, PEER_EVENTS.ACTION, {}, now);
    const response = await world.app.request("/peer/peers");
    assertEquals(await response.json(), {
      peers: [{
        agentId: agent.agentId,
        alias: "Ada",
        joinedAt: 1_774_276_670_000,
        lastSeen: 1_774_276_671_000,
      }],
    });
  });
});

Deno.test("unknown routes are answered 404 with a JSON error", async () => {
  await withWorld({}, noHooks, async (world) => {
    const response = await world.app.request("/nope");
    assertEquals(response.status, 404);
    assertEquals(await response.json(), { error: "not found: GET /nope" });
  });
});

Deno.test("the world is reachable on a socket at its url", async () => {
  await withWorld({}, noHooks, async (world) => {
    assertEquals(world.url, `http://127.0.0.1:${world.port}`);
    const response = await fetch(`${world.url}/peer/ping`);
    assertEquals((await response.json()).worldId, "test-world");
  });
});

/** Joins `agent` with an endpoint that points at `receiver`. */
function joinWithEndpoint(world: WorldServer, agent: Identity, receiver: Recorder, alias: string) {
  return send(world, agent, PEER_EVENTS.JOIN, {
    alias,
    endpoints: [{ address: "127.0.0.1", port: receiver.port, transport: "tcp" }],
  });
}

Deno.test("state broadcasts reach a member that gave an endpoint, signed by the world", async () => {
  const receiver = startRecorder();
  try {
    const hooks: WorldHooks = { getState: () => ({ tick: 7 }) };
    const time = manualTime();
    await withWorld({ ...time, broadcastIntervalMs: 5_000 }, hooks, async (world) => {
      const agent = await generateIdentity();
      await send(world, await generateIdentity(), PEER_EVENTS.JOIN, { alias: "Bob" });
      await joinWithEndpoint(world, agent, receiver, "Ada");
      await runSchedules(time.timers, 4_999, 2);
      assertEquals(receiver.calls.length, 0, "not before the interval");
      await runSchedules(time.timers, 1, 2);
      assertEquals(receiver.calls.length, 1, "one broadcast, at the interval");
      const [call] = receiver.calls;
      assertEquals(call.path, "/peer/message");
      const parsed = parsePeerMessage(call.json);
      assert(parsed.ok, "the broadcast is a peer message");
      assertEquals(parsed.value.event, PEER_EVENTS.STATE);
      assertEquals(parsed.value.from, world.identity.agentId);
      assertEquals(await verifyPeerMessage(parsed.value), true);
      const headers = await verifyHttpRequestHeaders(
        call.headers,
        "POST",
        "/peer/message",
        call.headers.get("host")!,
        call.bodyText,
        world.identity.publicKeyB64,
      );
      assertEquals(headers, { ok: true, version: "1.2" });
      const content = parseContent(parsed.value.content) as Record<string, unknown>;
      assertEquals(Object.keys(content), ["worldId", "worldName", "agents", "state"]);
      assertEquals(content.worldId, "test-world");
      assertEquals(content.worldName, "Test World");
      assertEquals(
        (content.agents as { alias: string }[]).map((agent) => agent.alias),
        ["Bob", "Ada"],
      );
      assertEquals(content.state, { tick: 7 });
    });
  } finally {
    await receiver.close();
  }
});

Deno.test("no broadcast is sent anywhere while no member gave an endpoint", async () => {
  const requested: string[] = [];
  const countingFetch: typeof fetch = (input) => {
    requested.push(String(input));
    return Promise.resolve(new Response("{}"));
  };
  const time = manualTime();
  await withWorld(
    { ...time, broadcastIntervalMs: 5_000, fetch: countingFetch },
    noHooks,
    async (world) => {
      await send(world, await generateIdentity(), PEER_EVENTS.JOIN, { alias: "no endpoint" });
      await runSchedules(time.timers, 5 * 5_000, 2);
      await world.broadcast();
      assertEquals(requested, []);
      // The schedule kept running: a member that gives an endpoint gets the next tick's.
      await send(world, await generateIdentity(), PEER_EVENTS.JOIN, {
        endpoints: [{ address: "127.0.0.1", port: 9, transport: "tcp" }],
      });
      await runSchedules(time.timers, 5_000, 2);
      assertEquals(requested, ["http://127.0.0.1:9/peer/message"]);
    },
  );
});

Deno.test("a failed broadcast is reported through onError", async () => {
  const receiver = startRecorder(() => ({ status: 500 }));
  const errors: Error[] = [];
  try {
    await withWorld({ onError: (error) => errors.push(error) }, noHooks, async (world) => {
      const agent = await generateIdentity();
      await joinWithEndpoint(world, agent, receiver, "Ada");
      await world.broadcast();
      assertEquals(errors.length, 1);
      assertMatch(errors[0].message, /^broadcast to aw:sha256:[0-9a-f]+ at .* failed: HTTP 500$/);
    });
  } finally {
    await receiver.close();
  }
});

Deno.test("a member silent for idleTimeoutMs is removed and onLeave is called, once, at the first sweep past its deadline", async () => {
  const left: string[] = [];
  const hooks: WorldHooks = { onLeave: (agentId) => void left.push(agentId) };
  const time = manualTime();
  // Broadcasts (which evict too) kept out of the way: the idle sweep alone removes it.
  const config = { ...time, idleTimeoutMs: 60_000, broadcastIntervalMs: 3_600_000 };
  await withWorld(config, hooks, async (world) => {
    const agent = await generateIdentity();
    await send(world, agent, PEER_EVENTS.JOIN, {});
    await runSchedules(time.timers, 30_000, 2);
    assertEquals(left, [], "the sweep at 30 s keeps it");
    assertEquals(world.members().length, 1);
    await runSchedules(time.timers, 30_000, 2);
    assertEquals(left, [agent.agentId], "the sweep at its deadline removes it");
    assertEquals(world.members(), []);
    await runSchedules(time.timers, 120_000, 2);
    assertEquals(left, [agent.agentId]);
  });
});

Deno.test("a silent member is gone as soon as its deadline passes, before any sweep", async () => {
  let now = Date.now();
  const left: string[] = [];
  const hooks: WorldHooks = { onLeave: (agentId) => void left.push(agentId) };
  await withWorld({ idleTimeoutMs: 60_000, clock: () => now }, hooks, async (world) => {
    const agent = await generateIdentity();
    await send(world, agent, PEER_EVENTS.JOIN, {}, now);
    now += 59_999;
    assertEquals(world.members().length, 1);
    now += 1;
    assertEquals(world.members(), []);
    const response = await world.app.request("/peer/peers");
    assertEquals(await response.json(), { peers: [] });
    assertEquals(left, [agent.agentId]);
    const action = await send(world, agent, PEER_EVENTS.ACTION, {}, now);
    assertEquals(action.status, 409);
  });
});

Deno.test("a public world announces its endpoint, version and world capability", async () => {
  const gateway = startRecorder();
  try {
    await withWorld(
      { gatewayUrls: gateway.url, worldTheme: "retro", publicAddr: "203.0.113.7" },
      noHooks,
      async (world) => {
        const [result] = await world.gateway!.ready;
        assertEquals(result.ok, true);
        const parsed = parseAnnounce(gateway.callsTo("/peer/announce")[0].json);
        assert(parsed.ok, "a valid announce");
        assertEquals(await verifyAnnounceSignature(parsed.value), true);
        assertEquals(parsed.value.from, world.identity.agentId);
        assertEquals(parsed.value.alias, "Test World");
        assertEquals(parsed.value.version, SDK_VERSION);
        assertEquals(parsed.value.endpoints, [
          { address: "203.0.113.7", port: world.port, transport: "tcp" },
        ]);
        assertEquals(parsed.value.capabilities, ["world:test-world", "theme:retro"]);
      },
    );
  } finally {
    await gateway.close();
  }
});

Deno.test("a public world heartbeats its gateways at the heartbeat interval, jittered", async () => {
  const time = manualTime();
  const start = time.timers.now;
  const heartbeats: number[] = [];
  const gateway = startRecorder((call) => {
    if (call.path === "/peer/heartbeat") heartbeats.push(time.timers.now - start);
    return undefined;
  });
  try {
    await withWorld({ ...time, gatewayUrls: gateway.url }, noHooks, async () => {
      // Two pauses of 30 s ± 10 % end by 66 s; a third cannot.
      await runSchedules(time.timers, 66_000, 3);
      assertEquals(gateway.calls.map((call) => call.path), [
        "/peer/announce",
        "/peer/heartbeat",
        "/peer/heartbeat",
      ]);
      const pauses = [heartbeats[0], heartbeats[1] - heartbeats[0]];
      for (const pause of pauses) assert(pause >= 27_000 && pause <= 33_000, `${pause} ms`);
    });
  } finally {
    await gateway.close();
  }
});

Deno.test("a world with isPublic false sends nothing to its gateways", async () => {
  const gateway = startRecorder();
  const time = manualTime();
  try {
    await withWorld(
      { ...time, gatewayUrls: gateway.url, isPublic: false },
      noHooks,
      async (world) => {
        assertEquals(world.gateway, undefined);
        assertEquals(time.timers.pending, 2, "broadcasts and idle sweeps; no gateway schedule");
        await runSchedules(time.timers, 90_000, 2);
        assertEquals(gateway.calls.length, 0);
      },
    );
  } finally {
    await gateway.close();
  }
});

Deno.test("stop() closes the listener and ends every schedule: nothing follows, however long after", async () => {
  const gateway = startRecorder();
  const time = manualTime();
  try {
    const world = await createWorldServer({
      worldId: "stopping",
      port: 0,
      hostname: "127.0.0.1",
      identity: await generateIdentity(),
      gatewayUrls: gateway.url,
      ...time,
    });
    // 30 s ± 10 %: exactly one heartbeat by 33 s.
    await runSchedules(time.timers, 33_000, 3);
    await world.stop();
    assertEquals(time.timers.pending, 0, "no broadcast, sweep or gateway tick is left");
    const paths = ["/peer/announce", "/peer/heartbeat", "/peer/deregister"];
    assertEquals(gateway.calls.map((call) => call.path), paths);
    await assertRejects(() => fetch(`${world.url}/peer/ping`));
    await time.timers.advance(10 * 600_000);
    assertEquals(gateway.calls.map((call) => call.path), paths);
  } finally {
    await gateway.close();
  }
});

Deno.test("an invalid worldId is a TypeError", async () => {
  await assertRejects(
    () => createWorldServer({ worldId: "../etc", port: 0, isPublic: false }),
    /worldId must be/,
  );
});

Deno.test("isPublic without a gateway URL is a TypeError", async () => {
  await assertRejects(
    () => createWorldServer({ worldId: "lonely", port: 0, isPublic: true }),
    /isPublic needs at least one URL/,
  );
});

Deno.test("the world's identity is kept in dataDir across restarts", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const start = () =>
      createWorldServer({ worldId: "kept", port: 0, hostname: "127.0.0.1", dataDir });
    const first = await start();
    await first.stop();
    const second = await start();
    await second.stop();
    assertEquals(second.identity.agentId, first.identity.agentId);
    const file = JSON.parse(await Deno.readTextFile(`${dataDir}/world-kept.identity.json`));
    assertEquals(file.agentId, first.identity.agentId);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("SDK_VERSION is the package version in deno.json", () => {
  assertEquals(SDK_VERSION, denoJson.version);
});
