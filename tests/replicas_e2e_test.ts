/**
 * Replicas end to end: real `deno task gateway` processes sharing one real
 * `redis-server`. Every rule holds across them: one directory, cursors and
 * change-stream ids valid on any replica, `world.state` relayed from the
 * replica a world posts to, a replica killed with SIGKILL losing no webhook,
 * and Redis killed and restarted answered with 503 meanwhile and recovered
 * from by itself.
 */
import {
  createAnnounce,
  createDeregistration,
  createHeartbeat,
  createPeerMessage,
  generateIdentity,
  type Identity,
} from "../protocol/mod.ts";
import { type RedisServer, redisTest, startRedis, uniquePrefix } from "./_redis.ts";
import { type Spawned, spawnTask } from "./_process.ts";
import { Client, until, wsUrl } from "./_ws.ts";
import { SseReader } from "./_sse.ts";
import { assert, assertEquals } from "./assert.ts";
import { holdingReceiver } from "./_webhook_receiver.ts";

interface Cluster {
  redis: RedisServer;
  replicas: Spawned[];
  /** Starts one more replica on the same Redis and prefix. */
  spawnReplica(): Promise<Spawned>;
  close(): Promise<void>;
}

async function cluster(
  count: number,
  env: Record<string, string> = {},
  redisOptions: Parameters<typeof startRedis>[0] = {},
): Promise<Cluster> {
  const redis = await startRedis(redisOptions);
  const dir = await Deno.makeTempDir({ prefix: "aw-replicas-" });
  const prefix = uniquePrefix("e2e");
  const replicas: Spawned[] = [];
  const spawnReplica = async () => {
    const replica = await spawnTask("gateway", {
      HTTP_PORT: "0",
      LISTEN_ADDR: "127.0.0.1",
      DATA_DIR: `${dir}/replica-${replicas.length}`,
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      ...env,
    });
    replicas.push(replica);
    return replica;
  };
  try {
    for (let i = 0; i < count; i++) await spawnReplica();
  } catch (error) {
    for (const replica of replicas) await replica.kill("SIGKILL");
    await redis.dispose();
    throw error;
  }
  return {
    redis,
    replicas,
    spawnReplica,
    async close() {
      for (const replica of replicas) await replica.kill("SIGKILL");
      await redis.dispose();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function post(url: string, body: unknown): Promise<Response> {
  return await fetch(url, { method: "POST", body: JSON.stringify(body) });
}

async function status(url: string): Promise<number> {
  const response = await fetch(url);
  await response.body?.cancel();
  return response.status;
}

function announceOf(identity: Identity, worldId: string, port = 9) {
  return createAnnounce(identity, {
    alias: `World ${worldId}`,
    endpoints: [{ address: "127.0.0.1", port, transport: "tcp" }],
    capabilities: [`world:${worldId}`],
  });
}

redisTest({
  name:
    "three replicas on one Redis serve one directory: heartbeats round-robin, cursors and counts agree",
  async fn() {
    const c = await cluster(3);
    try {
      const [a, b, d] = c.replicas.map((r) => r.url);
      const worlds = await Promise.all(Array.from({ length: 5 }, () => generateIdentity()));
      for (const [i, identity] of worlds.entries()) {
        const response = await post(
          `${c.replicas[i % 3].url}/peer/announce`,
          await announceOf(identity, `w${i}`),
        );
        assertEquals(response.status, 200);
        await response.body?.cancel();
      }
      // One world heartbeats through each replica in turn.
      for (let round = 0; round < 6; round++) {
        const beat = await createHeartbeat(worlds[0], Date.now() + round);
        const response = await post(`${c.replicas[round % 3].url}/peer/heartbeat`, beat);
        assertEquals(response.status, 200, `round ${round}`);
        await response.body?.cancel();
      }
      // A replayed heartbeat is refused by every replica, not only the one that took it.
      const replay = await createHeartbeat(worlds[0], Date.now() - 10);
      for (const url of [a, b, d]) {
        assertEquals((await post(`${url}/peer/heartbeat`, replay)).status, 409);
      }
      // Counts agree; a cursor made by one replica works on another.
      const healths = await Promise.all(
        [a, b, d].map(async (url) => (await fetch(`${url}/health`)).json()),
      );
      assertEquals(healths.map((h) => [h.agents, h.worlds]), [[5, 5], [5, 5], [5, 5]]);
      const first = await (await fetch(`${a}/worlds?limit=2`)).json();
      const second = await (await fetch(`${b}/worlds?limit=2&cursor=${first.nextCursor}`)).json();
      const third = await (await fetch(`${d}/worlds?limit=2&cursor=${second.nextCursor}`)).json();
      const all = [...first.worlds, ...second.worlds, ...third.worlds].map((
        w: { worldId: string },
      ) => w.worldId);
      assertEquals(all, ["w4", "w3", "w2", "w1", "w0"]);
      assertEquals(third.nextCursor, null);
      // World ids are owned across replicas.
      const thief = await generateIdentity();
      assertEquals((await post(`${d}/peer/announce`, await announceOf(thief, "w1"))).status, 409);
    } finally {
      await c.close();
    }
  },
});

redisTest({
  name:
    "a /watch client resumes on another replica with the same ids, and world.state crosses replicas",
  async fn() {
    const c = await cluster(2);
    const [a, b] = c.replicas.map((r) => r.url);
    let client: Client | undefined;
    try {
      const world = await generateIdentity();
      const listing = await (await fetch(`${a}/worlds`)).json();
      const first = new SseReader((await fetch(`${a}/watch?since=${listing.revision}`)).body!);
      assertEquals(
        (await post(`${b}/peer/announce`, await announceOf(world, "crossing"))).status,
        200,
      );
      const announced = await first.nextEvent();
      assertEquals([announced.event, (announced.data as { worldId: string }).worldId], [
        "world.announced",
        "crossing",
      ]);
      await first.cancel();
      // Resume on the other replica from the id the first one gave.
      const later = await generateIdentity();
      assertEquals(
        (await post(`${a}/peer/announce`, await announceOf(later, "later"))).status,
        200,
      );
      const resumed = new SseReader(
        (await fetch(`${b}/watch`, { headers: { "last-event-id": announced.id } })).body!,
      );
      const missed = await resumed.nextEvent();
      assertEquals([missed.event, (missed.data as { worldId: string }).worldId], [
        "world.announced",
        "later",
      ]);
      await resumed.cancel();

      // A browser on replica A; the world posts its state to replica B.
      client = new Client(wsUrl(a, "?world=crossing"));
      await client.next("subscribed");
      const message = await createPeerMessage(world, "world.state", {
        worldId: "crossing",
        state: { tick: 1 },
      });
      const relayed = await post(`${b}/peer/message`, message);
      assertEquals(relayed.status, 200);
      await relayed.body?.cancel();
      const state = await client.next("world.state");
      assertEquals(state.state, { tick: 1 });
      // The same message to the other replica is a replay everywhere.
      assertEquals((await post(`${a}/peer/message`, message)).status, 409);
      // The world leaves through B: the watcher on A is told.
      const gone = await fetch(`${b}/peer/deregister`, {
        method: "POST",
        body: JSON.stringify(
          await createDeregistration(world, Date.now()),
        ),
      });
      assertEquals(gone.status, 200);
      assert(String((await client.next("error")).message).startsWith("world went offline"));
    } finally {
      await client?.close();
      await c.close();
    }
  },
});

redisTest({
  name:
    "a leader killed with SIGKILL holding deliveries: the survivor takes them over, none lost, only the in-flight ones sent twice",
  async fn() {
    const receiver = holdingReceiver();
    const c = await cluster(2, { WEBHOOK_URL: receiver.url });
    // Heartbeats and announces keep coming, to both replicas, across the kill.
    const worlds = new Map<string, Identity>();
    const announced = new Set<string>(); // answered 200
    const unsure = new Set<string>(); // the answer was lost (the replica died)
    const beats: { replica: number; status: number; afterKill: boolean }[] = [];
    let killed: number | undefined;
    let loading = true;
    const announce = async (name: string, replica: number) => {
      const identity = await generateIdentity();
      worlds.set(name, identity);
      try {
        const response = await post(
          `${c.replicas[replica].url}/peer/announce`,
          await announceOf(identity, name),
        );
        assertEquals(response.status, 200, name);
        await response.body?.cancel();
        announced.add(name);
      } catch (error) {
        if (killed !== replica) throw error;
        unsure.add(name);
      }
    };
    const load = (async () => {
      let ts = Date.now();
      for (let round = 0; loading; round++) {
        for (const [name, identity] of [...worlds]) {
          if (!announced.has(name)) continue;
          const replica = round % 2;
          if (replica === killed) continue; // the load balancer has taken it out
          const afterKill = killed !== undefined;
          try {
            const response = await post(
              `${c.replicas[replica].url}/peer/heartbeat`,
              await createHeartbeat(identity, ++ts),
            );
            await response.body?.cancel();
            beats.push({ replica, status: response.status, afterKill });
          } catch (error) {
            if (killed !== replica) throw error; // only the killed one may fail
          }
        }
        if (round % 5 === 4) {
          await announce(`late-${round}`, round % 2 === killed ? 1 - killed : round % 2);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      for (let i = 0; i < 20; i++) await announce(`hook-${i}`, i % 2);
      // The leader takes them all and has a delivery per world in flight (8 at once).
      await until(() => receiver.held() >= 8, "deliveries held in flight", 15_000);
      const leader = c.replicas.findIndex((r) => /webhook delivery: leading/.test(r.output()));
      assert(leader >= 0, "a replica says it leads");
      killed = leader;
      await c.replicas[leader].kill("SIGKILL");
      const killedAt = performance.now();
      const inFlight = new Set(receiver.receipts.keys());
      receiver.release();
      await until(
        () => {
          const delivered = new Set([...receiver.receipts.values()].map((s) => s[0].worldId));
          return [...announced].every((name) => delivered.has(name));
        },
        "every event delivered",
        30_000,
      );
      loading = false;
      await load;
      const takeover = Math.min(
        ...[...receiver.receipts.values()].flat().filter((d) => d.at > killedAt).map((d) => d.at),
      ) - killedAt;
      console.log(
        `kill -9 of the leader: first redelivery by the survivor after ${
          Math.round(takeover)
        } ms; ${inFlight.size} in flight at the kill`,
      );

      // None missing, none unknown; one webhook-id per event.
      const deliveries = [...receiver.receipts.entries()];
      const worldOf = new Map(deliveries.map(([id, seen]) => [id, seen[0].worldId]));
      const delivered = new Set(worldOf.values());
      for (const name of announced) assert(delivered.has(name), `${name} never delivered`);
      for (const name of delivered) assert(announced.has(name) || unsure.has(name), name);
      assertEquals(worldOf.size, delivered.size, "one webhook-id per event");
      assert(deliveries.every(([, seen]) => seen.every((d) => d.event === "world.announced")));
      // Nothing was answered before the kill, so the survivor delivered every
      // event, once each; only those in flight at the kill came twice (at least
      // once: the dead leader never heard their answers).
      assert(inFlight.size >= 8, "the leader died with deliveries in hand");
      for (const [id, seen] of deliveries) {
        const after = seen.filter((d) => d.at > killedAt).length;
        assertEquals(after, 1, `${worldOf.get(id)}: deliveries by the survivor`);
        assertEquals(seen.length - after, inFlight.has(id) ? 1 : 0, `${worldOf.get(id)}: before`);
      }

      // The survivor answered every heartbeat of the load; the directory is whole.
      const survivor = c.replicas[1 - leader].url;
      const afterKill = beats.filter((b) => b.afterKill);
      assert(afterKill.length > 0, "load ran on after the kill");
      assert(
        beats.every((b) => b.status === 200),
        JSON.stringify(beats.filter((b) => b.status !== 200)),
      );
      const listing = await (await fetch(`${survivor}/worlds?limit=100`)).json();
      const listed = new Set(listing.worlds.map((w: { worldId: string }) => w.worldId));
      for (const name of announced) assert(listed.has(name), `${name} missing from the directory`);
      const health = await (await fetch(`${survivor}/health`)).json();
      assertEquals(health.worlds, listed.size);
    } finally {
      loading = false;
      await load.catch(() => {});
      await c.close();
      await receiver.close();
    }
  },
});

redisTest({
  name:
    "Redis killed mid-load: 503 with Retry-After meanwhile (never 404), then recovery by itself with nothing acknowledged lost",
  async fn() {
    const c = await cluster(1, {}, { appendonly: true });
    const url = c.replicas[0].url;
    try {
      const world = await generateIdentity();
      assertEquals(
        (await post(`${url}/peer/announce`, await announceOf(world, "durable"))).status,
        200,
      );
      assertEquals(
        (await post(`${url}/peer/heartbeat`, await createHeartbeat(world, Date.now()))).status,
        200,
      );
      await new Promise((r) => setTimeout(r, 1100)); // append-only fsyncs every second
      await c.redis.kill();
      const during = await post(
        `${url}/peer/heartbeat`,
        await createHeartbeat(world, Date.now() + 1),
      );
      assertEquals(during.status, 503);
      assert(Number(during.headers.get("retry-after")) >= 1);
      await during.body?.cancel();
      assertEquals(await status(`${url}/world/durable`), 503);
      assertEquals(await status(`${url}/health`), 503);
      assertEquals(await status(`${url}/ready`), 503);
      await c.redis.restart();
      await until(async () => await status(`${url}/world/durable`) === 200, "recovery", 15_000);
      const after = await post(
        `${url}/peer/heartbeat`,
        await createHeartbeat(world, Date.now() + 2),
      );
      assertEquals(after.status, 200);
      await after.body?.cancel();
    } finally {
      await c.close();
    }
  },
});
