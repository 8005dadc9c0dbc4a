/**
 * Benchmark 2: announce throughput through the real HTTP stack. Each
 * announce costs the gateway a SHA-256 (agent id), a key import, an Ed25519
 * verify over the canonical JSON of the body, and an answer listing 20 live
 * peers; new worlds also schedule a snapshot write.
 *
 * Two passes over the same worlds: new worlds (offline → online), then
 * re-announces of live worlds with newer timestamps.
 *
 * @module
 */
import { cpuMeter } from "./_proc.ts";
import { startGatewayProcess } from "./_gateway_process.ts";
import { openConnections, serializeRequest } from "./_http_client.ts";
import { closedLoop, type StatusCounts } from "./_load.ts";
import { int, latency, type LatencySummary } from "./_stats.ts";
import { Fleet } from "./_worlds.ts";

/** Options of {@linkcode benchAnnounces}. */
export interface AnnounceBenchOptions {
  /** Worlds announced (each twice). Default: 10000. */
  worlds?: number;
  /** Keep-alive connections. Default: 32. */
  connections?: number;
}

/** One pass of {@linkcode benchAnnounces}. */
export interface AnnouncePass {
  announces: number;
  perSecond: number;
  latency: LatencySummary;
  statuses: StatusCounts;
  gatewayCores: number;
}

/** What {@linkcode benchAnnounces} measured. */
export interface AnnounceBenchResult {
  worlds: number;
  connections: number;
  /** New worlds: offline → online. */
  granted: AnnouncePass;
  /** Live worlds announcing again. */
  renewed: AnnouncePass;
}

/** Runs benchmark 2 and prints what it measured. */
export async function benchAnnounces(
  options: AnnounceBenchOptions = {},
  print: (line: string) => void = console.log,
): Promise<AnnounceBenchResult> {
  const worldCount = options.worlds ?? 10_000;
  const connectionCount = options.connections ?? 32;
  const fleet = await Fleet.create(worldCount, "an");
  const gateway = await startGatewayProcess();
  try {
    const start = Date.now();
    const passes: AnnouncePass[] = [];
    for (const [name, timestamp] of [["new worlds", start], ["re-announces", start + 1]] as const) {
      const bodies = await fleet.announces(fleet.worlds.map((_, i) => [i, timestamp]));
      const plans: Uint8Array[][] = Array.from({ length: connectionCount }, () => []);
      bodies.forEach((body, i) =>
        plans[i % connectionCount].push(
          serializeRequest("POST", "/peer/announce", gateway.host, body),
        )
      );
      const connections = await openConnections(gateway.url, connectionCount);
      const cpu = cpuMeter(gateway.pid);
      const result = await closedLoop(connections, plans);
      const use = cpu();
      for (const connection of connections) connection.close();
      const pass: AnnouncePass = {
        announces: result.responses,
        perSecond: result.responses / result.elapsedMs * 1000,
        latency: result.latency.summary(),
        statuses: result.statuses,
        gatewayCores: use.core,
      };
      passes.push(pass);
      print(
        `  ${int(pass.announces)} ${name}, ${connectionCount} connections: ${
          int(pass.perSecond)
        }/s, ${latency(pass.latency)}; statuses ${JSON.stringify(pass.statuses)}; ` +
          `gateway used ${use.core.toFixed(2)} cores`,
      );
    }
    return {
      worlds: worldCount,
      connections: connectionCount,
      granted: passes[0],
      renewed: passes[1],
    };
  } finally {
    await gateway.stop();
    fleet.close();
  }
}
