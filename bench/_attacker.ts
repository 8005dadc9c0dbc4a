/**
 * The attacker of `bench/attack.ts`: its own process, started under
 * `nice -n 19`, so that its thousands of connections and its signing share
 * neither an event loop nor, when the machine is busy, a core with the
 * gateway and the honest clients it measures (a real attacker is on other
 * machines). It reads requests as JSON lines on stdin (`{ "type": "phase",
 * … }`) and answers each with a JSON line on stdout: what the attack did.
 *
 * Every loop is bounded in count and time; everything is on 127.0.0.1.
 *
 * @module
 */
import { BODY_LIMITS, createPeerMessage, generateIdentity } from "../protocol/mod.ts";
import { createWorldServer, type WorldServer } from "../sdk/mod.ts";
import { sleep, within } from "./_stats.ts";

/** The world the watchers watch and whose large states they do not read. */
export const ATTACKED_WORLD = "attacked";

/** What the main thread asks for. */
export type AttackerRequest =
  | { type: "start"; url: string; states: number; stateBytes: number }
  | {
    type: "phase";
    name: string;
    seconds: number;
    idleConnections: number;
    drippers: number;
    watchers: number;
    stateBytes: number;
    statesPerSecond: number;
  }
  | { type: "stop" };

/** What the worker answers. */
export type AttackerReply =
  | { type: "started" }
  | { type: "phase"; attack: Record<string, number> }
  | { type: "stopped" };

/** A phase's clock: attack loops run while `running()`. */
interface Phase {
  name: string;
  endsAt: number;
  running(): boolean;
}

function startPhase(name: string, seconds: number): Phase {
  const endsAt = performance.now() + seconds * 1000;
  return { name, endsAt, running: () => performance.now() < endsAt };
}

function closeQuietly(conn: Deno.Conn | undefined): void {
  try {
    conn?.close();
  } catch {
    // already closed
  }
}

/** Opens a connection, or undefined within 5 s (one that opens later is closed at once). */
async function connect(port: number): Promise<Deno.TcpConn | undefined> {
  const pending = Deno.connect({ hostname: "127.0.0.1", port }).catch(() => undefined);
  const conn = await within(pending, 5000);
  if (!conn) pending.then(closeQuietly);
  return conn;
}

/** Waits until the server closes `conn` or sends something (or the phase ends); returns the first bytes. */
async function awaitServer(conn: Deno.Conn, phase: Phase): Promise<string | undefined> {
  const buffer = new Uint8Array(256);
  const n = await within(
    conn.read(buffer).catch(() => null),
    Math.max(1, phase.endsAt - performance.now()),
  );
  if (n === undefined) return undefined; // phase over
  return n === null ? "" : new TextDecoder().decode(buffer.subarray(0, n));
}

/** (a) Idle connections, reopened as the gateway closes or refuses them. */
async function idleFlood(
  port: number,
  count: number,
  phase: Phase,
): Promise<Record<string, number>> {
  const stats = { opened: 0, refused: 0, closedByGateway: 0, connectFailures: 0 };
  await Promise.all(Array.from({ length: count }, async () => {
    for (let attempt = 0; attempt < 1000 && phase.running(); attempt++) {
      const conn = await connect(port);
      if (!conn) {
        stats.connectFailures++;
        await sleep(200);
        continue;
      }
      stats.opened++;
      const answer = await awaitServer(conn, phase);
      closeQuietly(conn);
      if (answer === undefined) return;
      if (answer.startsWith("HTTP/1.1 503") || answer.startsWith("HTTP/1.1 429")) {
        stats.refused++;
      } else {
        stats.closedByGateway++;
      }
      // The attacker comes back, but not in a tight loop: this measures idle
      // connections, not a connection flood (a proxy's job).
      await sleep(500);
    }
  }));
  return stats;
}

