import { createPeerMessage, generateIdentity, PEER_EVENTS } from "../protocol/mod.ts";
import { Grid, parseStep } from "../examples/grid.ts";
import {
  DEFAULT_GATEWAY_URL,
  startGridWorld,
  WORLD_ENV_VARS,
  worldConfigFromEnv,
} from "../examples/grid_world.ts";
import denoJson from "../deno.json" with { type: "json" };
import { startRecorder, waitFor } from "./_sdk_fakes.ts";
import { assert, assertEquals, assertMatch, assertThrows } from "./assert.ts";

/** A "random" source that always picks the first free cell. */
const first = () => 0;

Deno.test("a placed agent stands on a free cell inside the grid", () => {
  const grid = new Grid(2, 2, first);
  const cells = ["a", "b", "c", "d"].map((id) => grid.place(id));
  assertEquals(cells, [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0, y: 1 }, { x: 1, y: 1 }]);
});

Deno.test("placing an agent already on the grid keeps its cell", () => {
  const grid = new Grid(4, 4, Math.random);
  const cell = grid.place("ada");
  assertEquals(grid.place("ada"), cell);
  assertEquals(grid.positions().length, 1);
});

Deno.test("placing an agent on a full grid is a RangeError", () => {
  const grid = new Grid(1, 1);
  grid.place("a");
  assertThrows(() => grid.place("b"), /the grid is full/);
});

Deno.test("a grid with a side that is not a positive integer is a RangeError", () => {
  assertThrows(() => new Grid(0, 4), /width/);
  assertThrows(() => new Grid(4, 1.5), /height/);
});

Deno.test("a move by dx and dy steps the agent", () => {
  const grid = new Grid(4, 4, first);
  grid.place("ada");
  assertEquals(grid.move("ada", { type: "move", dx: 1, dy: 1 }), {
    ok: true,
    position: { x: 1, y: 1 },
  });
  assertEquals(grid.positionOf("ada"), { x: 1, y: 1 });
});

Deno.test("a move by direction steps the agent that way", () => {
  const grid = new Grid(4, 4, first);
  grid.place("ada");
  grid.move("ada", { direction: "down" });
  grid.move("ada", { type: "move", direction: "right" });
  assertEquals(grid.positionOf("ada"), { x: 1, y: 1 });
  grid.move("ada", { direction: "up" });
  grid.move("ada", { direction: "left" });
  assertEquals(grid.positionOf("ada"), { x: 0, y: 0 });
});

Deno.test("a move off the edge is clamped to the grid", () => {
  const grid = new Grid(3, 3, first);
  grid.place("ada");
  assertEquals(grid.move("ada", { direction: "up" }), { ok: true, position: { x: 0, y: 0 } });
  assertEquals(grid.move("ada", { type: "move", dx: -1, dy: -1 }), {
    ok: true,
    position: { x: 0, y: 0 },
  });
});

Deno.test("a move into a taken cell is refused and the agent stays", () => {
  const grid = new Grid(2, 1, first);
  grid.place("ada");
  grid.place("bob");
  const result = grid.move("ada", { direction: "right" });
  assertEquals(result, { ok: false, error: "cell (1, 0) is taken" });
  assertEquals(grid.positionOf("ada"), { x: 0, y: 0 });
});

Deno.test("invalid move actions are refused with an error", () => {
  const invalid = [
    null,
    "up",
    [1, 0],
    { type: "jump" },
    { direction: "north" },
    { direction: "toString" },
    { type: "move", dx: 2, dy: 0 },
    { type: "move", dx: 0.5 },
    { type: "move", dx: "1" },
    { type: "move", dx: 0, dy: 0 },
    { type: "move" },
    {},
  ];
  for (const action of invalid) {
    const parsed = parseStep(action);
    assert(!parsed.ok, `${JSON.stringify(action)} is refused`);
    assert(parsed.error.length > 0, "with an error");
  }
});

Deno.test("a move of an agent that is not on the grid is refused", () => {
  const grid = new Grid();
  assertEquals(grid.move("ghost", { direction: "up" }).ok, false);
});

Deno.test("a removed agent frees its cell", () => {
  const grid = new Grid(1, 1);
  grid.place("a");
  assertEquals(grid.remove("a"), true);
  assertEquals(grid.remove("a"), false);
  assertEquals(grid.place("b"), { x: 0, y: 0 });
});

Deno.test("positions lists every agent with its cell", () => {
  const grid = new Grid(3, 1, first);
  grid.place("a");
  grid.place("b");
  assertEquals(grid.positions(), [{ agentId: "a", x: 0, y: 0 }, { agentId: "b", x: 1, y: 0 }]);
});

Deno.test("the world's environment defaults to the world id grid and the local gateway", () => {
  const config = worldConfigFromEnv({});
  assertEquals(config.worldId, "grid");
  assertEquals(config.port, undefined);
  assertEquals(config.gatewayUrls, DEFAULT_GATEWAY_URL);
  assertEquals(config.dataDir, undefined);
});

