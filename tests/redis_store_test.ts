/**
 * The Redis store's rules that the shared contract suite does not reach:
 * what only a shared Redis can get wrong (several store instances as
 * replicas, the script cache, key layout, listpack encoding).
 *
 * @module
 */
import { RedisStore, type RedisStoreOptions } from "../gateway/redis_store.ts";
import { createGateway } from "../gateway/mod.ts";
import { makeWorld } from "./_gateway.ts";
import { Redis } from "ioredis";
import { assert, assertEquals } from "./assert.ts";
import {
  fileRedis,
  makeTlsFiles,
  openStore,
  redisTest,
  startRedis,
  uniquePrefix,
} from "./_redis.ts";
import { announceInput, type TestClock } from "./_store_contract.ts";

const server = await fileRedis();

async function withStore(
  options: Partial<RedisStoreOptions>,
  fn: (store: RedisStore, clock: TestClock) => Promise<void>,
): Promise<void> {
  const { store, clock } = await openStore(server!, options);
  try {
    await fn(store, clock);
  } finally {
    await store.close();
  }
}

async function withAdmin(fn: (admin: Redis) => Promise<void>): Promise<void> {
  const admin = new Redis(server!.url, { lazyConnect: true });
  await admin.connect();
  try {
    await fn(admin);
  } finally {
    admin.disconnect();
  }
}

redisTest({
  name: "a cursor from one replica pages on from the same place on another",
  fn: async () => {
    const prefix = uniquePrefix();
    await withStore({ prefix }, async (a, clock) => {
      for (let n = 1; n <= 5; n++) {
        await a.announce(announceInput(n));
        clock.advance(10);
      }
      await withStore({ prefix, clock: clock.read }, async (b) => {
        const first = await a.listWorlds(2);
        assertEquals(first.records.map((r) => r.worldId), ["w5", "w4"]);
        const second = await b.listWorlds(2, first.nextCursor!);
        assertEquals(second.records.map((r) => r.worldId), ["w3", "w2"]);
        const third = await a.listWorlds(2, second.nextCursor!);
        assertEquals(third.records.map((r) => r.worldId), ["w1"]);
        assertEquals(third.nextCursor, null);
        assertEquals(await b.counts(), await a.counts());
      });
    });
  },
});

redisTest({
  name: "a listing over a mass expiry not yet swept ends early with a cursor to go on",
  fn: () =>
    withStore({ listBudget: 10, ttlMs: 1000 }, async (store, clock) => {
      await store.announce(announceInput(1));
      clock.advance(10);
      for (let n = 2; n <= 30; n++) await store.announce(announceInput(n));
      clock.advance(490);
      assert((await store.renew(announceInput(1).agentId, 5)).ok);
      clock.advance(511); // w2…w30 ran out; w1, the oldest grant, is live
      const first = await store.listWorlds(5);
      assertEquals(first.records, [], "ten expired entries visited, none live");
      assert(first.nextCursor !== null, "a cursor to go on");
      const seen: string[] = [];
      let cursor: string | null = first.nextCursor;
      for (let pages = 0; cursor !== null && pages < 10; pages++) {
        const page = await store.listWorlds(5, cursor);
        seen.push(...page.records.map((r) => r.worldId!));
        cursor = page.nextCursor;
      }
      assertEquals(seen, ["w1"]);
      assertEquals(cursor, null);
    }),
});

redisTest({
  name: "a script runs again after Redis lost its script cache (NOSCRIPT falls back to EVAL)",
  fn: () =>
    withStore({}, async (store) => {
      await store.announce(announceInput(1));
      await withAdmin((admin) => admin.script("FLUSH").then(() => {}));
      const renewed = await store.renew(announceInput(1).agentId, 10);
      assert(renewed.ok);
      assertEquals((await store.counts()).worlds, 1);
    }),
});

redisTest({
  name: "every key a store writes starts with its hash-tagged prefix",
  fn: () => {
    const prefix = uniquePrefix("keys");
    return withStore({ prefix }, async (store, clock) => {
      await store.announce(announceInput(1, { address: "10.0.0.1" }));
      await store.acceptState("w1", 5);
      await store.outbox.lead("c", 1000);
      clock.advance(100_000);
      await store.sweep(10);
      await store.tick();
      await withAdmin(async (admin) => {
        const keys = await admin.keys(`*${prefix}*`);
        assert(keys.length > 5, `keys: ${keys}`);
        for (const key of keys) assert(key.startsWith(`{${prefix}}:`), key);
      });
    });
  },
});