/** (b) Bodies dripped a byte every 100 ms, declared at each route's limit (announce 8 KiB, heartbeat 1 KiB). */
async function dripFlood(
  port: number,
  host: string,
  count: number,
  phase: Phase,
): Promise<Record<string, number>> {
  const stats = { opened: 0, bytesDripped: 0, answered408: 0, answeredOther: 0 };
  const encoder = new TextEncoder();
  await Promise.all(Array.from({ length: count }, async (_, i) => {
    const path = i % 2 === 0 ? "/peer/announce" : "/peer/heartbeat";
    const chunked = i % 4 >= 2;
    const framing = chunked
      ? "transfer-encoding: chunked"
      : `content-length: ${
        path === "/peer/announce" ? BODY_LIMITS.announce : BODY_LIMITS.heartbeat
      }`;
    const head = encoder.encode(
      `POST ${path} HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\n${framing}\r\n\r\n`,
    );
    const drop = encoder.encode(chunked ? "1\r\n{\r\n" : "{");
    for (let attempt = 0; attempt < 100 && phase.running(); attempt++) {
      const conn = await connect(port);
      if (!conn) continue;
      stats.opened++;
      let answer: Promise<string | undefined> | undefined;
      try {
        await conn.write(head);
        answer = awaitServer(conn, phase);
        let answered = false;
        answer.then(() => answered = true);
        for (let k = 0; k < 100_000 && phase.running() && !answered; k++) {
          await conn.write(drop);
          stats.bytesDripped += drop.length;
          await sleep(100);
        }
        const text = await answer;
        if (text?.startsWith("HTTP/1.1 408")) stats.answered408++;
        else if (text) stats.answeredOther++;
      } catch {
        // the gateway closed it: open another
      } finally {
        closeQuietly(conn);
      }
    }
  }));
  return stats;
}

/** A WebSocket handshake over a raw connection that will never read frames. */
async function openWatcher(port: number, host: string): Promise<Deno.TcpConn | undefined> {
  const conn = await connect(port);
  if (!conn) return undefined;
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  try {
    await conn.write(new TextEncoder().encode(
      `GET /ws?world=${ATTACKED_WORLD} HTTP/1.1\r\nhost: ${host}\r\nupgrade: websocket\r\n` +
        `connection: Upgrade\r\nsec-websocket-version: 13\r\nsec-websocket-key: ${key}\r\n\r\n`,
    ));
    const buffer = new Uint8Array(512);
    const n = await within(conn.read(buffer), 5000);
    if (!n || !new TextDecoder().decode(buffer.subarray(0, n)).startsWith("HTTP/1.1 101")) {
      closeQuietly(conn);
      return undefined;
    }
    return conn;
  } catch {
    closeQuietly(conn);
    return undefined;
  }
}

/** (c) Watchers that never read; each reconnects once the gateway drops it. */
async function watcherFlood(
  port: number,
  host: string,
  count: number,
  phase: Phase,
): Promise<Record<string, number>> {
  const stats = { opened: 0, droppedByGateway: 0, handshakeFailures: 0 };
  await Promise.all(Array.from({ length: count }, async () => {
    for (let attempt = 0; attempt < 1000 && phase.running(); attempt++) {
      const conn = await openWatcher(port, host);
      if (!conn) {
        stats.handshakeFailures++;
        await sleep(200);
        continue;
      }
      stats.opened++;
      // Never read: only notice the drop when the gateway resets the connection.
      const dropped = await within(
        (async () => {
          for (let k = 0; k < 10_000 && phase.running(); k++) {
            await sleep(250);
            // A zero-length probe would not notice; a ping frame (masked, empty) does.
            await conn.write(new Uint8Array([0x89, 0x80, 0, 0, 0, 0]));
          }
          return false;
        })().catch(() => true),
        Math.max(1, phase.endsAt - performance.now()),
      );
      closeQuietly(conn);
      if (dropped) stats.droppedByGateway++;
    }
  }));
  return stats;
}

