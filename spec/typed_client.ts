/**
 * A small typed client of the gateway's read routes, built with
 * `openapi-fetch` on the types `openapi-typescript` generates from
 * `openapi.yaml` (`gateway_types.gen.ts`). `deno task spec` type-checks it,
 * so a change to the document that breaks a reader breaks the task.
 *
 * Run it against a gateway to print what it serves:
 *
 * ```sh
 * deno run --allow-net spec/typed_client.ts http://127.0.0.1:8100
 * ```
 *
 * @module
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./gateway_types.gen.ts";

/** `GET /health`. */
export type Health = components["schemas"]["Health"];
/** A page of `GET /worlds`. */
export type WorldPage = components["schemas"]["WorldPage"];
/** `GET /world/{worldId}`. */
export type World = components["schemas"]["World"];
/** A page of `GET /agents`. */
export type AgentPage = components["schemas"]["AgentPage"];
/** A frame the gateway sends on `/ws`. */
export type WsServerFrame = components["schemas"]["WsServerFrame"];
/** A frame a browser sends on `/ws`. */
export type WsClientFrame = components["schemas"]["WsClientFrame"];

/** Paging of `GET /worlds` and `GET /agents`. */
export interface PageQuery {
  /** Most items, 1–1000. Default (the gateway's): 100. */
  limit?: number;
  /** The previous page's `nextCursor`. */
  cursor?: string;
}

/** A gateway answered with an error status. */
export class GatewayError extends Error {
  /** The HTTP status. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(`gateway answered ${status}: ${message}`);
    this.name = "GatewayError";
    this.status = status;
  }
}

/** Options of {@linkcode createGatewayClient}. */
export interface GatewayClientOptions {
  /** The fetch to use, e.g. a Hono app's `app.fetch` in tests. Default: global `fetch`. */
  fetch?: (request: Request) => Promise<Response>;
}

/** The read routes of a gateway. */
export interface GatewayClient {
  /** `GET /health`. */
  health(): Promise<Health>;
  /** `GET /worlds`: one page of live worlds, newest first. */
  worlds(query?: PageQuery): Promise<WorldPage>;
  /** `GET /world/{worldId}`: one live world; `undefined` when none is live. */
  world(worldId: string): Promise<World | undefined>;
  /** `GET /agents`: one page of live agents. */
  agents(query?: PageQuery): Promise<AgentPage>;
}

/**
 * A typed client of a gateway's read routes. Error statuses throw a
 * {@linkcode GatewayError} carrying the body's `error`, except the 404 of
 * `world()`, which is `undefined`.
 *
 * @example In-process, against any fetch handler
 * ```ts
 * import { createGatewayClient } from "./typed_client.ts";
 * const client = createGatewayClient("http://gateway.test", {
 *   fetch: () => Promise.resolve(Response.json({ worlds: [], nextCursor: null, revision: "b.0" })),
 * });
 * const page = await client.worlds({ limit: 10 });
 * console.log(page.nextCursor); // null
 * ```
 *
 * @param baseUrl The gateway's origin, e.g. `http://127.0.0.1:8100`.
 */
export function createGatewayClient(
  baseUrl: string,
  options: GatewayClientOptions = {},
): GatewayClient {
  const client = createClient<paths>({ baseUrl, fetch: options.fetch });
  return {
    async health() {
      const { data, error, response } = await client.GET("/health");
      if (data === undefined) throw new GatewayError(response.status, String(error));
      return data;
    },
    async worlds(query = {}) {
      const { data, error, response } = await client.GET("/worlds", { params: { query } });
      if (data === undefined) throw new GatewayError(response.status, error.error);
      return data;
    },
    async world(worldId) {
      const { data, error, response } = await client.GET("/world/{worldId}", {
        params: { path: { worldId } },
      });
      if (data !== undefined) return data;
      if (response.status === 404) return undefined;
      throw new GatewayError(response.status, error.error);
    },
    async agents(query = {}) {
      const { data, error, response } = await client.GET("/agents", { params: { query } });
      if (data === undefined) throw new GatewayError(response.status, error.error);
      return data;
    },
  };
}

if (import.meta.main) {
  const client = createGatewayClient(Deno.args[0] ?? "http://127.0.0.1:8100");
  const health = await client.health();
  console.log(`${health.status}: ${health.agents} agents, ${health.worlds} worlds`);
  const page = await client.worlds({ limit: 10 });
  for (const world of page.worlds) {
    const detail = await client.world(world.worldId);
    const where = detail?.endpoints.map((e) => `${e.address}:${e.port}`).join(", ") || "-";
    console.log(`${world.worldId}\t${world.name}\t${where}\t${detail?.subscribers ?? 0} watching`);
  }
  const agents = await client.agents({ limit: 10 });
  console.log(`first ${agents.agents.length} agents: ${agents.agents.map((a) => a.alias)}`);
}