redisTest({
  name: "a world's lease hash stays a compact listpack with endpoints under 64 bytes",
  fn: () =>
    withStore({}, async (store) => {
      await store.announce(announceInput(1));
      await withAdmin(async (admin) => {
        const encoding = await admin.call(
          "object",
          "encoding",
          `${store.keyBase}a:${announceInput(1).agentId}`,
        );
        assertEquals(encoding, "listpack");
      });
    }),
});

redisTest({
  name: "two stores with different prefixes on one Redis are two directories",
  fn: () =>
    withStore({}, async (a) => {
      await withStore({}, async (b) => {
        assert((await a.announce(announceInput(1))).ok);
        const other = await b.announce(announceInput(2, { worldId: "w1" }));
        assert(other.ok, "w1 is free in the other directory");
        assertEquals(await a.counts(), { agents: 1, worlds: 1 });
        assertEquals(await b.counts(), { agents: 1, worlds: 1 });
      });
    }),
});

redisTest({
  name: "a world.state frame published through one replica reaches another's subscribers",
  fn: async () => {
    const prefix = uniquePrefix();
    await withStore({ prefix }, async (a) => {
      await withStore({ prefix }, async (b) => {
        const received = Promise.withResolvers<[string, string]>();
        const unsubscribe = b.subscribeState((worldId, frame) =>
          received.resolve([worldId, frame])
        );
        try {
          // The subscription is asynchronous: publish until it is heard (bounded).
          let heard: [string, string] | undefined;
          for (let i = 0; i < 50 && !heard; i++) {
            await a.publishState("w1", '{"type":"world.state"}');
            heard = await Promise.race([
              received.promise,
              new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20)),
            ]);
          }
          assertEquals(heard, ["w1", '{"type":"world.state"}']);
        } finally {
          unsubscribe();
        }
      });
    });
  },
});

redisTest({
  name: "a world.state timestamp is accepted once, by whichever replica sees it first",
  fn: async () => {
    const prefix = uniquePrefix();
    await withStore({ prefix }, async (a) => {
      await withStore({ prefix }, async (b) => {
        const results = await Promise.all([a.acceptState("w1", 10), b.acceptState("w1", 10)]);
        assertEquals(results.filter(Boolean).length, 1);
        assertEquals(await b.acceptState("w1", 9), false);
        assertEquals(await a.acceptState("w1", 11), true);
      });
    });
  },
});

redisTest({
  name: "now() is Redis TIME when no clock is given",
  fn: async () => {
    const { store } = await openStore(server!, { clock: undefined });
    try {
      const before = Date.now();
      const now = await store.now();
      assert(Math.abs(now - before) < 5_000, `redis time ${now} vs ${before}`);
    } finally {
      await store.close();
    }
  },
});

redisTest({
  name: "a world id held by a live lease is never released by retention, however long it lives",
  fn: () =>
    withStore({ ownerRetentionMs: 1_000 }, async (store, clock) => {
      await store.announce(announceInput(1));
      for (let ts = 10; ts < 15; ts++) {
        clock.advance(60_000);
        assert((await store.renew(announceInput(1).agentId, ts)).ok);
        await store.sweep(100);
      }
      assertEquals((await store.owner("w1"))?.owner, announceInput(1).agentId);
      assertEquals((await store.owner("w1"))?.lastUsedAt, clock.now, "in use now");
      await store.revoke(announceInput(1).agentId, "admin");
      clock.advance(1_001);
      await store.sweep(100);
      assertEquals(await store.owner("w1"), undefined, "unused past the retention: released");
    }),
});

