/**
 * Latency samples and their summaries, and number formatting for the
 * benchmark report.
 *
 * @module
 */

/** Latency samples in ms, stored flat so a million of them cost 8 MB. */
export class Samples {
  #values = new Float64Array(1024);
  #count = 0;

  /** Number of samples recorded. */
  get count(): number {
    return this.#count;
  }

  /** Records one sample. */
  add(ms: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = ms;
  }

  /** p50, p90, p99, p99.9 and max, in ms (NaN when empty). */
  summary(): LatencySummary {
    const sorted = this.#values.slice(0, this.#count).sort();
    const at = (q: number) =>
      sorted.length === 0
        ? NaN
        : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    return {
      count: sorted.length,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      p999: at(0.999),
      max: sorted.length === 0 ? NaN : sorted[sorted.length - 1],
    };
  }
}

/** Percentiles of a set of latencies, in ms. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** `12,345`. */
export function int(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** Milliseconds with a precision that suits their size: `0.31 ms`, `12.4 ms`, `231 ms`. */
export function ms(n: number): string {
  if (!Number.isFinite(n)) return "n/a";
  if (n < 10) return `${n.toFixed(2)} ms`;
  if (n < 100) return `${n.toFixed(1)} ms`;
  return `${Math.round(n)} ms`;
}

/** `p50 0.41 ms, p99 1.20 ms, max 3.0 ms (n=…)`. */
export function latency(summary: LatencySummary): string {
  return `p50 ${ms(summary.p50)}, p99 ${ms(summary.p99)}, p99.9 ${ms(summary.p999)}, max ${
    ms(summary.max)
  } (n=${int(summary.count)})`;
}

/** `123.4 MiB`. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `promise`, or undefined if it has not settled within `ms` (it is not cancelled). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), ms)),
  ]).finally(() => clearTimeout(timer));
}
