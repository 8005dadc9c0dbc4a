/**
 * Benchmark `redis`: the Redis store on a private `redis-server` (append-only,
 * fsync every second, as a deployment runs it).
 *
 * - Redis time per heartbeat: `INFO commandstats` (`usec_per_call` of the
 *   renew script) and the server process's CPU time per heartbeat.
 * - Memory per world: `used_memory` before and after announcing the fleet,
 *   split into the lease hash, the indexes and the change stream.
 * - Heartbeats/s straight through the store from 1, 2 and 3 store instances
 *   (worker threads, each with its own connection, as replicas), and the
 *   memory store in this thread for comparison.
 * - A mass expiry: 100,000 leases run out at once and two replicas sweep
 *   them in batches; the longest script (`SLOWLOG`) and the longest `PING`
 *   round trip a probe saw meanwhile are Redis's longest stall.
 *
 * @module
 */
import { Redis } from "ioredis";
import { MemoryStore } from "../gateway/memory_store.ts";
import { REDIS_STORE_DEFAULTS, RedisStore } from "../gateway/redis_store.ts";
import { REDIS_SERVER, startRedis } from "../tests/_redis.ts";
import { cpuMeter, readProc } from "./_proc.ts";
import { announceFleet, benchAnnounce } from "./_redis_fleet.ts";
import { type RenewJob, type RenewReport, runRenewJob } from "./_redis_renew.ts";
import { int, ms } from "./_stats.ts";

/** Options of {@linkcode benchRedis}. */
export interface RedisBenchOptions {
  /** Worlds announced (and expired at once). Default: 100000. */
  worlds?: number;
  /** How long each throughput configuration runs, in ms. Default: 5000. */
  durationMs?: number;
  /** Heartbeats in flight per store instance. Default: 128. */
  inFlight?: number;
}

/** Heartbeats/s through `instances` store instances. */
export interface ThroughputRun {
  instances: number;
  perSecond: number;
  errors: number;
  /** Cores the redis-server process used meanwhile. */
  redisCores: number;
  /** CPU of the store instances (this process's threads) per heartbeat, µs (warm-up included). */
  clientCpuUsPerHeartbeat: number;
}

/** What {@linkcode benchRedis} measured. */
export interface RedisBenchResult {
  redisVersion: string;
  worlds: number;
  announceSeconds: number;
  /** Redis time per heartbeat (renew script), µs: `usec_per_call` and process CPU. */
  heartbeat: { usecPerCall: number; redisCpuUsPerHeartbeat: number };
  /** Redis time of one `/worlds` page of 100 and of 1000 records, ms. */
  listPageMs: { 100: number; 1000: number };
  memory: {
    /** All Redis memory the fleet added, per world, change stream included. */
    perWorldBytes: number;
    /** Without the change stream (which keeps only `eventRetentionMs` of events). */
    perWorldWithoutStreamBytes: number;
    /** One lease hash with one endpoint, and its encoding. */
    leaseHashBytes: number;
    leaseHashEncoding: string;
    /** A lease hash with two endpoints (a field over 64 bytes), default settings. */
    twoEndpointHashBytes: number;
    twoEndpointHashEncoding: string;
    /** The same with `hash-max-listpack-value 1024`. */
    twoEndpointTunedHashBytes: number;
    /** One change event in the stream. */
    streamBytesPerEvent: number;
  };
  throughput: ThroughputRun[];
  /** The memory store, in this thread, same load: the ratio's denominator. */
  memoryStorePerSecond: number;
  massExpiry: {
    leases: number;
    sweepSeconds: number;
    /** Longest single script (SLOWLOG, wall clock: preemption on a busy machine counts), ms. */
    longestScriptMs: number;
    /** redis-server CPU per sweep script (`sweepBatch` leases), ms: the stall on an idle core. */
    cpuPerBatchMs: number;
    /** AOF rewrites (a fork each) that ran during the sweep. */
    aofRewrites: number;
    /** How long the last fork (of an AOF rewrite) held Redis, ms. */
    latestForkMs: number;
    /** Longest PING round trip seen by a probe during the sweep, ms. */
    longestPingMs: number;
    expiredEvents: number;
  };
}

function info(text: string, key: string): string | undefined {
  return text.match(new RegExp(`^${key}:(.*)$`, "m"))?.[1]?.trim();
}

async function usecPerCall(admin: Redis, command: string): Promise<number> {
  const stats = await admin.info("commandstats");
  const line = stats.split("\n").find((l) => l.startsWith(`cmdstat_${command}:`));
  return Number(line?.match(/usec_per_call=([\d.]+)/)?.[1] ?? NaN);
}

