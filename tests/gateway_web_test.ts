/**
 * The gateway's pages in-process: `GET /` and `GET /docs` with their
 * security headers and caching, listings' `revision`, and `/watch` fed by
 * the registry through the gateway's app.
 */
import { DOCS_CSP, PAGE_CSP } from "../gateway/web.ts";
import { json, makeWorld, memoryStore, startHarness, withHarness } from "./_gateway.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { SseReader } from "./_sse.ts";

Deno.test("GET / is the page with a strict CSP, nosniff, a referrer policy and revalidation", () =>
  withHarness(async (h) => {
    const response = await h.request("/");
    const html = await response.text();
    assertEquals(response.status, 200);
    assertEquals(response.headers.get("content-type"), "text/html; charset=utf-8");
    const csp = response.headers.get("content-security-policy")!;
    assertEquals(csp, PAGE_CSP);
    for (
      const directive of [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
      ]
    ) assert(csp.includes(directive), `CSP has ${directive}`);
    assert(!csp.includes("unsafe"), "nothing unsafe");
    assertEquals(response.headers.get("x-content-type-options"), "nosniff");
    assertEquals(response.headers.get("referrer-policy"), "no-referrer");
    assertEquals(response.headers.get("cache-control"), "no-cache");
    assertMatch(response.headers.get("etag") ?? "", /^"[A-Za-z0-9_-]+"$/);
    assert(!/<script>|<style>| style=| on[a-z]+=/.test(html), "no inline script or style");
    assertMatch(html, /<main id="main"/);
  }));

Deno.test("the page's assets are versioned, and a versioned asset is cached for a year", () =>
  withHarness(async (h) => {
    const html = await (await h.request("/")).text();
    const src = html.match(/src="(\/assets\/app\.js\?v=[A-Za-z0-9_-]+)"/)?.[1];
    assert(src, "app.js is referenced with its version");
    const versioned = await h.request(src);
    assertEquals(versioned.headers.get("content-type"), "text/javascript; charset=utf-8");
    assertEquals(versioned.headers.get("cache-control"), "public, max-age=31536000, immutable");
    await versioned.body?.cancel();
    const stale = await h.request("/assets/app.js?v=old");
    assertEquals(stale.headers.get("cache-control"), "no-cache");
    await stale.body?.cancel();
  }));

Deno.test("a request with the current ETag gets 304 and no body", () =>
  withHarness(async (h) => {
    const first = await h.request("/assets/app.css");
    await first.body?.cancel();
    const again = await h.request("/assets/app.css", {
      headers: { "if-none-match": first.headers.get("etag")! },
    });
    assertEquals(again.status, 304);
    assertEquals(await again.text(), "");
  }));

Deno.test("a client that accepts gzip gets the page compressed, with its own ETag", () =>
  withHarness(async (h) => {
    const plain = await h.request("/assets/app.js");
    const plainText = await plain.text();
    const gzipped = await h.request("/assets/app.js", { headers: { "accept-encoding": "gzip" } });
    assertEquals(gzipped.headers.get("content-encoding"), "gzip");
    assertEquals(gzipped.headers.get("vary"), "accept-encoding");
    assert(gzipped.headers.get("etag") !== plain.headers.get("etag"));
    const bytes = new Uint8Array(await gzipped.arrayBuffer());
    assert(bytes.byteLength < plainText.length / 2, `gzip ${bytes.byteLength} B`);
    const unzipped = await new Response(
      new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
    ).text();
    assertEquals(unzipped, plainText);
  }));

Deno.test("GET /docs serves Swagger UI from its npm package behind the docs CSP", () =>
  withHarness(async (h) => {
    const page = await h.request("/docs");
    assertEquals(page.headers.get("content-security-policy"), DOCS_CSP);
    assert(!DOCS_CSP.includes("unsafe"), "nothing unsafe");
    const html = await page.text();
    const bundle = html.match(/src="(\/docs\/assets\/swagger-ui-bundle\.js\?v=[^"]+)"/)?.[1];
    assert(bundle, "the bundle is referenced with its version");
    const script = await (await h.request(bundle)).text();
    assert(script.length > 500_000 && script.includes("SwaggerUIBundle"), "the real bundle");
    const css = await h.request("/docs/assets/swagger-ui.css");
    assertEquals(css.headers.get("content-type"), "text/css; charset=utf-8");
    assertMatch(await css.text(), /\.swagger-ui/);
  }));

