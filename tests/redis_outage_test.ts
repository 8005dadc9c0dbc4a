/**
 * Outages are not deaths: while Redis is unreachable every call fails fast
 * with StoreUnavailableError and the store reconnects by itself; after an
 * outage longer than the TTL the leases live when it began get one TTL from
 * recovery; kill -9 of an append-only Redis loses nothing acknowledged.
 *
 * @module
 */
import { RedisStore } from "../gateway/redis_store.ts";
import { type ChangeEvent, StoreUnavailableError } from "../gateway/store.ts";
import type { LogLevel } from "../gateway/log.ts";
import { assert, assertEquals } from "./assert.ts";
import {
  fileRedis,
  freePort,
  openStore,
  recordingLogger,
  redisTest,
  startRedis,
  uniquePrefix,
} from "./_redis.ts";
import { announceInput, type TestClock } from "./_store_contract.ts";

const shared = await fileRedis();

async function events(store: RedisStore): Promise<ChangeEvent[]> {
  const { events } = await store.feed.read("", 10_000);
  return events;
}

/** Moves the clock on with this replica ticking every second, as it does when alive. */
async function advanceTicking(store: RedisStore, clock: TestClock, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 1_000) {
    clock.advance(Math.min(left, 1_000));
    await store.tick();
  }
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

redisTest({
  name: "while Redis is down every call rejects with StoreUnavailableError promptly, never hangs",
  fn: async () => {
    const server = await startRedis();
    const { store } = await openStore(server, { commandTimeoutMs: 500 });
    try {
      assert((await store.announce(announceInput(1))).ok);
      await server.kill();
      const calls: [string, () => Promise<unknown>][] = [
        ["announce", () => store.announce(announceInput(2))],
        ["renew", () => store.renew(announceInput(1).agentId, 5)],
        ["get", () => store.get(announceInput(1).agentId)],
        ["listWorlds", () => store.listWorlds(10)],
        ["counts", () => store.counts()],
        ["sweep", () => store.sweep(10)],
        ["feed.read", () => store.feed.read("", 10)],
        ["outbox.take", () => store.outbox.take("c", 10)],
      ];
      for (const [name, call] of calls) {
        const started = performance.now();
        let error: unknown;
        try {
          await call();
        } catch (e) {
          error = e;
        }
        const took = performance.now() - started;
        assert(error instanceof StoreUnavailableError, `${name} rejected with ${error}`);
        assert(took < 3_000, `${name} took ${took} ms`);
      }
      assertEquals(store.status().reachable, false);
      assert(store.status().error !== undefined);
    } finally {
      await store.close();
      await server.dispose();
    }
  },
});

redisTest({
  name: "the store reconnects by itself once Redis is back",
  fn: async () => {
    const server = await startRedis({ appendonly: true });
    const { store } = await openStore(server);
    try {
      assert((await store.announce(announceInput(1))).ok);
      await server.kill();
      const down = await store.counts().catch((error) => error);
      assert(down instanceof StoreUnavailableError);
      await server.restart();
      const counts = await until("the store to answer again", () => store.counts());
      assertEquals(counts, { agents: 1, worlds: 1 });
      assertEquals(store.status().reachable, true);
    } finally {
      await store.close();
      await server.dispose();
    }
  },
});

/**
 * A loopback TCP proxy to Redis that counts the requests carrying a marker
 * and can cut one: the request reaches Redis (and runs), its reply is
 * dropped, and the client's connection is closed.
 */
