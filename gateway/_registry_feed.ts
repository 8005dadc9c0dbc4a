/**
 * A temporary {@linkcode ChangeFeed} over today's `Registry` events, so the
 * change stream works until the lease store (which keeps its own durable
 * log) replaces it. A bounded in-memory log: `granted` → `*.announced`, a
 * re-announce that changed the public view → `*.updated`, `expired` →
 * `*.expired` with reason `ttl`. Renewals change nothing a reader sees and
 * are not events.
 *
 * Ids are `<boot>.<n>`: `boot` is random per process, so an id from before
 * a restart (or from another gateway) is not held and resumes as `reset`.
 * `<boot>.0` stands before the first event, so even an empty log has a
 * revision a client can resume from.
 *
 * @module
 */
import type { ChangeEvent, ChangeFeed, ChangeRead, ChangeType } from "./change_feed.ts";
import { agentView, worldSummary } from "./http.ts";
import type { LeaseRecord, Registry, RegistryEvent } from "./registry.ts";

/** Events the log keeps by default; older ones resume as `reset`. */
export const DEFAULT_FEED_RETENTION = 10_000;

/** The public view an event carries, and whether the record is a world. */
function viewOf(record: LeaseRecord): { world: boolean; item: Record<string, unknown> } {
  return record.worldId === undefined
    ? { world: false, item: agentView(record) }
    : { world: true, item: worldSummary(record) };
}

/** The view without `lastSeen`: what a re-announce must change to be an update. */
function detailsOf(item: Record<string, unknown>): string {
  const { lastSeen: _lastSeen, ...details } = item;
  return JSON.stringify(details);
}

/** A bounded change log fed by registry events. */
export class RegistryFeed implements ChangeFeed {
  readonly #boot: string;
  readonly #retention: number;
  /** The newest events, oldest first; `#log[0]` has sequence `#seq - #log.length + 1`. */
  #log: ChangeEvent[] = [];
  #seq = 0;
  #listeners = new Set<(event: ChangeEvent) => void>();
  /** What each live record last looked like, to tell an update from a renewal. */
  #views = new Map<string, { worldId?: string; json: string }>();
  #unsubscribe: () => void;

  /**
   * Listens to `registry` from now on. Records restored before this was
   * created are not events: a client lists them.
   */
  constructor(registry: Registry, options: { retention?: number; boot?: string } = {}) {
    this.#retention = Math.max(1, options.retention ?? DEFAULT_FEED_RETENTION);
    this.#boot = options.boot ?? crypto.randomUUID().slice(0, 8);
    this.#unsubscribe = registry.subscribe((event) => this.#onRegistry(event));
  }

  /** Stops listening to the registry. */
  close(): void {
    this.#unsubscribe();
  }

  #onRegistry(event: RegistryEvent): void {
    const { record } = event;
    if (event.type === "renewed") return;
    if (event.type === "restored") {
      this.#views.set(record.agentId, {
        worldId: record.worldId,
        json: detailsOf(viewOf(record).item),
      });
      return;
    }
    if (event.type === "expired") {
      const before = this.#views.get(record.agentId);
      this.#views.delete(record.agentId);
      const worldId = before?.worldId ?? record.worldId;
      this.#append(worldId === undefined ? "agent.expired" : "world.expired", record, event.at, {
        worldId,
        reason: "ttl",
      });
      return;
    }
    const { world, item } = viewOf(record);
    const json = detailsOf(item);
    const before = this.#views.get(record.agentId);
    this.#views.set(record.agentId, { worldId: record.worldId, json });
    if (event.type === "announced" && before) {
      if (before.json === json && before.worldId === record.worldId) return;
      if (before.worldId !== record.worldId) {
        // It stopped hosting that world (or changed kind): the old one is gone.
        this.#append(
          before.worldId === undefined ? "agent.expired" : "world.expired",
          record,
          event.at,
          { worldId: before.worldId, reason: "deregistered" },
        );
      } else {
        this.#append(world ? "world.updated" : "agent.updated", record, event.at, { item });
        return;
      }
    }
    this.#append(world ? "world.announced" : "agent.announced", record, event.at, { item });
  }

  #append(
    type: ChangeType,
    record: LeaseRecord,
    at: number,
    fields: Partial<ChangeEvent>,
  ): void {
    const event: ChangeEvent = {
      id: `${this.#boot}.${++this.#seq}`,
      type,
      at,
      agentId: record.agentId,
      ...(record.worldId === undefined ? {} : { worldId: record.worldId }),
      ...fields,
    };
    if (event.worldId === undefined) delete event.worldId;
    this.#log.push(event);
    // Trimmed in chunks, so appending stays O(1) amortized.
    if (this.#log.length > this.#retention * 1.25) {
      this.#log = this.#log.slice(this.#log.length - this.#retention);
    }
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not stop the registry or other listeners.
      }
    }
  }

  /** The sequence number of one of this feed's ids, or `undefined`. */
  #seqOf(id: string): number | undefined {
    const dot = id.indexOf(".");
    if (dot < 0 || id.slice(0, dot) !== this.#boot) return undefined;
    const text = id.slice(dot + 1);
    if (!/^\d{1,15}$/.test(text)) return undefined;
    return Number(text);
  }

  /** Events strictly after `after`, oldest first; `reset` when `after` is not held. */
  read(after: string | undefined, limit: number): Promise<ChangeRead> {
    const revision = this.#revision();
    const oldest = this.#seq - this.#log.length + 1; // sequence of #log[0]
    const from = after === undefined ? oldest - 1 : this.#seqOf(after);
    if (from === undefined || from < oldest - 1 || from > this.#seq) {
      return Promise.resolve({ events: [], reset: true, revision });
    }
    const start = from - oldest + 1;
    const events = this.#log.slice(start, start + Math.max(0, limit));
    return Promise.resolve({ events, reset: false, revision });
  }

  /** Calls `listener` with each new event, in order. */
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The newest id; `<boot>.0` before the first event. */
  revision(): Promise<string> {
    return Promise.resolve(this.#revision());
  }

  #revision(): string {
    return `${this.#boot}.${this.#seq}`;
  }

  /** Orders ids of this feed by sequence; others sort first, as never held. */
  compare(a: string, b: string): number {
    return (this.#seqOf(a) ?? -1) - (this.#seqOf(b) ?? -1);
  }
}
