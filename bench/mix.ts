/**
 * Benchmark 4: the sustained mix. A gateway process holding 100,000 worlds
 * takes each world's heartbeat every 30 s (3,333/s, evenly spread) while
 * directory reads run alongside, for `BENCH_MIX_SECONDS`. Measures the
 * gateway's CPU (from `/proc/<pid>/stat`), its memory, the latency of each
 * kind of request, and that nothing failed. The gateway's own snapshot timer
 * (every 30 s while anything changed) runs as in production.
 *
 * @module
 */
import type { GatewayProcess } from "./_gateway_process.ts";
import { openConnections, serializeRequest } from "./_http_client.ts";
import { pacedLoop, type Plan, type StatusCounts } from "./_load.ts";
import { cpuMeter, rssBytes } from "./_proc.ts";
import { int, latency, type LatencySummary, mib, ms } from "./_stats.ts";
import type { Fleet } from "./_worlds.ts";

/** The heartbeat interval a world keeps (the SDK's default). */
const HEARTBEAT_INTERVAL_MS = 30_000;

/** Options of {@linkcode benchMix}. */
export interface MixOptions {
  /** How long the mix runs, in s. Default: 60. */
  seconds?: number;
  /** Directory reads per second, shared evenly by the three read routes. Default: 300. */
  readsPerSecond?: number;
  /** Keep-alive connections. Default: 16. */
  connections?: number;
  /** An empty gateway process's RSS, to tell memory per world. */
  emptyGatewayRss?: number;
}

/** What {@linkcode benchMix} measured. */
export interface MixResult {
  worlds: number;
  seconds: number;
  heartbeatsPerSecond: number;
  readsPerSecond: number;
  /** Gateway CPU over the run, in cores (1 = one core busy). */
  gatewayCores: number;
  /** The load generator's CPU (this process), in cores. */
  generatorCores: number;
  gatewayRssBefore: number;
  gatewayRssAfter: number;
  kinds: Record<string, { latency: LatencySummary; statuses: StatusCounts }>;
  sendLag: LatencySummary;
  /** The generator's own longest event-loop stall, in ms. */
  generatorStallMs: number;
  errors: number;
}

/**
 * Runs benchmark 4 against a gateway holding every world of `fleet`, and
 * prints it. Every heartbeat is signed first; then the fleet is closed.
 */
