/**
 * Timers a test advances by hand, for everything that takes a `timers`
 * option (webhook retries, the sweep loop, snapshots; the SDK's announces,
 * heartbeats, broadcasts and idle sweeps).
 *
 * @module
 */
import type { Timers } from "../gateway/mod.ts";

interface Pending {
  at: number;
  fn: () => void;
}

/** Fake timers and the clock they run on. */
export class ManualTimers implements Timers {
  /** The time, ms. */
  now: number;
  #next = 1;
  #pending = new Map<number, Pending>();

  /** Starts the clock at `start`. */
  constructor(start = 1_700_000_000_000) {
    this.now = start;
  }

  /** Reads the clock. */
  readonly clock = (): number => this.now;

  /** The same clock, as the schedules' monotonic one: it moves only by {@linkcode advance}. */
  monotonicNow(): number {
    return this.now;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.#next++;
    this.#pending.set(id, { at: this.now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  /** Timers waiting. */
  get pending(): number {
    return this.#pending.size;
  }

  /** When the earliest waiting timer is due; undefined when none waits. */
  get nextAt(): number | undefined {
    let at: number | undefined;
    for (const entry of this.#pending.values()) {
      if (at === undefined || entry.at < at) at = entry.at;
    }
    return at;
  }

  /** Lets promise chains and real I/O settle. */
  async settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  }

  /** Moves the clock forward `ms`, running each timer due on the way at its time. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    await this.settle();
    for (;;) {
      let due: [number, Pending] | undefined;
      for (const entry of this.#pending) {
        if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      }
      if (!due) break;
      this.#pending.delete(due[0]);
      this.now = Math.max(this.now, due[1].at);
      due[1].fn();
      await this.settle();
    }
    this.now = end;
    await this.settle();
  }
}

/**
 * Advances `timers` by `ms`, one due time after another, and at each waits
 * (polling, up to 5 s) until `planned` timers are pending again: every
 * schedule finished its tick (its requests answered, its sweep done) and
 * planned the next before the clock moves on, so each tick happens exactly
 * when it was due.
 */
export async function runSchedules(
  timers: ManualTimers,
  ms: number,
  planned: number,
): Promise<void> {
  const end = timers.now + ms;
  const settled = async () => {
    const deadline = Date.now() + 5_000;
    while (timers.pending !== planned) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${planned} schedules to plan their next tick`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  for (;;) {
    await settled();
    const next = timers.nextAt;
    if (next === undefined || next > end) break;
    await timers.advance(next - timers.now);
  }
  await timers.advance(end - timers.now);
  await settled();
}
