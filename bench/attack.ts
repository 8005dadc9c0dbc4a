/**
 * Benchmark 6: the gateway under attack (issue 9). A gateway process with
 * its default limits takes honest heartbeats at a steady rate over
 * keep-alive connections while, phase by phase, this process attacks it:
 *
 * - `idle`: more idle TCP connections than `MAX_CONNECTIONS` (no bytes sent),
 *   each reopened when the gateway closes or refuses it;
 * - `drip`: request bodies for announce and heartbeat dripped a byte at a
 *   time (half with `Content-Length`, half chunked);
 * - `watchers`: WebSocket watchers that never read while a world posts large
 *   `world.state` messages for them, each reconnecting once dropped;
 * - `all`: the three at once.
 *
 * Per phase: the gateway's peak RSS (sampled every 200 ms), whether it stayed
 * up, and the honest heartbeats' latency and errors. The attack runs in its
 * own process under `nice -n 19` (`_attacker.ts`), so the honest clients'
 * event loop only measures; its own longest stall is reported beside their
 * latency. Every loop is
 * bounded in count and time, and everything is on 127.0.0.1. Since every
 * client has that one address, the gateway runs with
 * `MAX_CONNECTIONS_PER_ADDRESS` raised to the global cap, as if the attack
 * came from many addresses (from one, the per-address cap of 512 stops it
 * sooner).
 *
 * @module
 */
import type { AttackerReply, AttackerRequest } from "./_attacker.ts";
import { type GatewayProcess, startGatewayProcess } from "./_gateway_process.ts";
import { HttpConnection, openConnections, serializeRequest } from "./_http_client.ts";
import type { StatusCounts } from "./_load.ts";
import { rssBytesAsync } from "./_proc.ts";
import { int, latency, type LatencySummary, mib, Samples, sleep, within } from "./_stats.ts";
import { Fleet } from "./_worlds.ts";
import { announceAll } from "./heartbeat.ts";

/** Options of {@linkcode benchAttack}. */
export interface AttackOptions {
  /** Seconds each attack phase lasts. Default: 15. */
  phaseSeconds?: number;
  /** Honest worlds, each heartbeating once a second. Default: 200. */
  honestWorlds?: number;
  /** Idle connections of the `idle` phase. Default: 11000 (over the default cap of 10000). */
  idleConnections?: number;
  /** Connections dripping bodies in the `drip` phase. Default: 200. */
  drippers?: number;
  /** Watchers that never read in the `watchers` phase. Default: 100. */
  watchers?: number;
  /** Size of each `world.state` the attacked world posts, in bytes. Default: 200000. */
  stateBytes?: number;
  /** `world.state` posts per second. Default: 10. */
  statesPerSecond?: number;
  /** The phases to run, in order. Default: all of {@linkcode ATTACK_PHASES}. */
  phases?: readonly string[];
}

/** The attack's phases: `quiet` (none), `idle`, `drip`, `watchers`, and `all` at once. */
export const ATTACK_PHASES: readonly string[] = ["quiet", "idle", "drip", "watchers", "all"];

/** What one phase measured. */
export interface PhaseResult {
  phase: string;
  seconds: number;
  /** The gateway's largest RSS during the phase, in bytes. */
  peakRss: number;
  /** The gateway was up at the end of the phase (its process running, `/health` 200). */
  up: boolean;
  honest: { latency: LatencySummary; statuses: StatusCounts; errors: number };
  /** The honest clients' own longest event-loop stall, in ms (part of any latency above it). */
  generatorStallMs: number;
  /** What the attack did (connections opened, refused, dropped …). */
  attack: Record<string, number>;
}

/** What {@linkcode benchAttack} measured. */
export interface AttackResult {
  phases: PhaseResult[];
  /** Whether the gateway never exited. */
  survived: boolean;
  /** The largest RSS over all phases, in bytes. */
  peakRss: number;
  /** Honest heartbeats that failed (non-200, timeout or closed connection), all phases. */
  honestErrors: number;
  /** The worst phase's honest p99, in ms. */
  honestP99: number;
}

const HONEST_CONNECTIONS = 16;
const HONEST_TIMEOUT_MS = 5000;

/**
 * Honest worlds: world i heartbeats once a second on connection i % C, with
 * rising `ts`. Each answer's latency and status is recorded for the phase it
 * was sent in; a failure (timeout, closed connection) counts as an error and
 * the connection is reopened.
 */