redisTest({
  name: "a rediss:// URL connects over TLS, trusting the CA it is given",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "aw-redis-tls-" });
    try {
      const tls = await makeTlsFiles(dir);
      if (!tls) {
        console.log("openssl not found: the TLS connection is not tested");
        return;
      }
      const secure = await startRedis({ tls, dir });
      try {
        assert(secure.url.startsWith("rediss://"));
        const store = await RedisStore.connect({
          url: secure.url,
          tlsCa: await Deno.readTextFile(tls.ca),
          prefix: uniquePrefix(),
          tickMs: 0,
        });
        try {
          assert((await store.announce(announceInput(1))).ok);
          assertEquals(await store.counts(), { agents: 1, worlds: 1 });
        } finally {
          await store.close();
        }
      } finally {
        await secure.stop();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

redisTest({
  name: "the sweep takes the oldest deadlines first, across world hosts and other agents",
  fn: () =>
    withStore({}, async (store, clock) => {
      const agent = (n: number) => announceInput(n, { worldId: undefined, capabilities: ["chat"] });
      await store.announce(agent(1));
      clock.advance(10);
      await store.announce(announceInput(2));
      clock.advance(10);
      await store.announce(agent(3));
      clock.advance(store.ttlMs + 100);
      const first = await store.sweep(2);
      assertEquals(first.expired.map((e) => e.agentId), [
        agent(1).agentId,
        announceInput(2).agentId,
      ]);
      assertEquals(first.more, true);
      assertEquals((await store.sweep(2)).expired.map((e) => e.agentId), [agent(3).agentId]);
    }),
});

redisTest({
  name: "an agent that starts or stops hosting a world is counted and expires as what it now is",
  fn: () =>
    withStore({}, async (store, clock) => {
      const id = announceInput(1).agentId;
      await store.announce(
        announceInput(1, { worldId: undefined, capabilities: [], timestamp: 1 }),
      );
      assertEquals(await store.counts(), { agents: 1, worlds: 0 });
      await store.announce(announceInput(1, { timestamp: 2 }));
      assertEquals(await store.counts(), { agents: 1, worlds: 1 });
      assert((await store.renew(id, 5)).ok);
      assertEquals(await store.counts(), { agents: 1, worlds: 1 });
      await store.announce(
        announceInput(1, { worldId: undefined, capabilities: [], timestamp: 3 }),
      );
      assertEquals(await store.counts(), { agents: 1, worlds: 0 });
      clock.advance(store.ttlMs + 1);
      assertEquals(await store.counts(), { agents: 0, worlds: 0 });
      assertEquals((await store.sweep(10)).expired, [{ agentId: id }]);
      assertEquals(await store.nextDeadline(), undefined);
    }),
});

redisTest({
  name: "replicas whose own clocks disagree by minutes agree on every lease: Redis TIME decides",
  fn: async () => {
    const prefix = uniquePrefix("skew");
    const ttlMs = 1_500;
    const dataDir = await Deno.makeTempDir();
    const open = (skewMs: number) =>
      createGateway({
        dataDir,
        redis: { url: server!.url, prefix },
        staleTtlMs: ttlMs,
        clock: () => Date.now() + skewMs,
        metrics: false,
      });
    // Two minutes ahead and two behind: inside the ±5 min signing window, far
    // beyond the TTL, so a replica deciding liveness by its own clock would
    // see the lease already gone (ahead) or still there long after (behind).
    const ahead = await open(120_000);
    const behind = await open(-120_000);
    try {
      const world = await makeWorld("skewed");
      const announced = await ahead.app.request("/peer/announce", {
        method: "POST",
        body: JSON.stringify(await world.announce(Date.now())),
      });
      assertEquals(announced.status, 200);
      for (const replica of [ahead, behind]) {
        assertEquals((await replica.app.request("/world/skewed")).status, 200);
        assertEquals((await (await replica.app.request("/health")).json()).worlds, 1);
      }
      await ahead.sweep();
      await behind.sweep();
      assertEquals((await behind.app.request("/world/skewed")).status, 200, "no early sweep");
      // Redis's own clock cannot be moved: wait out the TTL by it.
      await new Promise((resolve) => setTimeout(resolve, ttlMs + 200));
      for (const replica of [ahead, behind]) {
        assertEquals((await replica.app.request("/world/skewed")).status, 404);
        assertEquals((await (await replica.app.request("/health")).json()).worlds, 0);
      }
    } finally {
      await ahead.stop();
      await behind.stop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
