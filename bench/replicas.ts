/**
 * `deno task bench replicas`: the gateway as replicas on one Redis, through
 * real HTTP, beside the memory store in the same run.
 *
 * 1. Heartbeat throughput: 1,000 worlds, pre-signed heartbeats over 32
 *    keep-alive connections in a closed loop, through the memory-store
 *    gateway and then through 1, 2 and 3 gateway processes sharing one
 *    `redis-server` (append-only, fsynced every second); each world's
 *    heartbeats go to one replica, in order. Reports heartbeats/s, its ratio
 *    to the memory store, Redis CPU per heartbeat and the replicas' CPU.
 * 2. The sustained load: 100,000 worlds heartbeating every 30 s (3,333/s,
 *    evenly spread) through two replicas for `BENCH_REPLICA_MIX_SECONDS`;
 *    every answer must be 200.
 * 3. Webhook takeover: two replicas deliver webhooks (signed, `whsec_…`) to
 *    a receiver in this process, which holds its answers while 1,000 worlds
 *    are announced, so the leader has every event in hand and a delivery
 *    per world in flight; the leader is killed with SIGKILL and the receiver
 *    answers from then on. Reports the time from the kill to the other
 *    replica's first delivery, to the last of the deliveries that were in
 *    flight, and to every event delivered (by `webhook-id`), with the
 *    duplicates (at least once: those in flight at the kill come twice) and
 *    the missing.
 *
 * @module
 */
import { REDIS_SERVER, startRedis, uniquePrefix } from "../tests/_redis.ts";
import { announceAll } from "./heartbeat.ts";
import { type GatewayProcess, startGatewayProcess } from "./_gateway_process.ts";
import { type HttpConnection, openConnections, serializeRequest } from "./_http_client.ts";
import { closedLoop, pacedLoop, type Plan, type StatusCounts } from "./_load.ts";
import { cpuMeter } from "./_proc.ts";
import { int, latency, type LatencySummary, ms } from "./_stats.ts";
import { Fleet } from "./_worlds.ts";
import { Redis } from "ioredis";
import { toBase64 } from "../protocol/_bytes.ts";
import { holdingReceiver } from "../tests/_webhook_receiver.ts";

/** Options of {@linkcode benchReplicas}. */
export interface ReplicasBenchOptions {
  /** Worlds of the throughput runs. Default: 1000. */
  worlds?: number;
  /** Heartbeats measured per run. Default: 40000. */
  heartbeats?: number;
  /** Worlds of the sustained load through two replicas. Default: 100000. */
  mixWorlds?: number;
  /** How long the sustained load runs, in s. Default: 30. */
  mixSeconds?: number;
  /** Worlds announced (webhook events) in the takeover step. Default: 1000. */
  takeoverEvents?: number;
}

/** One throughput run. */
export interface ReplicaRun {
  /** 0 for the memory store, else the number of replicas on Redis. */
  replicas: number;
  perSecond: number;
  /** `perSecond` over the memory store's. */
  ofMemory: number;
  statuses: StatusCounts;
  latency: LatencySummary;
  /** Redis CPU per heartbeat, in µs (Redis runs only). */
  redisCpuUsPerHeartbeat?: number;
  /** Every gateway process's CPU over the run, in cores, added up. */
  gatewayCores: number;
}

/** What {@linkcode benchReplicas} measured. */
export interface ReplicasBenchResult {
  runs: ReplicaRun[];
  mix?: {
    worlds: number;
    seconds: number;
    heartbeatsPerSecond: number;
    errors: number;
    statuses: StatusCounts;
    latency: LatencySummary;
    redisCores: number;
    gatewayCores: number;
  };
  takeover?: TakeoverResult;
}

/** What the webhook takeover step measured (times from the kill, in ms). */
export interface TakeoverResult {
  /** Events (one `world.announced` per world). */
  events: number;
  /** Deliveries the killed leader had in flight (sent, not answered). */
  inFlight: number;
  /** To the surviving replica's first delivery. */
  firstDeliveryMs: number;
  /** To the last of the in-flight events delivered by the survivor. */
  inFlightDeliveredMs: number;
  /** To every event delivered. */
  allDeliveredMs: number;
  /** Events received more than once. */
  duplicates: number;
  /** Of those, the ones not explained by at-least-once redelivery of an in-flight event. */
  unexpectedDuplicates: number;
  /** Events never delivered (within a minute). */
  missing: number;
  /** Deliveries whose signature did not verify. */
  badSignatures: number;
}

