/**
 * Abuse quotas per client address: new leases, failed signatures, live
 * leases, /watch streams; the address from the socket, or from X-Forwarded-For behind a
 * trusted proxy; IPv6 counted by /64.
 */
import { clientAddress, quotaKey } from "../gateway/_client.ts";
import { TokenBuckets } from "../gateway/_quota.ts";
import { type Harness, json, makeWorld, withHarness } from "./_gateway.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";

/** POSTs as if from `address`. */
function postFrom(h: Harness, address: string, path: string, body: unknown, headers = {}) {
  return Promise.resolve(h.gateway.app.request(`http://127.0.0.1:8100${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  }, { remoteAddr: { hostname: address } }));
}

async function expect429(response: Response, pattern: RegExp) {
  assertEquals(response.status, 429);
  assertMatch(response.headers.get("retry-after") ?? "", /^\d+$/);
  assertMatch((await json(response)).error as string, pattern);
}

Deno.test("a token bucket refills at its rate up to its burst", () => {
  let now = 0;
  const buckets = new TokenBuckets({ perMinute: 60, burst: 2 }, () => now);
  assert(buckets.take("a") && buckets.take("a"));
  assertEquals(buckets.take("a"), false);
  assertEquals(buckets.retryAfter("a"), 1);
  now += 1000;
  assert(buckets.take("a"), "one token a second");
  assertEquals(buckets.take("a"), false);
  assert(buckets.take("b"), "buckets are per key");
});

Deno.test("the buckets forget idle addresses first when they hold too many", () => {
  let now = 0;
  const buckets = new TokenBuckets({ perMinute: 60, burst: 5 }, () => now, 100);
  for (let i = 0; i < 1000; i++) buckets.take(`10.0.${i >> 8}.${i & 255}`);
  assert(buckets.size <= 100, `${buckets.size} addresses tracked`);
  now += 60_000;
  buckets.take("fresh");
  assert(buckets.size <= 100);
});

Deno.test("IPv6 addresses count by their /64 and IPv4-mapped ones as IPv4", () => {
  assertEquals(quotaKey("2001:db8:1:2::5"), quotaKey("2001:db8:1:2:ffff::1"));
  assert(quotaKey("2001:db8:1:2::5") !== quotaKey("2001:db8:1:3::5"));
  assertEquals(quotaKey("::ffff:198.51.100.7"), "198.51.100.7");
  assertEquals(quotaKey("198.51.100.7"), "198.51.100.7");
});

Deno.test("X-Forwarded-For is used only behind a trusted proxy, and only its last hop", () => {
  const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.7" });
  assertEquals(clientAddress(headers, "10.0.0.2", false), "10.0.0.2");
  assertEquals(clientAddress(headers, "10.0.0.2", true), "198.51.100.7");
  assertEquals(
    clientAddress(new Headers({ "x-forwarded-for": "junk<>" }), "10.0.0.2", true),
    "10.0.0.2",
  );
});

Deno.test("an address whose signatures keep failing is refused with 429 before anything is verified", async () => {
  await withHarness(async (h) => {
    const w = await makeWorld("forger");
    const forged = { ...(await w.announce(h.clock.now)), alias: "tampered" };
    for (let i = 0; i < 3; i++) {
      assertEquals((await postFrom(h, "198.51.100.7", "/peer/announce", forged)).status, 403);
    }
    await expect429(
      await postFrom(h, "198.51.100.7", "/peer/announce", await w.announce(h.clock.now)),
      /bad signatures/,
    );
    await expect429(
      await postFrom(h, "198.51.100.7", "/peer/heartbeat", await w.heartbeat(h.clock.now)),
      /bad signatures/,
    );
    const other = await postFrom(h, "203.0.113.9", "/peer/announce", await w.announce(h.clock.now));
    assertEquals(other.status, 200, "another address is not affected");
    h.clock.advance(1000);
    const w2 = await makeWorld("after-refill");
    const refilled = await postFrom(
      h,
      "198.51.100.7",
      "/peer/announce",
      await w2.announce(h.clock.now),
    );
    assertEquals(refilled.status, 200, "the bucket refills");
  }, { quotas: { badSignatures: { perMinute: 60, burst: 3 } } });
});

Deno.test("new leases per address are limited; renewing a live lease is not", async () => {
  await withHarness(async (h) => {
    const worlds = await Promise.all([1, 2, 3].map((n) => makeWorld(`fleet-${n}`)));
    for (const w of worlds.slice(0, 2)) {
      assertEquals(
        (await postFrom(h, "198.51.100.7", "/peer/announce", await w.announce(h.clock.now))).status,
        200,
      );
    }
    await expect429(
      await postFrom(h, "198.51.100.7", "/peer/announce", await worlds[2].announce(h.clock.now)),
      /too many new leases/,
    );
    h.clock.advance(1);
    const again = await postFrom(
      h,
      "198.51.100.7",
      "/peer/announce",
      await worlds[0].announce(h.clock.now),
    );
    assertEquals(again.status, 200, "a re-announce of a live lease is not a new lease");
  }, { quotas: { newLeases: { perMinute: 1, burst: 2 } } });
});

Deno.test("one address cannot hold more than MAX_LEASES_PER_ADDRESS live leases", async () => {
  await withHarness(async (h) => {
    const worlds = await Promise.all([1, 2, 3].map((n) => makeWorld(`cap-${n}`)));
    for (const w of worlds.slice(0, 2)) {
      assertEquals(
        (await postFrom(h, "2001:db8:1:2::1", "/peer/announce", await w.announce(h.clock.now)))
          .status,
        200,
      );
    }
    const third = await postFrom(
      h,
      "2001:db8:1:2::9",
      "/peer/announce",
      await worlds[2].announce(h.clock.now),
    );
    assertEquals(third.status, 429, "the same /64");
    assertMatch((await json(third)).error as string, /holds 2 live leases/);
    const elsewhere = await postFrom(
      h,
      "2001:db8:1:3::9",
      "/peer/announce",
      await worlds[2].announce(h.clock.now),
    );
    assertEquals(elsewhere.status, 200);
  }, { maxLeasesPerAddress: 2 });
});

Deno.test("behind a trusted proxy the quotas count the forwarded client, not the proxy", async () => {
  await withHarness(async (h) => {
    const a = await makeWorld("via-proxy-a");
    const b = await makeWorld("via-proxy-b");
    const first = await postFrom(h, "10.0.0.2", "/peer/announce", await a.announce(h.clock.now), {
      "x-forwarded-for": "198.51.100.7",
    });
    assertEquals(first.status, 200);
    const second = await postFrom(h, "10.0.0.2", "/peer/announce", await b.announce(h.clock.now), {
      "x-forwarded-for": "198.51.100.8",
    });
    assertEquals(second.status, 200, "a different client behind the same proxy");
  }, { trustProxy: true, maxLeasesPerAddress: 1 });
});

/** Opens `/watch` streams as three clients behind one proxy; their statuses (streams cancelled). */
async function watchThroughProxy(h: Harness): Promise<number[]> {
  const opened: Response[] = [];
  try {
    for (const client of ["198.51.100.21", "198.51.100.22", "198.51.100.23"]) {
      opened.push(
        await h.gateway.app.request("http://127.0.0.1:8100/watch", {
          headers: { "x-forwarded-for": client },
        }, { remoteAddr: { hostname: "10.0.0.2" } }),
      );
    }
    return opened.map((response) => response.status);
  } finally {
    for (const response of opened) await response.body?.cancel();
  }
}

Deno.test("behind a trusted proxy /watch caps each forwarded client, not the proxy", async () => {
  await withHarness(async (h) => {
    assertEquals(await watchThroughProxy(h), [200, 200, 200]);
  }, { trustProxy: true, watch: { maxClientsPerAddress: 2 } });
});

Deno.test("without TRUST_PROXY /watch ignores X-Forwarded-For and caps the socket's address", async () => {
  await withHarness(async (h) => {
    assertEquals(await watchThroughProxy(h), [200, 200, 429]);
  }, { watch: { maxClientsPerAddress: 2 } });
});
