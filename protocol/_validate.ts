/**
 * Small validation helpers for wire shapes. Each returns an error message
 * naming the field, or `undefined` when the value is acceptable.
 *
 * @module
 */
import { fromBase64 } from "./_bytes.ts";

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

// C0 and C1 controls, DEL, the bidi marks, embeddings, overrides and
// isolates, and the line/paragraph separators: characters that let a name
// reorder or hide what is displayed around it, or break a log line.
const FORBIDDEN_IN_TEXT =
  // deno-lint-ignore no-control-regex -- control characters are what it finds
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A display text: a string within its length, with no control or bidi characters and no lone surrogates. */
export function checkText(
  value: unknown,
  field: string,
  maxLength: number,
  options: { required?: boolean; minLength?: number } = {},
): string | undefined {
  const error = checkString(value, field, maxLength, options);
  if (error || value === undefined) return error;
  const text = value as string;
  if (FORBIDDEN_IN_TEXT.test(text) || !text.isWellFormed()) {
    return `${field} must not contain control or bidirectional-override characters`;
  }
  return undefined;
}

// ASCII fields exclude the two characters JSON escapes (`"` and `\`), so
// their JSON is one byte per character and a record's worst case is known.

/** The characters of a capability: printable ASCII without spaces, quotes or backslashes. */
export const CAPABILITY_CHARS: RegExp = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** What a capability may hold, in words, for error messages. */
export const CAPABILITY_CHARS_TEXT = "printable ASCII without spaces, quotes or backslashes";

/** The characters of a software version: printable ASCII without quotes or backslashes. */
export const VERSION_CHARS: RegExp = /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/;

/** A string of 1–`maxLength` characters that all match `allowed` (a one-character class). */
export function checkToken(
  value: unknown,
  field: string,
  maxLength: number,
  allowed: RegExp,
  what: string,
  options: { required?: boolean } = {},
): string | undefined {
  const error = checkString(value, field, maxLength, options);
  if (error || value === undefined) return error;
  return allowed.test(value as string) ? undefined : `${field} must be ${what}`;
}

export function checkTimestamp(value: unknown, field: string): string | undefined {
  if (value === undefined) return `missing field: ${field}`;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    return `${field} must be a positive integer of milliseconds since the epoch`;
  }
  return undefined;
}

/** A base64 Ed25519 public key: exactly 32 bytes. */
export function checkPublicKey(value: unknown, field: string): string | undefined {
  const error = checkString(value, field, 64);
  if (error) return error;
  return fromBase64(value)?.length === 32
    ? undefined
    : `${field} must be the base64 of a 32-byte Ed25519 key`;
}

/** An integer within [min, max]; `undefined` allowed unless required. */
export function checkInteger(
  value: unknown,
  field: string,
  min: number,
  max: number,
  { required = true } = {},
): string | undefined {
  if (value === undefined) return required ? `missing field: ${field}` : undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    return `${field} must be an integer from ${min} to ${max}`;
  }
  return undefined;
}

/** A list of at most `max` entries, each passing `check`; `undefined` is "missing". */
export function checkList(
  value: unknown,
  field: string,
  max: number,
  check: (item: unknown, index: number) => string | undefined,
): string | undefined {
  if (value === undefined) return `missing field: ${field}`;
  if (!Array.isArray(value)) return `${field} must be an array`;
  if (value.length > max) return `${field} must have at most ${max} entries`;
  for (let i = 0; i < value.length; i++) {
    const error = check(value[i], i);
    if (error) return error;
  }
  return undefined;
}
