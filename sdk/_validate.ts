/**
 * Small checks of the SDK's options and of what peers send.
 *
 * @module
 */

export { isRecord } from "../protocol/_validate.ts";

/** `value` when it is a positive finite number; otherwise a `TypeError` naming the option. */
export function positiveMs(value: number, name: string): number {
  if (!(typeof value === "number" && Number.isFinite(value) && value > 0)) {
    throw new TypeError(`${name} must be a positive number of milliseconds`);
  }
  return value;
}

/** `value` when it is an integer within [min, max]; otherwise a `TypeError` naming the option. */
export function integerIn(value: number, name: string, min: number, max: number): number {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new TypeError(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}