class HonestLoad {
  readonly samples = new Map<
    string,
    { latency: Samples; statuses: StatusCounts; errors: number }
  >();
  phase = "setup";
  #stopped = false;
  #done: Promise<void> | undefined;

  start(gateway: GatewayProcess, fleet: Fleet, bodies: Map<number, string[]>): void {
    const worlds = fleet.worlds.length;
    this.#done = (async () => {
      const connections = await openConnections(gateway.url, HONEST_CONNECTIONS);
      const started = performance.now();
      await Promise.all(connections.map(async (first, c) => {
        let connection: HttpConnection | undefined = first;
        const mine = [...Array(worlds).keys()].filter((w) => w % HONEST_CONNECTIONS === c);
        for (let second = 0; !this.#stopped; second++) {
          for (let j = 0; j < mine.length && !this.#stopped; j++) {
            const w = mine[j];
            const body = bodies.get(w)?.[second];
            if (body === undefined) return;
            const at = started + second * 1000 + (w / worlds) * 1000;
            const wait = at - performance.now();
            if (wait > 0) await sleep(wait);
            const phase = this.#phase();
            const sent = performance.now();
            try {
              connection ??= await HttpConnection.open(
                "127.0.0.1",
                Number(new URL(gateway.url).port),
              );
              const request = serializeRequest("POST", "/peer/heartbeat", gateway.host, body);
              const response = await within(connection.send(request), HONEST_TIMEOUT_MS);
              if (!response) throw new Error("timeout");
              phase.latency.add(performance.now() - sent);
              phase.statuses[response.status] = (phase.statuses[response.status] ?? 0) + 1;
              if (response.status !== 200) phase.errors++;
            } catch {
              phase.errors++;
              connection?.close();
              connection = undefined;
            }
          }
        }
      }));
    })();
  }

  #phase() {
    let entry = this.samples.get(this.phase);
    if (!entry) {
      entry = { latency: new Samples(), statuses: {}, errors: 0 };
      this.samples.set(this.phase, entry);
    }
    return entry;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#done;
  }
}

/** Samples a process's RSS every 200 ms; `stop()` returns the peak. */
function rssSampler(pid: number): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    for (let k = 0; k < 100_000 && running; k++) {
      const rss = await rssBytesAsync(pid);
      if (rss > peak) peak = rss;
      await sleep(200);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}

