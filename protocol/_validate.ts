/**
 * Small validation helpers for wire shapes. Each returns an error message
 * naming the field, or `undefined` when the value is acceptable.
 *
 * @module
 */

/** A parse outcome: the typed value, or an error that names the field. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function checkString(
  value: unknown,
  field: string,
  maxLength: number,
  { required = true, minLength = 1 } = {},
): string | undefined {
  if (value === undefined && !required) return undefined;
  if (value === undefined) return `missing field: ${field}`;
  if (typeof value !== "string") return `${field} must be a string`;
  if (value.length < minLength) return `${field} must not be empty`;
  if (value.length > maxLength) return `${field} must be at most ${maxLength} characters`;
  return undefined;
}

export function checkTimestamp(value: unknown, field: string): string | undefined {
  if (value === undefined) return `missing field: ${field}`;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    return `${field} must be a positive integer of milliseconds since the epoch`;
  }
  return undefined;
}
