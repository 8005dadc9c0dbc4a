/**
 * Canonical JSON: the exact text that is signed.
 *
 * @module
 */

/**
 * Serializes a JSON value canonically: object keys sorted recursively,
 * arrays kept in order, no whitespace, strings and numbers as
 * `JSON.stringify` writes them.
 *
 * Keys are ordered as a JavaScript object built from the sorted keys would
 * order them: integer-like keys (`"1"`, `"10"`) first in numeric order, then
 * the other keys sorted by UTF-16 code units. That is what AgentWorld 1.2
 * peers produce, so the bytes match theirs. As with `JSON.stringify`,
 * `undefined` and functions are dropped from objects and become `null` in
 * arrays, and non-finite numbers become `null`.
 *
 * @example Keys are sorted at every depth
 * ```ts
 * import { canonicalize } from "@agentworlds/sdk/protocol";
 * canonicalize({ b: 2, a: { d: 1, c: [2, 1] } }); // '{"a":{"c":[2,1],"d":1},"b":2}'
 * ```
 *
 * @param value A JSON-compatible value.
 * @returns The canonical JSON text.
 * @throws {TypeError} On a cycle or a `bigint`, as `JSON.stringify` does.
 */
export function canonicalize(value: unknown): string {
  const text = write(value, new Set());
  // Top-level undefined has no JSON form; JSON.stringify returns undefined.
  if (text === undefined) throw new TypeError("value has no JSON form");
  return text;
}

function write(value: unknown, seen: Set<object>): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
    case "number":
      return JSON.stringify(value);
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "bigint":
      throw new TypeError("canonicalize: bigint has no JSON form");
  }
  const object = value as Record<string, unknown>;
  if (typeof (object as { toJSON?: unknown }).toJSON === "function") {
    return write((object as { toJSON: () => unknown }).toJSON(), seen);
  }
  if (seen.has(object)) throw new TypeError("canonicalize: cyclic value");
  seen.add(object);
  let out: string;
  if (Array.isArray(object)) {
    const parts = new Array<string>(object.length);
    for (let i = 0; i < object.length; i++) {
      parts[i] = write(object[i], seen) ?? "null";
    }
    out = `[${parts.join(",")}]`;
  } else {
    const parts: string[] = [];
    for (const key of sortedKeys(object)) {
      const item = write(object[key], seen);
      if (item !== undefined) parts.push(`${JSON.stringify(key)}:${item}`);
    }
    out = `{${parts.join(",")}}`;
  }
  seen.delete(object);
  return out;
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/** Integer-like keys (array indices) numerically first, then the rest sorted. */
function sortedKeys(object: object): string[] {
  // Object.keys already lists array-index keys first, ascending; only the
  // string keys after them (in insertion order) need sorting.
  const keys = Object.keys(object);
  let firstString = 0;
  while (
    firstString < keys.length && ARRAY_INDEX.test(keys[firstString]) &&
    Number(keys[firstString]) < 4294967295
  ) firstString++;
  if (firstString === 0) return keys.sort();
  const strings = keys.slice(firstString).sort();
  return keys.slice(0, firstString).concat(strings);
}
