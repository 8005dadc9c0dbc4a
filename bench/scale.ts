/**
 * Benchmark 3: 100,000 live worlds in one gateway.
 *
 * In this process, with the registry filled directly (no HTTP, no
 * signatures): memory per world, the snapshot's write time and the longest
 * event-loop stall while it is written, the time to load it, and the
 * sweep's cost with an injected clock. Then through real HTTP, against a
 * gateway process that booted from that snapshot: the latency of
 * `GET /world/{id}`, `GET /worlds?limit=100` and `GET /health`.
 *
 * @module
 */
import {
  DEFAULT_TTL_MS,
  MemoryStore,
  Registry,
  type RegistryEvent,
  type SnapshotContents,
  writeSnapshot,
} from "../gateway/mod.ts";
import { importVerifyKey, type VerifyKey } from "../protocol/_ed25519.ts";
import { fromBase64 } from "../protocol/_bytes.ts";
import { SWEEP_BATCH } from "../gateway/gateway.ts";
import { type GatewayProcess, startGatewayProcess } from "./_gateway_process.ts";
import { openConnections, serializeRequest } from "./_http_client.ts";
import { closedLoop, type StatusCounts } from "./_load.ts";
import { rssBytes } from "./_proc.ts";
import { int, latency, type LatencySummary, mib, ms } from "./_stats.ts";
import type { Fleet } from "./_worlds.ts";

const gc = (globalThis as { gc?: () => void }).gc;

function settle(): Deno.MemoryUsage {
  gc?.();
  gc?.();
  return Deno.memoryUsage();
}

/**
 * Fills a registry the way announces would: world i granted at
 * `now - 30 s + i × 30 s / N` (as if announced at N per 30 s), each record
 * owning its strings as if parsed from a request.
 */
export function fillRegistry(registry: Registry, fleet: Fleet, now: number): void {
  const count = fleet.worlds.length;
  for (let i = 0; i < count; i++) {
    const at = now - 30_000 + Math.floor(i * 30_000 / count);
    const input = JSON.parse(JSON.stringify(fleet.announceInput(i, at)));
    const outcome = registry.announce(input, at);
    if (!outcome.ok) throw new Error(`fill: ${outcome.error}`);
  }
}

/** What the memory store writes for a registry (its change log empty). */
export function snapshotOf(registry: Registry, now: number): SnapshotContents {
  return {
    savedAt: now,
    records: registry.records(),
    tombstones: registry.tombstones(),
    owners: registry.owners(),
    log: { generation: "bench", seq: 0, events: [], pending: [] },
  };
}

/** The gateway's own registry listener, minus the I/O: it looks at every event. */
function gatewayLikeListener(registry: Registry): () => number {
  let seen = 0;
  registry.subscribe((event: RegistryEvent) => {
    if (event.type === "granted" || event.type === "expired") seen++;
  });
  return () => seen;
}

/** Runs `work` while a 1 ms interval measures how late its callbacks come. */
export async function withStallProbe<T>(
  work: () => Promise<T>,
): Promise<{ value: T; elapsedMs: number; longestStallMs: number }> {
  let last = performance.now();
  let longest = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  const value = await work();
  const elapsedMs = performance.now() - started;
  longest = Math.max(longest, performance.now() - last);
  clearInterval(probe);
  return { value, elapsedMs, longestStallMs: longest };
}

/** What the in-process part of {@linkcode benchScale} measured. */
export interface ScaleResult {
  worlds: number;
  /** Heap growth per world once the registry holds them, in bytes (after a full GC). */
  heapPerWorld: number;
  /** Extra heap per world once its verify key is imported (every heartbeating world has one). */
  keyHeapPerWorld: number;
  snapshot: {
    bytes: number;
    /** Per write: total time and the longest stall of the event loop, in ms. */
    writes: { elapsedMs: number; longestStallMs: number }[];
    loadMs: number;
  };
  sweep: {
    /** Reclaiming every lease at once (100,000 granted over 30 s, all run out): median, worst. */
    massExpiryMs: number;
    massExpiryWorstMs: number;
    /** The same mass expiry as the gateway's timer reclaims it, in batches: worst batch. */
    massExpiryBatchWorstMs: number;
    /** Leases granted over 30 s running out over 30 s, a sweep every 100 ms: median, worst. */
    rollingMedianMs: number;
    rollingWorstMs: number;
    /** A sweep that reclaims nothing, every lease live. */
    idleMs: number;
    /** A sweep that reclaims nothing, with a replay floor held for every reclaimed lease. */
    idleWithTombstonesMs: number;
  };
}

