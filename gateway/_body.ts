/**
 * Reading request bodies with a hard size limit, before any parsing.
 *
 * @module
 */
import { concatBytes } from "../protocol/_bytes.ts";

/** The body was larger than allowed. */
export const TOO_LARGE: unique symbol = Symbol("too large");
/** The body was not valid UTF-8. */
export const NOT_UTF8: unique symbol = Symbol("not utf-8");

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a request body as UTF-8 text, refusing more than `limit` bytes: a
 * declared `Content-Length` over the limit is refused without reading, and a
 * chunked body is cut off as soon as it passes the limit.
 */
export async function readLimitedText(
  request: Request,
  limit: number,
): Promise<string | typeof TOO_LARGE | typeof NOT_UTF8> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) return TOO_LARGE;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  const bytes = concatBytes(chunks, total);
  try {
    return decoder.decode(bytes);
  } catch {
    return NOT_UTF8;
  }
}

/** Parses JSON, returning `undefined` for anything unparsable. */
export function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
