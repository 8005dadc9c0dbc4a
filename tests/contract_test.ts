/**
 * The gateway held to openapi.yaml: every documented (operation, status) is
 * produced by a real gateway listening on 127.0.0.1, every answer validates
 * against the spec's schema and documented headers for its status, and an
 * undocumented status fails. The statuses that need special conditions come
 * from gateways made for them: one with tiny quotas, `live-holder` ids and
 * room for one agent (429, 503 full, the transfer's 409), and one whose store
 * is cut off (the outage 503s). The main gateway also delivers webhooks to a
 * receiver here, each held to the spec's `webhooks`, and its `/watch` stream
 * is held to `x-events`.
 */
import { Webhook } from "standardwebhooks";
import { createGateway, type Gateway, type GatewayOptions, MemoryStore } from "../gateway/mod.ts";
import {
  canonicalize,
  createAnnounce,
  createDeregistration,
  createHeartbeat,
  createKeyRotation,
  createPeerMessage,
  createResourceHeartbeat,
  generateIdentity,
  type Identity,
  type ProtocolVersion,
  signHttpRequest,
  verifyAgentCard,
} from "../protocol/mod.ts";
import { createWorldServer } from "../sdk/mod.ts";
import { parse } from "yaml";
import {
  defaultContract,
  documentedResponses,
  validateFetchResponse,
  validateResponse,
  validateSchema,
  validateWebhook,
} from "../spec/contract.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { ManualClock } from "./_gateway.ts";
import { OutageStore } from "./_outage_store.ts";
import { Client, until, wsUrl } from "./_ws.ts";
import { SseReader } from "./_sse.ts";

const TOKEN = "contract-admin-token-0123";
const SECRET = `whsec_${btoa(String.fromCharCode(...new Uint8Array(32).map((_, i) => i + 1)))}`;
const ADMIN = { authorization: `Bearer ${TOKEN}` };
const JSON_TYPE = { "content-type": "application/json" };
/** Enough to pass every body limit but the message route's (262144). */
const PAD = "x".repeat(9000);

/** `/watch`'s `x-events`: each event name and the component schema of its `data`. */
function xEvents(): Record<string, string> {
  const spec = parse(Deno.readTextFileSync(new URL("../openapi.yaml", import.meta.url)));
  const events: Record<string, { $ref: string }> = spec.paths["/watch"].get["x-events"];
  return Object.fromEntries(
    Object.entries(events).map(([name, { $ref }]) => [name, $ref.split("/").pop()!]),
  );
}

/** Events read from the main gateway's `/watch` (and the reset stream). */
const streamEvents: { id: string; event: string; data: unknown }[] = [];

/** Calls gateways and holds each answer to the spec, remembering what was produced. */
class Probe {
  readonly seen = new Set<string>();

  /** `expected` must be the status; the answer must keep the contract for it. */
  async call(
    base: string,
    method: string,
    template: string,
    path: string,
    expected: number,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const copy = response.clone();
    if (response.status !== expected) {
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    }
    const result = await validateFetchResponse(method, template, response);
    assert(result.ok, `${method} ${path} ${expected}: ${result.errors}`);
    this.seen.add(`${method} ${template} ${expected}`);
    return copy;
  }

  /** The documented (operation, status) pairs not produced yet. */
  missing(): string[] {
    return documentedResponses()
      .map(({ method, path, status }) => `${method} ${path} ${status}`)
      .filter((key) => !this.seen.has(key));
  }
}

/** A webhook receiver on 127.0.0.1 that keeps every delivery and answers 204. */
function startReceiver() {
  const deliveries: { headers: Headers; text: string }[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      deliveries.push({ headers: request.headers, text: await request.text() });
      return new Response(null, { status: 204 });
    },
  );
  return { deliveries, url: `http://127.0.0.1:${server.addr.port}/hook`, server };
}

async function startGateway(options: GatewayOptions): Promise<{ gateway: Gateway; url: string }> {
  const dataDir = options.dataDir ?? await Deno.makeTempDir({ prefix: "aw-contract-" });
  const gateway = await createGateway({ port: 0, hostname: "127.0.0.1", ...options, dataDir });
  const { url } = await gateway.start();
  return { gateway, url };
}

/** A 1.4+ announce as its SDK sends it: canonical body and the version's request headers. */
async function signedAnnounce(
  identity: Identity,
  fields: Parameters<typeof createAnnounce>[1],
  url: string,
  clock: () => number,
  version: ProtocolVersion = "1.6",
): Promise<{ body: string; headers: Record<string, string> }> {
  const body = canonicalize(await createAnnounce(identity, fields, clock(), version));
  const headers = await signHttpRequest(identity, "POST", new URL(url).host, "/agents", body, {
    version,
    clock,
  });
  return { body, headers: { ...JSON_TYPE, ...headers } };
}