function cuttingProxy(redisPort: number, marker: string) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const latin1 = new TextDecoder("latin1");
  const open = new Set<Deno.Conn>();
  const pumps: Promise<void>[] = [];
  let armed = false;
  let sent = 0;
  const pump = async (from: Deno.Conn, to: Deno.Conn, onChunk: (chunk: Uint8Array) => boolean) => {
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        const chunk = buffer.slice(0, n);
        if (!onChunk(chunk)) break;
        await to.write(chunk);
      }
    } catch {
      // closed under us
    }
    for (const conn of [from, to]) {
      if (open.delete(conn)) conn.close();
    }
  };
  const accepting = (async () => {
    for await (const client of listener) {
      const redis = await Deno.connect({ hostname: "127.0.0.1", port: redisPort });
      open.add(client).add(redis);
      let cut = false;
      pumps.push(
        pump(client, redis, (chunk) => {
          if (latin1.decode(chunk).includes(marker)) {
            sent++;
            if (armed) [armed, cut] = [false, true];
          }
          return true;
        }),
        // The cut request's reply is dropped, and both ends closed.
        pump(redis, client, () => !cut),
      );
    }
  })();
  return {
    url: `redis://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    /** Requests carrying the marker that reached Redis. */
    sent: () => sent,
    /** Cuts the next request carrying the marker. */
    arm() {
      armed = true;
    },
    async close() {
      listener.close();
      await accepting;
      for (const conn of open) conn.close();
      open.clear();
      await Promise.all(pumps);
    },
  };
}

redisTest({
  name:
    "a script whose connection drops mid-flight rejects with StoreUnavailableError and is never sent again",
  fn: async () => {
    const agentId = announceInput(1).agentId;
    const proxy = cuttingProxy(shared!.port, agentId);
    const store = await RedisStore.connect({
      url: proxy.url,
      prefix: uniquePrefix("cut"),
      tickMs: 0,
      outageGraceAfterMs: 0,
    });
    try {
      assert((await store.announce(announceInput(1))).ok);
      const before = proxy.sent();
      proxy.arm();
      const cut = await store.renew(agentId, 5).catch((error) => error);
      assert(cut instanceof StoreUnavailableError, `the renew rejected with ${cut}`);
      // Reconnected: a resend would have gone out before this call's answer.
      await until("the store to answer again", () => store.counts());
      assertEquals(proxy.sent() - before, 1, "the renew reached Redis once");
      // It had run: its heartbeat time is the floor now, so a retry would be a replay.
      assertEquals((await store.get(agentId))?.lastHeartbeatTs, 5);
      assertEquals((await store.renew(agentId, 5)).ok, false);
    } finally {
      await store.close();
      await proxy.close();
    }
  },
});

redisTest({
  name: "kill -9 of an append-only Redis mid-load loses no acknowledged announce or event",
  fn: async () => {
    const server = await startRedis({ appendonly: true });
    const { store } = await openStore(server);
    const acknowledged: string[] = [];
    try {
      let stop = false;
      const load = (async () => {
        for (let n = 1; n <= 5_000 && !stop; n++) {
          try {
            const outcome = await store.announce(announceInput(n));
            if (outcome.ok) acknowledged.push(outcome.record.agentId);
          } catch (error) {
            if (!(error instanceof StoreUnavailableError)) throw error;
            stop = true;
          }
        }
      })();
      await until("some announces", () => Promise.resolve(acknowledged.length >= 200 || undefined));
      await server.kill();
      await load;
      await server.restart();
      await until("the store to answer again", () => store.counts());
      for (const agentId of acknowledged) {
        assert(await store.get(agentId), `${agentId} was acknowledged and lost`);
      }
      const announced = new Set((await events(store)).map((e) => e.agentId));
      for (const agentId of acknowledged) assert(announced.has(agentId), `event of ${agentId}`);
    } finally {
      await store.close();
      await server.dispose();
    }
  },
});

redisTest({
  name: "startup with an unreachable Redis waits and logs, then serves once Redis is up",
  fn: async () => {
    const port = freePort();
    const lines: [LogLevel, string][] = [];
    const connecting = RedisStore.connect({
      url: `redis://127.0.0.1:${port}`,
      prefix: uniquePrefix(),
      tickMs: 0,
      connectRetryMs: 100,
      logger: recordingLogger(lines),
    });
    await until("a log line", () => Promise.resolve(lines.length > 0 || undefined));
    const [level, line] = lines[0];
    assertEquals(level, "warn");
    assert(line.includes("cannot reach redis://127.0.0.1"), line);
    assert(line.includes("REDIS_URL"), line);
    const server = await startRedis({ port });
    try {
      const store = await connecting;
      try {
        assertEquals(await store.counts(), { agents: 0, worlds: 0 });
      } finally {
        await store.close();
      }
    } finally {
      await server.dispose();
    }
  },
});

