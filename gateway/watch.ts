/**
 * The change stream: `GET /watch` as Server-Sent Events over a
 * {@linkcode ChangeFeed}. Store-agnostic: whatever implements the feed (the
 * in-memory log, a Redis stream) serves the same stream.
 *
 * A stream opens with `retry:`, then either `hello` (`{revision}`: where a
 * client without a resume id starts) or the events it missed since its
 * `Last-Event-ID` / `?since=`. Each event has an `id:`, an `event:` (the
 * change type) and a one-line JSON `data:`. When the resume id is no longer
 * held, the client gets `reset` (`{revision}`: list again) instead of a
 * silent gap. Resuming subscribes first and catches up with `read` second,
 * de-duplicating by `compare`, so nothing falls between the two.
 *
 * Everything is bounded: clients in all and per address (429 beyond), and
 * the bytes queued for a client that does not read (it is dropped past the
 * limit and reconnects with its last id).
 *
 * @module
 */
import { isValidWorldId } from "../protocol/mod.ts";
import type { ChangeEvent, ChangeFeed } from "./store.ts";
import { agentView, worldView } from "./_views.ts";
import { loggerFrom } from "./log.ts";
import { RateLimitedLog } from "./_rate_limited_log.ts";

/** Where the hub reports what it does; the gateway's logger. */
export type WatchLog = (
  level: "debug" | "info" | "warn" | "error",
  message: string,
  fields?: Record<string, unknown>,
) => void;

/** The interval timers the hub uses for keep-alives; injected in tests. */
export interface IntervalTimers {
  /** Calls `callback` every `ms`; returns a handle for `clearInterval`. */
  setInterval(callback: () => void, ms: number): unknown;
  /** Stops an interval. */
  clearInterval(handle: unknown): void;
}

/** Limits of {@linkcode WatchHub}. */
export interface WatchLimits {
  /** Most `/watch` clients at once. Default: 1000. */
  maxClients?: number;
  /** Most `/watch` clients from one address at once. Default: 16. */
  maxClientsPerAddress?: number;
  /** Bytes queued for one client past which it is dropped. Default: 1 MiB. */
  maxQueuedBytes?: number;
  /** How often a comment line keeps idle streams open, in ms. Default: 15000. */
  keepAliveMs?: number;
  /** The reconnection delay the stream asks clients for (`retry:`), in ms. Default: 2000. */
  retryMs?: number;
  /** `Retry-After` of a refused (429) client, in seconds. Default: 5. */
  retryAfterSeconds?: number;
  /** Events read from the feed at once while catching up. Default: 500. */
  readBatch?: number;
}

/** Options of {@linkcode WatchHub}. */
export interface WatchHubOptions extends WatchLimits {
  /** The feed of directory changes. */
  feed: ChangeFeed;
  /** Keep-alive timers. Default: the global `setInterval` / `clearInterval`. */
  timers?: IntervalTimers;
  /** Where drops and feed errors are reported (rate-limited). Default: nowhere. */
  log?: WatchLog;
}

/** What the hub has done, for metrics. */
export interface WatchStats {
  /** Clients streaming now. */
  clients: number;
  /** Clients dropped because they did not read fast enough, since the hub began. */
  dropped: number;
  /** Clients refused with 429 because of the caps, since the hub began. */
  rejected: number;
}

/** The events a client asked for. */
export interface WatchFilter {
  /** Only this world's `world.*` events. */
  world?: string;
  /** `agent.*` events as well. */
  agents: boolean;
}

interface Watcher {
  address: string;
  filter: WatchFilter;
  controller: ReadableStreamDefaultController<Uint8Array>;
  /** The newest id this client has been brought past (sent, or filtered out). */
  last?: string;
  /** The newest id the client was told (by an event, or an id-only block). */
  told?: string;
  /** Live events that arrived while catching up; `undefined` once live. */
  pending?: ChangeEvent[];
  pendingBytes: number;
  /** Resolves when the client next reads (catch-up waits for it). */
  wake?: () => void;
  unsubscribe?: () => void;
  closed: boolean;
}

const encoder = new TextEncoder();
/** Ids and resume ids: printable ASCII without spaces, so they fit one SSE line. */
const ID_PATTERN = /^[\x21-\x7e]{1,256}$/;
/** At most one log line per reason per this many ms. */
const LOG_INTERVAL_MS = 10_000;

