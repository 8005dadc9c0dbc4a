/**
 * `deno task bench [heartbeat|overhead|announce|scale|mix|liveness|attack|redis|replicas …]`: the gateway's
 * benchmarks (issue 6). With no names (and no `BENCH_ONLY`), all run, in
 * that order; BENCHMARKS.md explains each and keeps their numbers.
 *
 * Environment (all optional):
 * - `BENCH_ONLY`: comma-separated names, as the arguments.
 * - `BENCH_WORLDS`: worlds of `scale`, `mix` and `redis`. Default: 100000.
 * - `BENCH_MIX_SECONDS`: how long `mix` runs. Default: 60.
 * - `BENCH_HEARTBEATS`: heartbeats `heartbeat` measures (and `overhead`, per run). Default: 100000.
 * - `BENCH_OVERHEAD_PAIRS`: pairs of runs of `overhead` (metrics and info logs on, then off, or
 *   the other way round). Default: 5.
 * - `BENCH_CONNECTIONS`: connections of `heartbeat` and `announce`. Default: 32.
 * - `BENCH_ATTACK_SECONDS`: how long each phase of `attack` lasts. Default: 15.
 * - `BENCH_ATTACK_PHASES`: which phases of `attack` run, comma-separated. Default: all
 *   (`quiet,idle,drip,watchers,all`).
 * - `BENCH_REPLICA_MIX_SECONDS`: how long `replicas` keeps 100,000 worlds heartbeating through two
 *   replicas. Default: 30.
 * - `BENCH_RESULTS`: where the JSON results go. Default: `bench/results/latest.json` for a
 *   full run, none for a partial one (so it never overwrites the full run's numbers); `-`
 *   writes none.
 *
 * The gateway under test is always its own process (`deno task gateway`);
 * the load generator is this process, speaking HTTP/1.1 over raw TCP.
 *
 * @module
 */
import { startGatewayProcess } from "./_gateway_process.ts";
import { describeMachine, machine } from "./_proc.ts";
import { ms } from "./_stats.ts";
import { Fleet } from "./_worlds.ts";
import { benchAnnounces } from "./announce.ts";
import { benchAttack } from "./attack.ts";
import { benchHeartbeats } from "./heartbeat.ts";
import { benchLiveness } from "./liveness.ts";
import { benchMix } from "./mix.ts";
import { benchOverhead } from "./overhead.ts";
import { benchRedis } from "./redis.ts";
import { benchReplicas } from "./replicas.ts";
import {
  benchScaleInProcess,
  benchScaleReads,
  emptyGatewayRss,
  writeFleetSnapshot,
} from "./scale.ts";

const BENCHES = [
  "heartbeat",
  "overhead",
  "announce",
  "scale",
  "mix",
  "liveness",
  "attack",
  "redis",
  "replicas",
] as const;
type BenchName = typeof BENCHES[number];

