/**
 * The memory store's snapshot: `DATA_DIR/directory.ndjson`, one JSON object
 * per line (a header, then leases, replay floors, owner bindings, change-log
 * events and undelivered webhook events, then a trailer that proves the file
 * is whole). Whatever was accepted can be read back: a load streams the file
 * a line at a time, and a line is bounded because a record is.
 *
 * Writes are atomic (temp file, fsync, rename, fsync of the directory) and
 * keep one generation back (`directory.ndjson.prev`). If the newest file is
 * unreadable, the previous one is loaded and the gateway says so loudly; it
 * never silently starts empty. The first version's `registry.json` is read
 * when no newer file exists.
 *
 * @module
 */
import type { Endpoint } from "../protocol/mod.ts";
import { fromBase64 } from "../protocol/_bytes.ts";
import type { EventLogState } from "./_event_log.ts";
import type { Tombstone } from "./_replay_floors.ts";
import type { ChangeEvent, LeaseRecord, WorldOwner } from "./store.ts";

/** The snapshot's file name in the data directory. */
export const SNAPSHOT_FILE = "directory.ndjson";
/** The first version's snapshot, read when no newer one exists. */
export const LEGACY_SNAPSHOT_FILE = "registry.json";
/** The header's format marker. */
export const SNAPSHOT_FORMAT = "agentworlds-directory";
/** The snapshot schema version. */
export const SNAPSHOT_VERSION = 2;

// Longest line a load accepts: a record is a few KB at most (protocol limits).
const MAX_LINE_CHARS = 1 << 20;
// What is serialized between two yields to the event loop.
const CHUNK_BYTES = 1 << 20;
// After serializing a chunk, the event loop is left to other work this many
// times as long: a write takes at most a quarter of the loop while it runs.
const BUSY_TO_IDLE = 3;
const encoder = new TextEncoder();

/** What a snapshot holds. */
export interface SnapshotContents {
  /** When it was written (store clock): the last instant the directory is known to have been up. */
  savedAt: number;
  /** Every lease held. */
  records: LeaseRecord[];
  /** Replay floors of ended leases. */
  tombstones: Tombstone[];
  /** World id bindings. */
  owners: WorldOwner[];
  /** The change log and the webhook outbox. */
  log: EventLogState;
}

/** What a load found. */
export interface LoadResult {
  /** Which file was loaded: the newest, the one kept back, the legacy one, or none. */
  source: "current" | "previous" | "legacy" | "none";
  /** The contents (empty when `source` is `none`). */
  contents: SnapshotContents;
  /** Lines skipped as malformed. */
  skipped: number;
  /** Files that could not be read and were moved aside. */
  movedAside: string[];
}

/** Why a file could not be used. */
class Unreadable extends Error {}

function recordLine(record: LeaseRecord): string {
  return JSON.stringify({
    lease: {
      agentId: record.agentId,
      publicKey: record.publicKey,
      alias: record.alias,
      version: record.version,
      protocolVersion: record.protocolVersion,
      endpoints: record.endpoints,
      capabilities: record.capabilities,
      worldId: record.worldId,
      grantedAt: record.grantedAt,
      lastSeen: record.lastSeen,
      lastAnnounceTs: record.lastAnnounceTs,
      lastHeartbeatTs: record.lastHeartbeatTs,
      address: record.address,
      unreachableSince: record.unreachableSince,
      lastReachableAt: record.lastReachableAt,
    },
  });
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}

/**
 * Writes a snapshot to `path` atomically, keeping the file it replaces as
 * `<path>.prev`. Lines are serialized a chunk at a time, and after each chunk
 * the event loop is left to other work three times as long as the chunk
 * took, so a large directory's write never holds the loop for long.
 */
