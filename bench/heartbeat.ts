/**
 * Benchmark 1: heartbeat throughput through the real HTTP stack, against
 * the ceiling of one core's native Ed25519 verifies.
 *
 * A gateway process holds N worlds (announced over HTTP). The generator
 * sends pre-signed heartbeats (`ts` = start + k ms, rising per world) over C
 * keep-alive connections in a closed loop; each world's heartbeats go over
 * one connection, in order, so none is a replay.
 *
 * @module
 */
import { generateIdentity } from "../protocol/mod.ts";
import { cpuMeter } from "./_proc.ts";
import { type GatewayProcess, startGatewayProcess } from "./_gateway_process.ts";
import { openConnections, serializeRequest } from "./_http_client.ts";
import { closedLoop, type StatusCounts } from "./_load.ts";
import { int, latency, type LatencySummary } from "./_stats.ts";
import { Fleet } from "./_worlds.ts";

/** Options of {@linkcode benchHeartbeats}. */
export interface HeartbeatBenchOptions {
  /** Registered worlds. Default: 1000. */
  worlds?: number;
  /** Keep-alive connections. Default: 32. */
  connections?: number;
  /** Heartbeats measured. Default: 60000. */
  heartbeats?: number;
  /** Heartbeats sent first and not measured (JIT warm-up, key imports). Default: 10000. */
  warmup?: number;
}

/** What {@linkcode benchHeartbeats} measured. */
export interface HeartbeatBenchResult {
  worlds: number;
  connections: number;
  heartbeats: number;
  perSecond: number;
  latency: LatencySummary;
  statuses: StatusCounts;
  /** One core's native `crypto.subtle.verify` rate with an imported key. */
  verifyCeilingPerSecond: number;
  /** `perSecond / verifyCeilingPerSecond`. */
  ofCeiling: number;
  /** Cores the gateway process used while measured (1 = one core busy). */
  gatewayCores: number;
  /** Cores the generator (this process) used while measured. */
  generatorCores: number;
}

/**
 * One core's native Ed25519 verify rate: `crypto.subtle.verify` in a loop
 * with an imported key over a heartbeat-sized message, for `durationMs`.
 */
export async function verifyCeiling(durationMs = 2000): Promise<number> {
  const identity = await generateIdentity();
  const message = new TextEncoder().encode(
    `aw:hb:{"agentId":"${identity.agentId}","ts":1700000000000}`,
  );
  const signature = await identity.sign(message);
  const key = await crypto.subtle.importKey(
    "raw",
    identity.publicKey as Uint8Array<ArrayBuffer>,
    "Ed25519",
    false,
    ["verify"],
  );
  const verify = () =>
    crypto.subtle.verify(
      "Ed25519",
      key,
      signature as Uint8Array<ArrayBuffer>,
      message as Uint8Array<ArrayBuffer>,
    );
  for (let i = 0; i < 2000; i++) await verify(); // warm-up
  let count = 0;
  const started = performance.now();
  let elapsed = 0;
  while ((elapsed = performance.now() - started) < durationMs) {
    for (let i = 0; i < 500; i++) {
      if (!await verify()) throw new Error("verify failed");
    }
    count += 500;
  }
  return count / elapsed * 1000;
}

/** Announces every world of a fleet over HTTP; throws unless all are accepted. */
export async function announceAll(
  gateway: GatewayProcess,
  fleet: Fleet,
  connectionCount = 8,
): Promise<void> {
  const now = Date.now();
  const bodies = await fleet.announces(fleet.worlds.map((_, i) => [i, now]));
  const plans: Uint8Array[][] = Array.from({ length: connectionCount }, () => []);
  bodies.forEach((body, i) =>
    plans[i % connectionCount].push(serializeRequest("POST", "/peer/announce", gateway.host, body))
  );
  const connections = await openConnections(gateway.url, connectionCount);
  const result = await closedLoop(connections, plans);
  for (const connection of connections) connection.close();
  if (result.statuses[200] !== bodies.length) {
    throw new Error(`announces not all accepted: ${JSON.stringify(result.statuses)}`);
  }
}

