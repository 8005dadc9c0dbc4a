/**
 * `GET /metrics`: Prometheus text from prom-client, with what the issue
 * lists, in Prometheus conventions and with bounded labels.
 */
import { MemoryStore } from "../gateway/mod.ts";
import { type Harness, makeWorld, withHarness } from "./_gateway.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";

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
    assertEquals(sample(text, `${P}heartbeat_verify_duration_seconds_count`), 3);
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

Deno.test("a gateway with metrics turned off has no /metrics", () =>
  withHarness(async (h) => {
    assertEquals((await h.request("/metrics")).status, 404);
  }, { metrics: false }));