redisTest({
  name: "connect gives up when its signal is aborted",
  fn: async () => {
    const controller = new AbortController();
    const connecting = RedisStore.connect({
      url: `redis://127.0.0.1:${freePort()}`,
      prefix: uniquePrefix(),
      tickMs: 0,
      connectRetryMs: 100,
      signal: controller.signal,
    });
    controller.abort(new Error("shutting down"));
    const error = await connecting.catch((e) => e);
    assert(error instanceof Error && error.message === "shutting down", String(error));
  },
});

redisTest({
  name: "after an outage longer than the TTL, leases live when it began get one TTL from recovery",
  fn: async () => {
    const { store, clock } = await openStore(shared!, { outageGraceAfterMs: 5_000 });
    try {
      await store.tick();
      assert((await store.announce(announceInput(1))).ok);
      clock.advance(200_000); // no replica ticked: an outage of 200 s, past the 90 s TTL
      const recovery = clock.now;
      assert(await store.getWorld("w1"), "live in the grace, before any write records it");
      assertEquals((await store.sweep(100)).reclaimed, 0);
      await store.tick();
      assertEquals(store.status().graceUntil, recovery + store.ttlMs);
      await advanceTicking(store, clock, store.ttlMs);
      assert(await store.getWorld("w1"), "live until one TTL from recovery");
      clock.advance(1);
      assertEquals(await store.getWorld("w1"), undefined);
      await store.sweep(100);
      const expired = (await events(store)).filter((e) => e.type === "world.expired");
      assertEquals(expired.map((e) => e.at), [recovery + store.ttlMs]);
    } finally {
      await store.close();
    }
  },
});

redisTest({
  name: "a world renewing after an outage keeps its lease with no expired and announced pair",
  fn: async () => {
    const { store, clock } = await openStore(shared!, { outageGraceAfterMs: 5_000 });
    try {
      await store.tick();
      assert((await store.announce(announceInput(1))).ok);
      clock.advance(300_000);
      assert((await store.renew(announceInput(1).agentId, 10)).ok);
      await advanceTicking(store, clock, store.ttlMs);
      await store.sweep(100);
      assert(await store.getWorld("w1"));
      assertEquals((await events(store)).map((e) => e.type), ["world.announced"]);
    } finally {
      await store.close();
    }
  },
});

redisTest({
  name: "a lease that had already run out when the outage began is not revived",
  fn: async () => {
    const { store, clock } = await openStore(shared!, { outageGraceAfterMs: 5_000 });
    try {
      assert((await store.announce(announceInput(1))).ok);
      await advanceTicking(store, clock, 100_000); // replicas were alive when it ran out
      clock.advance(200_000);
      assertEquals(await store.getWorld("w1"), undefined);
      assertEquals((await store.sweep(10)).reclaimed, 1);
    } finally {
      await store.close();
    }
  },
});

redisTest({
  name: "a real Redis outage past the TTL does not expire a world that heartbeats after it",
  fn: async () => {
    const server = await startRedis({ appendonly: true });
    const store = await RedisStore.connect({
      url: server.url,
      prefix: uniquePrefix(),
      ttlMs: 2_000,
      tickMs: 100,
      outageGraceAfterMs: 500,
    });
    try {
      assert((await store.announce(announceInput(1, { timestamp: 1 }))).ok);
      await new Promise((resolve) => setTimeout(resolve, 300)); // a few ticks
      await server.kill();
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // longer than the TTL
      await server.restart();
      const renewed = await until(
        "a heartbeat to be answered",
        () => store.renew(announceInput(1).agentId, 2),
      );
      assert(renewed.ok, `the heartbeat after the outage was refused: ${JSON.stringify(renewed)}`);
      await store.sweep(100);
      assertEquals((await events(store)).map((e) => e.type), ["world.announced"]);
    } finally {
      await store.close();
      await server.dispose();
    }
  },
});
