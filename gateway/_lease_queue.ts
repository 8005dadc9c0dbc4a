/**
 * The expiry index: items by deadline, in buckets of a fixed width, so moving
 * a deadline (a renewal) is O(1) and taking what is due visits only buckets
 * whose time has come. etcd keeps the same idea apart from its lessor
 * (`lease_queue.go`); so do we.
 *
 * @module
 */

/**
 * Items ordered by deadline. An item is due at `now` when its deadline is
 * strictly before `now` (a lease is live up to and including its deadline).
 */
export class LeaseQueue<T> {
  readonly #width: number;
  #buckets = new Map<number, Set<T>>();
  #deadlines = new Map<T, number>();
  // Every bucket ≤ this has been emptied of due items (a sweep cursor).
  #sweptThrough = -Infinity;

  /** Creates an empty queue whose buckets are `bucketMs` wide. */
  constructor(bucketMs: number) {
    if (!(bucketMs > 0)) throw new RangeError("bucketMs must be positive");
    this.#width = bucketMs;
  }

  /** Items held. */
  get size(): number {
    return this.#deadlines.size;
  }

  /** The deadline an item is held under, if it is held. */
  deadline(item: T): number | undefined {
    return this.#deadlines.get(item);
  }

  /** Holds `item` until `deadline`, moving it if it was held under another. */
  set(item: T, deadline: number): void {
    const key = Math.ceil(deadline / this.#width);
    const previous = this.#deadlines.get(item);
    this.#deadlines.set(item, deadline);
    if (previous !== undefined) {
      const previousKey = Math.ceil(previous / this.#width);
      if (previousKey === key) return;
      this.#removeFromBucket(item, previousKey);
    }
    let bucket = this.#buckets.get(key);
    if (!bucket) this.#buckets.set(key, bucket = new Set());
    bucket.add(item);
    if (key <= this.#sweptThrough) this.#sweptThrough = key - 1;
  }

  /** Stops holding `item`. */
  delete(item: T): void {
    const deadline = this.#deadlines.get(item);
    if (deadline === undefined) return;
    this.#deadlines.delete(item);
    this.#removeFromBucket(item, Math.ceil(deadline / this.#width));
  }

  #removeFromBucket(item: T, key: number): void {
    const bucket = this.#buckets.get(key);
    if (!bucket) return;
    bucket.delete(item);
    if (bucket.size === 0) this.#buckets.delete(key);
  }

  /**
   * Removes and returns at most `limit` items due at `now`, earliest bucket
   * first. Amortized O(k) for k items taken: the scan resumes where the last
   * one stopped.
   */
  takeDue(now: number, limit: number = Infinity): T[] {
    const taken: T[] = [];
    if (this.#deadlines.size === 0 || limit <= 0) return taken;
    // Buckets whose every deadline is < now: bucket k holds deadlines in
    // ((k-1)·w, k·w], so it is wholly past when k·w < now.
    const last = Math.ceil(now / this.#width) - 1;
    let stoppedAt: number | undefined;
    const keys = this.#sweptThrough === -Infinity || last - this.#sweptThrough > this.#buckets.size
      ? [...this.#buckets.keys()].filter((key) => key <= last).sort((a, b) => a - b)
      : range(this.#sweptThrough + 1, last);
    for (const key of keys) {
      const bucket = this.#buckets.get(key);
      if (!bucket) continue;
      let fromBucket = 0;
      for (const item of bucket) {
        if (taken.length >= limit) break;
        taken.push(item);
        fromBucket++;
      }
      if (fromBucket < bucket.size) {
        stoppedAt = key; // the limit cut this bucket short: resume here next time
        break;
      }
    }
    // The bucket holding `now` itself may hold deadlines already passed.
    if (stoppedAt === undefined && taken.length < limit) {
      const current = this.#buckets.get(last + 1);
      if (current) {
        for (const item of current) {
          if (taken.length >= limit) break;
          if (this.#deadlines.get(item)! < now) taken.push(item);
        }
      }
    }
    for (const item of taken) this.delete(item);
    this.#sweptThrough = stoppedAt === undefined
      ? Math.max(this.#sweptThrough, last)
      : stoppedAt - 1;
    return taken;
  }

  /** Calls `fn` for each held item whose deadline is before `now` (due but not yet taken). */
  forEachDue(now: number, fn: (item: T) => void): void {
    for (const [key, bucket] of this.#buckets) {
      if ((key - 1) * this.#width >= now) continue;
      for (const item of bucket) {
        if (this.#deadlines.get(item)! < now) fn(item);
      }
    }
  }

  /** The earliest deadline held, or `undefined` when empty. */
  earliest(): number | undefined {
    let key: number | undefined;
    for (const k of this.#buckets.keys()) {
      if (key === undefined || k < key) key = k;
    }
    if (key === undefined) return undefined;
    let earliest = Infinity;
    for (const item of this.#buckets.get(key)!) {
      earliest = Math.min(earliest, this.#deadlines.get(item)!);
    }
    return earliest;
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
