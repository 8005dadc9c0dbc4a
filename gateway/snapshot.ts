/**
 * The registry's JSON snapshot: `DATA_DIR/registry.json`, written atomically
 * (temp file, fsync, rename, fsync of the directory) and in chunks, so a
 * 100,000-world registry never stalls the event loop for long. Loading never
 * crashes on bad data: a corrupt or unreadable file is moved aside and the
 * gateway starts empty.
 *
 * @module
 */
import type { Endpoint } from "../protocol/mod.ts";
import { isValidWorldId } from "../protocol/mod.ts";
import { fromBase64 } from "../protocol/_bytes.ts";
import type { LeaseRecord, Registry, Tombstone } from "./registry.ts";

/** The snapshot file's format marker and version. */
export const SNAPSHOT_FORMAT = "agentworlds-registry";
/** The snapshot schema version. */
export const SNAPSHOT_VERSION = 1;

// What is serialized between two yields to the event loop (~2,500 records).
const CHUNK_BYTES = 1 << 20;
// After serializing a chunk, the event loop is left to other work this many
// times as long: a write takes at most a quarter of the loop while it runs.
const BUSY_TO_IDLE = 3;
const encoder = new TextEncoder();

/** What a load found. */
export interface LoadResult {
  /** Live records restored. */
  restored: number;
  /** Records in the file whose lease had run out. */
  expired: number;
  /** Records skipped as malformed. */
  skipped: number;
  /** Where a corrupt or unreadable file was moved, if it was. */
  movedAside?: string;
}

function serializeRecord(record: LeaseRecord): string {
  return JSON.stringify({
    agentId: record.agentId,
    publicKey: record.publicKey,
    alias: record.alias,
    version: record.version,
    endpoints: record.endpoints,
    capabilities: record.capabilities,
    worldId: record.worldId,
    grantedAt: record.grantedAt,
    lastSeen: record.lastSeen,
    lastAnnounceTs: record.lastAnnounceTs,
    lastHeartbeatTs: record.lastHeartbeatTs,
  });
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}

/**
 * Writes the registry to `path` atomically. Records and replay floors are
 * serialized a chunk at a time, and after each chunk the event loop is left
 * to other work three times as long as the chunk took: a large registry's
 * write never holds the loop for long, and while it runs it takes at most a
 * quarter of it, so a busy gateway keeps answering at its usual rate.
 */
export async function writeSnapshot(path: string, registry: Registry, now: number): Promise<void> {
  const records = registry.records();
  const tombstones = registry.tombstones();
  const temp = `${path}.tmp`;
  const file = await Deno.open(temp, { write: true, create: true, truncate: true, mode: 0o600 });
  // Serialized a record at a time into one reused buffer: no chunk-sized
  // strings or arrays, whose large-object allocations would bring the next
  // full garbage collection closer.
  const buffer = new Uint8Array(CHUNK_BYTES);
  const writeChunks = async <T>(items: T[], serialize: (item: T) => string) => {
    let used = 0;
    let started = performance.now();
    for (let i = 0; i < items.length; i++) {
      const text = (i === 0 ? "\n" : ",\n") + serialize(items[i]);
      if (used + text.length * 3 > buffer.length) { // UTF-8 is at most 3 bytes per UTF-16 unit
        const busyMs = performance.now() - started;
        await writeAll(file, buffer.subarray(0, used));
        used = 0;
        await new Promise((resolve) => setTimeout(resolve, BUSY_TO_IDLE * busyMs));
        started = performance.now();
      }
      if (text.length * 3 > buffer.length) await writeAll(file, encoder.encode(text)); // never, in practice
      else used += encoder.encodeInto(text, buffer.subarray(used)).written;
    }
    await writeAll(file, buffer.subarray(0, used));
  };
  try {
    await writeAll(
      file,
      encoder.encode(
        `{"format":"${SNAPSHOT_FORMAT}","version":${SNAPSHOT_VERSION},"savedAt":${now},"records":[`,
      ),
    );
    await writeChunks(records, serializeRecord);
    await writeAll(file, encoder.encode('\n],"tombstones":['));
    await writeChunks(tombstones, (tombstone) => JSON.stringify(tombstone));
    await writeAll(file, encoder.encode("\n]}\n"));
    await file.sync();
  } finally {
    file.close();
  }
  await Deno.rename(temp, path);
  await syncDirectory(path);
}

async function syncDirectory(path: string): Promise<void> {
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".";
  try {
    const handle = await Deno.open(dir, { read: true });
    try {
      await handle.sync();
    } finally {
      handle.close();
    }
  } catch {
    // Not every platform can fsync a directory; the rename is still atomic.
  }
}

