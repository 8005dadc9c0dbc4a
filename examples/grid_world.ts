/**
 * A small, real AgentWorld world: a 16 × 16 grid agents walk on. Run it
 * with `deno task world`; it registers with the gateway at `GATEWAY_URL`
 * and stops cleanly on SIGINT or SIGTERM.
 *
 * Agents join (`world.join`) and get a random free cell, act
 * (`world.action` with `{"type": "move", "dx": 1, "dy": 0}` or
 * `{"direction": "up"}`), and leave (`world.leave`). The state every member
 * sees is `{width, height, agents: [{agentId, x, y}]}`.
 *
 * Environment (all optional):
 *
 * | variable                | default                  |
 * | ----------------------- | ------------------------ |
 * | `WORLD_ID`              | `grid`                   |
 * | `WORLD_NAME`            | the world id             |
 * | `WORLD_THEME`           | none                     |
 * | `WORLD_PASSWORD`        | none (anyone may join)   |
 * | `GATEWAY_URL`           | `http://127.0.0.1:8100` (comma-separated list; empty: stay private) |
 * | `PORT`                  | `8099` (0: a free port)  |
 * | `LISTEN_ADDR`           | `0.0.0.0`                |
 * | `PUBLIC_ADDR`           | `LISTEN_ADDR`, or `127.0.0.1` when that is `0.0.0.0` |
 * | `PUBLIC_PORT`           | the bound port           |
 * | `DATA_DIR`              | `./data`                 |
 * | `ANNOUNCE_INTERVAL_MS`  | 600000                   |
 * | `HEARTBEAT_INTERVAL_MS` | 30000                    |
 * | `BROADCAST_INTERVAL_MS` | 5000                     |
 * | `IDLE_TIMEOUT_MS`       | 300000                   |
 * | `PROTOCOL_VERSION`      | `1.2` with `aw:hb:` heartbeats; `1.2`–`1.6` speak that AgentWorld version, as reference SDKs do |
 *
 * @example
 * ```sh
 * GATEWAY_URL=http://127.0.0.1:8100 PORT=8099 deno task world
 * PROTOCOL_VERSION=1.6 deno task world   # registers with AgentWorld 1.6 gateways too
 * ```
 *
 * @module
 */
import {
  createWorldServer,
  DEFAULTS,
  requireVersion,
  type WorldHooks,
  type WorldServer,
  type WorldServerConfig,
} from "../mod.ts";
import { Grid } from "./grid.ts";

/** Every environment variable the world reads; `deno task world` may read exactly these. */
export const WORLD_ENV_VARS = [
  "WORLD_ID",
  "WORLD_NAME",
  "WORLD_THEME",
  "WORLD_PASSWORD",
  "GATEWAY_URL",
  "PORT",
  "LISTEN_ADDR",
  "PUBLIC_ADDR",
  "PUBLIC_PORT",
  "DATA_DIR",
  "ANNOUNCE_INTERVAL_MS",
  "HEARTBEAT_INTERVAL_MS",
  "BROADCAST_INTERVAL_MS",
  "IDLE_TIMEOUT_MS",
  "PROTOCOL_VERSION",
] as const;

/** One of {@linkcode WORLD_ENV_VARS}. */
export type WorldEnvVar = typeof WORLD_ENV_VARS[number];

/** The gateway a world registers with when `GATEWAY_URL` is unset. */
export const DEFAULT_GATEWAY_URL = `http://127.0.0.1:${DEFAULTS.gatewayPort}`;

/**
 * The world's configuration from its environment.
 *
 * @example
 * ```ts
 * import { worldConfigFromEnv } from "./grid_world.ts";
 * const config = worldConfigFromEnv({ WORLD_ID: "maze", PORT: "0" });
 * console.log(config.worldId, config.port); // "maze" 0
 * ```
 *
 * @param env The variables, e.g. `Deno.env.toObject()`; unset ones are absent.
 * @throws {TypeError} When a number variable is not a non-negative integer, or
 *   `PROTOCOL_VERSION` is not a version spoken here.
 */
