/**
 * Fakes for the SDK tests: a recording HTTP server on 127.0.0.1 that plays a
 * gateway or a member's endpoint, a world that hangs on every leave, and
 * small waiting helpers.
 *
 * @module
 */
import { generateIdentity, type Identity } from "../protocol/mod.ts";
import { createWorldServer, type WorldServer } from "../sdk/mod.ts";

/** One request the recorder received. */
export interface RecordedCall {
  method: string;
  path: string;
  headers: Headers;
  bodyText: string;
  json: unknown;
}

/** What the recorder answers: a status and a JSON body, after an optional delay. */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
  delayMs?: number;
}

export type Responder = (
  call: RecordedCall,
) => FakeAnswer | undefined | Promise<FakeAnswer | undefined>;

export interface Recorder {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  calls: RecordedCall[];
  /** The calls to one path. */
  callsTo(path: string): RecordedCall[];
  /** The most requests that were being answered at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 (a free port) that records every request and
 * answers what `respond` says (default: 200 `{ok: true, peers: []}`).
 */
export function startRecorder(respond: Responder = () => undefined): Recorder {
  const calls: RecordedCall[] = [];
  const delays = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const bodyText = await request.text();
        let json: unknown;
        try {
          json = JSON.parse(bodyText);
        } catch {
          json = undefined;
        }
        const call: RecordedCall = {
          method: request.method,
          path: new URL(request.url).pathname,
          headers: request.headers,
          bodyText,
          json,
        };
        calls.push(call);
        const answer = (await respond(call)) ?? {};
        if (answer.delayMs) {
          await new Promise<void>((resolve) => {
            const delay = {
              timer: setTimeout(() => {
                delays.delete(delay);
                resolve();
              }, answer.delayMs),
              resolve,
            };
            delays.add(delay);
          });
        }
        return Response.json(answer.body ?? { ok: true, peers: [] }, {
          status: answer.status ?? 200,
        });
      } finally {
        inFlight--;
      }
    },
  );
  const port = server.addr.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    callsTo: (path) => calls.filter((call) => call.path === path),
    maxInFlight: () => maxInFlight,
    async close() {
      for (const delay of delays) {
        clearTimeout(delay.timer);
        delay.resolve();
      }
      delays.clear();
      await server.shutdown();
    },
  };
}

/** A URL where nothing listens: a port that was just free. */
export async function unreachableUrl(): Promise<string> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(),
  );
  const port = server.addr.port;
  await server.shutdown();
  return `http://127.0.0.1:${port}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 5 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A world that answers `world.join` and never answers `world.leave`; see {@linkcode startHangingWorld}. */
export interface HangingWorld {
  world: WorldServer;
  /** The agents whose `world.leave` reached it, in order. */
  leaving: string[];
  /** Answers every leave still hanging (before the world is stopped). */
  release(): void;
}

/** Starts a world on 127.0.0.1 that registers with `gatewayUrl` and hangs on every leave. */
export async function startHangingWorld(
  worldId: string,
  gatewayUrl: string,
  identity?: Identity,
): Promise<HangingWorld> {
  const hung: (() => void)[] = [];
  const leaving: string[] = [];
  const world = await createWorldServer({
    worldId,
    port: 0,
    hostname: "127.0.0.1",
    identity: identity ?? await generateIdentity(),
    gatewayUrls: gatewayUrl,
    isPublic: true,
    onError: () => {},
  }, {
    onJoin: () => ({ manifest: {} }),
    onLeave: (agentId) => {
      leaving.push(agentId);
      return new Promise<void>((resolve) => hung.push(resolve));
    },
    getState: () => ({}),
  });
  return {
    world,
    leaving,
    release: () => {
      for (const resolve of hung.splice(0)) resolve();
    },
  };
}