function worldFields(slug: string, port = 8099) {
  return {
    alias: slug,
    slug,
    endpoints: [{ address: "127.0.0.1", port, transport: "tcp" }],
    capabilities: [`world:${slug}`],
  };
}

/** One call of a table: method, path template, concrete path, body, headers. */
type Row = [string, string, string, unknown, Record<string, string>];

/**
 * A valid request to every route that takes a signed or an admin request,
 * about the live world `worldId` hosted by `holder` (so only the condition a
 * step sets up refuses them): its announces (a new agent's, on both routes),
 * heartbeats on all three routes, deregistration, a rotation to `heir`, a
 * world.state on both message routes, and every admin route.
 */
async function signedAndAdminRows(
  holder: Identity,
  worldId: string,
  heir: Identity,
  newcomer: { peer: unknown; agents: { body: string; headers: Record<string, string> } },
): Promise<Row[]> {
  const now = Date.now();
  const id = encodeURIComponent(holder.agentId);
  const message = await createPeerMessage(holder, "world.state", { worldId }, now);
  return [
    ["POST", "/peer/announce", "/peer/announce", newcomer.peer, {}],
    ["POST", "/agents", "/agents", newcomer.agents.body, newcomer.agents.headers],
    ["POST", "/peer/heartbeat", "/peer/heartbeat", await createHeartbeat(holder, now + 1), {}],
    [
      "POST",
      "/worlds/{worldId}/heartbeat",
      `/worlds/${id}/heartbeat`,
      await createResourceHeartbeat(holder, now + 1, { idField: "worldId" }),
      {},
    ],
    [
      "POST",
      "/agents/{agentId}/heartbeat",
      `/agents/${id}/heartbeat`,
      await createResourceHeartbeat(holder, now + 1, { idField: "agentId" }),
      {},
    ],
    [
      "POST",
      "/peer/deregister",
      "/peer/deregister",
      await createDeregistration(holder, now + 2),
      {},
    ],
    [
      "POST",
      "/peer/key-rotation",
      "/peer/key-rotation",
      await createKeyRotation(holder, heir, now),
      {},
    ],
    ["POST", "/peer/message", "/peer/message", message, {}],
    ["POST", "/messages", "/messages", message, {}],
    ["GET", "/admin/worlds", "/admin/worlds", undefined, ADMIN],
    ["GET", "/admin/worlds/{worldId}", `/admin/worlds/${worldId}`, undefined, ADMIN],
    [
      "POST",
      "/admin/worlds/{worldId}/release",
      `/admin/worlds/${worldId}/release`,
      undefined,
      ADMIN,
    ],
    [
      "POST",
      "/admin/worlds/{worldId}/transfer",
      `/admin/worlds/${worldId}/transfer`,
      { publicKey: heir.publicKeyB64 },
      { ...ADMIN, ...JSON_TYPE },
    ],
    ["DELETE", "/worlds/{worldId}", `/worlds/${worldId}`, undefined, ADMIN],
    ["DELETE", "/agents/{agentId}", `/agents/${id}`, undefined, ADMIN],
  ];
}