/**
 * The `/watch` hub: one per gateway, serving every change-stream client
 * from one {@linkcode ChangeFeed}.
 *
 * @example Serve the stream from a feed
 * ```ts ignore
 * import { WatchHub } from "@agentworlds/sdk/gateway";
 * const hub = new WatchHub({ feed, maxClients: 100 });
 * Deno.serve((request, info) =>
 *   new URL(request.url).pathname === "/watch"
 *     ? hub.handle(request, info.remoteAddr.hostname)
 *     : new Response(null, { status: 404 })
 * );
 * ```
 */
export class WatchHub {
  readonly #feed: ChangeFeed;
  readonly #timers: IntervalTimers;
  readonly #log: RateLimitedLog;
  readonly #maxClients: number;
  readonly #maxPerAddress: number;
  readonly #maxQueued: number;
  readonly #keepAliveMs: number;
  readonly #retryMs: number;
  readonly #retryAfter: number;
  readonly #readBatch: number;
  readonly #watchers = new Set<Watcher>();
  readonly #perAddress = new Map<string, number>();
  /** Each event's SSE block, encoded once for every client. */
  readonly #frames = new WeakMap<ChangeEvent, Uint8Array>();
  #keepAlive: unknown;
  #dropped = 0;
  #rejected = 0;