function isEndpoint(value: unknown): value is Endpoint {
  const e = value as Endpoint;
  return typeof e === "object" && e !== null && typeof e.address === "string" &&
    Number.isInteger(e.port);
}

function isTimestamp(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

function parseRecord(value: unknown): LeaseRecord | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (
    typeof r.agentId !== "string" || fromBase64(r.publicKey)?.length !== 32 ||
    typeof r.alias !== "string" || !Array.isArray(r.endpoints) || !r.endpoints.every(isEndpoint) ||
    !Array.isArray(r.capabilities) || !r.capabilities.every((c) => typeof c === "string") ||
    !isTimestamp(r.grantedAt) || !isTimestamp(r.lastSeen) || !isTimestamp(r.lastAnnounceTs) ||
    !isTimestamp(r.lastHeartbeatTs) ||
    (r.version !== undefined && typeof r.version !== "string") ||
    (r.worldId !== undefined && !isValidWorldId(r.worldId))
  ) return undefined;
  return {
    agentId: r.agentId,
    publicKey: r.publicKey as string,
    alias: r.alias,
    version: r.version as string | undefined,
    endpoints: r.endpoints,
    capabilities: r.capabilities as string[],
    worldId: r.worldId as string | undefined,
    grantedAt: r.grantedAt,
    lastSeen: r.lastSeen,
    lastAnnounceTs: r.lastAnnounceTs,
    lastHeartbeatTs: r.lastHeartbeatTs,
  };
}

function parseTombstone(value: unknown): Tombstone | undefined {
  const t = value as Record<string, unknown>;
  if (
    typeof t !== "object" || t === null || typeof t.agentId !== "string" ||
    !isTimestamp(t.lastAnnounceTs) || !isTimestamp(t.lastHeartbeatTs)
  ) return undefined;
  return {
    agentId: t.agentId,
    lastAnnounceTs: t.lastAnnounceTs,
    lastHeartbeatTs: t.lastHeartbeatTs,
  };
}

/**
 * Loads a snapshot into the registry. Records whose lease ran out while the
 * gateway was down are not restored (the registry emits `expired` for them
 * and keeps their replay floors). A file that cannot be read or parsed is
 * renamed to `<path>.corrupt-<time>` and the registry stays empty.
 */
export async function loadSnapshot(
  path: string,
  registry: Registry,
  now: number,
  log: (message: string) => void = console.warn,
): Promise<LoadResult> {
  const result: LoadResult = { restored: 0, expired: 0, skipped: 0 };
  let data: unknown;
  try {
    data = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return result;
    return await moveAside(path, (error as Error).message, result, log);
  }
  const snapshot = data as {
    format?: unknown;
    version?: unknown;
    records?: unknown;
    tombstones?: unknown;
  };
  if (
    typeof data !== "object" || data === null || snapshot.format !== SNAPSHOT_FORMAT ||
    snapshot.version !== SNAPSHOT_VERSION || !Array.isArray(snapshot.records)
  ) {
    return await moveAside(path, "not a registry snapshot", result, log);
  }
  for (const item of Array.isArray(snapshot.tombstones) ? snapshot.tombstones : []) {
    const tombstone = parseTombstone(item);
    if (tombstone) registry.restoreTombstone(tombstone, now);
  }
  const records: LeaseRecord[] = [];
  for (const item of snapshot.records) {
    const record = parseRecord(item);
    if (record) records.push(record);
    else result.skipped++;
  }
  // In grant order each restore appends to the registry's listing indexes;
  // out of order (say, thousands granted in one millisecond) each would be
  // spliced into the middle, and a large registry would load in quadratic time.
  records.sort((a, b) =>
    a.grantedAt - b.grantedAt || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0)
  );
  for (const record of records) {
    if (registry.restore(record, now)) result.restored++;
    else result.expired++;
  }
  if (result.skipped > 0) log(`snapshot ${path}: skipped ${result.skipped} malformed records`);
  return result;
}

async function moveAside(
  path: string,
  why: string,
  result: LoadResult,
  log: (message: string) => void,
): Promise<LoadResult> {
  const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  try {
    await Deno.rename(path, aside);
    result.movedAside = aside;
    log(`snapshot ${path} is unusable (${why}); moved it to ${aside} and starting empty`);
  } catch (error) {
    log(
      `snapshot ${path} is unusable (${why}) and could not be moved aside: ${
        (error as Error).message
      }`,
    );
  }
  return result;
}
