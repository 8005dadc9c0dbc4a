/**
 * The reference gateways' recorded answers, replayed through ours: each
 * `gatewayExchanges` request of the 1.3–1.6 vector files is sent, in order,
 * to our in-process app with the clock pinned to the vectors' time, the
 * reference's identity (identity 2) and its admin key. Our status must be
 * the reference's, and every field of its JSON answer a client reads must be
 * in ours with the same value (fields we add are allowed), except where
 * {@linkcode DIVERGENCES} says otherwise and why.
 *
 * Error bodies are compared by status only: reference SDK clients branch on
 * the status (re-announce on 403 and 404), and our error texts say more. The
 * webhooks the reference fired are not compared: ours are the documented
 * Standard Webhooks events of openapi.yaml (`webhooks`), naming a world by its
 * slug and its `agentId`.
 */
import { isRecord } from "../protocol/_validate.ts";
import { ALL_VECTORS, type Exchange, identityOf, type WireVectors } from "./_vectors.ts";
import { type Harness, withHarness } from "./_gateway.ts";
import { assert, assertEquals } from "./assert.ts";

/** Why we answer otherwise than a reference gateway, on purpose. Keep this short. */
const WHY = {
  /**
   * Each reference generation serves its own routes only and answers 404
   * `Route … not found` for the other's; ours serves both generations in one
   * directory (issue 12), and its `GET /worlds/{id}` also takes a slug.
   */
  bothGenerations: "both generations' routes and names are served here",
  /**
   * The reference accepts a message whose timestamp equals the last one
   * accepted (its only check is the ±5 min window); ours refuses it (409), so
   * a captured announce, heartbeat or world.state cannot be replayed.
   */
  replay: "a timestamp not newer than the last accepted is a replay (409)",
  /**
   * The directory's `worldId` is the slug, the owned name that survives key
   * changes; the key id a 1.4+ reference calls `worldId` is our `agentId`
   * (openapi.yaml, "Identities and world ids").
   */
  worldIdIsSlug: "worldId is the slug here; the reference's worldId (the key id) is our agentId",
  /**
   * A world is an agent too: `GET /agents` lists every lease, worlds with
   * their `worldId`, as 1.2/1.3 gateways do; 1.4+ references list non-world
   * agents only (and count only those in `/health`'s `agents`, where ours
   * counts every lease). A 1.4+ reader tells them apart by `worldId`.
   */
  worldsAreAgents: "worlds are agents too, so /agents lists them and /agents/{id} renews them",
  /** Announce answers list the sender's neighbours, never the sender (the reference lists it too). */
  neverSender: "an announce answer never lists the sender",
  /**
   * `/health`'s `status` is our readiness (`warming` for a TTL after a start,
   * while restored leases may still be renewed), and `registryAge` our
   * uptime; `ok`, `ts`, `agentId`, `agents` and `worlds` are the reference's.
   */
  health: "/health status and registryAge are ours",
} as const;

type Reason = keyof typeof WHY;
type Generation = "1.3" | "1.4+";

/** The exchanges whose status differs from the reference's: label → our status, and why. */
const DIVERGENCES: Record<Generation, Record<string, { status: number; why: Reason[] }>> = {
  "1.3": {
    "resource-style world detail route": { status: 200, why: ["bothGenerations"] },
    "agent detail": { status: 200, why: ["bothGenerations"] },
    "ping (resource route)": { status: 200, why: ["bothGenerations"] },
    // The same message was just accepted on /peer/message.
    "world.state message to /messages": { status: 409, why: ["bothGenerations", "replay"] },
    // The world's announce, sent again with the same timestamp.
    "world announce without X-AgentWorld-* headers (body signature only)": {
      status: 409,
      why: ["replay"],
    },
    // The world's heartbeat, sent again with the same ts.
    "legacy heartbeat route with a 1.2/1.3-shaped body": { status: 409, why: ["replay"] },
  },
  "1.4+": {
    "world detail by slug": { status: 200, why: ["bothGenerations"] },
    "old world detail route": { status: 200, why: ["bothGenerations"] },
    // Signed by the world's key over {agentId, ts}, with the ts of its heartbeat just accepted.
    "agent-style heartbeat for the world identity": {
      status: 409,
      why: ["worldsAreAgents", "replay"],
    },
    "ping (peer route)": { status: 200, why: ["bothGenerations"] },
    "peer exchange (peer route)": { status: 200, why: ["bothGenerations"] },
    "world.state message to /peer/message": { status: 200, why: ["bothGenerations"] },
    // The same message was just accepted on /peer/message.
    "world.state message to /messages": { status: 409, why: ["replay"] },
    "world announce without X-AgentWorld-* headers (body signature only)": {
      status: 409,
      why: ["replay"],
    },
    // The world's agent-style heartbeat, with the ts of its heartbeat just accepted.
    "legacy heartbeat route with a 1.2/1.3-shaped body": {
      status: 409,
      why: ["bothGenerations", "replay"],
    },
  },
};

const ADMIN_KEY = "vector-admin-key";
const isKeyId = (value: unknown) => typeof value === "string" && value.startsWith("aw:sha256:");

