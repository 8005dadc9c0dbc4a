/**
 * Readiness, apart from liveness: whether a load balancer should send this
 * gateway traffic now. `/livez` says the process is alive; `/ready` says
 * no while the gateway shuts down, while its store is unreachable, and while
 * it warms up after an outage.
 *
 * Warming: after an outage every restored lease is held for one TTL from
 * recovery (the grace), so the listing shows worlds that have not proven
 * they are still there. The gateway is warming while, within the first
 * heartbeat interval after recovery (30 s, and at most a third of the TTL),
 * more than half of the restored leases have not been renewed yet; a store
 * that does not count them is warming for that whole first interval. The
 * interval bounds it on purpose: a gateway taken out of rotation receives
 * no heartbeats, and a sole replica (or every replica of a shared store,
 * which share the grace) would otherwise stay unready until the grace ended
 * and then lose every lease it was holding. Two intervals of the grace are
 * left for the renewals.
 *
 * @module
 */
import { DEFAULTS } from "../protocol/mod.ts";
import type { StoreStatus } from "./store.ts";

/** When a gateway stops warming: after one heartbeat interval at most, or once half the restored leases are renewed. */
export const WARMING: Readonly<{ maxMs: number; maxUnrenewedShare: number }> = Object.freeze({
  maxMs: DEFAULTS.heartbeatIntervalMs,
  maxUnrenewedShare: 0.5,
});

/** Whether to send the gateway traffic, and if not, why. */
export type Readiness =
  | { ready: true }
  | {
    ready: false;
    /** Each reason, as a phrase: shutting down, the store unreachable, warming up. */
    reasons: string[];
    /** When warming ends at the latest, if warming is one of the reasons. */
    warmingUntil?: number;
  };

/**
 * Decides readiness from the store's status, without touching the store.
 *
 * @param status The store's {@linkcode StoreStatus}.
 * @param now The current time, ms since the epoch.
 * @param ttlMs The lease TTL (the grace lasts one TTL from recovery).
 * @param stopping Whether the gateway is shutting down (draining).
 */
export function readiness(
  status: StoreStatus,
  now: number,
  ttlMs: number,
  stopping: boolean,
): Readiness {
  const reasons: string[] = [];
  let warmingUntil: number | undefined;
  if (stopping) reasons.push("the gateway is shutting down");
  if (!status.reachable) {
    reasons.push(`the store is unreachable (${status.error ?? "no answer"})`);
  }
  const warmUntil = warmingEnds(status, ttlMs);
  if (status.reachable && warmUntil !== undefined && now < warmUntil) {
    const { restored } = status;
    if (restored === undefined) {
      reasons.push("warming up after an outage: restored leases are being renewed");
      warmingUntil = warmUntil;
    } else if (restored.unrenewed > restored.leases * WARMING.maxUnrenewedShare) {
      reasons.push(
        `warming up after an outage: ${restored.unrenewed} of ${restored.leases} restored leases not renewed yet`,
      );
      warmingUntil = warmUntil;
    }
  }
  if (reasons.length === 0) return { ready: true };
  return warmingUntil === undefined
    ? { ready: false, reasons }
    : { ready: false, reasons, warmingUntil };
}

/** When warming ends at the latest: one heartbeat interval (at most a third of the TTL) after recovery. */
function warmingEnds(status: StoreStatus, ttlMs: number): number | undefined {
  if (status.graceUntil === undefined) return undefined;
  const recoveredAt = status.graceUntil - ttlMs;
  return Math.min(status.graceUntil, recoveredAt + Math.min(WARMING.maxMs, ttlMs / 3));
}