export async function writeSnapshot(path: string, contents: SnapshotContents): Promise<number> {
  const temp = `${path}.tmp`;
  const file = await Deno.open(temp, { write: true, create: true, truncate: true, mode: 0o600 });
  const buffer = new Uint8Array(CHUNK_BYTES);
  let used = 0;
  let lines = 0;
  let bytes = 0;
  let started = performance.now();
  const line = async (text: string) => {
    lines++;
    text += "\n";
    if (used + text.length * 3 > buffer.length) { // UTF-8 is at most 3 bytes per UTF-16 unit
      const busyMs = performance.now() - started;
      await writeAll(file, buffer.subarray(0, used));
      bytes += used;
      used = 0;
      await new Promise((resolve) => setTimeout(resolve, BUSY_TO_IDLE * busyMs));
      started = performance.now();
    }
    if (text.length * 3 > buffer.length) {
      const encoded = encoder.encode(text);
      await writeAll(file, encoded);
      bytes += encoded.length;
    } else used += encoder.encodeInto(text, buffer.subarray(used)).written;
  };
  try {
    const { log } = contents;
    await line(JSON.stringify({
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      savedAt: contents.savedAt,
      generation: log.generation,
      seq: log.seq,
      floor: log.floor,
    }));
    for (const record of contents.records) await line(recordLine(record));
    for (const floor of contents.tombstones) await line(JSON.stringify({ floor }));
    for (const owner of contents.owners) await line(JSON.stringify({ owner }));
    for (const event of log.events) await line(JSON.stringify({ event }));
    for (const event of log.pending) await line(JSON.stringify({ pending: event }));
    await line(JSON.stringify({ end: { lines: lines + 1 } }));
    await writeAll(file, buffer.subarray(0, used));
    bytes += used;
    await file.sync();
  } finally {
    file.close();
  }
  // Keep the file being replaced as the generation back. A hard link first,
  // so the current path never stops existing between the two renames.
  try {
    await Deno.remove(`${path}.prev.tmp`).catch(() => {});
    await Deno.link(path, `${path}.prev.tmp`);
    await Deno.rename(`${path}.prev.tmp`, `${path}.prev`);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.rename(temp, path);
  await syncDirectory(path);
  return bytes;
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

/** Splits a text stream into lines, refusing a line longer than `max` characters. */
async function* lines(stream: ReadableStream<string>, max: number): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of stream) {
    rest += chunk;
    let start = 0;
    for (let nl = rest.indexOf("\n"); nl >= 0; nl = rest.indexOf("\n", start)) {
      yield rest.slice(start, nl);
      start = nl + 1;
    }
    rest = rest.slice(start);
    if (rest.length > max) throw new Unreadable(`a line is longer than ${max} characters`);
  }
  if (rest.length > 0) yield rest;
}

function isEndpoint(value: unknown): value is Endpoint {
  const e = value as Endpoint;
  return typeof e === "object" && e !== null && typeof e.address === "string" &&
    Number.isInteger(e.port);
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

function optionalTime(value: unknown): boolean {
  return value === undefined || isTime(value);
}

function isStringOr(value: unknown, absent: boolean): boolean {
  return typeof value === "string" || (absent && value === undefined);
}

/** A lease record as written, validated; legacy records lack the newer fields. */
export function parseRecord(value: unknown): LeaseRecord | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (
    typeof r.agentId !== "string" || fromBase64(r.publicKey)?.length !== 32 ||
    typeof r.alias !== "string" || !Array.isArray(r.endpoints) || !r.endpoints.every(isEndpoint) ||
    !Array.isArray(r.capabilities) || !r.capabilities.every((c) => typeof c === "string") ||
    !isTime(r.grantedAt) || !isTime(r.lastSeen) || !isTime(r.lastAnnounceTs) ||
    !isTime(r.lastHeartbeatTs) || !isStringOr(r.version, true) ||
    !isStringOr(r.protocolVersion, true) || !isStringOr(r.worldId, true) ||
    !isStringOr(r.address, true) || !optionalTime(r.unreachableSince) ||
    !optionalTime(r.lastReachableAt)
  ) return undefined;
  const record: LeaseRecord = {
    agentId: r.agentId,
    publicKey: r.publicKey as string,
    alias: r.alias,
    version: r.version as string | undefined,
    protocolVersion: (r.protocolVersion as string | undefined) ?? "1.2",
    endpoints: r.endpoints,
    capabilities: r.capabilities as string[],
    worldId: r.worldId as string | undefined,
    grantedAt: r.grantedAt,
    lastSeen: r.lastSeen,
    lastAnnounceTs: r.lastAnnounceTs,
    lastHeartbeatTs: r.lastHeartbeatTs,
    address: r.address as string | undefined,
  };
  if (r.unreachableSince !== undefined) record.unreachableSince = r.unreachableSince as number;
  if (r.lastReachableAt !== undefined) record.lastReachableAt = r.lastReachableAt as number;
  return record;
}

