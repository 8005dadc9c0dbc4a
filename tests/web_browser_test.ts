/**
 * The web page and the API docs in a real headless Chromium, against a real
 * gateway and real worlds on 127.0.0.1: the live list follows announces,
 * goodbyes and leases that run out without a reload, tells unreachable
 * worlds from worlds without an endpoint and says when it is cut short; a
 * person watches, joins and moves in a world through `/ws`; a keyboard and a
 * screen reader find and open a world, and the first view weighs under 32 KiB;
 * and `/docs` renders without a CSP violation. Screenshots are kept under
 * each test's temp dir (their paths are printed).
 */
import { createGateway, type Gateway } from "../gateway/mod.ts";
import { startGridWorld } from "../examples/grid_world.ts";
import { browserTest, DESKTOP, type Page, PHONE, waitForText } from "./_browser.ts";
import { spawnTask } from "./_process.ts";
import { assert, assertEquals } from "./assert.ts";
import { createAnnounce, generateIdentity, type Identity } from "../protocol/mod.ts";

async function startGateway(
  dir: string,
  staleTtlMs: number,
  port = 0,
): Promise<[Gateway, string]> {
  const gateway = await createGateway({
    dataDir: dir,
    port,
    hostname: "127.0.0.1",
    staleTtlMs,
  });
  return [gateway, (await gateway.start()).url];
}

/** The names the page lists, in order. */
function listed(page: Page): Promise<string[]> {
  return page.$$eval("#worlds li h2", (items) => items.map((item) => item.textContent ?? ""));
}

/** The reasons the gateway's feed gave for each world's expiry. */
function expiries(gateway: Gateway): { reasons: Map<string, string>; stop: () => void } {
  const reasons = new Map<string, string>();
  const stop = gateway.store.feed.subscribe((event) => {
    if (event.type === "world.expired" && event.worldId !== undefined) {
      reasons.set(event.worldId, event.reason ?? "");
    }
  });
  return { reasons, stop };
}

