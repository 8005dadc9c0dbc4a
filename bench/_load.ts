/**
 * Load shapes over {@linkcode HttpConnection}s: a closed loop (every
 * connection sends its next request as soon as the last one is answered:
 * the server's capacity) and a paced, open loop (requests leave at planned
 * instants: latency at a given rate, measured from the planned instant so a
 * stalled server is not hidden by a generator that waited for it).
 *
 * @module
 */
import type { HttpConnection, RawResponse } from "./_http_client.ts";
import { Samples, sleep } from "./_stats.ts";

/** Status code → how many responses had it. */
export type StatusCounts = Record<number, number>;

/** What a load run saw. */
export interface LoadResult {
  /** Wall time of the run, in ms. */
  elapsedMs: number;
  /** Responses answered. */
  responses: number;
  /** Responses by status code. */
  statuses: StatusCounts;
  /** Latency of each response, in ms. */
  latency: Samples;
}

function tally(statuses: StatusCounts, status: number): void {
  statuses[status] = (statuses[status] ?? 0) + 1;
}

/**
 * Sends `plans[i]` over `connections[i]`, in order, each request as soon as
 * the previous answer is read. A plan's order is kept on its connection, so
 * one agent's heartbeats, planned on one connection, arrive in `ts` order.
 */
export async function closedLoop(
  connections: HttpConnection[],
  plans: Uint8Array[][],
  onResponse?: (response: RawResponse, connection: number, index: number) => void,
): Promise<LoadResult> {
  const statuses: StatusCounts = {};
  const latency = new Samples();
  let responses = 0;
  const started = performance.now();
  await Promise.all(connections.map(async (connection, c) => {
    const plan = plans[c];
    for (let i = 0; i < plan.length; i++) {
      const sent = performance.now();
      const response = await connection.send(plan[i]);
      latency.add(performance.now() - sent);
      tally(statuses, response.status);
      responses++;
      onResponse?.(response, c, i);
    }
  }));
  return { elapsedMs: performance.now() - started, responses, statuses, latency };
}

/**
 * Requests planned for instants, as parallel arrays (a few hundred thousand
 * planned requests must not become a few hundred thousand objects the
 * generator's garbage collector keeps walking while it measures).
 */
export interface Plan {
  /** When request i should leave, in ms from the start; ascending. */
  at: Float64Array;
  /** Which kind request i is: an index into `kinds` (latency is reported per kind). */
  kind: Uint8Array;
  kinds: string[];
  /** Serializes request i (called as it leaves). */
  request(i: number): Uint8Array;
}

/** What a paced run saw, per kind. */
export interface PacedResult {
  elapsedMs: number;
  /** Per kind: statuses and latency (from the send to the whole answer read). */
  kinds: Record<string, { statuses: StatusCounts; latency: Samples }>;
  /**
   * How late requests left after their planned instant, in ms: timer slack,
   * plus any wait for a free connection while the server was slow.
   */
  sendLag: Samples;
  /** The generator's own longest event-loop stall, in ms (a 1 ms interval's worst lateness). */
  generatorStallMs: number;
}

/**
 * Sends each planned request at its instant over whichever connection is
 * free. A server that stalls holds every connection, so the requests planned
 * meanwhile leave late: that shows in `sendLag`.
 */
export async function pacedLoop(connections: HttpConnection[], plan: Plan): Promise<PacedResult> {
  const kinds = plan.kinds.map(() => ({ statuses: {} as StatusCounts, latency: new Samples() }));
  const sendLag = new Samples();
  const count = plan.at.length;
  let next = 0;
  const started = performance.now();
  let tick = started;
  let generatorStallMs = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    generatorStallMs = Math.max(generatorStallMs, now - tick);
    tick = now;
  }, 1);
  await Promise.all(connections.map(async (connection) => {
    while (next < count) {
      const i = next++;
      const at = started + plan.at[i];
      const wait = at - performance.now();
      if (wait > 0) await sleep(wait);
      const bytes = plan.request(i);
      const sent = performance.now();
      sendLag.add(Math.max(0, sent - at));
      const response = await connection.send(bytes);
      const kind = kinds[plan.kind[i]];
      kind.latency.add(performance.now() - sent);
      tally(kind.statuses, response.status);
    }
  }));
  clearInterval(probe);
  return {
    elapsedMs: performance.now() - started,
    kinds: Object.fromEntries(plan.kinds.map((name, k) => [name, kinds[k]])),
    sendLag,
    generatorStallMs,
  };
}