function parseTombstone(value: unknown): Tombstone | undefined {
  const t = value as Record<string, unknown>;
  if (
    typeof t !== "object" || t === null || typeof t.agentId !== "string" ||
    !isTime(t.lastAnnounceTs) || !isTime(t.lastHeartbeatTs)
  ) return undefined;
  return {
    agentId: t.agentId,
    lastAnnounceTs: t.lastAnnounceTs,
    lastHeartbeatTs: t.lastHeartbeatTs,
  };
}

function parseOwner(value: unknown): WorldOwner | undefined {
  const o = value as Record<string, unknown>;
  if (
    typeof o !== "object" || o === null || typeof o.worldId !== "string" ||
    typeof o.owner !== "string" || typeof o.publicKey !== "string" || !isTime(o.since) ||
    !isTime(o.lastUsedAt) || !isTime(o.rotationFloor)
  ) return undefined;
  return {
    worldId: o.worldId,
    owner: o.owner,
    publicKey: o.publicKey,
    since: o.since,
    lastUsedAt: o.lastUsedAt,
    rotationFloor: o.rotationFloor,
  };
}

function parseEvent(value: unknown): ChangeEvent | undefined {
  const e = value as Record<string, unknown>;
  if (
    typeof e !== "object" || e === null || typeof e.id !== "string" || typeof e.type !== "string" ||
    !isTime(e.at) || typeof e.agentId !== "string"
  ) return undefined;
  const event = { ...e } as unknown as ChangeEvent;
  if (e.record !== undefined) {
    const record = parseRecord(e.record);
    if (!record) return undefined;
    event.record = record;
  }
  return event;
}

function empty(): SnapshotContents {
  return {
    savedAt: 0,
    records: [],
    tombstones: [],
    owners: [],
    log: { generation: "", seq: 0, events: [], pending: [] },
  };
}

async function readNdjson(path: string): Promise<{ contents: SnapshotContents; skipped: number }> {
  const file = await Deno.open(path, { read: true });
  const contents = empty();
  let skipped = 0;
  let count = 0;
  let ended = false;
  try {
    for await (
      const text of lines(file.readable.pipeThrough(new TextDecoderStream()), MAX_LINE_CHARS)
    ) {
      count++;
      if (ended) throw new Unreadable("lines after the trailer");
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text);
      } catch {
        if (count === 1) throw new Unreadable("the header is not JSON");
        skipped++;
        continue;
      }
      if (count === 1) {
        if (
          line.format !== SNAPSHOT_FORMAT || line.version !== SNAPSHOT_VERSION ||
          !isTime(line.savedAt) || typeof line.generation !== "string" || !isTime(line.seq)
        ) throw new Unreadable("not a directory snapshot");
        contents.savedAt = line.savedAt;
        contents.log.generation = line.generation;
        contents.log.seq = line.seq;
        if (typeof line.floor === "string") contents.log.floor = line.floor;
        continue;
      }
      const [kind, value] = Object.entries(line)[0] ?? [];
      if (kind === "end") {
        const end = value as { lines?: unknown };
        if (end?.lines !== count) throw new Unreadable("the trailer does not match the file");
        ended = true;
        continue;
      }
      const parsed = kind === "lease"
        ? parseRecord(value)
        : kind === "floor"
        ? parseTombstone(value)
        : kind === "owner"
        ? parseOwner(value)
        : kind === "event" || kind === "pending"
        ? parseEvent(value)
        : undefined;
      if (!parsed) {
        skipped++;
        continue;
      }
      if (kind === "lease") contents.records.push(parsed as LeaseRecord);
      else if (kind === "floor") contents.tombstones.push(parsed as Tombstone);
      else if (kind === "owner") contents.owners.push(parsed as WorldOwner);
      else if (kind === "event") contents.log.events.push(parsed as ChangeEvent);
      else contents.log.pending.push(parsed as ChangeEvent);
    }
  } catch (error) {
    if (error instanceof Unreadable) throw error;
    throw new Unreadable((error as Error).message);
  }
  if (!ended) throw new Unreadable("the file is truncated (no trailer)");
  return { contents, skipped };
}