/** Announces a world straight to the gateway (a world that then says nothing more). */
async function announceWorld(
  url: string,
  worldId: string,
  name: string,
  endpoints = [{ address: "127.0.0.1", port: 9, transport: "tcp" }],
): Promise<Identity> {
  const identity = await generateIdentity();
  const body = await createAnnounce(identity, {
    alias: name,
    endpoints,
    capabilities: [`world:${worldId}`],
  });
  const response = await fetch(`${url}/peer/announce`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  assertEquals(response.status, 200, await response.text());
  return identity;
}

browserTest(
  "the page lists a world announced after it loaded and drops it when it says goodbye",
  async ({ page, dir, problems, screenshot }) => {
    const [gateway, url] = await startGateway(`${dir}/gateway`, 90_000);
    const ended = expiries(gateway);
    let world: Awaited<ReturnType<typeof startGridWorld>>["world"] | undefined;
    try {
      await page.setViewport(PHONE);
      const started = performance.now();
      await page.goto(url, { waitUntil: "load" });
      await waitForText(page, "#count", "No world is live");
      const firstRender = performance.now() - started;
      await waitForText(page, "#connection", "Live");
      const paint = await page.evaluate(() =>
        performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1
      );
      console.log(
        `first render of the list: ${firstRender.toFixed(0)} ms after navigation; FCP ${
          paint.toFixed(0)
        } ms`,
      );

      ({ world } = await startGridWorld({
        worldId: "late-comer",
        worldName: "Late Comer",
        port: 0,
        hostname: "127.0.0.1",
        dataDir: `${dir}/world`,
        gatewayUrls: [url],
        heartbeatIntervalMs: 300,
        broadcastIntervalMs: 60_000,
      }));
      await waitForText(page, "#worlds", "Late Comer");
      assertEquals(await listed(page), ["Late Comer"]);
      await waitForText(page, "#count", "1 live world");
      assertEquals(await page.$eval("#worlds li .reach", (span) => span.textContent), "reachable");
      assertEquals(await page.$eval("#truncated", (note) => note.hasAttribute("hidden")), true);
      await screenshot("directory-phone");

      // A signed goodbye (the world's stop deregisters): gone at once, long before its TTL.
      await world.stop();
      world = undefined;
      await waitForText(page, "#count", "No world is live", 10_000);
      assertEquals(await listed(page), []);
      assertEquals(ended.reasons.get("late-comer"), "deregistered");
      assertEquals(problems, [], "no console error or CSP violation");
    } finally {
      ended.stop();
      await world?.stop();
      await gateway.stop();
    }
  },
);

browserTest(
  "the page drops a world that goes silent when its lease runs out, with no goodbye",
  async ({ page, dir, problems, screenshot }) => {
    const ttlMs = 2000;
    const [gateway, url] = await startGateway(`${dir}/gateway`, ttlMs);
    const ended = expiries(gateway);
    try {
      await page.setViewport(PHONE);
      await page.goto(url, { waitUntil: "load" });
      await waitForText(page, "#connection", "Live");
      // One announce, then nothing: no heartbeat, no deregistration.
      const announcedAt = Date.now();
      await announceWorld(url, "silent-type", "Silent Type");
      await waitForText(page, "#worlds", "Silent Type");
      assertEquals(await listed(page), ["Silent Type"]);
      await screenshot("silent-world-listed");
      await waitForText(page, "#count", "No world is live", ttlMs + 10_000);
      const goneAfter = Date.now() - announcedAt;
      assertEquals(await listed(page), []);
      assertEquals(ended.reasons.get("silent-type"), "ttl", "the lease ran out");
      assert(goneAfter >= ttlMs, `gone ${goneAfter} ms after its announce, before its TTL`);
      await screenshot("silent-world-expired");
      assertEquals(problems, [], "no console error or CSP violation");
    } finally {
      ended.stop();
      await gateway.stop();
    }
  },
);

browserTest(
  "the page tells an unreachable world, with when it was last reached, from one with no endpoint",
  async ({ page, dir, problems, screenshot }) => {
    const [gateway, url] = await startGateway(`${dir}/gateway`, 90_000);
    try {
      const reached = await announceWorld(url, "reached", "Reached");
      const quiet = await announceWorld(url, "gone-quiet", "Gone Quiet");
      await announceWorld(url, "no-door", "No Door", []);
      // What the bridge records when its calls to a world succeed, then fail.
      await gateway.store.setReachable(reached.agentId, true);
      await gateway.store.setReachable(quiet.agentId, true);
      await gateway.store.setReachable(quiet.agentId, false);

      await page.setViewport(DESKTOP);
      await page.goto(url, { waitUntil: "load" });
      await waitForText(page, "#connection", "Live");
      const reach = () =>
        page.$$eval("#worlds li", (items) =>
          Object.fromEntries(items.map((item) => [
            item.querySelector("h2")?.textContent ?? "",
            item.querySelector(".reach")?.textContent ?? "",
          ])));
      const shown = await reach();
      assertEquals(shown["Reached"], "reachable");
      assertEquals(shown["No Door"], "no endpoint");
      assert(
        /^unreachable, last reached \d+ s ago$/.test(shown["Gone Quiet"]),
        shown["Gone Quiet"],
      );

      // Marked unreachable while the page is open: the change stream says so.
      await gateway.store.setReachable(reached.agentId, false);
      await page.waitForFunction(
        `[...document.querySelectorAll("#worlds li")].find((li) =>
          li.querySelector("h2").textContent === "Reached")
          ?.querySelector(".reach").textContent.startsWith("unreachable, last reached")`,
        { timeout: 10_000, polling: 50 },
      ).then((handle) => handle.dispose());
      await screenshot("reachability-desktop");

      await page.click(`#worlds a[href="#/world/gone-quiet"]`);
      await waitForText(page, "#world-details", "unreachable, last reached");
      await page.click(`a[href="#/"]`);
      await page.click(`#worlds a[href="#/world/no-door"]`);
      await waitForText(page, "#world-details", "no endpoint");
      assertEquals(problems, [], "no console error or CSP violation");
    } finally {
      await gateway.stop();
    }
  },
);

browserTest(
  "a directory longer than the page lists says the list is cut short",
  async ({ page, dir, problems }) => {
    const [gateway, url] = await startGateway(`${dir}/gateway`, 90_000);
    try {
      // Every page of /worlds says there is another: the page stops at its cap and says so.
      const { revision } = await (await fetch(`${url}/worlds`)).json();
      let pages = 0;
      await page.setRequestInterception(true);
      page.on("request", (request) => {
        const asked = new URL(request.url());
        if (asked.pathname !== "/worlds") return request.continue();
        const n = pages++;
        request.respond({
          status: 200,
          contentType: "application/json",
          body: JSON.stringify({
            worlds: [{
              worldId: `far-${n}`,
              agentId: `aw:sha256:${"0".repeat(63)}${n % 10}`,
              name: `Far ${n}`,
              slug: `far-${n}`,
              endpoints: [],
              reachable: false,
              lastSeen: Date.now(),
            }],
            nextCursor: `after-${n}`,
            revision,
          }),
        });
      });
      await page.setViewport(DESKTOP);
      await page.goto(url, { waitUntil: "load" });
      await waitForText(page, "#truncated", "This list stops at 20,000 worlds and more are live");
      assertEquals(await page.$eval("#truncated", (note) => note.hasAttribute("hidden")), false);
      assertEquals(
        await page.$eval("#count", (count) => count.textContent),
        "20 live worlds shown; more are live",
      );
      assertEquals(pages, 20, "the page read its 20 pages and stopped");
      assertEquals(problems, [], "no console error or CSP violation");
    } finally {
      await gateway.stop();
    }
  },
);

browserTest(
  "after a gateway restart the page reconnects, is told to reset, and lists again",
  async ({ page, dir, problems }) => {
    let [gateway, url] = await startGateway(`${dir}/gateway`, 90_000);
    const worlds: Awaited<ReturnType<typeof startGridWorld>>["world"][] = [];
    const startWorld = async (worldId: string, name: string) => {
      const { world } = await startGridWorld({
        worldId,
        worldName: name,
        port: 0,
        hostname: "127.0.0.1",
        dataDir: `${dir}/${worldId}`,
        gatewayUrls: [url],
        heartbeatIntervalMs: 60_000,
        broadcastIntervalMs: 60_000,
      });
      worlds.push(world);
    };
    try {
      await page.setViewport(DESKTOP);
      await startWorld("before", "Before");
      await page.goto(url, { waitUntil: "load" });
      await waitForText(page, "#worlds", "Before");
      await waitForText(page, "#connection", "Live");

      // Another gateway at the same address: it never knew "Before", so no event
      // will ever remove it, and the page's last event id is not held there.
      // Only the reset, and listing again, can bring the page up to date.
      const port = Number(new URL(url).port);
      await gateway.stop();
      await worlds.shift()!.stop();
      await waitForText(page, "#connection", "Reconnecting");
      [gateway, url] = await startGateway(`${dir}/gateway-2`, 90_000, port);
      await startWorld("after", "After");
      await waitForText(page, "#worlds", "After", 15_000);
      await page.waitForFunction(
        `!document.querySelector("#worlds").textContent.includes("Before")`,
        {
          timeout: 10_000,
          polling: 50,
        },
      ).then((handle) => handle.dispose());
      assertEquals(await listed(page), ["After"]);
      await waitForText(page, "#connection", "Live");
      // Chromium logs the refused reconnects while the gateway was down; nothing else.
      const others = problems.filter((p) => !p.includes("ERR_CONNECTION_REFUSED"));
      assertEquals(others, [], "no other console error or CSP violation");
    } finally {
      for (const world of worlds) await world.stop();
      await gateway.stop();
    }
  },
);

browserTest(
  "a person with a keyboard and a screen reader finds a world and opens it; the first view weighs under 32 KiB",
  async ({ page, dir, problems }) => {
    const [gateway, url] = await startGateway(`${dir}/gateway`, 90_000);
    try {
      await announceWorld(url, "keyboard-world", "Keyboard World");
      let bytes = 0;
      page.on("response", async (response) => {
        if (response.headers()["content-type"]?.startsWith("text/event-stream")) return;
        const length = Number(response.headers()["content-length"] ?? NaN);
        bytes += Number.isFinite(length)
          ? length
          : await response.buffer().then((body) => body.length, () => 0);
      });
      await page.setViewport(PHONE);
      await page.goto(url, { waitUntil: "load" });
      await waitForText(page, "#worlds", "Keyboard World");
      // Every file the first view needs, compressed as a phone receives it
      // (the list itself comes over /worlds and /watch).
      assert(bytes < 32 * 1024, `the first view took ${bytes} bytes`);

      // What a screen reader is given: landmarks, the heading, the world as a
      // link named by its name, and a live status.
      const tree = await page.accessibility.snapshot({ interestingOnly: true });
      const nodes: { role: string; name?: string; level?: number }[] = [];
      const walk = (node: typeof tree) => {
        if (!node) return;
        nodes.push({ role: node.role, name: node.name, level: node.level });
        for (const child of node.children ?? []) walk(child);
      };
      walk(tree);
      const has = (role: string, name?: string) =>
        nodes.some((n) => n.role === role && (name === undefined || n.name?.includes(name)));
      assert(has("heading", "Live worlds"), JSON.stringify(nodes));
      assert(has("link", "Keyboard World"), "the world is a link named by its name");
      assert(has("link", "Skip to content"));
      assertEquals(nodes.find((n) => n.role === "heading" && n.name === "Live worlds")?.level, 1);
      assert(
        await page.$eval("main", (m) => m !== null) &&
          await page.$eval("#connection", (p) => p.getAttribute("role")) === "status",
        "a main landmark and a status the reader announces",
      );

      // The keyboard alone: the first Tab reaches the skip link, which moves
      // focus into the content; Tabs reach the world, and Enter opens it.
      await page.keyboard.press("Tab");
      assertEquals(
        await page.evaluate("document.activeElement.textContent.trim()"),
        "Skip to content",
      );
      await page.keyboard.press("Enter");
      assertEquals(await page.evaluate("document.activeElement.id"), "main");
      let focused = "";
      for (let tab = 0; tab < 20 && focused !== "Keyboard World"; tab++) {
        await page.keyboard.press("Tab");
        focused = String(await page.evaluate("document.activeElement.textContent.trim()"));
      }
      assertEquals(focused, "Keyboard World", "Tab reaches the world's link");
      await page.keyboard.press("Enter");
      await waitForText(page, "#world-title", "Keyboard World");
      assertEquals(await page.$eval("#watch", (b) => b.getAttribute("aria-pressed")), "false");
      assertEquals(problems, [], "no console error or CSP violation");
    } finally {
      await gateway.stop();
    }
  },
);

browserTest(
  "a person watches, joins and moves in a world through /ws and sees its state",
  async ({ page, dir, problems, screenshot }) => {
    const gateway = await spawnTask("gateway", {
      HTTP_PORT: "0",
      LISTEN_ADDR: "127.0.0.1",
      DATA_DIR: `${dir}/gateway`,
    });
    const world = await spawnTask("world", {
      WORLD_ID: "browser-grid",
      WORLD_NAME: "Browser Grid",
      GATEWAY_URL: gateway.url,
      PORT: "0",
      LISTEN_ADDR: "127.0.0.1",
      DATA_DIR: `${dir}/world`,
      BROADCAST_INTERVAL_MS: "200",
    });
    try {
      await page.setViewport(DESKTOP);
      await page.goto(gateway.url, { waitUntil: "load" });
      await waitForText(page, "#worlds", "Browser Grid");
      await page.click("#worlds a");
      await waitForText(page, "#world-details", "browser-grid");
      assertEquals(await page.$eval("#world-title", (h) => h.textContent), "Browser Grid");

      await page.click("#watch");
      await page.waitForSelector("#alias", { visible: true });
      await page.type("#alias", "Ada");
      await page.keyboard.press("Enter");
      await page.waitForSelector("#actions button", { visible: true });
      const buttons = await page.$$eval("#actions button", (all) => all.map((b) => b.textContent));
      assertEquals(buttons, ["up", "down", "left", "right"], "the manifest's actions as buttons");
      await page.waitForSelector("#board", { visible: true });
      // The gateway's own watcher membership stands on the grid too: ours is
      // the agent that moves. A step may hit the edge or a taken cell, so try each.
      const before = await state(page);
      let moved: { x: number; y: number } | undefined;
      for (const direction of ["right", "left", "down", "up"]) {
        await page.click(`#actions button[data-action*='"${direction}"']`);
        const changed = await page.waitForFunction(
          `document.querySelector("#state").textContent !== ${
            JSON.stringify(JSON.stringify(before, null, 2))
          }`,
          { timeout: 2_000, polling: 50 },
        ).then((handle) => handle.dispose(), () => false);
        if (changed === false) continue;
        const after = await state(page);
        moved = after.agents.find((agent) => {
          const old = before.agents.find((a) => a.agentId === agent.agentId);
          return old && Math.abs(old.x - agent.x) + Math.abs(old.y - agent.y) === 1;
        });
        if (moved) break;
      }
      assert(moved, "our agent moved one cell");
      const label = await page.$eval("#board", (board) => board.getAttribute("aria-label") ?? "");
      assert(
        label.includes(`(${moved.x}, ${moved.y})`),
        `the board shows where it stands: ${label}`,
      );
      // The gateway relays the world's own broadcasts too (world.state frames).
      const relayed = await page.$eval("#announcer", (p) => p.textContent ?? "");
      assert(!relayed.includes("Could not"), relayed);
      await screenshot("world-desktop");
      // A phone's width without isMobile, which would make Chromium reload the page.
      await page.setViewport({ ...PHONE, isMobile: false, hasTouch: false });
      await screenshot("world-phone");
      assertEquals(problems, [], "no console error or CSP violation");
    } finally {
      await world.kill("SIGTERM");
      await gateway.kill("SIGTERM");
    }
  },
);

interface GridState {
  width: number;
  height: number;
  agents: { agentId: string; x: number; y: number }[];
}

async function state(page: Page): Promise<GridState> {
  return JSON.parse(await page.$eval("#state", (pre) => pre.textContent ?? "null"));
}

browserTest(
  "/docs renders the API with its title and no CSP violation",
  async ({ page, dir, problems, screenshot }) => {
    const [gateway, url] = await startGateway(`${dir}/gateway`, 90_000);
    try {
      await page.setViewport(DESKTOP);
      await page.goto(`${url}/docs`, { waitUntil: "load" });
      await waitForText(page, ".swagger-ui .title", "AgentWorlds gateway", 15_000);
      await page.waitForSelector(".opblock-tag-section", { visible: true });
      const operations = await page.$$eval(".opblock-summary-path", (all) => all.length);
      assert(operations >= 10, `${operations} operations shown`);
      await screenshot("docs-desktop");
      assertEquals(problems, [], "no console error or CSP violation");
    } finally {
      await gateway.stop();
    }
  },
);