/**
 * Rewrites the AOF now and waits for it to finish, so a rewrite the setup's
 * bulk writes triggered does not run under a measurement (in steady state
 * rewrites are rare: the AOF must double first).
 */
async function settleAof(admin: Redis): Promise<void> {
  await admin.bgrewriteaof().catch(() => {}); // "already in progress" is fine
  for (let i = 0; i < 600; i++) {
    const persistence = await admin.info("persistence");
    if (
      info(persistence, "aof_rewrite_in_progress") === "0" &&
      info(persistence, "aof_rewrite_scheduled") === "0"
    ) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The 1-minute load average: how busy the machine was. */
function load(): string {
  return readProc("/proc/loadavg").split(" ")[0];
}

async function usedMemory(admin: Redis): Promise<number> {
  return Number(info(await admin.info("memory"), "used_memory"));
}

async function renewThroughWorkers(
  job: Omit<RenewJob, "from" | "to">,
  worlds: number,
  instances: number,
): Promise<RenewReport[]> {
  const share = Math.floor(worlds / instances);
  return await Promise.all(Array.from({ length: instances }, (_, i) => {
    const worker = new Worker(new URL("./_redis_worker.ts", import.meta.url), { type: "module" });
    const report = Promise.withResolvers<RenewReport>();
    worker.onmessage = (message: MessageEvent<RenewReport>) => report.resolve(message.data);
    worker.onerror = (event) => {
      event.preventDefault();
      report.reject(new Error(event.message));
    };
    worker.postMessage({ ...job, from: i * share, to: (i + 1) * share });
    return report.promise;
  }));
}

/** Runs the Redis benchmark and prints it. */
export async function benchRedis(
  options: RedisBenchOptions = {},
  print: (line: string) => void = console.log,
): Promise<RedisBenchResult | undefined> {
  if (REDIS_SERVER === undefined) {
    print("redis-server not found: skipped (apt-get install redis-server)");
    return undefined;
  }
  const worlds = options.worlds ?? 100_000;
  const durationMs = options.durationMs ?? 5_000;
  const inFlight = options.inFlight ?? 128;
  const server = await startRedis({ appendonly: true });
  const admin = new Redis(server.url);
  admin.on("error", () => {}); // the server is stopped before the client at the end
  try {
    const serverInfo = await admin.info("server");
    const redisVersion = info(serverInfo, "redis_version") ?? "?";
    const pid = Number(info(serverInfo, "process_id"));
    print(`redis-server ${redisVersion}, appendonly yes, appendfsync everysec`);

    // The fleet, and what it costs in memory.
    const prefix = "bench";
    const store = await RedisStore.connect({
      url: server.url,
      prefix,
      tickMs: 0,
      maxAgents: worlds + 10,
      // Measured, not refused: a busy disk can hold an AOF fsync (and Redis) ~1 s.
      commandTimeoutMs: 10_000,
    });
    let memory: RedisBenchResult["memory"];
    let announceSeconds: number;
    try {
      const before = await usedMemory(admin);
      announceSeconds = await announceFleet(store, worlds, 1) / 1000;
      const after = await usedMemory(admin);
      const streamBytes = Number(
        await admin.call("memory", "usage", `{${prefix}}:ev`, "SAMPLES", "0"),
      );
      const events = Number(await admin.xlen(`{${prefix}}:ev`));
      const hashKey = `{${prefix}}:a:${benchAnnounce(7, 1).agentId}`;
      const probe = async (n: number, endpoints: number) => {
        await store.announce(benchAnnounce(n, 1, endpoints));
        const key = `{${prefix}}:a:${benchAnnounce(n, 1).agentId}`;
        return {
          bytes: Number(await admin.call("memory", "usage", key)),
          encoding: String(await admin.call("object", "encoding", key)),
        };
      };
      const two = await probe(worlds + 1, 2);
      await admin.config("SET", "hash-max-listpack-value", "1024");
      const tuned = await probe(worlds + 2, 2);
      await admin.config("SET", "hash-max-listpack-value", "64");
      memory = {
        perWorldBytes: (after - before) / worlds,
        perWorldWithoutStreamBytes: (after - before - streamBytes) / worlds,
        leaseHashBytes: Number(await admin.call("memory", "usage", hashKey)),
        leaseHashEncoding: String(await admin.call("object", "encoding", hashKey)),
        twoEndpointHashBytes: two.bytes,
        twoEndpointHashEncoding: two.encoding,
        twoEndpointTunedHashBytes: tuned.bytes,
        streamBytesPerEvent: streamBytes / events,
      };
      print(
        `${int(worlds)} worlds announced in ${announceSeconds.toFixed(1)} s (${
          int(worlds / announceSeconds)
        }/s)`,
      );
      print(
        `memory per world: ${int(memory.perWorldBytes)} B with its change event, ${
          int(memory.perWorldWithoutStreamBytes)
        } B without; lease hash ${memory.leaseHashBytes} B (${memory.leaseHashEncoding}), ` +
          `${memory.twoEndpointHashBytes} B with two endpoints (${memory.twoEndpointHashEncoding}), ` +
          `${memory.twoEndpointTunedHashBytes} B with hash-max-listpack-value 1024; ` +
          `${int(memory.streamBytesPerEvent)} B per stream event`,
      );

      // Redis time per heartbeat, through one instance in this thread.
      await runRenewJob(store, {
        url: server.url,
        prefix,
        from: 0,
        to: worlds,
        inFlight,
        durationMs: 500,
        tsBase: 10,
      });
      await settleAof(admin);
      await admin.config("RESETSTAT");
      const meter = cpuMeter(pid);
      const report = await runRenewJob(store, {
        url: server.url,
        prefix,
        from: 0,
        to: worlds,
        inFlight,
        durationMs,
        tsBase: 1_000_000,
      });
      const cpu = meter();
      const heartbeat = {
        usecPerCall: await usecPerCall(admin, "evalsha"),
        redisCpuUsPerHeartbeat: cpu.cpuMs * 1000 / report.renewed,
      };
      print(
        `Redis time per heartbeat: ${heartbeat.usecPerCall.toFixed(1)} µs in the script ` +
          `(commandstats), ${
            heartbeat.redisCpuUsPerHeartbeat.toFixed(1)
          } µs of redis-server CPU all told (load ${load()})`,
      );

      const listPageMs = { 100: 0, 1000: 0 };
      for (const size of [100, 1000] as const) {
        await admin.config("RESETSTAT");
        for (let i = 0; i < 20; i++) await store.listWorlds(size);
        listPageMs[size] = await usecPerCall(admin, "evalsha_ro") / 1000;
      }
      print(
        `a /worlds page takes ${ms(listPageMs[100])} of Redis time for 100 records, ${
          ms(listPageMs[1000])
        } for 1000`,
      );

      const throughput: ThroughputRun[] = [];
      for (const instances of [1, 2, 3]) {
        await settleAof(admin);
        const meterRun = cpuMeter(pid);
        const meterClient = cpuMeter(Deno.pid);
        const reports = await renewThroughWorkers(
          { url: server.url, prefix, inFlight, durationMs, tsBase: 1e9 * instances },
          worlds,
          instances,
        );
        const run = meterRun();
        const client = meterClient();
        const renewed = reports.reduce((sum, r) => sum + r.renewed, 0);
        const wall = Math.max(...reports.map((r) => r.wallMs));
        const errors = reports.reduce((sum, r) => sum + r.errors + r.refused, 0);
        throughput.push({
          instances,
          perSecond: renewed / wall * 1000,
          errors,
          redisCores: run.cpuMs / run.wallMs,
          clientCpuUsPerHeartbeat: client.cpuMs * 1000 / renewed,
        });
        print(
          `heartbeats/s through ${instances} store instance(s): ${
            int(renewed / wall * 1000)
          } (${errors} errors; redis-server at ${
            (run.cpuMs / run.wallMs).toFixed(2)
          } cores, the instances ${
            (client.cpuMs * 1000 / renewed).toFixed(0)
          } µs of CPU per heartbeat; load ${load()})`,
        );
      }

      const memoryStorePerSecond = await memoryStoreRenews(worlds, inFlight, durationMs);
      print(
        `memory store, this thread: ${int(memoryStorePerSecond)} heartbeats/s (Redis, 1 instance: ${
          (throughput[0].perSecond / memoryStorePerSecond).toFixed(2)
        }×)`,
      );

      await admin.flushall();
      const massExpiry = await benchMassExpiry(server.url, admin, pid, worlds, print);
      return {
        redisVersion,
        worlds,
        announceSeconds,
        heartbeat,
        listPageMs,
        memory,
        throughput,
        memoryStorePerSecond,
        massExpiry,
      };
    } finally {
      await store.close();
    }
  } finally {
    admin.disconnect();
    await server.dispose();
  }
}

async function memoryStoreRenews(
  worlds: number,
  inFlight: number,
  durationMs: number,
): Promise<number> {
  const store = await MemoryStore.open({ maxAgents: worlds + 10 });
  try {
    await announceFleet(store, worlds, 1);
    const job = { url: "", prefix: "", from: 0, to: worlds, inFlight, durationMs, tsBase: 10 };
    await runRenewJob(store, { ...job, durationMs: 300 });
    const report = await runRenewJob(store, { ...job, tsBase: 1_000_000 });
    return report.renewed / report.wallMs * 1000;
  } finally {
    await store.close();
  }
}

async function benchMassExpiry(
  url: string,
  admin: Redis,
  pid: number,
  leases: number,
  print: (line: string) => void,
): Promise<RedisBenchResult["massExpiry"]> {
  let now = 1_700_000_000_000;
  const clock = () => now;
  // The clock jumps past the TTL without the ticks a live replica writes:
  // no post-outage grace here.
  const expiryOptions = {
    url,
    prefix: "expiry",
    clock,
    tickMs: 0,
    outageGraceAfterMs: 0,
    maxAgents: leases + 10,
    // As above: the stall is measured here, not refused.
    commandTimeoutMs: 10_000,
  };
  const replicas = [
    await RedisStore.connect(expiryOptions),
    await RedisStore.connect(expiryOptions),
  ];
  try {
    await announceFleet(replicas[0], leases, 1);
    now += replicas[0].ttlMs + 1;
    await settleAof(admin);
    await admin.config("SET", "slowlog-log-slower-than", "1000");
    await admin.slowlog("RESET");
    await admin.config("RESETSTAT");
    const meter = cpuMeter(pid);
    const rewritesBefore = Number(info(await admin.info("persistence"), "aof_rewrites"));
    // The probe: back-to-back PINGs on their own connection.
    const probe = new Redis(url);
    probe.on("error", () => {});
    let longestPing = 0;
    let probing = true;
    const probeLoop = (async () => {
      while (probing) {
        const started = performance.now();
        await probe.ping();
        longestPing = Math.max(longestPing, performance.now() - started);
      }
    })();
    const started = performance.now();
    let reclaimed = 0;
    await Promise.all(replicas.map(async (replica) => {
      for (let rounds = 0; rounds < leases; rounds++) {
        const swept = await replica.sweep(5_000);
        reclaimed += swept.reclaimed;
        if (!swept.more) return;
      }
    }));
    const sweepSeconds = (performance.now() - started) / 1000;
    const cpu = meter();
    const aofRewrites = Number(info(await admin.info("persistence"), "aof_rewrites")) -
      rewritesBefore;
    const latestForkMs = Number(info(await admin.info("stats"), "latest_fork_usec")) / 1000;
    probing = false;
    await probeLoop;
    const stats = await admin.info("commandstats");
    const stat = (command: string, field: "calls" | "usec") =>
      Number(stats.match(new RegExp(`cmdstat_${command}:.*?${field}=(\\d+)`))?.[1] ?? 0);
    // The probe's PINGs and the replicas' TIME calls are not the sweep's.
    const otherMs = (stat("ping", "usec") + stat("time", "usec")) / 1000;
    const cpuPerBatchMs = (cpu.cpuMs - otherMs) / Math.max(1, stat("evalsha", "calls"));
    probe.disconnect();
    const slow = await admin.slowlog("GET", 10_000) as [number, number, number, string[]][];
    const longestScriptMs = Math.max(0, ...slow.map((entry) => entry[2] / 1000));
    const expiredEvents = Number(await admin.xlen(`{${expiryOptions.prefix}}:ev`)) - leases;
    const result = {
      leases,
      sweepSeconds,
      longestScriptMs,
      cpuPerBatchMs,
      aofRewrites,
      latestForkMs,
      longestPingMs: longestPing,
      expiredEvents,
    };
    print(
      `mass expiry: ${int(reclaimed)} leases swept by 2 replicas in ${
        sweepSeconds.toFixed(1)
      } s (batches of ${REDIS_STORE_DEFAULTS.sweepBatch}); ${
        ms(cpuPerBatchMs)
      } of redis-server CPU per batch; longest script ${ms(longestScriptMs)}, longest PING ${
        ms(longestPing)
      } (wall clock; ${aofRewrites} AOF rewrite(s) meanwhile, the last fork took ${
        ms(latestForkMs)
      }; load ${load()}); ${int(expiredEvents)} expired events`,
    );
    return result;
  } finally {
    for (const replica of replicas) await replica.close();
  }
}
