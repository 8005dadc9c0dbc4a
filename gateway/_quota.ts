/**
 * Per-client token buckets: how many new leases, failed signature checks and
 * WebSocket upgrades one address may cause. A bucket holds `burst` tokens
 * and refills `perMinute` a minute; an empty bucket is a 429 with
 * `Retry-After`. Memory is bounded: past `maxKeys` addresses, full (idle)
 * buckets are dropped first, then the oldest.
 *
 * @module
 */

/** The size of a bucket. */
export interface Rate {
  /** Tokens added per minute. */
  perMinute: number;
  /** Most tokens held (the burst a fresh address gets). */
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets keyed by client address. */
export class TokenBuckets {
  readonly #rate: Rate;
  readonly #clock: () => number;
  readonly #maxKeys: number;
  #buckets = new Map<string, Bucket>();

  /** Creates buckets of `rate`, for at most `maxKeys` addresses (default 100000). */
  constructor(rate: Rate, clock: () => number, maxKeys = 100_000) {
    this.#rate = rate;
    this.#clock = clock;
    this.#maxKeys = maxKeys;
  }

  #refilled(key: string): Bucket {
    const now = this.#clock();
    const bucket = this.#buckets.get(key);
    if (!bucket) return { tokens: this.#rate.burst, at: now };
    const tokens = Math.min(
      this.#rate.burst,
      bucket.tokens + (now - bucket.at) * this.#rate.perMinute / 60_000,
    );
    return { tokens, at: now };
  }

  /** Whether `key` has a token now (nothing is taken). */
  has(key: string): boolean {
    return this.#refilled(key).tokens >= 1;
  }

  /** Takes a token; false when the bucket is empty. */
  take(key: string): boolean {
    const bucket = this.#refilled(key);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    this.#set(key, bucket);
    return true;
  }

  /** Seconds until `key` has a token again (at least 1). */
  retryAfter(key: string): number {
    const missing = 1 - this.#refilled(key).tokens;
    if (missing <= 0 || this.#rate.perMinute <= 0) return 1;
    return Math.max(1, Math.ceil(missing * 60 / this.#rate.perMinute));
  }

  #set(key: string, bucket: Bucket): void {
    this.#buckets.delete(key); // re-insert: the map's order is least recently used first
    this.#buckets.set(key, bucket);
    if (this.#buckets.size <= this.#maxKeys) return;
    for (const [old] of this.#buckets) {
      if (this.#refilled(old).tokens >= this.#rate.burst) this.#buckets.delete(old);
      if (this.#buckets.size <= this.#maxKeys * 0.9) return;
    }
    for (const [old] of this.#buckets) {
      this.#buckets.delete(old);
      if (this.#buckets.size <= this.#maxKeys * 0.9) return;
    }
  }

  /** Addresses tracked. */
  get size(): number {
    return this.#buckets.size;
  }
}