/** Runs the in-process part of benchmark 3 and prints it. */
export async function benchScaleInProcess(
  fleet: Fleet,
  print: (line: string) => void = console.log,
): Promise<ScaleResult> {
  const count = fleet.worlds.length;
  if (!gc) print("  (no --expose-gc: memory numbers include garbage)");
  const now = Date.now();

  // Memory: a registry of `count` worlds, then with every verify key imported.
  const before = settle();
  const registry = new Registry();
  fillRegistry(registry, fleet, now);
  const filled = settle();
  const heapPerWorld = (filled.heapUsed - before.heapUsed) / count;
  // The gateway's key cache holds one imported key per heartbeating world.
  const keys = new Map<string, VerifyKey>();
  for (const record of registry.records()) {
    keys.set(record.agentId, await importVerifyKey(fromBase64(record.publicKey)!));
  }
  const keyed = settle();
  const keyHeapPerWorld = (keyed.heapUsed - filled.heapUsed) / count;
  print(
    `  memory (registry filled directly, ${int(count)} worlds): heap ${
      int(heapPerWorld)
    } B/world; +${int(keyHeapPerWorld)} B/world once its verify key is cached`,
  );

  // The snapshot: write it three times under a stall probe, then load it.
  const dir = await Deno.makeTempDir({ prefix: "aw-bench-snap-" });
  const path = `${dir}/directory.ndjson`;
  const writes: { elapsedMs: number; longestStallMs: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const { elapsedMs, longestStallMs } = await withStallProbe(() =>
      writeSnapshot(path, snapshotOf(registry, now))
    );
    writes.push({ elapsedMs, longestStallMs });
  }
  const bytes = (await Deno.stat(path)).size;
  print(
    `  snapshot of ${int(count)} worlds (${mib(bytes)}): write ${
      writes.map((w) => ms(w.elapsedMs)).join(" / ")
    }, longest event-loop stall ${writes.map((w) => ms(w.longestStallMs)).join(" / ")}`,
  );
  const loadStarted = performance.now();
  const loaded = await MemoryStore.open({ dataDir: dir, clock: () => now, warn: () => {} });
  const loadMs = performance.now() - loadStarted;
  const restored = loaded.registry.size;
  await loaded.close();
  keys.clear();
  if (restored !== count) throw new Error(`load restored ${restored} of ${count}`);
  print(`  snapshot load: ${ms(loadMs)} (read, parse, validate, restore ${int(count)} leases)`);
  await Deno.remove(dir, { recursive: true });

  // Sweeps, with an injected clock; each case three times on a fresh registry.
  const ttl = DEFAULT_TTL_MS;
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1];
  const timed = (work: () => unknown) => {
    const t = performance.now();
    work();
    return performance.now() - t;
  };
  const mass: number[] = [];
  const massBatch: number[] = [];
  const idle: number[] = [];
  const idleWithTombstones: number[] = [];
  const rollingMedian: number[] = [];
  const rollingWorst: number[] = [];
  for (let round = 0; round < 3; round++) {
    const registry = new Registry();
    gatewayLikeListener(registry);
    fillRegistry(registry, fleet, now);
    idle.push(timed(() => registry.sweep(now + 1000)));
    let reclaimed = 0;
    mass.push(timed(() => reclaimed = registry.sweep(now + ttl + 1).length));
    if (reclaimed !== count) throw new Error(`mass sweep reclaimed ${reclaimed}`);
    idleWithTombstones.push(timed(() => registry.sweep(now + ttl + 101)));

    // The same mass expiry, reclaimed as the gateway's sweep timer does it.
    const batched = new Registry();
    gatewayLikeListener(batched);
    fillRegistry(batched, fleet, now);
    let batchedReclaimed = 0;
    for (let more = true; more;) {
      let got = 0;
      massBatch.push(timed(() => got = batched.sweep(now + ttl + 1, SWEEP_BATCH).length));
      batchedReclaimed += got;
      more = got === SWEEP_BATCH;
    }
    if (batchedReclaimed !== count) throw new Error(`batched sweeps reclaimed ${batchedReclaimed}`);

    // Leases granted over 30 s run out over 30 s, swept every 100 ms.
    const rolling = new Registry();
    gatewayLikeListener(rolling);
    fillRegistry(rolling, fleet, now);
    const sweeps: number[] = [];
    let rollingReclaimed = 0;
    for (let at = now - 30_000 + ttl; at <= now + ttl + 100; at += 100) {
      sweeps.push(timed(() => rollingReclaimed += rolling.sweep(at).length));
    }
    if (rollingReclaimed !== count) throw new Error(`rolling sweeps reclaimed ${rollingReclaimed}`);
    rollingWorst.push(Math.max(...sweeps));
    rollingMedian.push(median(sweeps));
  }
  const sweep = {
    massExpiryMs: median(mass),
    massExpiryWorstMs: Math.max(...mass),
    massExpiryBatchWorstMs: Math.max(...massBatch),
    rollingMedianMs: median(rollingMedian),
    rollingWorstMs: Math.max(...rollingWorst),
    idleMs: median(idle),
    idleWithTombstonesMs: median(idleWithTombstones),
  };
  print(
    `  sweep (Registry, injected clock; median of 3, worst): ${
      int(count)
    } leases expiring at once ${ms(sweep.massExpiryMs)} (${
      ms(sweep.massExpiryWorstMs)
    }), in the gateway's batches of ${int(SWEEP_BATCH)} at worst ${
      ms(sweep.massExpiryBatchWorstMs)
    } per batch; rolling expiry, a sweep per 100 ms: ${ms(sweep.rollingMedianMs)} (${
      ms(sweep.rollingWorstMs)
    }); idle ${ms(sweep.idleMs)}, idle with ${int(count)} replay floors ${
      ms(sweep.idleWithTombstonesMs)
    }`,
  );

  return {
    worlds: count,
    heapPerWorld,
    keyHeapPerWorld,
    snapshot: { bytes, writes, loadMs },
    sweep,
  };
}