  /** Creates a hub; nothing runs until the first client connects. */
  constructor(options: WatchHubOptions) {
    this.#feed = options.feed;
    this.#timers = options.timers ?? {
      setInterval: (callback, ms) => setInterval(callback, ms),
      clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
    };
    this.#log = new RateLimitedLog(loggerFrom(options.log ?? (() => {})), {
      intervalMs: LOG_INTERVAL_MS,
    });
    this.#maxClients = options.maxClients ?? 1000;
    this.#maxPerAddress = options.maxClientsPerAddress ?? 16;
    this.#maxQueued = options.maxQueuedBytes ?? 1024 * 1024;
    this.#keepAliveMs = options.keepAliveMs ?? 15_000;
    this.#retryMs = options.retryMs ?? 2000;
    this.#retryAfter = options.retryAfterSeconds ?? 5;
    this.#readBatch = options.readBatch ?? 500;
  }

  /** Clients now, and how many were dropped or refused. */
  stats(): WatchStats {
    return { clients: this.#watchers.size, dropped: this.#dropped, rejected: this.#rejected };
  }

  /**
   * Answers `GET /watch`: a 400 for a malformed query, a 429 past the caps,
   * else the event stream. `address` is the client's address, for the
   * per-address cap.
   */
  handle(request: Request, address: string): Response {
    const url = new URL(request.url);
    const parsed = parseWatchRequest(url.searchParams, request.headers.get("last-event-id"));
    if ("error" in parsed) return Response.json({ error: parsed.error }, { status: 400 });
    if (
      this.#watchers.size >= this.#maxClients ||
      (this.#perAddress.get(address) ?? 0) >= this.#maxPerAddress
    ) {
      this.#rejected++;
      const error = this.#watchers.size >= this.#maxClients
        ? "too many /watch clients: try again later"
        : "too many /watch clients from this address: try again later";
      return Response.json({ error }, {
        status: 429,
        headers: { "retry-after": String(this.#retryAfter) },
      });
    }
    const headers = {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: neither a proxy nor the server may compress (and so hold back) events.
      "cache-control": "no-store, no-transform",
      // Proxies such as nginx would otherwise hold events back to fill a buffer.
      "x-accel-buffering": "no",
    };
    if (request.method === "HEAD") return new Response(null, { headers });
    let watcher!: Watcher;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        watcher = {
          address,
          filter: parsed.filter,
          controller,
          pending: [],
          pendingBytes: 0,
          closed: false,
        };
        this.#add(watcher);
      },
      pull: () => watcher.wake?.(),
      cancel: () => this.#remove(watcher),
    }, { highWaterMark: 0, size: (chunk) => chunk.byteLength });
    this.#write(watcher, `retry: ${this.#retryMs}\n\n`);
    this.#start(watcher, parsed.resume).catch((error) => {
      this.#log.error("feed-failed", "watch: the change feed failed", { error: String(error) });
      // Ended, not errored: the client reconnects with its last id, and no
      // stack trace is logged for a stream that failed on purpose.
      this.#remove(watcher);
      try {
        watcher.controller.close();
      } catch {
        // already closed
      }
    });
    return new Response(body, { headers });
  }

  /** Ends every stream (clients reconnect elsewhere) and stops the keep-alive timer. */
  close(): void {
    this.#log.close();
    for (const watcher of [...this.#watchers]) {
      this.#remove(watcher);
      try {
        watcher.controller.close();
      } catch {
        // already errored or closed
      }
    }
  }

  #add(watcher: Watcher): void {
    this.#watchers.add(watcher);
    this.#perAddress.set(watcher.address, (this.#perAddress.get(watcher.address) ?? 0) + 1);
    // Subscribed before anything is read, so no event can fall between the two.
    watcher.unsubscribe = this.#feed.subscribe((event) => this.#onEvent(watcher, event));
    this.#keepAlive ??= this.#timers.setInterval(() => this.#tick(), this.#keepAliveMs);
  }

  /** Forgets a client; with `error`, its stream ends in an error (the client reconnects). */
  #remove(watcher: Watcher, error?: unknown): void {
    if (watcher.closed) return;
    watcher.closed = true;
    watcher.pending = undefined;
    watcher.wake?.();
    watcher.unsubscribe?.();
    this.#watchers.delete(watcher);
    const count = (this.#perAddress.get(watcher.address) ?? 1) - 1;
    if (count > 0) this.#perAddress.set(watcher.address, count);
    else this.#perAddress.delete(watcher.address);
    if (this.#watchers.size === 0 && this.#keepAlive !== undefined) {
      this.#timers.clearInterval(this.#keepAlive);
      this.#keepAlive = undefined;
    }
    if (error !== undefined) {
      try {
        watcher.controller.error(error);
      } catch {
        // already closed
      }
    }
  }

  /** Sends `hello`, or catches up from the resume id, then goes live. */
  async #start(watcher: Watcher, resume: string | undefined): Promise<void> {
    const feed = this.#feed;
    if (resume === undefined) {
      const revision = await feed.revision();
      this.#send(watcher, "hello", revision, { revision });
      watcher.last = revision;
    } else {
      watcher.last = resume;
      for (;;) {
        if (watcher.closed) return;
        const page = await feed.read(watcher.last, this.#readBatch);
        if (watcher.closed) return;
        if (page.reset) {
          this.#send(watcher, "reset", page.revision, { revision: page.revision });
          watcher.last = page.revision;
          break;
        }
        for (const event of page.events) this.#deliver(watcher, event);
        if (page.events.length < this.#readBatch) break;
        // A long backlog goes out as the client reads it, not all at once.
        if (this.#queued(watcher) > this.#maxQueued / 2) await this.#nextRead(watcher);
      }
    }
    const pending = watcher.pending ?? [];
    watcher.pending = undefined;
    for (const event of pending) this.#deliver(watcher, event);
  }

  #onEvent(watcher: Watcher, event: ChangeEvent): void {
    if (watcher.closed) return;
    if (watcher.pending) {
      watcher.pending.push(event);
      watcher.pendingBytes += this.#frame(event).byteLength;
      if (watcher.pendingBytes > this.#maxQueued) this.#drop(watcher);
      return;
    }
    this.#deliver(watcher, event);
  }

  /** Sends an event the client has not seen and asked for; skips it otherwise. */
  #deliver(watcher: Watcher, event: ChangeEvent): void {
    const last = watcher.last;
    if (last !== undefined && last !== "" && this.#feed.compare(event.id, last) <= 0) return;
    watcher.last = event.id;
    if (!wanted(event, watcher.filter)) return;
    watcher.told = event.id;
    this.#enqueue(watcher, this.#frame(event));
  }

  #send(watcher: Watcher, event: string, id: string, data: unknown): void {
    watcher.told = id;
    this.#write(watcher, `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  #write(watcher: Watcher, text: string): void {
    this.#enqueue(watcher, encoder.encode(text));
  }

  #enqueue(watcher: Watcher, bytes: Uint8Array): void {
    if (watcher.closed) return;
    try {
      watcher.controller.enqueue(bytes);
    } catch {
      return this.#remove(watcher);
    }
    if (this.#queued(watcher) > this.#maxQueued) this.#drop(watcher);
  }

  /** Bytes written to a client's stream that it has not read yet. */
  #queued(watcher: Watcher): number {
    return -(watcher.controller.desiredSize ?? 0);
  }

  #nextRead(watcher: Watcher): Promise<void> {
    return new Promise((resolve) => {
      watcher.wake = () => {
        watcher.wake = undefined;
        resolve();
      };
    });
  }

  /** A client that does not read: its stream is cut, its queue freed. */
  #drop(watcher: Watcher): void {
    this.#dropped++;
    this.#log.log("info", "dropped", "watch: dropped clients that did not read", {
      address: watcher.address,
      maxQueuedBytes: this.#maxQueued,
    });
    this.#remove(watcher, new Error("the client did not read its events"));
  }

  /** Keep-alive: a comment line, and the newest id a filtered client was brought past. */
  #tick(): void {
    for (const watcher of this.#watchers) {
      if (watcher.pending) continue;
      const id = watcher.last !== undefined && watcher.last !== watcher.told
        ? `id: ${watcher.last}\n`
        : "";
      watcher.told = watcher.last;
      // An id-only block moves EventSource's last id without an event, so a quiet
      // filtered stream resumes from here and not from an id the feed may drop.
      this.#write(watcher, `: keep-alive\n${id}\n`);
    }
  }

  #frame(event: ChangeEvent): Uint8Array {
    let frame = this.#frames.get(event);
    if (!frame) {
      frame = encoder.encode(
        `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(eventData(event))}\n\n`,
      );
      this.#frames.set(event, frame);
    }
    return frame;
  }
}