Deno.test("/worlds and /agents carry the revision of the change feed", () =>
  withHarness(async (h) => {
    const empty = await json(await h.request("/worlds"));
    assertEquals(empty.revision, await h.gateway.store.feed.revision());
    const world = await makeWorld("rev");
    await h.post("/peer/announce", await world.announce(h.clock.now));
    const listed = await json(await h.request("/worlds"));
    const agents = await json(await h.request("/agents"));
    assert(listed.revision !== empty.revision, "an announce moves the revision");
    assertEquals(agents.revision, listed.revision);
  }));

Deno.test("/watch from a listing's revision streams the announce and expiry that follow", () =>
  withHarness(async (h) => {
    const { revision } = await json(await h.request("/worlds"));
    const stream = await h.request(`/watch?since=${revision}`);
    const sse = new SseReader(stream.body!);
    const world = await makeWorld("watched");
    await h.post("/peer/announce", await world.announce(h.clock.now));
    const announced = await sse.nextEvent();
    assertEquals(announced.event, "world.announced");
    assertEquals((announced.data as { worldId: string }).worldId, "watched");
    h.clock.advance(h.gateway.store.ttlMs + 1);
    await h.gateway.sweep();
    const expired = await sse.nextEvent();
    assertEquals(expired.event, "world.expired");
    assertEquals((expired.data as { reason: string }).reason, "ttl");
    assertEquals(h.gateway.watch.stats().clients, 1);
    await sse.cancel();
  }));

Deno.test("a client resuming across a gateway restart gets exactly what it missed", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "aw-gw-" });
  const world = await makeWorld("survivor");
  const newcomer = await makeWorld("newcomer");
  try {
    const before = await startHarness({ dataDir });
    await before.post("/peer/announce", await world.announce(before.clock.now));
    const { revision } = await json(await before.request("/worlds"));
    await before.close(); // writes the snapshot, the change log with it

    const after = await startHarness({ dataDir });
    try {
      await after.post("/peer/announce", await newcomer.announce(after.clock.now));
      const stream = await after.request("/watch", {
        headers: { "last-event-id": revision as string },
      });
      const sse = new SseReader(stream.body!);
      const missed = await sse.nextEvent();
      assertEquals(missed.event, "world.announced", "no reset: the log survived the restart");
      assertEquals((missed.data as { worldId: string }).worldId, "newcomer");
      assert(await sse.quiet(), "and nothing else");
      const listing = await json(await after.request("/worlds"));
      assertEquals(listing.revision, missed.id);
      assertEquals(
        (listing.worlds as { worldId: string }[]).map((w) => w.worldId),
        ["newcomer", "survivor"],
      );
      await sse.cancel();
    } finally {
      await after.close();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a client that saw events a crash lost gets reset by the restarted gateway, never a gap", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "aw-gw-" });
  const kept = await makeWorld("kept");
  const lost = await makeWorld("lost");
  const newcomer = await makeWorld("newcomer");
  try {
    const before = await startHarness({ dataDir });
    await before.post("/peer/announce", await kept.announce(before.clock.now));
    await memoryStore(before.gateway).save();
    const snapshot = await Deno.readFile(`${dataDir}/directory.ndjson`);
    await before.post("/peer/announce", await lost.announce(before.clock.now));
    const { revision: seen } = await json(await before.request("/worlds"));
    await before.close();
    // The writes after the first snapshot are lost, as in a crash.
    await Deno.writeFile(`${dataDir}/directory.ndjson`, snapshot);
    await Deno.remove(`${dataDir}/directory.ndjson.prev`);

    const after = await startHarness({ dataDir });
    try {
      // The next event takes the lost one's place in the sequence.
      await after.post("/peer/announce", await newcomer.announce(after.clock.now));
      const listing = await json(await after.request("/worlds"));
      assert(listing.revision !== seen, "the lost event's id is not given again");
      const stream = await after.request("/watch", {
        headers: { "last-event-id": seen as string },
      });
      const sse = new SseReader(stream.body!);
      assertEquals(await sse.nextEvent(), {
        id: listing.revision as string,
        event: "reset",
        data: { revision: listing.revision },
      });
      await sse.cancel();
    } finally {
      await after.close();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a client resuming with an id from another directory gets reset", () =>
  withHarness(async (h) => {
    const stream = await h.request("/watch", { headers: { "last-event-id": "elsewhere-41" } });
    const sse = new SseReader(stream.body!);
    const reset = await sse.nextEvent();
    const listing = await json(await h.request("/worlds"));
    assertEquals(reset.event, "reset");
    assertEquals(reset.data, { revision: listing.revision });
    await sse.cancel();
  }));