Deno.test("every documented status of every operation is produced and matches the spec", async (t) => {
  const probe = new Probe();
  const receiver = startReceiver();
  const clock = new ManualClock();
  const main = await startGateway({
    clock: clock.read,
    adminToken: TOKEN,
    webhookUrl: receiver.url,
    webhookSecret: SECRET,
    ownerRetentionMs: 600_000,
    watch: { maxClientsPerAddress: 2 },
  });
  const url = main.url;
  const call = (...args: [string, string, string, number, unknown?, Record<string, string>?]) =>
    probe.call(url, ...args);
  // Watches the whole run, agents too; its events are held to the schemas `x-events` names.
  const stream = await fetch(`${url}/watch?agents=1`);
  const watcher = new SseReader(stream.body!);
  const world = await createWorldServer({
    worldId: "contract",
    port: 0,
    hostname: "127.0.0.1",
    identity: await generateIdentity(),
    broadcastIntervalMs: 60_000,
    isPublic: false,
    onError: () => {},
  });
  const announceWorld = (identity: Identity, worldId: string, timestamp = clock.now) =>
    createAnnounce(identity, {
      alias: worldId,
      endpoints: [{ address: "127.0.0.1", port: world.port, transport: "tcp" }],
      capabilities: [`world:${worldId}`],
    }, timestamp);
  const agentId = (identity: Identity) => encodeURIComponent(identity.agentId);
  let client: Client | undefined;
  const others: Gateway[] = [];
  // A 1.4+ agent (no world) and a 1.6 world, used across steps.
  const ada = await generateIdentity();
  const resource = await generateIdentity();
  try {
    await t.step("1.2 announces: 200 and every refusal", async () => {
      const first = await announceWorld(world.identity, "contract");
      await call("POST", "/peer/announce", "/peer/announce", 200, first);
      await call("POST", "/peer/announce", "/peer/announce", 409, first);
      await call("POST", "/peer/announce", "/peer/announce", 400, "{");
      await call("POST", "/peer/announce", "/peer/announce", 403, { ...first, alias: "forged" });
      await call("POST", "/peer/announce", "/peer/announce", 413, { ...first, pad: PAD });
      // A new name is a world.updated.
      clock.advance(1);
      const renamed = await createAnnounce(world.identity, {
        alias: "Contract City",
        endpoints: [{ address: "127.0.0.1", port: world.port, transport: "tcp" }],
        capabilities: ["world:contract"],
      }, clock.now);
      await call("POST", "/peer/announce", "/peer/announce", 200, renamed);
    });

    await t.step("1.4+ announces on POST /agents: 200 and every refusal", async () => {
      const agent = await signedAnnounce(
        ada,
        { alias: "Ada", endpoints: [], capabilities: [] },
        url,
        clock.read,
      );
      await call("POST", "/agents", "/agents", 200, agent.body, agent.headers);
      await call("POST", "/agents", "/agents", 409, agent.body, agent.headers);
      const held = await signedAnnounce(resource, worldFields("resource"), url, clock.read);
      await call("POST", "/agents", "/agents", 200, held.body, held.headers);
      const thief = await signedAnnounce(
        await generateIdentity(),
        worldFields("resource"),
        url,
        clock.read,
      );
      await call("POST", "/agents", "/agents", 409, thief.body, thief.headers);
      await call("POST", "/agents", "/agents", 400, agent.body, {
        ...agent.headers,
        "X-AgentWorld-Version": "1.7",
      });
      const forged = JSON.parse(agent.body);
      forged.alias = "Eve";
      await call("POST", "/agents", "/agents", 403, forged, JSON_TYPE);
      await call("POST", "/agents", "/agents", 413, { ...forged, pad: PAD }, JSON_TYPE);
      // A new alias for the agent is an agent.updated.
      clock.advance(1);
      const renamed = await signedAnnounce(
        ada,
        { alias: "Ada Lovelace", endpoints: [], capabilities: [] },
        url,
        clock.read,
      );
      await call("POST", "/agents", "/agents", 200, renamed.body, renamed.headers);
    });

    await t.step("heartbeats of both generations: 200 and every refusal", async () => {
      const legacy = await createHeartbeat(world.identity, clock.now + 1);
      await call("POST", "/peer/heartbeat", "/peer/heartbeat", 200, legacy);
      await call("POST", "/peer/heartbeat", "/peer/heartbeat", 409, legacy);
      await call("POST", "/peer/heartbeat", "/peer/heartbeat", 400, { agentId: 1 });
      await call("POST", "/peer/heartbeat", "/peer/heartbeat", 403, {
        ...legacy,
        ts: legacy.ts + 1,
      });
      const stranger = await generateIdentity();
      await call(
        "POST",
        "/peer/heartbeat",
        "/peer/heartbeat",
        404,
        await createHeartbeat(stranger, clock.now),
      );
      await call("POST", "/peer/heartbeat", "/peer/heartbeat", 413, { ...legacy, pad: PAD });

      for (
        const [template, identity, idField] of [
          ["/worlds/{worldId}/heartbeat", resource, "worldId"],
          ["/agents/{agentId}/heartbeat", ada, "agentId"],
        ] as const
      ) {
        const path = (id: string) => template.replace(/\{\w+\}/, id);
        const beat = await createResourceHeartbeat(identity, clock.now + 1, {
          idField,
          version: "1.6",
          separator: "versioned",
        });
        await call("POST", template, path(agentId(identity)), 200, beat);
        await call("POST", template, path(identity.agentId), 409, beat);
        await call("POST", template, path(agentId(identity)), 400, { ts: "soon", signature: "x" });
        await call("POST", template, path(agentId(identity)), 403, { ...beat, ts: beat.ts + 1 });
        await call("POST", template, path(agentId(stranger)), 404, beat);
        await call("POST", template, path("nope"), 404, beat);
        await call("POST", template, path(agentId(identity)), 413, { ...beat, pad: PAD });
      }
    });

    await t.step("the directory's reads", async () => {
      await call("GET", "/health", "/health", 200);
      await call("GET", "/ready", "/ready", 200);
      await call("GET", "/livez", "/livez", 200);
      await call("GET", "/metrics", "/metrics", 200);
      await call("GET", "/ping", "/ping", 200);
      await call("GET", "/peer/ping", "/peer/ping", 200);
      const card = await call("GET", "/.well-known/agent.json", "/.well-known/agent.json", 200);
      assert(await verifyAgentCard(await card.text(), main.gateway.identity.publicKeyB64));
      await call("GET", "/.well-known/agent.json", "/.well-known/agent.json?version=1.2", 200);
      await call("GET", "/.well-known/agent.json", "/.well-known/agent.json?version=9", 400);
      await call("GET", "/openapi.yaml", "/openapi.yaml", 200);
      const page = await (await call("GET", "/worlds", "/worlds?limit=1", 200)).json();
      await call("GET", "/worlds", `/worlds?limit=1&cursor=${page.nextCursor}`, 200);
      await call("GET", "/worlds", "/worlds?limit=0", 400);
      await call("GET", "/worlds/{worldId}", "/worlds/contract", 200);
      await call("GET", "/worlds/{worldId}", `/worlds/${agentId(resource)}`, 200);
      await call("GET", "/worlds/{worldId}", "/worlds/-bad-", 400);
      await call("GET", "/worlds/{worldId}", "/worlds/nowhere", 404);
      await call("GET", "/world/{worldId}", "/world/contract", 200);
      await call("GET", "/world/{worldId}", "/world/nowhere", 404);
      await call("GET", "/world/{worldId}", "/world/-bad-", 400);
      await call("GET", "/agents", "/agents", 200);
      await call("GET", "/agents", "/agents?cursor=!!", 400);
      await call("GET", "/agents/{agentId}", `/agents/${agentId(ada)}`, 200);
      await call("GET", "/agents/{agentId}", "/agents/nope", 400);
      const nobody = await generateIdentity();
      await call("GET", "/agents/{agentId}", `/agents/${nobody.agentId}`, 404);
      await call("GET", "/peer/peers", "/peer/peers", 200);
      await call("GET", "/peer/peers", "/peer/peers?limit=x", 400);
    });

    await t.step("the change stream: 200, 400, a reset, and 429 past the cap", async () => {
      assertEquals(stream.status, 200);
      assertEquals(stream.headers.get("content-type"), "text/event-stream; charset=utf-8");
      assert(validateResponse("GET", "/watch", 200, "retry: 2000\n\n").ok);
      probe.seen.add("GET /watch 200");
      await call("GET", "/watch", "/watch?world=-bad", 400);
      const second = await fetch(`${url}/watch?since=not-an-id-here`);
      const reset = new SseReader(second.body!);
      const event = await reset.nextEvent();
      assertEquals(event.event, "reset");
      const result = validateSchema(xEvents().reset, event.data);
      assert(result.ok, result.errors);
      streamEvents.push(event);
      await call("GET", "/watch", "/watch", 429);
      await reset.cancel();
    });

    await t.step("the pages and their assets: 200, 304 and 404", async () => {
      for (
        const [template, path] of [
          ["/", "/"],
          ["/docs", "/docs"],
          ["/assets/{file}", "/assets/app.js"],
          ["/docs/assets/{file}", "/docs/assets/swagger-ui.css"],
        ]
      ) {
        const etag = (await call("GET", template, path, 200)).headers.get("etag")!;
        await call("GET", template, path, 304, undefined, { "if-none-match": etag });
      }
      await call("GET", "/assets/{file}", "/assets/nope.js", 404);
      await call("GET", "/docs/assets/{file}", "/docs/assets/nope.js", 404);
    });

    await t.step("the WebSocket bridge: 426 and 400, then 101 and spec-shaped frames", async () => {
      await call("GET", "/ws", "/ws?world=contract", 426);
      await call("GET", "/ws", "/ws?world=contract", 400, undefined, {
        upgrade: "websocket",
        connection: "upgrade",
        "sec-websocket-version": "13",
        "sec-websocket-key": "not a key",
      });
      client = new Client(wsUrl(url, "?world=contract"));
      const subscribed = await client.next("subscribed");
      probe.seen.add("GET /ws 101");
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
        () => world.members().some((m) => m.agentId === main.gateway.identity.agentId),
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
      // The world answered, so the listing says when it was last reachable.
      const detail = await (await call("GET", "/world/{worldId}", "/world/contract", 200)).json();
      assert(typeof detail.lastReachableAt === "number", JSON.stringify(detail));
    });

    await t.step("a world's state relay on both routes: 200 and every refusal", async () => {
      for (
        const [path, sender, worldId, version] of [
          ["/peer/message", world.identity, "contract", "1.2"],
          ["/messages", resource, "resource", "1.6"],
        ] as const
      ) {
        // Newer than the state the world broadcast (by the real clock) in the step before.
        const state = (content: unknown, from: Identity = sender, ts = clock.now + 60_000) =>
          createPeerMessage(from, "world.state", content, ts, version);
        const relayed = await state({ worldId, state: {} });
        await call("POST", path, path, 200, relayed);
        await call("POST", path, path, 409, relayed);
        await call(
          "POST",
          path,
          path,
          400,
          await createPeerMessage(sender, "world.join", {}, clock.now, version),
        );
        await call("POST", path, path, 403, await state({ worldId }, await generateIdentity()));
        await call("POST", path, path, 404, await state({ worldId: "nowhere" }));
        await call("POST", path, path, 413, { ...relayed, content: "x".repeat(300_000) });
      }
    });

    await t.step("signed deregistration: 200 and every refusal", async () => {
      const leaving = await generateIdentity();
      await call(
        "POST",
        "/peer/announce",
        "/peer/announce",
        200,
        await announceWorld(leaving, "leaving"),
      );
      const beat = await createHeartbeat(leaving, clock.now + 5);
      await call("POST", "/peer/heartbeat", "/peer/heartbeat", 200, beat);
      const stale = await createDeregistration(leaving, beat.ts);
      await call("POST", "/peer/deregister", "/peer/deregister", 409, stale);
      const forged = {
        ...await createDeregistration(await generateIdentity(), beat.ts + 1),
        agentId: leaving.agentId,
      };
      await call("POST", "/peer/deregister", "/peer/deregister", 403, forged);
      await call("POST", "/peer/deregister", "/peer/deregister", 400, {});
      await call(
        "POST",
        "/peer/deregister",
        "/peer/deregister",
        404,
        await createDeregistration(await generateIdentity(), clock.now),
      );
      await call("POST", "/peer/deregister", "/peer/deregister", 413, { ...stale, pad: PAD });
      await call(
        "POST",
        "/peer/deregister",
        "/peer/deregister",
        200,
        await createDeregistration(leaving, beat.ts + 1),
      );
      await call("GET", "/world/{worldId}", "/world/leaving", 404);
      // An agent that hosts no world leaves too (agent.expired).
      const passerby = await generateIdentity();
      const hello = await createAnnounce(
        passerby,
        { alias: "Bo", endpoints: [], capabilities: [] },
        clock.now,
      );
      await call("POST", "/peer/announce", "/peer/announce", 200, hello);
      await call(
        "POST",
        "/peer/deregister",
        "/peer/deregister",
        200,
        await createDeregistration(passerby, clock.now + 1),
      );
    });

    await t.step("key rotation: 200 and every refusal", async () => {
      const oldKey = await generateIdentity();
      const newKey = await generateIdentity();
      // Signed in the body only, in 1.5: the gateway finds the version by trying each.
      const announced = await createAnnounce(oldKey, worldFields("rotating"), clock.now, "1.5");
      await call("POST", "/agents", "/agents", 200, announced, JSON_TYPE);
      const older = await createKeyRotation(oldKey, newKey, clock.now - 1, "1.5");
      await call("POST", "/peer/key-rotation", "/peer/key-rotation", 409, older);
      clock.advance(1);
      const rotation = await createKeyRotation(oldKey, newKey, clock.now, "1.5");
      const forged = structuredClone(rotation);
      forged.proofs.signedByNew = forged.proofs.signedByOld;
      await call("POST", "/peer/key-rotation", "/peer/key-rotation", 403, forged);
      await call("POST", "/peer/key-rotation", "/peer/key-rotation", 400, { type: "rotation" });
      const strangers = await createKeyRotation(
        await generateIdentity(),
        await generateIdentity(),
        clock.now,
      );
      await call("POST", "/peer/key-rotation", "/peer/key-rotation", 404, strangers);
      await call("POST", "/peer/key-rotation", "/peer/key-rotation", 413, {
        ...rotation,
        pad: PAD,
      });
      const rotated = await call("POST", "/peer/key-rotation", "/peer/key-rotation", 200, rotation);
      assertEquals(await rotated.json(), { ok: true, worlds: ["rotating"], revoked: true });
    });

    await t.step("the admin API: 200 and every refusal", async () => {
      const wrong = { authorization: "Bearer wrong-token-0123456789" };
      // Lists and inspects.
      await call("GET", "/admin/worlds", "/admin/worlds?limit=2", 200, undefined, ADMIN);
      await call("GET", "/admin/worlds", "/admin/worlds?limit=0", 400, undefined, ADMIN);
      await call("GET", "/admin/worlds", "/admin/worlds", 403, undefined, wrong);
      const one = "/admin/worlds/{worldId}";
      await call("GET", one, "/admin/worlds/contract", 200, undefined, ADMIN);
      await call("GET", one, "/admin/worlds/-bad-", 400, undefined, ADMIN);
      await call("GET", one, "/admin/worlds/contract", 403);
      await call("GET", one, "/admin/worlds/nobody", 404, undefined, ADMIN);
      // Transfers, then releases.
      const owner = await generateIdentity();
      const heir = await generateIdentity();
      await call(
        "POST",
        "/peer/announce",
        "/peer/announce",
        200,
        await announceWorld(owner, "moving"),
      );
      const transfer = "/admin/worlds/{worldId}/transfer";
      const to = { publicKey: heir.publicKeyB64 };
      const admin = { ...ADMIN, ...JSON_TYPE };
      await call("POST", transfer, "/admin/worlds/moving/transfer", 200, to, admin);
      await call("POST", transfer, "/admin/worlds/moving/transfer", 400, { publicKey: "x" }, admin);
      await call("POST", transfer, "/admin/worlds/-bad-/transfer", 400, to, admin);
      await call("POST", transfer, "/admin/worlds/moving/transfer", 403, to, JSON_TYPE);
      await call(
        "POST",
        transfer,
        "/admin/worlds/moving/transfer",
        413,
        { ...to, pad: PAD },
        admin,
      );
      const release = "/admin/worlds/{worldId}/release";
      await call("POST", release, "/admin/worlds/moving/release", 200, undefined, ADMIN);
      await call("POST", release, "/admin/worlds/-bad-/release", 400, undefined, ADMIN);
      await call("POST", release, "/admin/worlds/moving/release", 403, undefined, wrong);
      await call("POST", release, "/admin/worlds/nobody/release", 404, undefined, ADMIN);
      // Removal routes.
      const doomed = await generateIdentity();
      await call(
        "POST",
        "/peer/announce",
        "/peer/announce",
        200,
        await announceWorld(doomed, "doomed"),
      );
      const removeWorld = "/worlds/{worldId}";
      await call("DELETE", removeWorld, `/worlds/${agentId(doomed)}`, 403);
      await call("DELETE", removeWorld, `/worlds/${agentId(doomed)}`, 200, undefined, ADMIN);
      await call("DELETE", removeWorld, "/worlds/doomed", 404, undefined, ADMIN);
      const gone = await generateIdentity();
      await call(
        "POST",
        "/peer/announce",
        "/peer/announce",
        200,
        await createAnnounce(gone, { alias: "Cy", endpoints: [], capabilities: [] }, clock.now),
      );
      const removeAgent = "/agents/{agentId}";
      await call("DELETE", removeAgent, `/agents/${gone.agentId}`, 403, undefined, wrong);
      await call("DELETE", removeAgent, `/agents/${gone.agentId}`, 200, undefined, ADMIN);
      await call("DELETE", removeAgent, `/agents/${gone.agentId}`, 404, undefined, ADMIN);
      await call("DELETE", removeAgent, "/agents/nope", 400, undefined, ADMIN);
    });

    await t.step(
      "a strict gateway: the transfer's 409, 503 when full, 429 on every signed and admin route",
      async () => {
        const strict = await startGateway({
          adminToken: TOKEN,
          worldIdPolicy: "live-holder",
          maxAgents: 1,
          quotas: { badSignatures: { perMinute: 1, burst: 1 } },
        });
        others.push(strict.gateway);
        const at = (...args: [string, string, string, number, unknown?, Record<string, string>?]) =>
          probe.call(strict.url, ...args);
        const key = await generateIdentity();
        await at("POST", "/admin/worlds/{worldId}/transfer", "/admin/worlds/any/transfer", 409, {
          publicKey: key.publicKeyB64,
        }, { ...ADMIN, ...JSON_TYPE });
        const only = await generateIdentity();
        await at(
          "POST",
          "/peer/announce",
          "/peer/announce",
          200,
          await createAnnounce(only, worldFields("only")),
        );
        await at(
          "POST",
          "/peer/announce",
          "/peer/announce",
          503,
          await createAnnounce(await generateIdentity(), worldFields("second")),
        );
        const third = await signedAnnounce(
          await generateIdentity(),
          worldFields("third"),
          strict.url,
          Date.now,
        );
        await at("POST", "/agents", "/agents", 503, third.body, third.headers);
        // One signature that does not verify spends this address's only token.
        const forged = { ...await createAnnounce(only, worldFields("only")), alias: "forged" };
        await at("POST", "/peer/announce", "/peer/announce", 403, forged);
        const rows = await signedAndAdminRows(only, "only", key, {
          peer: await createAnnounce(only, worldFields("only")),
          agents: third,
        });
        for (const [method, template, path, body, headers] of rows) {
          await at(method, template, path, 429, body, headers);
        }
        assertEquals(
          (await fetch(`${strict.url}/world/only`).then((r) => r.json())).worldId,
          "only",
        );
      },
    );

    await t.step(
      "the lease cap per address: 429 with Retry-After on both announce routes",
      async () => {
        const capped = await startGateway({ maxLeasesPerAddress: 1 });
        others.push(capped.gateway);
        const at = (...args: [string, string, string, number, unknown?, Record<string, string>?]) =>
          probe.call(capped.url, ...args);
        await at(
          "POST",
          "/peer/announce",
          "/peer/announce",
          200,
          await createAnnounce(await generateIdentity(), worldFields("first")),
        );
        const refused = await at(
          "POST",
          "/peer/announce",
          "/peer/announce",
          429,
          await createAnnounce(await generateIdentity(), worldFields("second")),
        );
        assertEquals(refused.headers.get("retry-after"), "30");
        const third = await signedAnnounce(
          await generateIdentity(),
          worldFields("third"),
          capped.url,
          Date.now,
        );
        await at("POST", "/agents", "/agents", 429, third.body, third.headers);
      },
    );

    await t.step("watcher caps: 503 past MAX_WATCHERS, 429 past the upgrade quota", async () => {
      const capped = await startGateway({
        watchers: { maxWatchers: 1 },
        quotas: { upgrades: { perMinute: 1, burst: 2 } },
      });
      others.push(capped.gateway);
      const at = (...args: [string, string, string, number, unknown?, Record<string, string>?]) =>
        probe.call(capped.url, ...args);
      const held = await generateIdentity();
      await at(
        "POST",
        "/peer/announce",
        "/peer/announce",
        200,
        await createAnnounce(held, worldFields("held")),
      );
      const first = new Client(wsUrl(capped.url, "?world=held"));
      await first.next("subscribed"); // the one watcher allowed
      const handshake = {
        upgrade: "websocket",
        connection: "upgrade",
        "sec-websocket-version": "13",
        "sec-websocket-key": btoa("0123456789abcdef"),
      };
      await at("GET", "/ws", "/ws?world=held", 503, undefined, handshake);
      await at("GET", "/ws", "/ws?world=held", 429, undefined, handshake);
      await first.close();
    });

    await t.step(
      "a gateway whose store is cut off: 503 with Retry-After on every route that reads or changes leases",
      async () => {
        const store = new OutageStore(await MemoryStore.open({}));
        const cut = await startGateway({ adminToken: TOKEN, store });
        others.push(cut.gateway);
        const at = (...args: [string, string, string, number, unknown?, Record<string, string>?]) =>
          probe.call(cut.url, ...args);
        const live = await generateIdentity();
        await at(
          "POST",
          "/peer/announce",
          "/peer/announce",
          200,
          await createAnnounce(live, worldFields("live")),
        );
        store.down = true;
        const id = encodeURIComponent(live.agentId);
        const fresh = await generateIdentity();
        const reads: Row[] = [
          ["GET", "/health", "/health", undefined, {}],
          ["GET", "/watch", "/watch", undefined, {}],
          ["GET", "/worlds", "/worlds", undefined, {}],
          ["GET", "/worlds/{worldId}", `/worlds/${id}`, undefined, {}],
          ["GET", "/world/{worldId}", "/world/live", undefined, {}],
          ["GET", "/agents", "/agents", undefined, {}],
          ["GET", "/agents/{agentId}", `/agents/${id}`, undefined, {}],
          ["GET", "/peer/peers", "/peer/peers", undefined, {}],
        ];
        const changes = await signedAndAdminRows(live, "live", fresh, {
          peer: await createAnnounce(fresh, worldFields("later")),
          agents: await signedAnnounce(fresh, worldFields("later"), cut.url, Date.now),
        });
        for (const [method, template, path, body, headers] of [...reads, ...changes]) {
          await at(method, template, path, 503, body, headers);
        }
        // Out of rotation while cut off from the store.
        await at("GET", "/ready", "/ready", 503);
        // What needs no store still answers, and the metrics say the store is down.
        await at("GET", "/livez", "/livez", 200);
        await at("GET", "/ping", "/ping", 200);
        const metrics = await at("GET", "/metrics", "/metrics", 200);
        assertMatch(await metrics.text(), /agentworlds_gateway_store_up 0/);
        store.down = false;
        await at("GET", "/world/{worldId}", "/world/live", 200);
      },
    );

    await t.step("leases that run out and ids left unused end by themselves", async () => {
      await client?.close();
      client = undefined;
      clock.advance(main.gateway.store.ttlMs + 1);
      await main.gateway.sweep();
      await call("GET", "/world/{worldId}", "/world/contract", 404);
      clock.advance(600_001);
      await main.gateway.sweep();
      await call("GET", "/admin/worlds/{worldId}", "/admin/worlds/contract", 404, undefined, ADMIN);
    });

    await t.step("every webhook delivered keeps the spec's webhooks and is signed", async () => {
      await main.gateway.webhooks!.drain();
      const signer = new Webhook(SECRET);
      const kinds = new Set<string>();
      for (const { headers, text } of receiver.deliveries) {
        const body = JSON.parse(text);
        const result = validateWebhook(body.event, body, headers);
        assert(result.ok, `${text}: ${result.errors}`);
        const id = headers.get("webhook-id")!;
        const seconds = Number(headers.get("webhook-timestamp"));
        assertEquals(
          headers.get("webhook-signature"),
          signer.sign(id, new Date(seconds * 1000), text),
        );
        kinds.add(`${body.event} ${body.reason ?? body.cause ?? ""}`.trim());
      }
      assertEquals([...kinds].sort(), [
        "agent.expired admin",
        "world.announced",
        "world.expired admin",
        "world.expired deregistered",
        "world.expired rotated",
        "world.expired ttl",
        "world.owner_changed admin_release",
        "world.owner_changed admin_transfer",
        "world.owner_changed retention",
        "world.owner_changed rotation",
      ]);
      assertEquals(defaultContract().webhookNames().sort(), [
        "agent.expired",
        "world.announced",
        "world.expired",
        "world.owner_changed",
      ]);
    });

    await t.step(
      "every /watch event keeps the schema x-events names, and every name was seen",
      async () => {
        for (let i = 0; i < 1000; i++) {
          const event = await watcher.nextEvent(500).catch(() => undefined);
          if (!event) break;
          streamEvents.push(event);
        }
        const schemaOf = xEvents();
        for (const event of streamEvents) {
          const result = validateSchema(schemaOf[event.event], event.data);
          assert(result.ok, `${event.event} ${JSON.stringify(event.data)}: ${result.errors}`);
        }
        assertEquals(
          [...new Set(streamEvents.map((e) => e.event))].sort(),
          Object.keys(schemaOf).sort(),
        );
        // Each webhook is a change of the stream: msg_ + its event id.
        const ids = new Set(streamEvents.map((e) => `msg_${e.id}`));
        for (const { headers } of receiver.deliveries) {
          assert(ids.has(headers.get("webhook-id")!), `${headers.get("webhook-id")} is no event`);
        }
      },
    );

    assertEquals(probe.missing(), [], "documented responses never exercised");
  } finally {
    await watcher.cancel();
    await client?.close();
    await world.stop();
    for (const gateway of [main.gateway, ...others]) await gateway.stop();
    await receiver.server.shutdown();
  }
});

