/**
 * Replay floors kept after a lease ends: the last announce and heartbeat
 * timestamps accepted from an agent, held until the signed-timestamp window
 * has passed (after that, any message at or below them is stale anyway), so
 * a captured announce can never revive a dead world.
 *
 * @module
 */
import { LeaseQueue } from "./_lease_queue.ts";

/** The replay floors of an agent whose lease ended. */
export interface Tombstone {
  /** The agent whose lease ended. */
  agentId: string;
  /** The last announce `timestamp` accepted from it. */
  lastAnnounceTs: number;
  /** The last heartbeat (or deregistration) `ts` accepted from it. */
  lastHeartbeatTs: number;
}

// Floors are forgotten by the second: nothing hinges on forgetting sooner.
const BUCKET_MS = 1000;

/** Tombstones with bucketed forgetting: a sweep visits only floors that are due. */
export class ReplayFloors {
  readonly #windowMs: number;
  #floors = new Map<string, Tombstone>();
  #forget = new LeaseQueue<string>(BUCKET_MS);

  /** Creates an empty set whose floors outlive their newest timestamp by `windowMs`. */
  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Floors held. */
  get size(): number {
    return this.#floors.size;
  }

  /** The floors of an agent, if still held at `now`. */
  get(agentId: string, now: number): Tombstone | undefined {
    const floors = this.#floors.get(agentId);
    if (!floors) return undefined;
    return this.#forget.deadline(agentId)! >= now ? floors : undefined;
  }

  /** Keeps an agent's floors until the window after the newer of its timestamps and `now` has passed. */
  keep(floors: Tombstone, now: number): void {
    const newest = Math.max(floors.lastAnnounceTs, floors.lastHeartbeatTs);
    this.#floors.set(floors.agentId, {
      agentId: floors.agentId,
      lastAnnounceTs: floors.lastAnnounceTs,
      lastHeartbeatTs: floors.lastHeartbeatTs,
    });
    this.#forget.set(floors.agentId, Math.max(newest, now) + this.#windowMs);
  }

  /** Drops an agent's floors (its lease is live again and carries them). */
  delete(agentId: string): void {
    this.#floors.delete(agentId);
    this.#forget.delete(agentId);
  }

  /** Forgets the floors whose window has passed at `now`; returns how many. */
  sweep(now: number): number {
    const due = this.#forget.takeDue(now);
    for (const agentId of due) this.#floors.delete(agentId);
    return due.length;
  }

  /** Every floor held (for snapshots). */
  all(): IterableIterator<Tombstone> {
    return this.#floors.values();
  }
}
