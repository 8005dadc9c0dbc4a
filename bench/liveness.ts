/**
 * Benchmark 5: liveness precision. A gateway process with a 2 s TTL and a
 * webhook receiver in this process; worlds heartbeat once and go silent.
 * Each world is polled back to back (`GET /world/{id}`) until it is gone:
 * how long after its last heartbeat it stayed visible, and how late the
 * `world.expired` webhook arrived after the lease ran out.
 *
 * @module
 */
import { startGatewayProcess } from "./_gateway_process.ts";
import { announceAll } from "./heartbeat.ts";
import { openConnections, serializeRequest } from "./_http_client.ts";
import { ms, Samples, sleep } from "./_stats.ts";
import type { LatencySummary } from "./_stats.ts";
import { Fleet } from "./_worlds.ts";

/** Options of {@linkcode benchLiveness}. */
export interface LivenessOptions {
  /** The gateway's lease TTL, in ms. Default: 2000. */
  ttlMs?: number;
  /** Worlds that go silent, their last heartbeats spread over ~1 s. Default: 20. */
  worlds?: number;
}

/** What {@linkcode benchLiveness} measured. */
export interface LivenessResult {
  ttlMs: number;
  worlds: number;
  /** From a world's last heartbeat (its `lastSeen`) to its last 200 answer. */
  visibleFor: LatencySummary;
  /** From the lease's deadline (`lastSeen + TTL`) to the first 404. */
  goneAfterDeadline: LatencySummary;
  /** From the lease's deadline to the `world.expired` webhook's arrival. */
  webhookAfterDeadline: LatencySummary;
  /** Webhooks received per world (should be exactly one each). */
  webhooks: number;
}

/** Runs benchmark 5 and prints it. */
export async function benchLiveness(
  options: LivenessOptions = {},
  print: (line: string) => void = console.log,
): Promise<LivenessResult> {
  const ttlMs = options.ttlMs ?? 2000;
  const count = options.worlds ?? 20;
  const arrivals = new Map<string, number>(); // worldId → when its world.expired arrived
  const deadlines = new Map<string, number>(); // worldId → lastSeen + TTL
  const receiver = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const event = await request.json();
      if (event.event === "world.expired") arrivals.set(event.worldId, Date.now());
      return new Response(null, { status: 204 });
    },
  );
  const fleet = await Fleet.create(count, "live");
  const gateway = await startGatewayProcess({
    STALE_TTL_MS: String(ttlMs),
    WEBHOOK_URL: `http://127.0.0.1:${receiver.addr.port}/hook`,
  });
  try {
    await announceAll(gateway, fleet, 2);
    const connections = await openConnections(gateway.url, count);
    const heartbeats = await fleet.heartbeats(fleet.worlds.map((_, i) => [i, Date.now() + 1]));
    const visibleFor = new Samples();
    const goneAfterDeadline = new Samples();
    await Promise.all(fleet.worlds.map(async (world, i) => {
      const connection = connections[i];
      await sleep(i * 1000 / count); // spread the deadlines across buckets
      const beat = await connection.send(
        serializeRequest("POST", "/peer/heartbeat", gateway.host, heartbeats[i]),
      );
      if (beat.status !== 200) throw new Error(`heartbeat answered ${beat.status}`);
      const poll = serializeRequest("GET", `/world/${world.worldId}`, gateway.host);
      let lastSeen = NaN;
      let lastOk = NaN;
      for (;;) {
        const response = await connection.send(poll);
        const at = Date.now();
        if (response.status === 200) {
          lastSeen = JSON.parse(new TextDecoder().decode(response.body)).lastSeen;
          lastOk = at;
        } else if (response.status === 404) {
          visibleFor.add(lastOk - lastSeen);
          goneAfterDeadline.add(at - (lastSeen + ttlMs));
          break;
        } else throw new Error(`poll answered ${response.status}`);
      }
      deadlines.set(world.worldId, lastSeen + ttlMs);
      const waitUntil = Date.now() + ttlMs + 2000;
      while (!arrivals.has(world.worldId) && Date.now() < waitUntil) await sleep(5);
    }));
    for (const connection of connections) connection.close();
    const webhookAfterDeadline = new Samples();
    let webhooks = 0;
    for (const world of fleet.worlds) {
      const arrived = arrivals.get(world.worldId);
      if (arrived === undefined) continue;
      webhooks++;
      webhookAfterDeadline.add(arrived - deadlines.get(world.worldId)!);
    }
    const result: LivenessResult = {
      ttlMs,
      worlds: count,
      visibleFor: visibleFor.summary(),
      goneAfterDeadline: goneAfterDeadline.summary(),
      webhookAfterDeadline: webhookAfterDeadline.summary(),
      webhooks,
    };
    print(
      `  TTL ${ttlMs} ms, ${count} silent worlds: visible after the last heartbeat for at most ${
        ms(result.visibleFor.max)
      } (TTL + ${ms(result.visibleFor.max - ttlMs)}); first 404 at most ${
        ms(result.goneAfterDeadline.max)
      } after the deadline`,
    );
    print(
      `  world.expired webhooks ${webhooks}/${count}, arriving p50 ${
        ms(result.webhookAfterDeadline.p50)
      }, max ${ms(result.webhookAfterDeadline.max)} after the deadline`,
    );
    return result;
  } finally {
    await gateway.stop();
    fleet.close();
    await receiver.shutdown();
  }
}
