/**
 * A self-rescheduling timer: the next run is planned only after the previous
 * one finished, so slow work never piles up, and `stop()` waits for a run in
 * flight instead of leaving it behind.
 *
 * @module
 */
import type { TimerHandle, Timers } from "../protocol/_timers.ts";

/** A running {@linkcode repeat}. */
export interface Repeating {
  /** Clears the timer; resolves once a run in flight (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `work` after `nextDelayMs()` milliseconds on `timers`, again and
 * again, until stopped. Whatever `work` throws goes to `onError` (unless
 * stopped); nothing escapes into the timer.
 */
export function repeat(
  nextDelayMs: () => number,
  work: () => Promise<void>,
  onError: (error: unknown) => void,
  timers: Timers,
): Repeating {
  let stopped = false;
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;

  const run = async () => {
    try {
      await work();
    } catch (error) {
      if (!stopped) onError(error);
    } finally {
      running = undefined;
      plan();
    }
  };

  const plan = () => {
    if (stopped) return;
    let delay: number;
    try {
      delay = nextDelayMs();
    } catch (error) {
      onError(error);
      return;
    }
    timer = timers.setTimeout(() => {
      timer = undefined;
      running = run();
    }, delay);
  };

  plan();
  return {
    async stop() {
      stopped = true;
      timers.clearTimeout(timer);
      await running;
    },
  };
}