/** Signs `count` large `world.state` messages of the attacked world ahead of time, with rising timestamps. */
async function signStates(world: WorldServer, count: number, bytes: number): Promise<string[]> {
  const blob = "x".repeat(bytes);
  const ts = Date.now() + 10_000; // ahead of the world's own broadcasts
  const bodies: string[] = [];
  for (let k = 0; k < count; k++) {
    const message = await createPeerMessage(world.identity, "world.state", {
      worldId: ATTACKED_WORLD,
      state: { blob, k },
    }, ts + k);
    bodies.push(JSON.stringify(message));
  }
  return bodies;
}

/** The attacked world posts its pre-signed large `world.state`s while the phase runs. */
async function statePoster(
  url: string,
  bodies: string[],
  perSecond: number,
  phase: Phase,
): Promise<Record<string, number>> {
  const stats = { posted: 0, delivered: 0, failed: 0 };
  while (bodies.length > 0 && phase.running()) {
    const started = performance.now();
    try {
      const response = await fetch(`${url}/peer/message`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: bodies.shift(),
        signal: AbortSignal.timeout(5000),
      });
      const answer = await response.json();
      if (response.ok) {
        stats.posted++;
        stats.delivered += answer.delivered ?? 0;
      } else {
        stats.failed++;
      }
    } catch {
      stats.failed++;
    }
    await sleep(Math.max(0, 1000 / perSecond - (performance.now() - started)));
  }
  return stats;
}

let world: WorldServer | undefined;
let gatewayUrl = "";
let states: string[] = [];

async function runPhase(request: Extract<AttackerRequest, { type: "phase" }>) {
  const phase = startPhase(request.name, request.seconds);
  const { port, host } = new URL(gatewayUrl);
  const attacks: Promise<Record<string, number>>[] = [];
  const named = (prefix: string, stats: Promise<Record<string, number>>) =>
    attacks.push(
      stats.then((counts) =>
        Object.fromEntries(Object.entries(counts).map(([key, n]) => [`${prefix}.${key}`, n]))
      ),
    );
  const all = request.name === "all";
  if (request.name === "idle" || all) {
    named("idle", idleFlood(Number(port), request.idleConnections, phase));
  }
  if (request.name === "drip" || all) {
    named("drip", dripFlood(Number(port), host, request.drippers, phase));
  }
  if (request.name === "watchers" || all) {
    named("watchers", watcherFlood(Number(port), host, request.watchers, phase));
    named(
      "states",
      statePoster(gatewayUrl, states, request.statesPerSecond, phase),
    );
  }
  const attack: Record<string, number> = Object.assign({}, ...await Promise.all(attacks));
  while (phase.running()) await sleep(50);
  return attack;
}

async function handle(request: AttackerRequest): Promise<AttackerReply> {
  if (request.type === "start") {
    gatewayUrl = request.url;
    world = await createWorldServer({
      worldId: ATTACKED_WORLD,
      // A key of its own in memory: the attacker may not write a DATA_DIR.
      identity: await generateIdentity(),
      hostname: "127.0.0.1",
      port: 0,
      gatewayUrls: gatewayUrl,
      broadcastIntervalMs: 3_600_000,
      onError: () => {},
    });
    states = await signStates(world, request.states, request.stateBytes);
    return { type: "started" };
  }
  if (request.type === "phase") return { type: "phase", attack: await runPhase(request) };
  await world?.stop();
  return { type: "stopped" };
}

if (import.meta.main) {
  const encoder = new TextEncoder();
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  let pending = "";
  for await (const text of lines) {
    pending += text;
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const request = JSON.parse(pending.slice(0, newline)) as AttackerRequest;
      pending = pending.slice(newline + 1);
      const reply = await handle(request);
      await Deno.stdout.write(encoder.encode(JSON.stringify(reply) + "\n"));
      if (reply.type === "stopped") Deno.exit(0);
    }
  }
}
