/**
 * The public views of a lease: what `/worlds`, `/agents`, announce answers
 * and the change stream show of a record (never its client address or
 * replay floors).
 *
 * @module
 */
import type { LeaseRecord } from "./store.ts";

/** Whether the gateway's calls to a record's endpoint are believed to work. */
export function isReachable(record: LeaseRecord): boolean {
  return record.endpoints.length > 0 && record.unreachableSince === undefined;
}

/** Reachability fields: `reachable`, and `lastReachableAt` once a call succeeded. */
export function reachability(record: LeaseRecord): Record<string, unknown> {
  return {
    reachable: isReachable(record),
    ...(record.lastReachableAt === undefined ? {} : { lastReachableAt: record.lastReachableAt }),
  };
}

/** The public view of an agent, as `/agents` lists it. */
export function agentView(record: LeaseRecord): Record<string, unknown> {
  return {
    agentId: record.agentId,
    publicKey: record.publicKey,
    alias: record.alias,
    ...(record.version === undefined ? {} : { version: record.version }),
    protocolVersion: record.protocolVersion,
    endpoints: record.endpoints,
    capabilities: record.capabilities,
    ...(record.worldId === undefined ? {} : { worldId: record.worldId }),
    lastSeen: record.lastSeen,
  };
}

/** The view of a peer in announce answers and `/peer/peers`. */
export function peerView(record: LeaseRecord): Record<string, unknown> {
  return {
    agentId: record.agentId,
    publicKey: record.publicKey,
    alias: record.alias,
    endpoints: record.endpoints,
    capabilities: record.capabilities,
    lastSeen: record.lastSeen,
  };
}

/** A world as `/worlds` lists it: what readers of every protocol generation use. */
export function worldView(record: LeaseRecord): Record<string, unknown> {
  return {
    worldId: record.worldId,
    agentId: record.agentId,
    name: record.alias,
    slug: record.worldId,
    protocolVersion: record.protocolVersion,
    endpoints: record.endpoints,
    ...reachability(record),
    lastSeen: record.lastSeen,
  };
}