/** Writes a snapshot of every world of a fleet, live as of now, into `dataDir`. */
export async function writeFleetSnapshot(fleet: Fleet, dataDir: string): Promise<void> {
  const registry = new Registry();
  const now = Date.now();
  fillRegistry(registry, fleet, now);
  await writeSnapshot(`${dataDir}/directory.ndjson`, snapshotOf(registry, now));
}

/** The resident memory of a gateway process holding nothing. */
export async function emptyGatewayRss(): Promise<number> {
  const gateway = await startGatewayProcess();
  try {
    const connections = await openConnections(gateway.url, 1);
    await closedLoop(connections, [
      Array.from({ length: 100 }, () => serializeRequest("GET", "/health", gateway.host)),
    ]);
    connections[0].close();
    return rssBytes(gateway.pid);
  } finally {
    await gateway.stop();
  }
}

/** Read latency of one route over HTTP. */
export interface ReadLatency {
  route: string;
  latency: LatencySummary;
  statuses: StatusCounts;
}

/** What the HTTP part of {@linkcode benchScale} measured. */
export interface ScaleHttpResult {
  worlds: number;
  /** From spawning the gateway process to it listening, snapshot loaded. */
  bootMs: number;
  /** The gateway process's resident memory once booted, and an empty gateway's. */
  gatewayRss: number;
  emptyGatewayRss: number;
  reads: ReadLatency[];
}

/**
 * Measures read latency against a gateway process holding a fleet: each
 * route alone, `requests` times over `connections` connections.
 */
export async function benchScaleReads(
  gateway: GatewayProcess,
  fleet: Fleet,
  options: { requests?: number; connections?: number; emptyGatewayRss: number },
  print: (line: string) => void = console.log,
): Promise<ScaleHttpResult> {
  const requests = options.requests ?? 5000;
  const connectionCount = options.connections ?? 4;
  const gatewayRss = rssBytes(gateway.pid);
  print(
    `  gateway process booted with ${int(fleet.worlds.length)} worlds in ${
      ms(gateway.bootMs)
    } (spawn + snapshot load); RSS ${mib(gatewayRss)} (empty gateway: ${
      mib(options.emptyGatewayRss)
    })`,
  );
  const routes: [string, (i: number) => string][] = [
    ["GET /world/{id}", (i) => `/world/${fleet.worlds[(i * 7919) % fleet.worlds.length].worldId}`],
    ["GET /worlds?limit=100", () => "/worlds?limit=100"],
    ["GET /health", () => "/health"],
  ];
  const connections = await openConnections(gateway.url, connectionCount);
  const reads: ReadLatency[] = [];
  for (const [route, path] of routes) {
    const plan = (n: number) =>
      Array.from(
        { length: connectionCount },
        (_, c) =>
          Array.from(
            { length: n },
            (_, i) => serializeRequest("GET", path(i * connectionCount + c), gateway.host),
          ),
      );
    await closedLoop(connections, plan(200)); // warm-up
    const result = await closedLoop(connections, plan(Math.ceil(requests / connectionCount)));
    const summary = result.latency.summary();
    reads.push({ route, latency: summary, statuses: result.statuses });
    print(
      `  ${route}: ${latency(summary)}, ${connectionCount} connections; statuses ${
        JSON.stringify(result.statuses)
      }`,
    );
  }
  for (const connection of connections) connection.close();
  return {
    worlds: fleet.worlds.length,
    bootMs: gateway.bootMs,
    gatewayRss,
    emptyGatewayRss: options.emptyGatewayRss,
    reads,
  };
}
