/**
 * The gateway held to openapi.yaml: every documented (operation, status) is
 * exercised against a running gateway, every answer validates against the
 * spec's schema for its status, and an undocumented status fails.
 */
import { createGateway } from "../gateway/mod.ts";
import {
  createAnnounce,
  createHeartbeat,
  createPeerMessage,
  generateIdentity,
  type Identity,
} from "../protocol/mod.ts";
import { createWorldServer } from "../sdk/mod.ts";
import { documentedResponses, validateFetchResponse, validateSchema } from "../spec/contract.ts";
import { assert, assertEquals } from "./assert.ts";
import { Client, until, wsUrl } from "./_ws.ts";

Deno.test("every documented status of every operation is produced and matches the spec", async () => {
  const dataDir = await Deno.makeTempDir();
  const gateway = await createGateway({
    dataDir,
    port: 0,
    hostname: "127.0.0.1",
    maxAgents: 3,
    log: () => {},
  });
  const { url } = await gateway.start();
  const seen = new Set<string>();

  /** Calls the gateway and holds the answer to the spec. */
  async function call(
    method: string,
    template: string,
    path: string,
    expected: number,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    assertEquals(response.status, expected, `${method} ${path}`);
    const copy = response.clone();
    const result = await validateFetchResponse(method, template, response);
    assert(result.ok, `${method} ${path} ${expected}: ${result.errors}`);
    seen.add(`${method} ${template} ${expected}`);
    return copy;
  }

  const world = await createWorldServer({
    worldId: "contract",
    port: 0,
    hostname: "127.0.0.1",
    identity: await generateIdentity(),
    broadcastIntervalMs: 60_000,
    isPublic: false,
    onError: () => {},
  });
  const announceWorld = (identity: Identity, worldId: string, timestamp = Date.now()) =>
    createAnnounce(identity, {
      alias: worldId,
      endpoints: [{ address: "127.0.0.1", port: world.port, transport: "tcp" }],
      capabilities: [`world:${worldId}`],
    }, timestamp);
  let client: Client | undefined;
  try {
    // Announce: 200 and every refusal.
    const first = await announceWorld(world.identity, "contract");
    await call("POST", "/peer/announce", "/peer/announce", 200, first);
    await call("POST", "/peer/announce", "/peer/announce", 409, first);
    await call("POST", "/peer/announce", "/peer/announce", 400, "{");
    await call("POST", "/peer/announce", "/peer/announce", 403, { ...first, alias: "forged" });
    await call("POST", "/peer/announce", "/peer/announce", 413, {
      ...first,
      pad: "x".repeat(70_000),
    });
    for (const name of ["two", "three"]) {
      await call(
        "POST",
        "/peer/announce",
        "/peer/announce",
        200,
        await announceWorld(await generateIdentity(), name),
      );
    }
    await call(
      "POST",
      "/peer/announce",
      "/peer/announce",
      503,
      await announceWorld(await generateIdentity(), "four"),
    );

    // Heartbeat.
    const heartbeat = await createHeartbeat(world.identity, Date.now() + 1);
    await call("POST", "/peer/heartbeat", "/peer/heartbeat", 200, heartbeat);
    await call("POST", "/peer/heartbeat", "/peer/heartbeat", 409, heartbeat);
    await call("POST", "/peer/heartbeat", "/peer/heartbeat", 400, { agentId: 1 });
    await call("POST", "/peer/heartbeat", "/peer/heartbeat", 403, {
      ...heartbeat,
      ts: heartbeat.ts + 1,
    });
    await call(
      "POST",
      "/peer/heartbeat",
      "/peer/heartbeat",
      404,
      await createHeartbeat(await generateIdentity(), Date.now()),
    );
    await call("POST", "/peer/heartbeat", "/peer/heartbeat", 413, {
      ...heartbeat,
      pad: "x".repeat(5000),
    });

    // Directory.
    await call("GET", "/health", "/health", 200);
    const page = await (await call("GET", "/worlds", "/worlds?limit=2", 200)).json();
    await call("GET", "/worlds", `/worlds?limit=2&cursor=${page.nextCursor}`, 200);
    await call("GET", "/worlds", "/worlds?limit=0", 400);
    await call("GET", "/world/{worldId}", "/world/contract", 200);
    await call("GET", "/world/{worldId}", "/world/nowhere", 404);
    await call("GET", "/world/{worldId}", "/world/-bad-", 400);
    await call("GET", "/agents", "/agents", 200);
    await call("GET", "/agents", "/agents?cursor=!!", 400);
    await call("GET", "/peer/ping", "/peer/ping", 200);
    await call("GET", "/peer/peers", "/peer/peers", 200);
    await call("GET", "/peer/peers", "/peer/peers?limit=x", 400);
    await call("GET", "/openapi.yaml", "/openapi.yaml", 200);

    // The WebSocket bridge: 426 without an upgrade, 101 and spec-shaped frames with one.
    await call("GET", "/ws", "/ws?world=contract", 426);
    await call("GET", "/ws", "/ws?world=contract", 400, undefined, {
      upgrade: "websocket",
      connection: "upgrade",
      "sec-websocket-version": "13",
      "sec-websocket-key": "not a key",
    });
    client = new Client(wsUrl(url, "?world=contract"));
    const subscribed = await client.next("subscribed");
    seen.add("GET /ws 101");
    const frames = [subscribed];
    for (
      const frame of [{ type: "join", alias: "Spec" }, { type: "action", data: { n: 1 } }, {
        type: "bogus",
      }]
    ) {
      assert(
        frame.type === "bogus" || validateSchema("WsClientFrame", frame).ok,
        `client frame ${frame.type}`,
      );
      client.send(frame);
    }
    frames.push(
      await client.next("join_result"),
      await client.next("action_result"),
      await client.next("error"),
    );
    await until(
      () => world.members().some((m) => m.agentId === gateway.identity.agentId),
      "gateway join",
    );
    await world.broadcast();
    frames.push(await client.next("world.state"));
    client.send({ type: "leave" });
    frames.push(await client.next("leave_result"));
    for (const frame of frames) {
      const result = validateSchema("WsServerFrame", frame);
      assert(result.ok, `server frame ${JSON.stringify(frame)}: ${result.errors}`);
    }

    // A world's state relay.
    const state = (content: unknown, sender = world.identity, ts = Date.now() + 10_000) =>
      createPeerMessage(sender, "world.state", content, ts);
    const relayed = await state({ worldId: "contract", state: {} });
    await call("POST", "/peer/message", "/peer/message", 200, relayed);
    await call("POST", "/peer/message", "/peer/message", 409, relayed);
    await call(
      "POST",
      "/peer/message",
      "/peer/message",
      400,
      await createPeerMessage(world.identity, "world.join", {}),
    );
    await call(
      "POST",
      "/peer/message",
      "/peer/message",
      403,
      await state({ worldId: "contract" }, await generateIdentity()),
    );
    await call("POST", "/peer/message", "/peer/message", 404, await state({ worldId: "nowhere" }));
    await call("POST", "/peer/message", "/peer/message", 413, {
      ...relayed,
      content: "x".repeat(300_000),
    });

    const missing = documentedResponses()
      .map(({ method, path, status }) => `${method} ${path} ${status}`)
      .filter((key) => !seen.has(key));
    assertEquals(missing, [], "documented responses never exercised");
  } finally {
    await client?.close();
    await world.stop();
    await gateway.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a status the spec does not document fails validation", async () => {
  const result = await validateFetchResponse(
    "GET",
    "/health",
    Response.json({ error: "teapot" }, { status: 418 }),
  );
  assertEquals(result.ok, false);
});

Deno.test("an answer that drifts from its schema fails validation", async () => {
  const result = await validateFetchResponse(
    "GET",
    "/world/{worldId}",
    Response.json({ worldId: "x", name: "no agent id" }),
  );
  assertEquals(result.ok, false);
});