/** The agent id a list item names (a world's slug when it has no agent id). */
function itemId(item: unknown): string {
  return isRecord(item) ? String(item.agentId ?? item.slug ?? item.worldId) : "";
}

/** A reference world object as ours shows it: the key id in `agentId`, the slug in `worldId`. */
function asOurWorld(world: Record<string, unknown>): Record<string, unknown> {
  if (!isKeyId(world.worldId) || world.slug === undefined) return world;
  return { ...world, agentId: world.worldId, worldId: world.slug };
}

/**
 * The reference's answer as ours must carry it (`expected`) and ours
 * (`actual`), after the body rules of {@linkcode WHY}: `health`,
 * `worldIdIsSlug`, `neverSender` and `worldsAreAgents`.
 */
function comparable(
  exchange: Exchange,
  reference: Record<string, unknown>,
  ours: Record<string, unknown>,
): { expected: Record<string, unknown>; actual: Record<string, unknown> } {
  const { method, path } = exchange.request;
  let expected = { ...reference };
  const actual = { ...ours };
  if (path === "/health") {
    delete expected.status; // health
    delete expected.registryAge;
  }
  if (method === "GET" && (path.startsWith("/worlds/") || path.startsWith("/world/"))) {
    expected = asOurWorld(expected); // worldIdIsSlug
  }
  if (Array.isArray(expected.worlds)) {
    expected.worlds = expected.worlds.map((world) => asOurWorld(world)); // worldIdIsSlug
  }
  if (method === "POST" && (path === "/agents" || path === "/peer/announce")) {
    const sender = JSON.parse(exchange.request.body!).from;
    for (const key of ["peers", "agents"]) { // neverSender
      if (Array.isArray(expected[key])) {
        expected[key] = expected[key].filter((item: unknown) => itemId(item) !== sender);
      }
    }
  }
  if (method === "GET" && path === "/agents" && Array.isArray(actual.agents)) {
    const listed = new Set((expected.agents as unknown[]).map(itemId));
    // worldsAreAgents: a world the reference does not list may be listed here.
    actual.agents = actual.agents.filter((item: Record<string, unknown>) =>
      listed.has(itemId(item)) || item.worldId === undefined
    );
  }
  // Lists are compared as sets, by id.
  for (const key of ["peers", "agents", "worlds"]) {
    for (const body of [expected, actual]) {
      if (Array.isArray(body[key])) {
        body[key] = [...body[key]].sort((a, b) => itemId(a).localeCompare(itemId(b)));
      }
    }
  }
  return { expected, actual };
}

/** Every field of `expected` is in `actual` with the same value; arrays item by item. */
function assertCarries(actual: unknown, expected: unknown, where: string): void {
  if (Array.isArray(expected)) {
    assert(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
    assertEquals(actual.map(itemId), expected.map(itemId), `${where}: the items`);
    expected.forEach((item, i) => assertCarries(actual[i], item, `${where}[${i}]`));
  } else if (isRecord(expected)) {
    assert(isRecord(actual), `${where}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [key, value] of Object.entries(expected)) {
      assertCarries(actual[key], value, `${where}.${key}`);
    }
  } else {
    assertEquals(actual, expected, where);
  }
}

async function send(h: Harness, exchange: Exchange): Promise<Response> {
  const { method, path, headers, body } = exchange.request;
  const sent = Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== "host"),
  );
  // The app is reached at http://127.0.0.1:8100, the recorded Host.
  return await h.request(path, { method, headers: sent, body });
}

for (const vectors of ALL_VECTORS.filter((v) => v.gatewayExchanges) as WireVectors[]) {
  const version = vectors.protocolVersion;
  const generation: Generation = version === "1.3" ? "1.3" : "1.4+";
  const divergences = DIVERGENCES[generation];

  Deno.test(`${version}: the reference gateway's recorded exchanges replay here with its statuses and the fields clients read, but for the listed divergences`, async () => {
    const identity = await identityOf(vectors, 2);
    await withHarness(async (h) => {
      const seen = new Set<string>();
      for (const exchange of vectors.gatewayExchanges!.exchanges) {
        const { label } = exchange;
        seen.add(label);
        const response = await send(h, exchange);
        const text = await response.text();
        const diverges = divergences[label];
        assertEquals(
          response.status,
          diverges?.status ?? exchange.response.status,
          `${label}: ${text}${diverges ? ` (${diverges.why.map((r) => WHY[r]).join("; ")})` : ""}`,
        );
        assert(
          response.headers.get("content-type")?.startsWith("application/json"),
          `${label}: JSON`,
        );
        // Bodies are compared where both answered with success.
        if (diverges || exchange.response.status >= 400) continue;
        const { expected, actual } = comparable(
          exchange,
          JSON.parse(exchange.response.body),
          JSON.parse(text),
        );
        assertCarries(actual, expected, label);
      }
      // Every divergence listed is one the replay meets.
      assertEquals(Object.keys(divergences).filter((label) => !seen.has(label)), []);
    }, { clock: () => vectors.fixedTimeMs, identity, adminToken: ADMIN_KEY });
  });
}