export function worldConfigFromEnv(
  env: Partial<Record<WorldEnvVar, string>>,
): WorldServerConfig & { worldId: string } {
  const text = (name: WorldEnvVar) => env[name] === "" ? undefined : env[name];
  const integer = (name: WorldEnvVar) => {
    const value = text(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new TypeError(`${name} must be a non-negative integer`);
    return Number(value);
  };
  return {
    worldId: text("WORLD_ID") ?? "grid",
    worldName: text("WORLD_NAME"),
    worldTheme: text("WORLD_THEME"),
    password: text("WORLD_PASSWORD"),
    // Set but empty means no gateway at all: the world stays private.
    gatewayUrls: env.GATEWAY_URL ?? DEFAULT_GATEWAY_URL,
    port: integer("PORT"),
    hostname: text("LISTEN_ADDR"),
    publicAddr: text("PUBLIC_ADDR"),
    publicPort: integer("PUBLIC_PORT"),
    dataDir: text("DATA_DIR"),
    announceIntervalMs: integer("ANNOUNCE_INTERVAL_MS"),
    heartbeatIntervalMs: integer("HEARTBEAT_INTERVAL_MS"),
    broadcastIntervalMs: integer("BROADCAST_INTERVAL_MS"),
    idleTimeoutMs: integer("IDLE_TIMEOUT_MS"),
    protocolVersion: text("PROTOCOL_VERSION") === undefined
      ? undefined
      : requireVersion(text("PROTOCOL_VERSION")),
  };
}

/**
 * The world's hooks around a grid: join places the agent, an action moves
 * it, leave removes it.
 *
 * @example
 * ```ts
 * import { Grid } from "./grid.ts";
 * import { gridHooks } from "./grid_world.ts";
 * const hooks = gridHooks(new Grid(8, 8));
 * const joined = hooks.onJoin!("aw:sha256:00", {});
 * ```
 */
export function gridHooks(grid: Grid): WorldHooks {
  const state = () => ({ width: grid.width, height: grid.height, agents: grid.positions() });
  return {
    onJoin: (agentId) => ({
      manifest: {
        description: `A ${grid.width} × ${grid.height} grid, one agent per cell.`,
        position: grid.place(agentId),
        actions: [
          { type: "move", dx: "-1 | 0 | 1", dy: "-1 | 0 | 1" },
          { direction: "up | down | left | right" },
        ],
      },
      state: state(),
    }),
    onAction: (agentId, data) => {
      const moved = grid.move(agentId, data);
      return moved.ok ? { ok: true, position: moved.position, state: state() } : moved;
    },
    onLeave: (agentId) => void grid.remove(agentId),
    getState: state,
  };
}

/**
 * Starts the grid world with a configuration (see
 * {@linkcode worldConfigFromEnv}); at most one agent per cell.
 *
 * @example
 * ```ts ignore
 * import { startGridWorld } from "./grid_world.ts";
 * const { world } = await startGridWorld({ worldId: "grid", port: 0, isPublic: false });
 * await world.stop();
 * ```
 */
export async function startGridWorld(
  config: WorldServerConfig,
  grid: Grid = new Grid(16, 16),
): Promise<{ world: WorldServer; grid: Grid }> {
  const world = await createWorldServer({ maxAgents: grid.capacity, ...config }, gridHooks(grid));
  return { world, grid };
}

if (import.meta.main) {
  const env: Partial<Record<WorldEnvVar, string>> = {};
  for (const name of WORLD_ENV_VARS) env[name] = Deno.env.get(name);
  let world: WorldServer;
  try {
    ({ world } = await startGridWorld(worldConfigFromEnv(env)));
  } catch (error) {
    console.error(`grid world failed to start: ${(error as Error).message}`);
    Deno.exit(1);
  }
  console.log(
    `grid world "${world.worldId}" listening on ${world.url} as ${world.identity.agentId}`,
  );

  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  const listening: Deno.Signal[] = [];
  const stop = async () => {
    for (const signal of listening) Deno.removeSignalListener(signal, stop);
    await world.stop();
    console.log(`grid world "${world.worldId}" stopped`);
  };
  for (const signal of signals) {
    try {
      Deno.addSignalListener(signal, stop);
      listening.push(signal);
    } catch {
      // SIGTERM cannot be listened to on Windows; SIGINT still stops the world.
    }
  }
}
