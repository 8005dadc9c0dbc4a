/**
 * The `{agentId, ts, signature}` shape shared by legacy heartbeats and
 * deregistrations: a signed stamp of one agent at one time.
 *
 * @module
 */
import { checkString, checkTimestamp, isRecord, type Parsed } from "./_validate.ts";

/** A signed stamp: an agent id, a time, and a signature over `{agentId, ts}`. */
export interface Stamp {
  agentId: string;
  ts: number;
  signature: string;
}

/** Checks a stamp's shape; returns a fresh object with its three fields only. */
export function parseStamp(value: unknown): Parsed<Stamp> {
  if (!isRecord(value)) return { ok: false, error: "body must be a JSON object" };
  const error = checkString(value.agentId, "agentId", 128) ??
    checkTimestamp(value.ts, "ts") ??
    checkString(value.signature, "signature", 128);
  if (error) return { ok: false, error };
  return {
    ok: true,
    value: {
      agentId: value.agentId as string,
      ts: value.ts as number,
      signature: value.signature as string,
    },
  };
}