export async function benchMix(
  gateway: GatewayProcess,
  fleet: Fleet,
  options: MixOptions = {},
  print: (line: string) => void = console.log,
): Promise<MixResult> {
  const seconds = options.seconds ?? 60;
  const readsPerSecond = options.readsPerSecond ?? 300;
  const connectionCount = options.connections ?? 16;
  const count = fleet.worlds.length;
  const durationMs = seconds * 1000;

  // World i heartbeats at i/N of the interval, then every interval; reads
  // are spread evenly over the three read routes.
  const heartbeatJobs: [number, number][] = [];
  const heartbeatOffsets: number[] = [];
  const wallStart = Date.now(); // signed ts fall near the send time, well inside ±5 min
  for (let i = 0; i < count; i++) {
    for (
      let offset = Math.floor(i * HEARTBEAT_INTERVAL_MS / count);
      offset < durationMs;
      offset += HEARTBEAT_INTERVAL_MS
    ) {
      heartbeatOffsets.push(offset);
      heartbeatJobs.push([i, wallStart + offset]);
    }
  }
  const bodies = await fleet.heartbeats(heartbeatJobs);
  // Nothing more to sign. An idle signer still collects garbage now and
  // then (a 50,000-key heap: ~0.4 s on a core), which would take a core
  // from the gateway mid-run.
  fleet.close();
  const readPaths: ((i: number) => string)[] = [
    (i) => `/world/${fleet.worlds[(i * 7919) % count].worldId}`,
    () => "/worlds?limit=100",
    () => "/health",
  ];
  const kinds = [
    "POST /peer/heartbeat",
    "GET /world/{id}",
    "GET /worlds?limit=100",
    "GET /health",
  ];
  const reads = Math.floor(readsPerSecond * seconds);
  // Entry j < bodies.length is heartbeat j; the rest are reads.
  const entries = Array.from({ length: bodies.length + reads }, (_, j) => j);
  const offsetOf = (j: number) =>
    j < bodies.length ? heartbeatOffsets[j] : (j - bodies.length) * 1000 / readsPerSecond;
  entries.sort((a, b) => offsetOf(a) - offsetOf(b));
  const plan: Plan = {
    at: Float64Array.from(entries, (j) => 200 + offsetOf(j)),
    kind: Uint8Array.from(
      entries,
      (j) => j < bodies.length ? 0 : 1 + ((j - bodies.length) % readPaths.length),
    ),
    kinds,
    request: (i) => {
      const j = entries[i];
      if (j < bodies.length) {
        return serializeRequest("POST", "/peer/heartbeat", gateway.host, bodies[j]);
      }
      const read = j - bodies.length;
      return serializeRequest("GET", readPaths[read % readPaths.length](read), gateway.host);
    },
  };

  const connections = await openConnections(gateway.url, connectionCount);
  (globalThis as { gc?: () => void }).gc?.(); // start with a clean heap here, too
  const gatewayRssBefore = rssBytes(gateway.pid);
  const cpu = cpuMeter(gateway.pid);
  const generatorCpu = cpuMeter(Deno.pid);
  const result = await pacedLoop(connections, plan);
  const use = cpu();
  const generatorUse = generatorCpu();
  const gatewayRssAfter = rssBytes(gateway.pid);
  for (const connection of connections) connection.close();

  const summaries: MixResult["kinds"] = {};
  let errors = 0;
  for (const [kind, { latency: samples, statuses }] of Object.entries(result.kinds)) {
    summaries[kind] = { latency: samples.summary(), statuses };
    for (const [status, n] of Object.entries(statuses)) if (status !== "200") errors += n;
  }
  const heartbeatsPerSecond = bodies.length / seconds;
  print(
    `  ${int(count)} worlds heartbeating every 30 s (${int(heartbeatsPerSecond)}/s) + ${
      int(readsPerSecond)
    } reads/s for ${seconds} s, ${connectionCount} connections:`,
  );
  print(
    `  gateway CPU ${(use.core * 100).toFixed(1)} % of one core; errors ${errors}; ` +
      `generator CPU ${(generatorUse.core * 100).toFixed(1)} %`,
  );
  const perWorld = (bytes: number, worlds = count) =>
    `${(bytes / worlds / 1024).toFixed(1)} KiB/world`;
  const keyed = new Set(heartbeatJobs.map(([world]) => world)).size; // worlds that heartbeated
  print(
    `  gateway RSS ${mib(gatewayRssBefore)} → ${mib(gatewayRssAfter)}` +
      (options.emptyGatewayRss === undefined
        ? ""
        : `: ${perWorld(gatewayRssBefore - options.emptyGatewayRss)} held, `) +
      `+${perWorld(gatewayRssAfter - gatewayRssBefore, keyed)} once its verify key is cached`,
  );
  print(
    `  send lag (late departures): ${latency(result.sendLag.summary())}; ` +
      `the generator's own longest stall ${ms(result.generatorStallMs)}`,
  );
  for (const [kind, { latency: summary, statuses }] of Object.entries(summaries)) {
    print(`    ${kind}: ${latency(summary)}; statuses ${JSON.stringify(statuses)}`);
  }
  print(`  (ran ${ms(result.elapsedMs)})`);
  return {
    worlds: count,
    seconds,
    heartbeatsPerSecond,
    readsPerSecond,
    gatewayCores: use.core,
    gatewayRssBefore,
    gatewayRssAfter,
    generatorCores: generatorUse.core,
    kinds: summaries,
    sendLag: result.sendLag.summary(),
    generatorStallMs: result.generatorStallMs,
    errors,
  };
}