/** A parsed `/watch` request, or what is wrong with it. */
export type WatchRequest =
  | { resume: string | undefined; filter: WatchFilter }
  | { error: string };

/**
 * Reads `/watch`'s query (`since`, `world`, `agents`) and `Last-Event-ID`.
 * The header wins over `since`: a reconnecting `EventSource` keeps its first
 * URL but sends the newest id it saw.
 *
 * @example
 * ```ts
 * import { parseWatchRequest } from "@agentworlds/sdk/gateway";
 * const parsed = parseWatchRequest(new URLSearchParams("world=pixel-city&since=b1.7"), null);
 * console.log(parsed); // { resume: "b1.7", filter: { world: "pixel-city", agents: false } }
 * ```
 */
export function parseWatchRequest(
  query: URLSearchParams,
  lastEventId: string | null,
): WatchRequest {
  const world = query.get("world") ?? undefined;
  if (world !== undefined && !isValidWorldId(world)) {
    return { error: "world must be a world id (^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$)" };
  }
  const agentsParam = query.get("agents");
  if (agentsParam !== null && !["0", "1", "true", "false"].includes(agentsParam)) {
    return { error: "agents must be 1 or 0" };
  }
  const header = lastEventId === null || lastEventId === "" ? undefined : lastEventId;
  const resume = header ?? query.get("since") ?? undefined;
  if (resume !== undefined && resume !== "" && !ID_PATTERN.test(resume)) {
    return {
      error: header !== undefined
        ? "Last-Event-ID must be an event id (1-256 printable characters)"
        : "since must be an event id (1-256 printable characters)",
    };
  }
  return {
    resume,
    filter: { world, agents: agentsParam === "1" || agentsParam === "true" },
  };
}

function wanted(event: ChangeEvent, filter: WatchFilter): boolean {
  if (event.type.startsWith("world.")) {
    return filter.world === undefined || event.worldId === filter.world;
  }
  return filter.agents && filter.world === undefined;
}

/** The `data:` of an event, as the shared vocabulary defines it. */
export function eventData(event: ChangeEvent): Record<string, unknown> {
  switch (event.type) {
    case "world.announced":
    case "world.updated":
    case "agent.announced":
    case "agent.updated":
      if (!event.record) return { agentId: event.agentId, worldId: event.worldId };
      return event.type.startsWith("world.") ? worldView(event.record) : agentView(event.record);
    case "world.expired":
    case "agent.expired":
      return {
        ...(event.worldId === undefined ? {} : { worldId: event.worldId }),
        agentId: event.agentId,
        reason: event.reason ?? "ttl",
        at: event.at,
      };
    case "world.owner_changed":
      return {
        worldId: event.worldId,
        previousOwner: event.previousOwner ?? null,
        owner: event.owner ?? null,
        cause: event.cause,
        at: event.at,
      };
  }
}
