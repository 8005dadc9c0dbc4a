/**
 * `GET /metrics`: Prometheus text from prom-client, with what the issue
 * lists, in Prometheus conventions and with bounded labels.
 */
import { createGateway, MemoryStore } from "../gateway/mod.ts";
import { SNAPSHOT_FILE } from "../gateway/snapshot.ts";
import { type Harness, makeWorld, memoryStore, withHarness } from "./_gateway.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { Client, until, wsUrl } from "./_ws.ts";
import { SseReader } from "./_sse.ts";
import { redisTest, startRedis, uniquePrefix } from "./_redis.ts";

async function scrape(h: Harness): Promise<string> {
  const response = await h.request("/metrics");
  assertEquals(response.status, 200);
  assertMatch(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  return await response.text();
}

/** The value of one sample, e.g. `sample(text, 'x_total{status="200"}')`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const P = "agentworlds_gateway_";

Deno.test("metrics count announces and heartbeats by status, live counts, and time requests by route", () =>
  withHarness(async (h) => {
    const w = await makeWorld("measured");
    assertEquals((await h.post("/peer/announce", await w.announce(h.clock.now))).status, 200);
    assertEquals((await h.post("/peer/announce", await w.announce(h.clock.now))).status, 409);
    for (let i = 1; i <= 3; i++) {
      assertEquals(
        (await h.post("/peer/heartbeat", await w.heartbeat(h.clock.now + i))).status,
        200,
      );
    }
    const stranger = await makeWorld("nobody");
    assertEquals(
      (await h.post("/peer/heartbeat", await stranger.heartbeat(h.clock.now))).status,
      404,
    );
    const text = await scrape(h);
    assertEquals(sample(text, `${P}announces_total{status="200"}`), 1);
    assertEquals(sample(text, `${P}announces_total{status="409"}`), 1);
    assertEquals(sample(text, `${P}heartbeats_total{status="200"}`), 3);
    assertEquals(sample(text, `${P}heartbeats_total{status="404"}`), 1);
    assertEquals(sample(text, `${P}live_worlds`), 1);
    assertEquals(sample(text, `${P}live_agents`), 1);
    assertEquals(sample(text, `${P}signature_verify_duration_seconds_count{kind="heartbeat"}`), 3);
    assertEquals(sample(text, `${P}signature_verify_duration_seconds_count{kind="announce"}`), 2);
    assert((sample(text, `${P}signature_verify_duration_seconds_sum{kind="announce"}`) ?? 0) > 0);
    assertEquals(
      sample(
        text,
        `${P}http_request_duration_seconds_count{method="POST",route="/peer/heartbeat",status="200"}`,
      ),
      3,
    );
    assertEquals(sample(text, `${P}store_up`), 1);
    assert((sample(text, `${P}process_resident_memory_bytes`) ?? 0) > 0);
    for (const name of ["ws_watchers", "watch_clients", "event_loop_lag_seconds"]) {
      assert(sample(text, `${P}${name}`) !== undefined, name);
    }
  }));

Deno.test("no label carries a world or agent id, and unknown paths share one route label", () =>
  withHarness(async (h) => {
    const w = await makeWorld("private-name");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    for (let i = 0; i < 20; i++) await h.request(`/no/such/path/${i}`);
    await h.request("/world/private-name");
    const text = await scrape(h);
    assert(!text.includes("private-name"), "a world id in a label");
    assert(!text.includes(w.identity.agentId), "an agent id in a label");
    assert(!text.includes("/no/such/path"), "a raw path in a label");
    assertEquals(
      sample(
        text,
        `${P}http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}`,
      ),
      20,
    );
    assertMatch(text, /route="\/world\/:worldId"/);
  }));

Deno.test("webhook and snapshot figures are exported when they exist", () =>
  withHarness(async (h) => {
    const w = await makeWorld("hooked");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    await h.gateway.webhooks!.drain();
    const text = await scrape(h);
    assertEquals(sample(text, `${P}webhook_deliveries_total{outcome="failed"}`), 1);
    assertEquals(sample(text, `${P}webhook_queue_depth`), 1);
    assert((sample(text, `${P}webhook_oldest_pending_age_seconds`) ?? -1) >= 0);
    assert(sample(text, `${P}snapshot_size_bytes`) !== undefined);
  }, {
    webhookUrl: "http://127.0.0.1:9/hook",
    fetch: (() => Promise.reject(new TypeError("refused"))) as typeof fetch,
  }));

Deno.test("a gateway with metrics turned off has no /metrics", () =>
  withHarness(async (h) => {
    assertEquals((await h.request("/metrics")).status, 404);
  }, { metrics: false }));

Deno.test("many distinct odd methods and paths leave the series count bounded", () =>
  withHarness(async (h) => {
    const series = (text: string) =>
      text.split("\n").filter((line) =>
        line.startsWith(`${P}http_request_duration_seconds_count{`)
      );
    const before = series(await scrape(h)).length;
    for (let i = 0; i < 200; i++) {
      // Any token is a method to the HTTP parser: 2 KB each here (8 KB in the audit's flood).
      const method = `M${i}${"X".repeat(2000)}`;
      const response = await h.request(`/odd/${i}/${crypto.randomUUID()}`, { method });
      assertEquals(response.status, 404);
      await response.body?.cancel();
      await (await h.request("/worlds", { method: `Q${i}` })).body?.cancel();
    }
    const text = await scrape(h);
    assert(!text.includes("XXXX"), "a client's method in a label");
    assert(!text.includes("/odd/"), "a client's path in a label");
    assertEquals(
      sample(
        text,
        `${P}http_request_duration_seconds_count{method="other",route="unmatched",status="404"}`,
      ),
      400,
    );
    // The scrape itself (method GET, route /metrics) is the one series added besides.
    assert(series(text).length <= before + 2, `${series(text).length} series`);
    assert(text.length < 64 * 1024, `a ${text.length}-byte scrape`);
  }));

Deno.test("methods and statuses outside the fixed sets are labelled other and by class", async () => {
  const { methodLabel, statusLabel } = await import("../gateway/metrics.ts");
  assertEquals(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"].map(methodLabel), [
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "OPTIONS",
    "PATCH",
  ]);
  assertEquals(["get", "PROPFIND", "X".repeat(8192), ""].map(methodLabel), [
    "other",
    "other",
    "other",
    "other",
  ]);
  assertEquals([200, 403, 429, 503, 299, 418, 599, 99, 600].map(statusLabel), [
    "200",
    "403",
    "429",
    "503",
    "2xx",
    "4xx",
    "5xx",
    "other",
    "other",
  ]);
});

Deno.test("announces and heartbeats are counted by status, 403 and 429 among them", () =>
  withHarness(async (h) => {
    const now = h.clock.now;
    const first = await makeWorld("first");
    const second = await makeWorld("second");
    const forger = await makeWorld("forger");
    // One new lease per address: the second is 429.
    assertEquals((await h.post("/peer/announce", await first.announce(now))).status, 200);
    assertEquals((await h.post("/peer/announce", await second.announce(now))).status, 429);
    // Signatures that do not verify: 403, until the address's failures are spent, then 429.
    const heartbeat = await first.heartbeat(now + 1);
    const forgedBeat = { ...heartbeat, ts: (heartbeat.ts as number) + 1 };
    assertEquals((await h.post("/peer/heartbeat", forgedBeat)).status, 403);
    const forgedAnnounce = await forger.announce(now, { alias: "changed after signing" });
    assertEquals((await h.post("/peer/announce", forgedAnnounce)).status, 403);
    assertEquals((await h.post("/peer/heartbeat", forgedBeat)).status, 429);
    assertEquals((await h.post("/peer/announce", forgedAnnounce)).status, 429);
    const text = await scrape(h);
    const count = (family: string, status: number) =>
      sample(text, `${P}${family}_total{status="${status}"}`);
    assertEquals(
      [200, 403, 429].map((status) => count("announces", status)),
      [1, 1, 2],
    );
    assertEquals([403, 429].map((status) => count("heartbeats", status)), [1, 1]);
    assertEquals(count("heartbeats", 200), undefined, "no heartbeat was accepted");
  }, {
    quotas: {
      newLeases: { perMinute: 1, burst: 1 },
      badSignatures: { perMinute: 1, burst: 2 },
    },
  }));

Deno.test("the snapshot's duration, size and writes are the store's figures", () =>
  withHarness(async (h) => {
    const w = await makeWorld("saved");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    await memoryStore(h.gateway).save();
    const text = await scrape(h);
    const { size } = await Deno.stat(`${h.dataDir}/${SNAPSHOT_FILE}`);
    assertEquals(sample(text, `${P}snapshot_size_bytes`), size);
    assertEquals(sample(text, `${P}snapshot_writes_total`), memoryStore(h.gateway).writes);
    assert(memoryStore(h.gateway).writes >= 1);
    const seconds = sample(text, `${P}snapshot_duration_seconds`)!;
    assertEquals(seconds, memoryStore(h.gateway).lastWriteMs / 1000);
    assert(seconds > 0 && seconds < 5, `${seconds} s`);
  }));

Deno.test("expiry lag is the time from a lease's deadline to its expiry reaching the gateway", () =>
  withHarness(async (h) => {
    const w = await makeWorld("lagging");
    await h.post("/peer/announce", await w.announce(h.clock.now));
    h.clock.advance(h.gateway.store.ttlMs + 750); // the sweep runs 750 ms after the deadline
    await h.gateway.sweep();
    const text = await scrape(h);
    assertEquals(sample(text, `${P}expiry_lag_seconds_count`), 1);
    assertEquals(sample(text, `${P}expiry_lag_seconds_sum`), 0.75);
    assertEquals(sample(text, `${P}expiry_lag_seconds_bucket{le="0.5"}`), 0);
    assertEquals(sample(text, `${P}expiry_lag_seconds_bucket{le="1"}`), 1);
    // A goodbye is not a lease running out: no lag.
    const leaving = await makeWorld("leaving");
    await h.post("/peer/announce", await leaving.announce(h.clock.now));
    await h.gateway.store.revoke(leaving.identity.agentId, "deregistered");
    assertEquals(sample(await scrape(h), `${P}expiry_lag_seconds_count`), 1);
  }));

Deno.test("the /watch clients gauge moves up and down with the streams", () =>
  withHarness(async (h) => {
    const clients = async () => sample(await scrape(h), `${P}watch_clients`);
    assertEquals(await clients(), 0);
    const streams: SseReader[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await h.request("/watch");
      assertEquals(response.status, 200);
      const reader = new SseReader(response.body!);
      await reader.nextEvent(); // hello: the client is streaming
      streams.push(reader);
    }
    assertEquals(await clients(), 3);
    await streams.pop()!.cancel();
    assertEquals(await clients(), 2);
    for (const reader of streams) await reader.cancel();
    assertEquals(await clients(), 0);
  }));

Deno.test("the /ws watchers gauge moves up and down with the sockets", async () => {
  const dataDir = await Deno.makeTempDir();
  const gateway = await createGateway({ dataDir, port: 0, hostname: "127.0.0.1" });
  const { url } = await gateway.start();
  const watchers = async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return sample(text, `${P}ws_watchers`);
  };
  const clients: Client[] = [];
  try {
    const w = await makeWorld("watched");
    const announced = await fetch(`${url}/peer/announce`, {
      method: "POST",
      body: JSON.stringify(await w.announce(Date.now())),
    });
    assertEquals(announced.status, 200);
    assertEquals(await watchers(), 0);
    for (let i = 0; i < 2; i++) {
      const client = new Client(wsUrl(url, "?world=watched"));
      await client.next("subscribed");
      clients.push(client);
    }
    assertEquals(await watchers(), 2);
    await clients.pop()!.close();
    await until(async () => await watchers() === 1, "one watcher left");
    await clients.pop()!.close();
    await until(async () => await watchers() === 0, "no watcher left");
  } finally {
    for (const client of clients) await client.close();
    await gateway.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

redisTest({
  name: "in Redis mode store calls are timed by operation and an outage's failures counted",
  fn: async () => {
    const server = await startRedis();
    try {
      await withHarness(async (h) => {
        const w = await makeWorld("stored");
        assertEquals((await h.post("/peer/announce", await w.announce(h.clock.now))).status, 200);
        for (let i = 1; i <= 2; i++) {
          assertEquals(
            (await h.post("/peer/heartbeat", await w.heartbeat(h.clock.now + i))).status,
            200,
          );
        }
        let text = await scrape(h);
        assertEquals(sample(text, `${P}store_operation_duration_seconds_count{op="announce"}`), 1);
        assertEquals(sample(text, `${P}store_operation_duration_seconds_count{op="renew"}`), 2);
        const renewSeconds = sample(text, `${P}store_operation_duration_seconds_sum{op="renew"}`)!;
        assert(renewSeconds > 0 && renewSeconds < 2, `${renewSeconds} s`);
        assertEquals(sample(text, `${P}store_errors_total{op="renew"}`), undefined);
        assertEquals(sample(text, `${P}store_up`), 1);

        await server.kill();
        for (let i = 3; i <= 5; i++) {
          const response = await h.post("/peer/heartbeat", await w.heartbeat(h.clock.now + i));
          assertEquals(response.status, 503);
        }
        text = await scrape(h);
        assertEquals(sample(text, `${P}store_errors_total{op="renew"}`), 3);
        assertEquals(sample(text, `${P}store_operation_duration_seconds_count{op="renew"}`), 5);
        assertEquals(sample(text, `${P}store_up`), 0);
        assertEquals(sample(text, `${P}live_worlds`), NaN, "a figure the store cannot give");
      }, {
        redis: { url: server.url, prefix: uniquePrefix("metrics"), commandTimeoutMs: 300 },
      });
    } finally {
      await server.dispose();
    }
  },
});
Deno.test("webhook events dropped undelivered are counted", async () => {
  const store = await MemoryStore.open({ outbox: true, maxOutbox: 1, warn: () => {} });
  await withHarness(async (h) => {
    assertEquals(sample(await scrape(h), `${P}webhook_events_dropped_total`), 0);
    for (const name of ["first", "second", "third"]) {
      const w = await makeWorld(name);
      assertEquals((await h.post("/peer/announce", await w.announce(h.clock.now))).status, 200);
    }
    assertEquals(sample(await scrape(h), `${P}webhook_events_dropped_total`), 2);
  }, { store });
});
