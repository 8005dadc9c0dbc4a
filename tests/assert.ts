/**
 * Minimal assertions (JSR's @std/assert cannot be installed here).
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";

export class AssertionError extends Error {}

export function assert(condition: unknown, message = "expected a truthy value"): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new AssertionError(
      `${message ? message + ": " : ""}values differ\n  actual:   ${
        Deno.inspect(actual, { depth: 6 })
      }\n  expected: ${Deno.inspect(expected, { depth: 6 })}`,
    );
  }
}

export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  if (isDeepStrictEqual(actual, expected)) {
    throw new AssertionError(
      `${message ? message + ": " : ""}values are equal: ${Deno.inspect(actual)}`,
    );
  }
}

export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  if (!pattern.test(actual)) {
    throw new AssertionError(
      `${message ? message + ": " : ""}${JSON.stringify(actual)} does not match ${pattern}`,
    );
  }
}

export async function assertRejects(
  fn: () => Promise<unknown>,
  pattern?: RegExp,
): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof Error)) throw new AssertionError(`rejected with a non-Error: ${error}`);
    if (pattern && !pattern.test(error.message)) {
      throw new AssertionError(`error ${JSON.stringify(error.message)} does not match ${pattern}`);
    }
    return error;
  }
  throw new AssertionError("expected the promise to reject");
}

export function assertThrows(fn: () => unknown, pattern?: RegExp): Error {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof Error)) throw new AssertionError(`threw a non-Error: ${error}`);
    if (pattern && !pattern.test(error.message)) {
      throw new AssertionError(`error ${JSON.stringify(error.message)} does not match ${pattern}`);
    }
    return error;
  }
  throw new AssertionError("expected a throw");
}
