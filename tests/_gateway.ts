/**
 * Test harness for the gateway: an in-process gateway on a temp directory
 * with an injected clock, and signed-message builders.
 *
 * @module
 */
import { createGateway, type Gateway, type GatewayOptions } from "../gateway/mod.ts";
import {
  createAnnounce,
  createHeartbeat,
  generateIdentity,
  type Identity,
} from "../protocol/mod.ts";

/** A clock tests move by hand. */
export class ManualClock {
  now: number;
  constructor(start = Date.now()) {
    this.now = start;
  }
  advance(ms: number): number {
    return this.now += ms;
  }
  readonly read = (): number => this.now;
}

export interface Harness {
  gateway: Gateway;
  clock: ManualClock;
  dataDir: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(options: GatewayOptions = {}): Promise<Harness> {
  const clock = new ManualClock();
  const dataDir = options.dataDir ?? await Deno.makeTempDir({ prefix: "aw-gw-" });
  const gateway = await createGateway({ clock: clock.read, log: () => {}, ...options, dataDir });
  const request = (path: string, init?: RequestInit) =>
    Promise.resolve(gateway.app.request(`http://127.0.0.1:8100${path}`, init));
  return {
    gateway,
    clock,
    dataDir,
    request,
    post: (path, body, headers = {}) =>
      request(path, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    async close() {
      await gateway.stop();
      if (!options.dataDir) await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/** Runs `fn` with a fresh in-process gateway and closes it after, whatever happens. */
export async function withHarness(
  fn: (h: Harness) => Promise<void>,
  options: GatewayOptions = {},
): Promise<void> {
  const h = await startHarness(options);
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

/** A world: its identity and helpers to sign its messages at a given time. */
export interface TestWorld {
  identity: Identity;
  worldId: string;
  announce(
    timestamp: number,
    overrides?: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
  heartbeat(ts: number): Promise<Record<string, unknown>>;
}

export async function makeWorld(
  worldId = `w-${crypto.randomUUID().slice(0, 8)}`,
): Promise<TestWorld> {
  const identity = await generateIdentity();
  return {
    identity,
    worldId,
    async announce(timestamp, overrides = {}) {
      const body = await createAnnounce(identity, {
        alias: `World ${worldId}`,
        version: "1.0.0",
        endpoints: [{ address: "127.0.0.1", port: 8099, transport: "tcp" }],
        capabilities: [`world:${worldId}`],
      }, timestamp);
      return { ...body, ...overrides };
    },
    async heartbeat(ts) {
      return { ...await createHeartbeat(identity, ts) };
    },
  };
}

export async function json(response: Response): Promise<Record<string, unknown>> {
  return await response.json();
}