function positive(name: string, fallback: number): number {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

function selection(): BenchName[] {
  const names = [...Deno.args, ...(Deno.env.get("BENCH_ONLY") ?? "").split(",")]
    .map((name) => name.trim())
    .filter((name) => name !== "");
  for (const name of names) {
    if (!(BENCHES as readonly string[]).includes(name)) {
      throw new Error(`unknown benchmark ${name}; choose from ${BENCHES.join(", ")}`);
    }
  }
  return names.length === 0 ? [...BENCHES] : BENCHES.filter((name) => names.includes(name));
}

if (import.meta.main) {
  const selected = selection();
  const worlds = positive("BENCH_WORLDS", 100_000);
  const mixSeconds = positive("BENCH_MIX_SECONDS", 60);
  const connections = positive("BENCH_CONNECTIONS", 32);
  const heartbeats = positive("BENCH_HEARTBEATS", 100_000);
  const overheadPairs = positive("BENCH_OVERHEAD_PAIRS", 5);
  const attackSeconds = positive("BENCH_ATTACK_SECONDS", 15);
  const replicaMixSeconds = positive("BENCH_REPLICA_MIX_SECONDS", 30);
  const full = selected.length === BENCHES.length;
  const resultsPath = Deno.env.get("BENCH_RESULTS") ??
    (full ? new URL("./results/latest.json", import.meta.url).pathname : "-");

  const started = performance.now();
  const env = Object.entries({
    BENCH_WORLDS: worlds,
    BENCH_MIX_SECONDS: mixSeconds,
    BENCH_CONNECTIONS: connections,
    BENCH_HEARTBEATS: heartbeats,
    BENCH_OVERHEAD_PAIRS: overheadPairs,
    BENCH_ATTACK_SECONDS: attackSeconds,
    BENCH_REPLICA_MIX_SECONDS: replicaMixSeconds,
  }).map(([name, value]) => `${name}=${value}`).join(" ");
  const command = `${env} deno task bench ${selected.join(" ")}`;
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: ${command}`);
  const results: Record<string, unknown> = {
    machine: machine(),
    command,
    date: new Date().toISOString(),
  };

  if (selected.includes("heartbeat")) {
    console.log("\n[heartbeat] heartbeat throughput through the real HTTP stack");
    results.heartbeat = await benchHeartbeats({ connections, heartbeats });
  }
  if (selected.includes("overhead")) {
    console.log(
      "\n[overhead] heartbeats/s with metrics and info logs against without (METRICS=off, LOG_LEVEL=error), interleaved pairs",
    );
    results.overhead = await benchOverhead({ connections, heartbeats, pairs: overheadPairs });
  }
  if (selected.includes("announce")) {
    console.log("\n[announce] announce throughput");
    results.announce = await benchAnnounces({ connections });
  }
  if (selected.includes("scale") || selected.includes("mix")) {
    console.log(`\n(making ${worlds.toLocaleString("en-US")} world identities)`);
    const made = performance.now();
    const fleet = await Fleet.create(worlds, "world");
    console.log(`(made in ${ms(performance.now() - made)})`);
    try {
      if (selected.includes("scale")) {
        console.log(`\n[scale] ${worlds.toLocaleString("en-US")} live worlds in one gateway`);
        results.scale = await benchScaleInProcess(fleet);
      }
      const emptyRss = await emptyGatewayRss();
      const dataDir = await Deno.makeTempDir({ prefix: "aw-bench-" });
      await writeFleetSnapshot(fleet, dataDir);
      const gateway = await startGatewayProcess({}, dataDir);
      try {
        if (selected.includes("scale")) {
          results.scaleReads = await benchScaleReads(gateway, fleet, {
            emptyGatewayRss: emptyRss,
          });
        }
        if (selected.includes("mix")) {
          console.log(`\n[mix] sustained heartbeats + reads for ${mixSeconds} s`);
          results.mix = await benchMix(gateway, fleet, {
            seconds: mixSeconds,
            emptyGatewayRss: emptyRss,
          });
        }
      } finally {
        await gateway.stop();
      }
    } finally {
      fleet.close();
    }
  }
  if (selected.includes("liveness")) {
    console.log("\n[liveness] how long a silent world stays visible");
    results.liveness = await benchLiveness();
  }
  if (selected.includes("attack")) {
    console.log(
      "\n[attack] idle connections, dripped bodies and slow watchers, honest worlds beside",
    );
    results.attack = await benchAttack({
      phaseSeconds: attackSeconds,
      phases: Deno.env.get("BENCH_ATTACK_PHASES")?.split(",").map((p) => p.trim()),
    });
  }

  if (selected.includes("redis")) {
    console.log(
      `\n[redis] the Redis store: Redis time and memory per world, heartbeats/s, mass expiry`,
    );
    results.redis = await benchRedis({ worlds });
  }

  if (selected.includes("replicas")) {
    console.log(
      "\n[replicas] heartbeats/s through 1-3 replicas on Redis against the memory store; 100,000 worlds through 2; webhook takeover after kill -9 of the leader",
    );
    results.replicas = await benchReplicas({ mixWorlds: worlds, mixSeconds: replicaMixSeconds });
  }

  const totalMs = performance.now() - started;
  results.totalMs = totalMs;
  console.log(`\ndone in ${ms(totalMs)}`);
  if (resultsPath !== "-") {
    const dir = resultsPath.includes("/")
      ? resultsPath.slice(0, resultsPath.lastIndexOf("/"))
      : ".";
    await Deno.mkdir(dir || "/", { recursive: true });
    await Deno.writeTextFile(resultsPath, JSON.stringify(results, null, 2) + "\n");
    console.log(`results: ${resultsPath}`);
  }
}