/** The first version's single-document JSON snapshot. */
async function readLegacy(path: string): Promise<{ contents: SnapshotContents; skipped: number }> {
  const { size } = await Deno.stat(path);
  if (size > 512 * 1024 * 1024) throw new Unreadable(`${size} bytes is too large to parse whole`);
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new Unreadable((error as Error).message);
  }
  if (data?.format !== "agentworlds-registry" || !Array.isArray(data.records)) {
    throw new Unreadable("not a registry snapshot");
  }
  const contents = empty();
  contents.savedAt = isTime(data.savedAt) ? data.savedAt : 0;
  let skipped = 0;
  for (const item of data.records) {
    const record = parseRecord(item);
    if (record) contents.records.push(record);
    else skipped++;
  }
  for (const item of Array.isArray(data.tombstones) ? data.tombstones : []) {
    const tombstone = parseTombstone(item);
    if (tombstone) contents.tombstones.push(tombstone);
  }
  return { contents, skipped };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Loads the newest readable snapshot in `dataDir`: `directory.ndjson`, else
 * the generation kept back, else the legacy `registry.json`. A file that
 * cannot be read is moved aside (`<name>.corrupt-<time>`) and reported to
 * `warn`; when every file present is unreadable the result says `none` and
 * the warning says the directory starts empty.
 */
export async function loadSnapshot(
  dataDir: string,
  warn: (message: string) => void,
): Promise<LoadResult> {
  const path = `${dataDir.replace(/\/+$/, "") || "."}/${SNAPSHOT_FILE}`;
  const candidates: [LoadResult["source"], string, typeof readNdjson][] = [
    ["current", path, readNdjson],
    ["previous", `${path}.prev`, readNdjson],
    ["legacy", `${dataDir.replace(/\/+$/, "") || "."}/${LEGACY_SNAPSHOT_FILE}`, readLegacy],
  ];
  const movedAside: string[] = [];
  let failures = 0;
  for (const [source, file, read] of candidates) {
    if (source === "legacy" && failures > 0) break; // a newer format existed: never fall back that far
    if (!await exists(file)) continue;
    try {
      const { contents, skipped } = await read(file);
      if (failures > 0) {
        warn(
          `snapshot: loaded ${file} (the generation kept back) because the newest snapshot was unreadable; changes after ${
            new Date(contents.savedAt).toISOString()
          } are lost`,
        );
      }
      if (skipped > 0) warn(`snapshot ${file}: skipped ${skipped} malformed lines`);
      return { source, contents, skipped, movedAside };
    } catch (error) {
      failures++;
      const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      try {
        await Deno.rename(file, aside);
        movedAside.push(aside);
        warn(`snapshot ${file} is unreadable (${(error as Error).message}); moved it to ${aside}`);
      } catch (renameError) {
        warn(
          `snapshot ${file} is unreadable (${
            (error as Error).message
          }) and could not be moved aside: ${(renameError as Error).message}`,
        );
      }
    }
  }
  if (failures > 0) {
    warn("snapshot: no readable snapshot is left; the directory STARTS EMPTY");
  }
  return { source: "none", contents: empty(), skipped: 0, movedAside };
}

/**
 * The file beside the snapshot that keeps the epoch of the directory's
 * latest start: change-log ids (`<epoch>-<seq>`) of a start are never given
 * again by a later one, even when a crash lost every snapshot write since.
 */
export const EPOCH_FILE = "directory.epoch";

/** The epoch the directory last started under; 0 when none is recorded (an unreadable file is reported to `warn`). */
export async function readEpoch(
  dataDir: string,
  warn: (message: string) => void,
): Promise<number> {
  const path = `${dataDir.replace(/\/+$/, "") || "."}/${EPOCH_FILE}`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    warn(
      `${path} is unreadable (${(error as Error).message}); change-log ids continue from the clock`,
    );
    return 0;
  }
  try {
    const epoch = (JSON.parse(text) as { epoch?: unknown })?.epoch;
    if (isTime(epoch) && epoch > 0) return epoch;
  } catch {
    // reported below
  }
  warn(`${path} is malformed; change-log ids continue from the clock`);
  return 0;
}

/**
 * Records the epoch a start logs under, durably (temp file, fsync, rename,
 * fsync of the directory), before the start gives its first id.
 */
export async function writeEpoch(dataDir: string, epoch: number): Promise<void> {
  const path = `${dataDir.replace(/\/+$/, "") || "."}/${EPOCH_FILE}`;
  const file = await Deno.open(`${path}.tmp`, {
    write: true,
    create: true,
    truncate: true,
    mode: 0o600,
  });
  try {
    await writeAll(file, encoder.encode(`${JSON.stringify({ epoch })}\n`));
    await file.sync();
  } finally {
    file.close();
  }
  await Deno.rename(`${path}.tmp`, path);
  await syncDirectory(path);
}
