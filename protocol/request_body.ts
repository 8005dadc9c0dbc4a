/**
 * Reading a request body with a byte limit, before any parsing: the first
 * step of every signed route.
 *
 * The limit is checked as bytes arrive, and each chunk is copied into one
 * buffer and let go, so a body costs memory in proportion to its bytes
 * however finely it is chunked (a body sent one byte at a time does not keep
 * one read buffer alive per byte).
 *
 * @module
 */
import { reject, REJECTION_TEXT, type Verified } from "./rejection.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });
const FIRST_BUFFER_BYTES = 1024;

/**
 * Reads a request body as UTF-8 text, refusing more than `maxBytes`: a
 * declared `Content-Length` over the limit is refused without reading, and
 * a body without one is cut off as soon as it passes the limit. Never
 * throws: a sender that goes away mid-body is a `body_unreadable` refusal.
 *
 * @example
 * ```ts
 * import { readBodyText } from "@agentworlds/sdk/protocol";
 * const request = new Request("http://gw.test/peer/heartbeat", { method: "POST", body: "x".repeat(2000) });
 * const result = await readBodyText(request, 1024);
 * console.log(result.ok ? result.value : `${result.status} ${result.error}`); // "413 body exceeds 1024 bytes"
 * ```
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<Verified<string>> {
  const declared = request.headers.get("content-length");
  const declaredBytes = declared !== null && /^\d{1,15}$/.test(declared)
    ? Number(declared)
    : undefined;
  if (declaredBytes !== undefined && declaredBytes > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return reject("body_too_large", REJECTION_TEXT.bodyTooLarge(maxBytes));
  }
  if (!request.body) return { ok: true, value: "" };
  const reader = request.body.getReader();
  let buffer = new Uint8Array(Math.min(maxBytes, declaredBytes ?? FIRST_BUFFER_BYTES));
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (length + value.length > maxBytes) {
        await reader.cancel().catch(() => {});
        return reject("body_too_large", REJECTION_TEXT.bodyTooLarge(maxBytes));
      }
      if (length + value.length > buffer.length) {
        const grown = new Uint8Array(
          Math.min(maxBytes, Math.max(buffer.length * 2, length + value.length)),
        );
        grown.set(buffer.subarray(0, length));
        buffer = grown;
      }
      buffer.set(value, length);
      length += value.length;
    }
  } catch {
    return reject("body_unreadable", REJECTION_TEXT.bodyUnreadable);
  }
  try {
    return { ok: true, value: decoder.decode(buffer.subarray(0, length)) };
  } catch {
    return reject("not_utf8", REJECTION_TEXT.notUtf8);
  }
}

/** A body read and parsed: its exact text (what digests and header signatures cover) and its JSON. */
export interface JsonBody {
  /** The body as received. */
  text: string;
  /** Its parsed JSON value. */
  json: unknown;
}

/**
 * Reads a body with {@linkcode readBodyText} and parses it as JSON.
 *
 * @example
 * ```ts
 * import { readJsonBody } from "@agentworlds/sdk/protocol";
 * const request = new Request("http://gw.test/peer/heartbeat", { method: "POST", body: "{not json" });
 * const result = await readJsonBody(request, 1024);
 * console.log(result.ok ? "json" : result.error); // "body is not valid JSON"
 * ```
 */
export async function readJsonBody(
  request: Request,
  maxBytes: number,
): Promise<Verified<JsonBody>> {
  const read = await readBodyText(request, maxBytes);
  if (!read.ok) return read;
  try {
    return { ok: true, value: { text: read.value, json: JSON.parse(read.value) } };
  } catch {
    return reject("not_json", REJECTION_TEXT.notJson);
  }
}

/**
 * Reads a JSON body and checks it with a parse function (for example
 * `parseHeartbeat`); a shape error is an `invalid_body` refusal naming the
 * field.
 *
 * @example
 * ```ts
 * import { BODY_LIMITS, parseDeregistration, readParsedBody } from "@agentworlds/sdk/protocol";
 * const request = new Request("http://gw.test/peer/deregister", { method: "POST", body: "{}" });
 * const result = await readParsedBody(request, BODY_LIMITS.deregistration, parseDeregistration);
 * console.log(result.ok ? "ok" : result.error); // "missing field: agentId"
 * ```
 */
export async function readParsedBody<T>(
  request: Request,
  maxBytes: number,
  parse: (value: unknown) => { ok: true; value: T } | { ok: false; error: string },
): Promise<Verified<T>> {
  const read = await readJsonBody(request, maxBytes);
  if (!read.ok) return read;
  const parsed = parse(read.value.json);
  return parsed.ok ? parsed : reject("invalid_body", parsed.error);
}
