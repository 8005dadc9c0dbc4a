/**
 * Renewing a slice of the benchmark fleet's leases through a lease store as
 * fast as it goes, with a fixed number of heartbeats in flight.
 *
 * @module
 */
import type { LeaseStore } from "../gateway/store.ts";
import { benchAgentId } from "./_redis_fleet.ts";

/** What a renewing run does. */
export interface RenewJob {
  /** The Redis store to connect to (in a worker). */
  url: string;
  /** Its key prefix. */
  prefix: string;
  /** The worlds `[from, to)` this worker renews, round-robin. */
  from: number;
  to: number;
  /** Heartbeats in flight. */
  inFlight: number;
  /** How long to run, in ms. */
  durationMs: number;
  /** The first pass's `ts`; each pass over the slice adds one. */
  tsBase: number;
}

/** What a renewing run did. */
export interface RenewReport {
  renewed: number;
  refused: number;
  errors: number;
  wallMs: number;
}

/** Renews the job's leases for its duration; the report. */
export async function runRenewJob(store: LeaseStore, job: RenewJob): Promise<RenewReport> {
  const size = job.to - job.from;
  let next = 0;
  let renewed = 0;
  let refused = 0;
  let errors = 0;
  const started = performance.now();
  const end = started + job.durationMs;
  const lane = async () => {
    while (performance.now() < end) {
      const k = next++;
      const world = job.from + (k % size);
      const ts = job.tsBase + Math.floor(k / size);
      try {
        const outcome = await store.renew(benchAgentId(world), ts);
        if (outcome.ok) renewed++;
        else refused++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: job.inFlight }, lane));
  return { renewed, refused, errors, wallMs: performance.now() - started };
}