/** The attacker process (`_attacker.ts`), niced, spoken to in JSON lines. */
function startAttacker(): {
  ask(request: AttackerRequest): Promise<AttackerReply>;
  stop(): Promise<void>;
} {
  const child = new Deno.Command("nice", {
    args: [
      "-n",
      "19",
      Deno.execPath(),
      "run",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-env",
      new URL("./_attacker.ts", import.meta.url).pathname,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  const encoder = new TextEncoder();
  const ask = async (request: AttackerRequest): Promise<AttackerReply> => {
    await writer.write(encoder.encode(JSON.stringify(request) + "\n"));
    for (let k = 0; k < 100_000; k++) {
      const newline = pending.indexOf("\n");
      if (newline >= 0) {
        const reply = JSON.parse(pending.slice(0, newline)) as AttackerReply;
        pending = pending.slice(newline + 1);
        return reply;
      }
      const { done, value } = await reader.read();
      if (done) throw new Error("the attacker process ended");
      pending += value;
    }
    throw new Error("no answer from the attacker process");
  };
  return {
    ask,
    async stop() {
      await within(ask({ type: "stop" }).catch(() => undefined), 5000);
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await writer.close().catch(() => {});
      await reader.cancel().catch(() => {});
      await child.status;
    },
  };
}

/** The longest a 5 ms interval fired late in this thread; `stop()` returns it, in ms. */
function stallProbe(): { stop(): number } {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return worst;
    },
  };
}

async function healthy(gateway: GatewayProcess): Promise<boolean> {
  try {
    const response = await fetch(`${gateway.url}/health`, { signal: AbortSignal.timeout(5000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Runs benchmark 6 and prints it. */
export async function benchAttack(
  options: AttackOptions = {},
  print: (line: string) => void = console.log,
): Promise<AttackResult> {
  const phaseSeconds = options.phaseSeconds ?? 15;
  const honestWorlds = options.honestWorlds ?? 200;
  const idleConnections = options.idleConnections ?? 11_000;
  const drippers = options.drippers ?? 200;
  const watchers = options.watchers ?? 100;
  const stateBytes = options.stateBytes ?? 200_000;
  const statesPerSecond = options.statesPerSecond ?? 10;
  const phases = options.phases ?? ATTACK_PHASES;
  const unknown = phases.filter((phase) => !ATTACK_PHASES.includes(phase));
  if (unknown.length > 0) throw new Error(`unknown attack phases: ${unknown.join(", ")}`);
  const totalSeconds = phaseSeconds * phases.length + 10;

  const gateway = await startGatewayProcess({ MAX_CONNECTIONS_PER_ADDRESS: "10000" });
  let exited = false;
  gateway.status.then(() => exited = true);
  const fleet = await Fleet.create(honestWorlds, "honest");
  const attacker = startAttacker();
  const honest = new HonestLoad();
  const results: PhaseResult[] = [];
  try {
    // The states of both phases that post them, at most 10/s, signed before any is measured.
    await attacker.ask({
      type: "start",
      url: gateway.url,
      states: Math.ceil(2 * phaseSeconds * statesPerSecond) + 10,
      stateBytes,
    });
    await announceAll(gateway, fleet);
    const start = Date.now();
    const jobs: [number, number][] = [];
    for (let second = 0; second < totalSeconds; second++) {
      for (let w = 0; w < honestWorlds; w++) jobs.push([w, start + second * 1000 + w]);
    }
    const signed = await fleet.heartbeats(jobs);
    fleet.close();
    const bodies = new Map<number, string[]>();
    jobs.forEach(([w], i) => {
      const list = bodies.get(w) ?? [];
      list.push(signed[i]);
      bodies.set(w, list);
    });
    print(
      `  ${honestWorlds} honest worlds heartbeat once a second over ${HONEST_CONNECTIONS} ` +
        `keep-alive connections; phases of ${phaseSeconds} s`,
    );
    honest.start(gateway, fleet, bodies);

    for (const name of phases) {
      honest.phase = name;
      const rss = rssSampler(gateway.pid);
      const stall = stallProbe();
      const reply = await attacker.ask({
        type: "phase",
        name,
        seconds: phaseSeconds,
        idleConnections,
        drippers,
        watchers,
        stateBytes,
        statesPerSecond,
      });
      const attack = reply.type === "phase" ? reply.attack : {};
      const generatorStallMs = stall.stop();
      const peakRss = await rss.stop();
      const up = !exited && await healthy(gateway);
      const entry = honest.samples.get(name) ?? { latency: new Samples(), statuses: {}, errors: 0 };
      const result: PhaseResult = {
        phase: name,
        seconds: phaseSeconds,
        peakRss,
        up,
        honest: {
          latency: entry.latency.summary(),
          statuses: entry.statuses,
          errors: entry.errors,
        },
        generatorStallMs,
        attack,
      };
      results.push(result);
      print(
        `  [${name}] gateway ${up ? "up" : "DOWN"}, peak RSS ${mib(peakRss)}; honest heartbeats ` +
          `${latency(result.honest.latency)}, errors ${result.honest.errors}; ` +
          `generator stall ${generatorStallMs.toFixed(0)} ms`,
      );
      if (Object.keys(attack).length > 0) {
        print(`    attack: ${Object.entries(attack).map(([k, v]) => `${k} ${int(v)}`).join(", ")}`);
      }
      // The gateway closes what the attack left before the next phase.
      honest.phase = "between";
      await sleep(2000);
    }
  } finally {
    await honest.stop();
    await attacker.stop();
    await gateway.stop();
    fleet.close();
  }
  const result: AttackResult = {
    phases: results,
    survived: results.every((phase) => phase.up),
    peakRss: Math.max(...results.map((phase) => phase.peakRss)),
    honestErrors: results.reduce((sum, phase) => sum + phase.honest.errors, 0),
    honestP99: Math.max(...results.map((phase) => phase.honest.latency.p99)),
  };
  print(
    `  survived ${result.survived ? "yes" : "NO"}; peak RSS ${mib(result.peakRss)}; honest ` +
      `heartbeats: worst p99 ${result.honestP99.toFixed(1)} ms, ${result.honestErrors} errors`,
  );
  return result;
}
