/**
 * Timers as an injectable dependency, so the adapters' schedules (snapshot
 * writes, the sweep loop, webhook retries) run on a clock a test advances.
 * One definition serves the gateway and the SDK: it lives in the SDK, which
 * must not import the gateway.
 *
 * @module
 */
export { systemTimers, type TimerHandle, type Timers } from "../sdk/_timers.ts";
