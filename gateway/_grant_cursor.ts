/**
 * The listing cursor every store makes and reads: `base64url(grantedAt|agentId)`
 * of the last record of a page, so a cursor from one replica (or store)
 * pages on from the same place on another.
 *
 * @module
 */

/** Where a listing page ended: the grant time and agent of its last record. */
export interface GrantPosition {
  /** When the record's lease was granted (store clock). */
  grantedAt: number;
  /** The record's agent id. */
  agentId: string;
}

/** Encodes a listing position as an opaque cursor. */
export function encodeGrantCursor(position: GrantPosition): string {
  const bytes = new TextEncoder().encode(`${position.grantedAt}|${position.agentId}`);
  return btoa(String.fromCharCode(...bytes)).replace(/=+$/, "").replace(/\+/g, "-")
    .replace(/\//g, "_");
}

/** Decodes a cursor made by {@linkcode encodeGrantCursor}; undefined when it is not one. */
export function decodeGrantCursor(cursor: string): GrantPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  let text: string;
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    text = new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(binary, (c) => c.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
  const bar = text.indexOf("|");
  const grantedAt = Number(text.slice(0, bar));
  const agentId = text.slice(bar + 1);
  if (bar <= 0 || !Number.isSafeInteger(grantedAt) || agentId.length === 0) return undefined;
  return { grantedAt, agentId };
}