Deno.test("the world's environment sets ids, ports and intervals", () => {
  const config = worldConfigFromEnv({
    WORLD_ID: "maze",
    WORLD_NAME: "The Maze",
    PORT: "0",
    LISTEN_ADDR: "127.0.0.1",
    GATEWAY_URL: "http://a.test,http://b.test",
    DATA_DIR: "/tmp/maze",
    HEARTBEAT_INTERVAL_MS: "50",
    BROADCAST_INTERVAL_MS: "20",
  });
  assertEquals(config.worldId, "maze");
  assertEquals(config.worldName, "The Maze");
  assertEquals(config.port, 0);
  assertEquals(config.hostname, "127.0.0.1");
  assertEquals(config.gatewayUrls, "http://a.test,http://b.test");
  assertEquals(config.dataDir, "/tmp/maze");
  assertEquals(config.heartbeatIntervalMs, 50);
  assertEquals(config.broadcastIntervalMs, 20);
});

Deno.test("an empty GATEWAY_URL leaves the world without gateways", () => {
  assertEquals(worldConfigFromEnv({ GATEWAY_URL: "" }).gatewayUrls, "");
});

Deno.test("PROTOCOL_VERSION sets the version the world speaks, and an unknown one is a TypeError", () => {
  assertEquals(worldConfigFromEnv({}).protocolVersion, undefined);
  assertEquals(worldConfigFromEnv({ PROTOCOL_VERSION: "1.6" }).protocolVersion, "1.6");
  assertThrows(
    () => worldConfigFromEnv({ PROTOCOL_VERSION: "1.7" }),
    /unsupported protocol version "1.7"/,
  );
});

Deno.test("a number variable that is not an integer is a TypeError", () => {
  assertThrows(() => worldConfigFromEnv({ PORT: "80a" }), /PORT must be/);
  assertThrows(() => worldConfigFromEnv({ HEARTBEAT_INTERVAL_MS: "-5" }), /HEARTBEAT/);
});

Deno.test("deno task world may read exactly the variables the world reads", () => {
  const task = denoJson.tasks.world;
  const allowed = task.match(/--allow-env=(\S+)/)?.[1].split(",");
  assertEquals(allowed?.sort(), [...WORLD_ENV_VARS].sort());
  assertMatch(task, /^deno run .*examples\/grid_world\.ts$/);
});

Deno.test("an agent joins the grid world, moves, and is refused an invalid move", async () => {
  const { world, grid } = await startGridWorld({
    worldId: "grid",
    port: 0,
    hostname: "127.0.0.1",
    identity: await generateIdentity(),
    isPublic: false,
  });
  try {
    const agent = await generateIdentity();
    const post = async (event: string, content: unknown, timestamp: number) => {
      const message = await createPeerMessage(agent, event, content, timestamp);
      const response = await world.app.request("/peer/message", {
        method: "POST",
        body: JSON.stringify(message),
      });
      return { status: response.status, body: await response.json() };
    };
    const now = Date.now();
    const joined = await post(PEER_EVENTS.JOIN, { alias: "Ada" }, now);
    assertEquals(joined.status, 200);
    const start = joined.body.manifest.position;
    assertEquals(grid.positionOf(agent.agentId), start);
    const direction = start.x === 0 ? "right" : "left";
    const moved = await post(PEER_EVENTS.ACTION, { direction }, now + 1);
    assertEquals(moved.body.ok, true);
    assertEquals(moved.body.position.x, start.x + (direction === "right" ? 1 : -1));
    assertEquals(moved.body.state.agents, [{ agentId: agent.agentId, ...moved.body.position }]);
    const invalid = await post(PEER_EVENTS.ACTION, { type: "teleport" }, now + 2);
    assertEquals(invalid.status, 200);
    assertEquals(invalid.body.ok, false);
    assertMatch(invalid.body.error, /unknown action type/);
    await post(PEER_EVENTS.LEAVE, {}, now + 3);
    assertEquals(grid.positions(), []);
  } finally {
    await world.stop();
  }
});

Deno.test("deno task world listens, announces to GATEWAY_URL and stops on SIGTERM", async () => {
  const gateway = startRecorder();
  const dataDir = await Deno.makeTempDir();
  try {
    const [command, ...args] = denoJson.tasks.world.split(/\s+/);
    assertEquals(command, "deno");
    const child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: new URL("../", import.meta.url).pathname,
      env: {
        NO_COLOR: "1",
        PORT: "0",
        LISTEN_ADDR: "127.0.0.1",
        GATEWAY_URL: gateway.url,
        DATA_DIR: dataDir,
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let output = "";
    const pumps = [child.stdout, child.stderr].map(async (stream) => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) output += text;
    });
    try {
      await waitFor(() => /listening on http:\/\//.test(output), "the listening line", 20_000);
      assertMatch(output, /listening on http:\/\/127\.0\.0\.1:\d+ as aw:sha256:[0-9a-f]{64}/);
      await waitFor(() => gateway.callsTo("/peer/announce").length === 1, "an announce", 10_000);
    } finally {
      child.kill("SIGTERM");
      const status = await child.status;
      await Promise.all(pumps);
      assertEquals(status.code, 0, output);
    }
    assertMatch(output, /stopped/);
  } finally {
    await gateway.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
