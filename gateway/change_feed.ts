/**
 * The change feed: a durable, ordered log of changes to the directory with
 * opaque ids. The lease store implements it; the change stream (`GET
 * /watch`) and webhooks read it. The shapes are the team's shared
 * vocabulary: change them only together with the store.
 *
 * @module
 */

/** Why a lease ended, as `*.expired` events say. */
export type ExpiryReason = "ttl" | "deregistered" | "admin" | "rotated";

/** The kinds of change a feed carries. */
export type ChangeType =
  | "world.announced"
  | "world.updated"
  | "world.expired"
  | "world.owner_changed"
  | "agent.announced"
  | "agent.updated"
  | "agent.expired";

/** One change to the directory, as the change stream and webhooks see it. */
export interface ChangeEvent {
  /** Opaque, totally ordered within one directory (compare with `feed.compare`). */
  id: string;
  /** What changed. */
  type: ChangeType;
  /** When it happened, ms since the epoch, by the store's clock. */
  at: number;
  /** The agent the change is about. */
  agentId: string;
  /** The world, when the agent hosts (or hosted) one. */
  worldId?: string;
  /** For `*.expired`: why the lease ended. */
  reason?: ExpiryReason;
  /** For `*.announced` / `*.updated`: the public view of the record (the `/worlds` or `/agents` item). */
  item?: Record<string, unknown>;
  /** For `world.owner_changed`: the previous owner's agent id (`null` when it had none). */
  previousOwner?: string | null;
  /** For `world.owner_changed`: the new owner's agent id (`null` when released). */
  owner?: string | null;
}

/** What {@linkcode ChangeFeed.read} returns. */
export interface ChangeRead {
  /** Events strictly after the id asked for, oldest first. */
  events: ChangeEvent[];
  /** The id asked for is not held (too old, or another directory's): list again. */
  reset: boolean;
  /** The newest id of the feed when it was read. */
  revision: string;
}

/**
 * A durable, ordered log of directory changes.
 *
 * @example A consumer that never misses an event
 * ```ts
 * import type { ChangeEvent, ChangeFeed } from "@agentworlds/sdk/gateway";
 *
 * async function follow(feed: ChangeFeed, after: string, seen: (e: ChangeEvent) => void) {
 *   let last = after;
 *   const live: ChangeEvent[] = [];
 *   const unsubscribe = feed.subscribe((event) => live.push(event)); // first: no gap
 *   const { events, reset } = await feed.read(last, 1000);
 *   if (reset) return unsubscribe(); // list again
 *   for (const event of [...events, ...live]) {
 *     if (feed.compare(event.id, last) <= 0) continue; // no duplicate
 *     seen(event);
 *     last = event.id;
 *   }
 *   unsubscribe();
 * }
 * ```
 */
export interface ChangeFeed {
  /**
   * Events strictly after `after`, oldest first, at most `limit`. `reset` is
   * true when `after` is not an id this feed still holds (older than its
   * retention, or from another directory): the client must list again.
   * `undefined` reads from the oldest event held.
   */
  read(after: string | undefined, limit: number): Promise<ChangeRead>;
  /** Calls `listener` once with each new event, in order; returns the unsubscribe function. */
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  /** The id of the newest event (`""` when none yet). */
  revision(): Promise<string>;
  /** Orders two ids: negative, 0, positive. */
  compare(a: string, b: string): number;
}
