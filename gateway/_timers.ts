/**
 * Timers as an injectable dependency, so the adapters' schedules (snapshot
 * writes, the sweep loop, webhook retries) run on a clock a test advances.
 *
 * @module
 */

/** A pending call's handle. */
export type TimerHandle = ReturnType<typeof setTimeout> | number;

/** What the gateway's adapters schedule with. */
export interface Timers {
  /** Calls `fn` once after `ms`; returns a handle for {@linkcode Timers.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a pending call (a stale or undefined handle is ignored). */
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** The runtime's own timers. */
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as number | undefined),
};
