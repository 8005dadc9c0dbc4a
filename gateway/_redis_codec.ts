/**
 * How the Redis store's records, events and listing positions are spelled in
 * Redis: a lease hash's short field names (the same names in a change
 * event's stream entry), and the grant-ordered index's members.
 *
 * @module
 */
import type { Endpoint } from "../protocol/mod.ts";
import type { AnnounceInput, ChangeEvent, ExpiryReason, LeaseRecord } from "./store.ts";
import type { GrantPosition } from "./_grant_index.ts";

/** A flat `[field, value, …]` reply, as `HGETALL` and stream entries give. */
export type Flat = readonly string[];

function fieldsOf(flat: Flat): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i], flat[i + 1]);
  return fields;
}

function optionalNumber(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/** A lease record from its hash fields (or a change event's). */
export function recordFrom(agentId: string, flat: Flat): LeaseRecord {
  return recordOf(agentId, fieldsOf(flat));
}

function recordOf(agentId: string, f: Map<string, string>): LeaseRecord {
  const record: LeaseRecord = {
    agentId,
    publicKey: f.get("pk") ?? "",
    alias: f.get("al") ?? "",
    protocolVersion: f.get("pv") ?? "",
    endpoints: JSON.parse(f.get("ep") ?? "[]") as Endpoint[],
    capabilities: JSON.parse(f.get("cp") ?? "[]") as string[],
    grantedAt: Number(f.get("g")),
    lastSeen: Number(f.get("s")),
    lastAnnounceTs: Number(f.get("ta")),
    lastHeartbeatTs: Number(f.get("th")),
  };
  const version = f.get("v");
  if (version !== undefined) record.version = version;
  const worldId = f.get("w");
  if (worldId !== undefined) record.worldId = worldId;
  const address = f.get("ad");
  if (address !== undefined) record.address = address;
  const unreachableSince = optionalNumber(f.get("us"));
  if (unreachableSince !== undefined) record.unreachableSince = unreachableSince;
  const lastReachableAt = optionalNumber(f.get("lr"));
  if (lastReachableAt !== undefined) record.lastReachableAt = lastReachableAt;
  return record;
}

/** The announce script's input: JSON, with numbers and nested JSON as strings for Lua. */
export function announceArgument(input: AnnounceInput): string {
  return JSON.stringify({
    agentId: input.agentId,
    publicKey: input.publicKey,
    alias: input.alias,
    version: input.version,
    protocolVersion: input.protocolVersion,
    // Compared as text by the script to tell whether public details changed.
    endpoints: JSON.stringify(input.endpoints),
    capabilities: JSON.stringify(input.capabilities),
    worldId: input.worldId,
    timestamp: String(input.timestamp),
    address: input.address,
  });
}

/** A change event from its stream entry. */
export function eventFrom(id: string, flat: Flat): ChangeEvent {
  const f = fieldsOf(flat);
  const type = f.get("t") as ChangeEvent["type"];
  const event: ChangeEvent = { id, type, at: Number(f.get("at")), agentId: f.get("a") ?? "" };
  const worldId = f.get("w");
  if (worldId !== undefined) event.worldId = worldId;
  const reason = f.get("r");
  if (reason !== undefined) event.reason = reason as ExpiryReason;
  if (type.endsWith(".announced") || type.endsWith(".updated")) {
    event.record = recordOf(event.agentId, f);
  }
  if (type === "world.owner_changed") {
    event.previousOwner = f.get("po") || null;
    event.owner = f.get("o") || null;
    event.cause = f.get("c") as ChangeEvent["cause"];
  }
  return event;
}

/** Stream entries (`[[id, [field, value, …]], …]`) as events. */
export function eventsFrom(entries: readonly unknown[]): ChangeEvent[] {
  return entries.map((entry) => {
    const [id, flat] = entry as [string, Flat];
    return eventFrom(id, flat);
  });
}

/** Whether a string is a stream id (`<ms>-<seq>`). */
export function isStreamId(id: string): boolean {
  return /^\d{1,20}-\d{1,20}$/.test(id);
}

/** Orders two stream ids (`""` and foreign ids first): negative, 0 or positive. */
export function compareStreamIds(a: string, b: string): number {
  if (a === b) return 0;
  const aOurs = isStreamId(a);
  const bOurs = isStreamId(b);
  if (!aOurs || !bOurs) return aOurs ? 1 : bOurs ? -1 : 0;
  const [am, as] = a.split("-").map(BigInt);
  const [bm, bs] = b.split("-").map(BigInt);
  if (am !== bm) return am < bm ? -1 : 1;
  return as < bs ? -1 : as > bs ? 1 : 0;
}

/** The grant index member of a listing position. */
export function grantMember(position: GrantPosition): string {
  return `${String(position.grantedAt).padStart(16, "0")}|${position.agentId}`;
}

/** The listing position of a grant index member. */
export function positionOf(member: string): GrantPosition {
  const bar = member.indexOf("|");
  return { grantedAt: Number(member.slice(0, bar)), agentId: member.slice(bar + 1) };
}
