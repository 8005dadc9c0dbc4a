/**
 * Timers as an injectable dependency, so every schedule (the SDK's announces,
 * heartbeats, broadcasts and idle sweeps; the gateway's snapshot writes,
 * sweep loop and webhook retries) runs on a clock a test advances. Defined
 * once, in the layer the SDK and the gateway both build on; nothing here
 * runs a timer of its own.
 *
 * @module
 */

/** A pending call's handle. */
export type TimerHandle = ReturnType<typeof setTimeout> | number;

/** What schedules run on. */
export interface Timers {
  /** Calls `fn` once after `ms`; returns a handle for {@linkcode Timers.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a pending call (a stale or undefined handle is ignored). */
  clearTimeout(handle: TimerHandle | undefined): void;
  /**
   * The time, in ms, on the clock `setTimeout` counts its delays on: it never
   * steps back, and only differences between readings mean anything. The
   * gateway schedule reads it to know when the next announce is due; timers
   * without it are taken to run on `performance.now()`.
   */
  monotonicNow?(): number;
}

/** The runtime's own timers, on `performance.now()`. */
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as number | undefined),
  monotonicNow: () => performance.now(),
};