Deno.test("a store outage answers 503 with Retry-After, never 404, and the lease is there after", async () => {
  const store = new OutageStore(await MemoryStore.open({}));
  const { gateway, url } = await startGateway({ store });
  try {
    const identity = await generateIdentity();
    const announced = await fetch(`${url}/peer/announce`, {
      method: "POST",
      body: JSON.stringify(await createAnnounce(identity, worldFields("steady"))),
    });
    assertEquals(announced.status, 200);
    await announced.body?.cancel();
    store.down = true;
    for (const path of ["/world/steady", "/peer/heartbeat"]) {
      const response = path === "/peer/heartbeat"
        ? await fetch(`${url}${path}`, {
          method: "POST",
          body: JSON.stringify(await createHeartbeat(identity, Date.now())),
        })
        : await fetch(`${url}${path}`);
      assertEquals(response.status, 503, path);
      assertEquals(response.headers.get("retry-after"), "5", path);
      assertEquals(
        (await response.json()).error,
        "the directory's store is unreachable; retry shortly",
      );
    }
    const socket = new Client(wsUrl(url, "?world=steady"));
    assertEquals((await socket.next("error")).message, "the directory is unavailable");
    await socket.closed;
    store.down = false;
    const renewed = await fetch(`${url}/peer/heartbeat`, {
      method: "POST",
      body: JSON.stringify(await createHeartbeat(identity, Date.now() + 1)),
    });
    assertEquals([renewed.status, await renewed.json()], [200, { ok: true }]);
  } finally {
    await gateway.stop();
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