/** What one closed-loop run of heartbeats through a gateway measured. */
export interface HeartbeatRun {
  /** Heartbeats answered in the measured part. */
  responses: number;
  perSecond: number;
  latency: LatencySummary;
  statuses: StatusCounts;
  /** Cores the gateway process used while measured (1 = one core busy). */
  gatewayCores: number;
  /** Cores the generator (this process) used while measured. */
  generatorCores: number;
}

/**
 * Announces a fleet to a gateway, then sends `warmup` heartbeats unmeasured
 * and `heartbeats` measured over `connections` keep-alive connections in a
 * closed loop. Heartbeat k of world w has `ts` = start + k and goes over
 * connection w mod C, so none is a replay.
 */
export async function heartbeatRun(
  gateway: GatewayProcess,
  fleet: Fleet,
  { connections: connectionCount, heartbeats: measured, warmup }: {
    connections: number;
    heartbeats: number;
    warmup: number;
  },
): Promise<HeartbeatRun> {
  const worldCount = fleet.worlds.length;
  await announceAll(gateway, fleet);
  const perWorld = Math.ceil((measured + warmup) / worldCount);
  const start = Date.now();
  const jobs: [number, number][] = [];
  for (let k = 1; k <= perWorld; k++) {
    for (let w = 0; w < worldCount; w++) jobs.push([w, start + k]);
  }
  const bodies = await fleet.heartbeats(jobs);
  const warmupPlans: Uint8Array[][] = Array.from({ length: connectionCount }, () => []);
  const plans: Uint8Array[][] = Array.from({ length: connectionCount }, () => []);
  bodies.forEach((body, i) => {
    const request = serializeRequest("POST", "/peer/heartbeat", gateway.host, body);
    (i < warmup ? warmupPlans : plans)[jobs[i][0] % connectionCount].push(request);
  });
  const connections = await openConnections(gateway.url, connectionCount);
  try {
    const warm = await closedLoop(connections, warmupPlans);
    if (warm.statuses[200] !== warm.responses) {
      throw new Error(`warm-up heartbeats rejected: ${JSON.stringify(warm.statuses)}`);
    }
    const gatewayCpu = cpuMeter(gateway.pid);
    const generatorCpu = cpuMeter(Deno.pid);
    const result = await closedLoop(connections, plans);
    return {
      responses: result.responses,
      perSecond: result.responses / result.elapsedMs * 1000,
      latency: result.latency.summary(),
      statuses: result.statuses,
      gatewayCores: gatewayCpu().core,
      generatorCores: generatorCpu().core,
    };
  } finally {
    for (const connection of connections) connection.close();
  }
}

/** Runs benchmark 1 and prints what it measured. */
export async function benchHeartbeats(
  options: HeartbeatBenchOptions = {},
  print: (line: string) => void = console.log,
): Promise<HeartbeatBenchResult> {
  const worldCount = options.worlds ?? 1000;
  const connectionCount = options.connections ?? 32;
  const measured = options.heartbeats ?? 60_000;
  const warmup = options.warmup ?? 10_000;

  const verifyCeilingPerSecond = await verifyCeiling();
  print(`  native Ed25519 verify, one core: ${int(verifyCeilingPerSecond)}/s`);

  const fleet = await Fleet.create(worldCount, "hb");
  const gateway = await startGatewayProcess();
  try {
    const run = await heartbeatRun(gateway, fleet, {
      connections: connectionCount,
      heartbeats: measured,
      warmup,
    });
    const { perSecond } = run;
    print(
      `  ${int(run.responses)} heartbeats, ${worldCount} worlds, ${connectionCount} connections: ` +
        `${int(perSecond)}/s, ${latency(run.latency)}`,
    );
    print(
      `  statuses ${JSON.stringify(run.statuses)}; ${
        (perSecond / verifyCeilingPerSecond * 100).toFixed(0)
      } % of one core's verify rate; gateway used ${run.gatewayCores.toFixed(2)} cores, ` +
        `generator ${run.generatorCores.toFixed(2)}`,
    );
    return {
      worlds: worldCount,
      connections: connectionCount,
      heartbeats: run.responses,
      perSecond,
      latency: run.latency,
      statuses: run.statuses,
      verifyCeilingPerSecond,
      ofCeiling: perSecond / verifyCeilingPerSecond,
      gatewayCores: run.gatewayCores,
      generatorCores: run.generatorCores,
    };
  } finally {
    await gateway.stop();
    fleet.close();
  }
}
