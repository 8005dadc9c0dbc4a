/**
 * The listing index: records in grant order, for stable newest-first pages
 * whose cursors survive expiry and work on any replica (the cursor names a
 * position, `grantedAt|agentId`, not an offset).
 *
 * @module
 */

/** What the index orders by. */
export interface Granted {
  /** When the lease was granted. */
  readonly grantedAt: number;
  /** The agent id, breaking ties. */
  readonly agentId: string;
}

/** A position in grant order, as a cursor names it. */
export interface GrantPosition {
  /** When the lease was granted. */
  grantedAt: number;
  /** The agent id. */
  agentId: string;
}

/**
 * Records ordered by `(grantedAt, agentId)`, oldest first. New leases are
 * granted "now", so inserts land at the end. Removals by a sweep are lazy:
 * the records are marked, skipped by pages, and dropped in one pass once they
 * are half the array, so reclaiming k leases costs amortized O(k).
 */
export class GrantIndex<T extends Granted> {
  #items: T[] = [];
  #removed = new Set<T>(); // still in #items, awaiting compaction

  /** Records held (lazily removed ones excluded). */
  get size(): number {
    return this.#items.length - this.#removed.size;
  }

  /** Adds a record. */
  insert(record: T): void {
    if (this.#removed.has(record)) this.#compact(); // never hold one record twice
    const items = this.#items;
    const last = items[items.length - 1];
    if (!last || compareGrant(last, record) < 0) {
      items.push(record);
      return;
    }
    items.splice(this.#lowerBound(record), 0, record);
  }

  /** Removes records, lazily (see the class doc). */
  remove(...records: T[]): void {
    for (const record of records) this.#removed.add(record);
    if (this.#removed.size * 2 > this.#items.length) this.#compact();
  }

  #compact(): void {
    const removed = this.#removed;
    if (removed.size === 0) return;
    this.#items = this.#items.filter((record) => !removed.has(record));
    removed.clear();
  }

  /** Index of the first item not less than `position`. */
  #lowerBound(position: GrantPosition): number {
    let lo = 0;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareGrant(this.#items[mid], position) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Up to `limit` records shown by `shown`, newest first, strictly older than
   * `after` when given, and whether more follow.
   */
  page(
    limit: number,
    after: GrantPosition | undefined,
    shown: (record: T) => boolean,
  ): { records: T[]; more: boolean } {
    let i = after === undefined ? this.#items.length - 1 : this.#lowerBound(after) - 1;
    const removed = this.#removed;
    const records: T[] = [];
    for (; i >= 0 && records.length < limit; i--) {
      const record = this.#items[i];
      if (!removed.has(record) && shown(record)) records.push(record);
    }
    for (; i >= 0; i--) {
      const record = this.#items[i];
      if (!removed.has(record) && shown(record)) return { records, more: true };
    }
    return { records, more: false };
  }
}

/** Orders two grant positions, oldest first. */
export function compareGrant(a: GrantPosition, b: GrantPosition): number {
  return a.grantedAt - b.grantedAt || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0);
}

/** The opaque cursor of a position: base64url of `grantedAt|agentId`. */
export function encodeCursor(position: GrantPosition): string {
  return btoa(`${position.grantedAt}|${position.agentId}`).replace(/=+$/, "").replace(/\+/g, "-")
    .replace(/\//g, "_");
}

/** The position a cursor names, or `undefined` for anything a store did not make. */
export function decodeCursor(cursor: string): GrantPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  let text: string;
  try {
    text = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return undefined;
  }
  const bar = text.indexOf("|");
  const grantedAt = Number(text.slice(0, bar));
  const agentId = text.slice(bar + 1);
  if (bar <= 0 || !Number.isSafeInteger(grantedAt) || agentId.length === 0) return undefined;
  return { grantedAt, agentId };
}
