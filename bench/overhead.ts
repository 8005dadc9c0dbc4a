/**
 * Benchmark: what metrics and logging cost on the hot path. Benchmark 1's
 * heartbeat throughput through a gateway process as shipped (metrics on,
 * `LOG_LEVEL=info`) and through one with both out of the way
 * (`METRICS=off`, `LOG_LEVEL=error`), in interleaved pairs whose order
 * alternates (on/off, off/on, …) so drift of a shared machine falls on both
 * alike. Each run is a fresh gateway process; the worlds and their keys are
 * the same throughout. Reports each side's median and their ratio, and the
 * median of the pairs' own ratios.
 *
 * @module
 */
import { startGatewayProcess } from "./_gateway_process.ts";
import { heartbeatRun } from "./heartbeat.ts";
import { int } from "./_stats.ts";
import { Fleet } from "./_worlds.ts";

/** The two gateways compared. */
export const OVERHEAD_CONFIGS = {
  /** As shipped: metrics collected and served, info lines written. */
  on: { METRICS: "on", LOG_LEVEL: "info" },
  /** Neither: no metrics collected, only errors logged. */
  off: { METRICS: "off", LOG_LEVEL: "error" },
} as const;

/** Options of {@linkcode benchOverhead}. */
export interface OverheadOptions {
  /** Pairs of runs (one of each gateway). Default: 5. */
  pairs?: number;
  /** Registered worlds. Default: 1000. */
  worlds?: number;
  /** Keep-alive connections. Default: 32. */
  connections?: number;
  /** Heartbeats measured per run. Default: 60000. */
  heartbeats?: number;
  /** Heartbeats sent first in each run and not measured. Default: 10000. */
  warmup?: number;
}

/** One side of the comparison. */
export interface OverheadSide {
  /** Heartbeats/s of each run, in the order run. */
  runs: number[];
  /** Their median. */
  median: number;
  /** Gateway cores used per run. */
  gatewayCores: number[];
}

/** What {@linkcode benchOverhead} measured. */
export interface OverheadResult {
  pairs: number;
  worlds: number;
  connections: number;
  heartbeats: number;
  on: OverheadSide;
  off: OverheadSide;
  /** `on.median / off.median`: 0.95 means metrics and logging cost 5 %. */
  ratio: number;
  /** Each pair's on/off ratio. */
  pairRatios: number[];
  /** Their median: the estimate least moved by drift between pairs. */
  medianPairRatio: number;
}

/** The median of some numbers (NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs the comparison and prints each run and the summary. */
export async function benchOverhead(
  options: OverheadOptions = {},
  print: (line: string) => void = console.log,
): Promise<OverheadResult> {
  const pairs = options.pairs ?? 5;
  const worlds = options.worlds ?? 1000;
  const connections = options.connections ?? 32;
  const heartbeats = options.heartbeats ?? 60_000;
  const warmup = options.warmup ?? 10_000;
  const fleet = await Fleet.create(worlds, "ovh");
  const sides = {
    on: { runs: [] as number[], gatewayCores: [] as number[] },
    off: { runs: [] as number[], gatewayCores: [] as number[] },
  };
  try {
    for (let pair = 0; pair < pairs; pair++) {
      const order = pair % 2 === 0 ? ["on", "off"] as const : ["off", "on"] as const;
      for (const side of order) {
        const gateway = await startGatewayProcess({ ...OVERHEAD_CONFIGS[side] });
        try {
          const run = await heartbeatRun(gateway, fleet, { connections, heartbeats, warmup });
          if (run.statuses[200] !== run.responses) {
            throw new Error(`heartbeats rejected: ${JSON.stringify(run.statuses)}`);
          }
          sides[side].runs.push(run.perSecond);
          sides[side].gatewayCores.push(run.gatewayCores);
          print(
            `  pair ${pair + 1}/${pairs}, ${
              side === "on" ? "metrics on, LOG_LEVEL=info " : "METRICS=off, LOG_LEVEL=error"
            }: ${int(run.perSecond)} heartbeats/s (gateway ${run.gatewayCores.toFixed(2)} cores)`,
          );
        } finally {
          await gateway.stop();
        }
      }
    }
  } finally {
    fleet.close();
  }
  const on = { ...sides.on, median: median(sides.on.runs) };
  const off = { ...sides.off, median: median(sides.off.runs) };
  const pairRatios = on.runs.map((value, i) => value / off.runs[i]);
  const result: OverheadResult = {
    pairs,
    worlds,
    connections,
    heartbeats,
    on,
    off,
    ratio: on.median / off.median,
    pairRatios,
    medianPairRatio: median(pairRatios),
  };
  print(
    `  medians: ${int(on.median)}/s with metrics and info logs, ${int(off.median)}/s without: ` +
      `ratio ${result.ratio.toFixed(3)} (pairs' median ratio ${
        result.medianPairRatio.toFixed(3)
      }; ${((1 - result.medianPairRatio) * 100).toFixed(1)} % cost)`,
  );
  return result;
}
