/**
 * The Redis benchmark's fleet: agent ids and announces shaped like real
 * worlds' (a 64-hex agent id, a 44-character key, one endpoint), without
 * signing: the store is measured, not the gateway's verifies.
 *
 * @module
 */
import type { AnnounceInput, LeaseStore } from "../gateway/store.ts";

/** The agent id of world `n`. */
export function benchAgentId(n: number): string {
  return `aw:sha256:${n.toString(16).padStart(64, "0")}`;
}

/** World `n`'s announce; `endpoints` of them (each ~60 bytes of JSON). */
export function benchAnnounce(n: number, timestamp: number, endpoints = 1): AnnounceInput {
  return {
    agentId: benchAgentId(n),
    publicKey: btoa(String.fromCharCode(...new Uint8Array(32).fill(n % 251))),
    alias: `World ${n}`,
    version: "1.0.0",
    protocolVersion: "1.2",
    endpoints: Array.from(
      { length: endpoints },
      (_, i) => ({ address: "203.0.113.7", port: 8000 + (n % 1000) + i, transport: "tcp" }),
    ),
    capabilities: [`world:world-${n}`],
    worldId: `world-${n}`,
    timestamp,
  };
}

/** Announces worlds `[0, count)` with `inFlight` announces at a time; the time it took, ms. */
export async function announceFleet(
  store: LeaseStore,
  count: number,
  timestamp: number,
  inFlight = 256,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const outcome = await store.announce(benchAnnounce(next++, timestamp));
      if (!outcome.ok) throw new Error(`announce refused: ${outcome.error}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return performance.now() - started;
}