const CONNECTIONS = 32;
const WARMUP = 5000;

async function startReplicas(
  count: number,
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<GatewayProcess[]> {
  const prefix = uniquePrefix("bench");
  const replicas: GatewayProcess[] = [];
  for (let i = 0; i < count; i++) {
    replicas.push(
      await startGatewayProcess({ REDIS_URL: redisUrl, REDIS_PREFIX: prefix, ...env }),
    );
  }
  return replicas;
}

/** Heartbeats of `fleet` through `replicas` (world w to replica w mod n), measured after a warm-up. */
async function throughput(
  replicas: GatewayProcess[],
  fleet: Fleet,
  measured: number,
  redisPid: number | undefined,
) {
  await announceAll(replicas[0], fleet);
  const worlds = fleet.worlds.length;
  const perWorld = Math.ceil((measured + WARMUP) / worlds);
  const start = Date.now();
  const jobs: [number, number][] = [];
  for (let k = 1; k <= perWorld; k++) for (let w = 0; w < worlds; w++) jobs.push([w, start + k]);
  const bodies = await fleet.heartbeats(jobs);
  const perReplica = Math.max(1, Math.floor(CONNECTIONS / replicas.length));
  const connections: HttpConnection[] = [];
  for (const replica of replicas) {
    connections.push(...await openConnections(replica.url, perReplica));
  }
  const warm: Uint8Array[][] = connections.map(() => []);
  const plans: Uint8Array[][] = connections.map(() => []);
  bodies.forEach((body, i) => {
    const world = jobs[i][0];
    const r = world % replicas.length;
    const c = r * perReplica + Math.floor(world / replicas.length) % perReplica;
    const request = serializeRequest("POST", "/peer/heartbeat", replicas[r].host, body);
    (i < WARMUP ? warm : plans)[c].push(request);
  });
  const warmed = await closedLoop(connections, warm);
  if (warmed.statuses[200] !== warmed.responses) {
    throw new Error(`warm-up heartbeats rejected: ${JSON.stringify(warmed.statuses)}`);
  }
  const gatewayMeters = replicas.map((replica) => cpuMeter(replica.pid));
  const redisMeter = redisPid === undefined ? undefined : cpuMeter(redisPid);
  const result = await closedLoop(connections, plans);
  const gatewayCores = gatewayMeters.reduce((sum, meter) => sum + meter().core, 0);
  const redisUse = redisMeter?.();
  for (const connection of connections) connection.close();
  return {
    perSecond: result.responses / result.elapsedMs * 1000,
    statuses: result.statuses,
    latency: result.latency.summary(),
    gatewayCores,
    redisCpuUsPerHeartbeat: redisUse === undefined
      ? undefined
      : redisUse.cpuMs * 1000 / result.responses,
  };
}

/** Runs the replica benchmark and prints it. */
export async function benchReplicas(
  options: ReplicasBenchOptions = {},
  print: (line: string) => void = console.log,
): Promise<ReplicasBenchResult | undefined> {
  if (REDIS_SERVER === undefined) {
    print("  redis-server not found: the replica benchmark is skipped");
    return undefined;
  }
  const worlds = options.worlds ?? 1000;
  const measured = options.heartbeats ?? 40_000;
  const server = await startRedis({
    appendonly: true,
    args: ["--hash-max-listpack-value", "1024"],
  });
  const admin = new Redis(server.url, { lazyConnect: true });
  await admin.connect();
  const redisPid = Number(
    (await admin.info("server")).match(/^process_id:(\d+)/m)?.[1] ?? NaN,
  );
  const runs: ReplicaRun[] = [];
  try {
    let memoryRate = NaN;
    for (const count of [0, 1, 2, 3]) {
      const fleet = await Fleet.create(worlds, `rep${count}`);
      const replicas = count === 0
        ? [await startGatewayProcess()]
        : await startReplicas(count, server.url);
      try {
        const run = await throughput(replicas, fleet, measured, count === 0 ? undefined : redisPid);
        if (count === 0) memoryRate = run.perSecond;
        const entry: ReplicaRun = {
          replicas: count,
          perSecond: run.perSecond,
          ofMemory: run.perSecond / memoryRate,
          statuses: run.statuses,
          latency: run.latency,
          redisCpuUsPerHeartbeat: run.redisCpuUsPerHeartbeat,
          gatewayCores: run.gatewayCores,
        };
        runs.push(entry);
        print(
          `  ${
            count === 0 ? "memory store" : `${count} replica${count > 1 ? "s" : ""} on Redis`
          }: ` +
            `${int(run.perSecond)} heartbeats/s (${
              (entry.ofMemory * 100).toFixed(0)
            } % of memory), ` +
            `${latency(run.latency)}; statuses ${JSON.stringify(run.statuses)}; gateways ` +
            `${run.gatewayCores.toFixed(2)} cores` +
            (run.redisCpuUsPerHeartbeat === undefined
              ? ""
              : `; Redis ${run.redisCpuUsPerHeartbeat.toFixed(1)} µs CPU per heartbeat`),
        );
      } finally {
        for (const replica of replicas) await replica.stop();
        fleet.close();
      }
    }
    const mix = await sustained(server.url, redisPid, options, print);
    const takeover = await benchTakeover(server.url, options.takeoverEvents ?? 1000, print);
    return { runs, mix, takeover };
  } finally {
    admin.disconnect();
    await server.dispose();
  }
}

/** 100,000 worlds heartbeating every 30 s through two replicas. */
async function sustained(
  redisUrl: string,
  redisPid: number,
  options: ReplicasBenchOptions,
  print: (line: string) => void,
): Promise<ReplicasBenchResult["mix"]> {
  const count = options.mixWorlds ?? 100_000;
  const seconds = options.mixSeconds ?? 30;
  const interval = 30_000;
  const fleet = await Fleet.create(count, "repmix");
  // Announcing 100,000 worlds one after another takes longer than a 90 s TTL
  // on this machine, and a world's first heartbeat comes up to 30 s after the
  // last announce: a 10 min TTL keeps the first worlds from expiring before
  // their turn. The heartbeat load is the same whatever the TTL.
  const replicas = await startReplicas(2, redisUrl, { STALE_TTL_MS: "600000" });
  try {
    const announcedAt = performance.now();
    await announceAll(replicas[0], fleet, 16);
    print(
      `  ${int(count)} worlds announced in ${
        ((performance.now() - announcedAt) / 1000).toFixed(1)
      } s`,
    );
    const wallStart = Date.now();
    const jobs: [number, number][] = [];
    const offsets: number[] = [];
    for (let i = 0; i < count; i++) {
      for (
        let offset = Math.floor(i * interval / count);
        offset < seconds * 1000;
        offset += interval
      ) {
        jobs.push([i, wallStart + offset]);
        offsets.push(offset);
      }
    }
    const bodies = await fleet.heartbeats(jobs);
    fleet.close();
    const order = Array.from({ length: bodies.length }, (_, j) => j).sort((a, b) =>
      offsets[a] - offsets[b]
    );
    const plan: Plan = {
      at: Float64Array.from(order, (j) => 200 + offsets[j]),
      kind: new Uint8Array(order.length),
      kinds: ["POST /peer/heartbeat"],
      request: (i) =>
        serializeRequest("POST", "/peer/heartbeat", replicas[0].host, bodies[order[i]]),
    };
    const connections = [
      ...await openConnections(replicas[0].url, 8),
      ...await openConnections(replicas[1].url, 8),
    ];
    const meters = replicas.map((replica) => cpuMeter(replica.pid));
    const redisMeter = cpuMeter(redisPid);
    const result = await pacedLoop(connections, plan);
    const gatewayCores = meters.reduce((sum, meter) => sum + meter().core, 0);
    const redisCores = redisMeter().core;
    for (const connection of connections) connection.close();
    const { statuses, latency: samples } = result.kinds["POST /peer/heartbeat"];
    const errors = Object.entries(statuses).filter(([status]) => status !== "200")
      .reduce((sum, [, n]) => sum + n, 0);
    const summary = samples.summary();
    print(
      `  ${int(count)} worlds every 30 s through 2 replicas (${int(bodies.length / seconds)}/s) ` +
        `for ${seconds} s: errors ${errors}, ${latency(summary)}; gateways ${
          gatewayCores.toFixed(2)
        } cores, Redis ${redisCores.toFixed(2)} cores`,
    );
    return {
      worlds: count,
      seconds,
      heartbeatsPerSecond: bodies.length / seconds,
      errors,
      statuses,
      latency: summary,
      redisCores,
      gatewayCores,
    };
  } finally {
    for (const replica of replicas) await replica.stop();
  }
}

/**
 * The time from killing the webhook leader (holding every event, a delivery
 * per world in flight) to its events delivered by the other replica.
 */
export async function benchTakeover(
  redisUrl: string,
  events: number,
  print: (line: string) => void = console.log,
): Promise<TakeoverResult> {
  const secret = `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
  const receiver = holdingReceiver(secret);
  const fleet = await Fleet.create(events, "hook");
  const prefix = uniquePrefix("takeover");
  const replicas: GatewayProcess[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      replicas.push(
        await startGatewayProcess({
          REDIS_URL: redisUrl,
          REDIS_PREFIX: prefix,
          WEBHOOK_URL: receiver.url,
          WEBHOOK_SECRET: secret,
        }),
      );
    }
    await announceAll(replicas[0], fleet);
    const inHand = Math.min(8, events); // the dispatcher's deliveries in flight at once
    await waitFor(() => receiver.held() >= inHand, "deliveries in flight", 30_000);
    const leader = replicas.find((r) => /webhook delivery: leading/.test(r.output()));
    if (!leader) throw new Error("no replica says it leads webhook delivery");
    await leader.kill();
    const killedAt = performance.now();
    replicas.splice(replicas.indexOf(leader), 1);
    const inFlight = new Set(receiver.receipts.keys());
    receiver.release();
    const delivered = () => {
      const worlds = new Set<string>();
      for (const receipts of receiver.receipts.values()) {
        if (receipts.some((r) => r.answered)) worlds.add(receipts[0].worldId);
      }
      return worlds.size;
    };
    await waitFor(() => delivered() >= events, "every event delivered", 60_000).catch(() => {});
    const firstAnswer = [...receiver.receipts.entries()].map(([id, receipts]) =>
      [id, receipts.find((r) => r.answered)?.at] as const
    );
    const answeredAt = firstAnswer.flatMap(([, at]) => at === undefined ? [] : [at - killedAt]);
    const inFlightAt = firstAnswer.flatMap(([id, at]) =>
      inFlight.has(id) && at !== undefined ? [at - killedAt] : []
    );
    const copies = [...receiver.receipts.entries()].map(([id, r]) => [id, r.length] as const);
    const result: TakeoverResult = {
      events,
      inFlight: inFlight.size,
      firstDeliveryMs: Math.min(...answeredAt),
      inFlightDeliveredMs: Math.max(...inFlightAt),
      allDeliveredMs: Math.max(...answeredAt),
      duplicates: copies.filter(([, n]) => n > 1).length,
      unexpectedDuplicates: copies.filter(([id, n]) => n > (inFlight.has(id) ? 2 : 1)).length,
      missing: events - delivered(),
      badSignatures: receiver.badSignatures(),
    };
    print(
      `  webhook takeover: leader killed (SIGKILL) holding ${int(events)} events, ` +
        `${result.inFlight} in flight; the other replica's first delivery after ` +
        `${ms(result.firstDeliveryMs)}, the in-flight ones by ${ms(result.inFlightDeliveredMs)}, ` +
        `all by ${ms(result.allDeliveredMs)}; duplicates ${result.duplicates} ` +
        `(${result.unexpectedDuplicates} beyond the in-flight ones), missing ${result.missing}, ` +
        `bad signatures ${result.badSignatures}`,
    );
    return result;
  } finally {
    for (const replica of replicas) await replica.stop();
    fleet.close();
    await receiver.close();
  }
}

async function waitFor(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
