/**
 * The WebSocket bridge: browsers watch and play a world through the gateway.
 *
 * While a world has at least one watcher, the gateway is a member of that
 * world (it joins with its own endpoint when the first browser subscribes and
 * leaves when the last one goes), so the world's signed `world.state`
 * broadcasts reach `POST /peer/message` here. They are relayed only when they
 * come from the agent currently registered for that world. Each browser acts
 * through its own guest identity, as signed `/peer/message` calls.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { ConnInfo } from "./http.ts";
import {
  agentIdFromPathSegment,
  createPeerMessage,
  type Endpoint,
  generateIdentity,
  type Identity,
  isSupportedVersion,
  isValidWorldId,
  parseContent,
  PEER_EVENTS,
  signHttpRequest,
  verifyHttpResponseHeaders,
  verifyPeerMessageRequest,
} from "../protocol/mod.ts";
import { isRecord } from "../protocol/_validate.ts";
import type { LeaseRecord, LeaseStore } from "./store.ts";
import { type Logger, silentLogger } from "./log.ts";
import { RateLimitedLog } from "./_rate_limited_log.ts";
import { callOut, type OutboundAnswer, OutboundError, type OutboundPolicy } from "./_outbound.ts";
import { ServerWebSocket, upgradeWebSocket } from "./_websocket.ts";
import type { TokenBuckets } from "./_quota.ts";
import { systemTimers, type TimerHandle, type Timers } from "../protocol/_timers.ts";

/** Largest frame a browser may send, in bytes; a larger one gets an error frame. */
export const MAX_CLIENT_FRAME_BYTES = 16 * 1024;
/** A message this large is refused from its frame header, before its payload is read (close 1009). */
export const MAX_CLIENT_MESSAGE_BYTES = 4 * MAX_CLIENT_FRAME_BYTES;
/** Most bytes queued for a watcher; one that falls further behind is dropped (close 1013). */
export const MAX_WATCHER_BUFFERED_BYTES = 1024 * 1024;
/** Silence on a watcher's socket after which it is pinged, and then closed, in ms. */
export const WATCHER_IDLE_TIMEOUT_MS = 60_000;
/** Most frames one connection may have waiting on the world. */
export const MAX_FRAMES_IN_FLIGHT = 8;
/** How long a call to a world may take, in ms. */
export const WORLD_CALL_TIMEOUT_MS = 10_000;
/**
 * How long {@linkcode Bridge.close} waits for the `world.leave` calls it
 * sends, in ms: best effort, since a world that hangs must not hold a stop
 * (a world forgets an idle member by itself anyway).
 */
export const LEAVE_AT_CLOSE_MS = 1000;
/** Caps on browsers watching worlds through `/ws`. */
export interface WatcherLimits {
  /** Watchers in all. Default: 10000. */
  maxWatchers?: number;
  /** Watchers from one client address (IPv6: one /64). Default: 64. */
  maxWatchersPerAddress?: number;
  /** Watchers of one world. Default: 1000. */
  maxWatchersPerWorld?: number;
}

/** The defaults of {@linkcode WatcherLimits}. */
export const WATCHER_LIMITS: Readonly<Required<WatcherLimits>> = Object.freeze({
  maxWatchers: 10_000,
  maxWatchersPerAddress: 64,
  maxWatchersPerWorld: 1000,
});

/** How often a world that keeps answering has its `lastReachableAt` moved, in ms. */
const REACHABILITY_REFRESH_MS = 30_000;
/** Largest answer read from a world, in bytes. */
export const MAX_WORLD_ANSWER_BYTES = 256 * 1024;
/** How often the gateway re-joins a watched world, so idle eviction never drops it. */
export const MEMBERSHIP_REFRESH_MS = 60_000;

/** Options of {@linkcode Bridge}. */
export interface BridgeOptions {
  /** The lease store. */
  store: LeaseStore;
  /** The gateway's identity: it joins watched worlds as itself. */
  identity: Identity;
  /** The local clock, for signed timestamps. */
  clock: () => number;
  /** The gateway's base URL as worlds should reach it (`PUBLIC_URL` or the listening address). */
  publicUrl: () => string | undefined;
  /** `host[:port]` accepted as the signed authority of requests to this gateway. */
  publicAuthority: () => string | undefined;
  /** Caps on watchers. Default: {@linkcode WATCHER_LIMITS}. */
  limits?: WatcherLimits;
  /** Per-client quota of `/ws` upgrades. Default: none. */
  upgrades?: TokenBuckets;
  /** The fetch used to call worlds. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Which world addresses may be called. Default: `"any"`. */
  outboundPolicy?: OutboundPolicy;
  /** Where failures are logged. Default: silent. */
  logger?: Logger;
  /** What the membership refresh of watched worlds runs on. Default: the runtime's timers. */
  timers?: Timers;
}

interface Watch {
  worldId: string;
  sockets: Set<ServerWebSocket>;
  /** The world's agent when the gateway joined; a new agent means re-join. */
  joinedAgentId?: string;
  refresh?: TimerHandle;
}

interface Connection {
  worldId: string;
  guest?: Promise<Identity>;
  joined: boolean;
  inFlight: number;
  /** Frames are handled one after another, in order. */
  queue: Promise<void>;
}

/** What a world answered to a signed message. */
interface WorldAnswer {
  status: number;
  body: Record<string, unknown>;
}

function endpointOf(url: string): Endpoint {
  const parsed = new URL(url);
  const https = parsed.protocol === "https:";
  return {
    address: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: Number(parsed.port || (https ? 443 : 80)),
    transport: https ? "https" : "tcp",
  };
}

function worldBaseUrl(record: LeaseRecord): string | undefined {
  const endpoint = record.endpoints[0];
  if (!endpoint) return undefined;
  const scheme = endpoint.transport === "https" ? "https" : "http";
  const host = endpoint.address.includes(":") ? `[${endpoint.address}]` : endpoint.address;
  return `${scheme}://${host}:${endpoint.port}`;
}

/** How a signed route consults the client's failed-signature quota. */
export interface RouteGuard {
  /** The quota key of the request's client. */
  clientOf(c: Context<{ Bindings: ConnInfo | undefined }>): string;
  /** A 429 when the client's quota is spent. */
  held(c: Context<{ Bindings: ConnInfo | undefined }>): Response | undefined;
  /** Spends a token: the request's signature did not verify. */
  failed(c: Context<{ Bindings: ConnInfo | undefined }>): void;
}

/** The bridge between browsers on `/ws` and worlds on `/peer/message`. */
export class Bridge {
  #options: BridgeOptions;
  #watches = new Map<string, Watch>();
  #connections = new Map<ServerWebSocket, Connection>();
  #limits: Required<WatcherLimits>;
  #sockets = 0; // upgraded and not yet closed
  #perAddress = new Map<string, number>();
  #perWorld = new Map<string, number>();
  #fetch: typeof fetch;
  readonly #timers: Timers;
  #logger: Logger;
  /** Worlds a client asks to watch may all be dead: one line per kind a second, with a count. */
  #limited: RateLimitedLog;
  #lastSent = new WeakMap<Identity, number>();
  #unsubscribe: () => void;
  /** Aborted by {@linkcode Bridge.close}: every call to a world still under way ends. */
  #closing = new AbortController();
  /** Set as {@linkcode Bridge.close} begins: no new watcher is taken. */
  #closed = false;

  /** Creates the bridge; it listens to the store's changes and relayed states at once. */
  constructor(options: BridgeOptions) {
    this.#options = options;
    this.#limits = { ...WATCHER_LIMITS, ...options.limits };
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timers = options.timers ?? systemTimers;
    this.#logger = options.logger ?? silentLogger;
    this.#limited = new RateLimitedLog(this.#logger, { clock: options.clock });
    // A world whose lease ends, on whichever replica, takes its watchers with it.
    const unfeed = options.store.feed.subscribe((event) => {
      if (event.type !== "world.expired" || event.worldId === undefined) return;
      const watch = this.#watches.get(event.worldId);
      if (!watch) return;
      const why = event.reason === "ttl"
        ? "world went offline"
        : `world went offline (${event.reason})`;
      for (const socket of watch.sockets) this.#fail(socket, why);
    });
    // world.state posted to any replica reaches the watchers on this one.
    const unstate = options.store.subscribeState((worldId, frame) => {
      for (const socket of this.#watches.get(worldId)?.sockets ?? []) {
        if (socket.readyState === ServerWebSocket.OPEN) socket.send(frame);
      }
    });
    this.#unsubscribe = () => {
      unfeed();
      unstate();
    };
  }

  /** Browsers watching any world through this gateway. */
  get watchers(): number {
    return this.#connections.size;
  }

  /** Browsers currently watching a world. */
  subscribers(worldId: string): number {
    return this.#watches.get(worldId)?.sockets.size ?? 0;
  }

  /** Adds `GET /ws` and `POST /peer/message` to the app. */
  mount(app: Hono<{ Bindings: ConnInfo | undefined }>, guard?: RouteGuard): void {
    app.get("/ws", async (c) => {
      const client = guard?.clientOf(c) ?? "unknown";
      const refused = this.#admit(c, client);
      if (refused) return refused;
      // Watchers of one world share one key (its slug), however they named it.
      const worldId = await this.#slugOf(c.req.query("world"));
      const crowded = this.#admitToWorld(c, worldId);
      if (crowded) return crowded;
      const upgrade = upgradeWebSocket(c.req.raw, {
        maxMessageBytes: MAX_CLIENT_MESSAGE_BYTES,
        maxBufferedBytes: MAX_WATCHER_BUFFERED_BYTES,
        idleTimeoutMs: WATCHER_IDLE_TIMEOUT_MS,
        tooSlowReason: "watcher too slow",
      });
      if (!upgrade.ok) return upgrade.response;
      const { socket, response } = upgrade;
      this.#count(client, worldId, +1);
      socket.addEventListener("close", () => this.#count(client, worldId, -1));
      socket.onopen = () =>
        void this.#open(socket, worldId).catch(() =>
          this.#fail(socket, "the directory is unavailable")
        );
      return response;
    });
    // `/peer/message` up to 1.3, `/messages` from 1.4: the same relay.
    for (const path of ["/peer/message", "/messages"]) {
      app.post(path, (c) => guard?.held(c) ?? this.#receive(c.req.raw, () => guard?.failed(c)));
    }
  }

  /**
   * The directory's id (slug) of the world `?world=` names: a slug as it is,
   * or a 1.4+ key id (`aw:sha256:…`) of a live world. Anything else is
   * returned unchanged, for `#open` to refuse.
   */
  async #slugOf(asked: string | undefined): Promise<string | undefined> {
    const agentId = asked === undefined ? undefined : agentIdFromPathSegment(asked);
    if (agentId === undefined) return asked;
    // Unreachable store: the socket is told so once it opens.
    const record = await this.#options.store.get(agentId).catch(() => undefined);
    return record?.worldId ?? asked;
  }

  /** A refusal before any upgrade: 429, or 503 when the gateway is full. */
  #refuse(
    c: Context<{ Bindings: ConnInfo | undefined }>,
    status: 429 | 503,
    error: string,
    retryAfter = 5,
  ): Response {
    c.header("retry-after", String(retryAfter));
    return c.json({ error }, status);
  }

  /**
   * Whether a new watcher may connect: the client's upgrade quota, then the
   * caps on watchers in all and per client address.
   */
  #admit(
    c: Context<{ Bindings: ConnInfo | undefined }>,
    client: string,
  ): Response | undefined {
    const limits = this.#limits;
    const refuse = (status: 429 | 503, error: string, retryAfter?: number) =>
      this.#refuse(c, status, error, retryAfter);
    const quota = this.#options.upgrades;
    if (quota && !quota.take(client)) {
      return refuse(429, "too many WebSocket upgrades from this address", quota.retryAfter(client));
    }
    if (this.#sockets >= limits.maxWatchers) {
      return refuse(503, "the gateway has too many watchers");
    }
    if ((this.#perAddress.get(client) ?? 0) >= limits.maxWatchersPerAddress) {
      return refuse(429, `at most ${limits.maxWatchersPerAddress} watchers per client address`);
    }
    return undefined;
  }

  /** Whether the world has room for another watcher. */
  #admitToWorld(
    c: Context<{ Bindings: ConnInfo | undefined }>,
    worldId: string | undefined,
  ): Response | undefined {
    const most = this.#limits.maxWatchersPerWorld;
    if (worldId === undefined || (this.#perWorld.get(worldId) ?? 0) < most) return undefined;
    return this.#refuse(c, 429, `world ${worldId} has ${most} watchers, the most allowed`);
  }

  #count(client: string, worldId: string | undefined, delta: 1 | -1): void {
    this.#sockets += delta;
    const bump = (map: Map<string, number>, key: string) => {
      const next = (map.get(key) ?? 0) + delta;
      if (next > 0) map.set(key, next);
      else map.delete(key);
    };
    bump(this.#perAddress, client);
    if (worldId !== undefined) bump(this.#perWorld, worldId);
  }

  /**
   * Closes every socket and leaves every watched world, best effort: the
   * `world.leave` calls get `leaveMs` (default {@linkcode LEAVE_AT_CLOSE_MS}),
   * then they and every other call to a world still under way are aborted,
   * so a world that never answers cannot hold the gateway's stop. Resolves
   * within `leaveMs` (and a little); returns how many leaves were cut short.
   */
  async close(leaveMs: number = LEAVE_AT_CLOSE_MS): Promise<number> {
    if (this.#closed) return 0;
    this.#closed = true;
    this.#unsubscribe();
    for (const watch of this.#watches.values()) this.#timers.clearTimeout(watch.refresh);
    let pending = 0;
    const leaving: Promise<void>[] = [];
    for (const socket of [...this.#connections.keys()]) {
      pending++;
      leaving.push(this.#drop(socket).finally(() => pending--));
      try {
        socket.close(1001, "gateway stopping");
      } catch {
        // already closed
      }
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(leaving),
      new Promise<void>((resolve) => timer = setTimeout(resolve, leaveMs)),
    ]);
    clearTimeout(timer);
    this.#closing.abort();
    this.#limited.close();
    if (pending > 0) {
      this.#logger.info("leaving watched worlds cut short at stop", {
        watchers: pending,
        leaveMs,
      });
    }
    return pending;
  }

  async #open(socket: ServerWebSocket, worldId: string | undefined): Promise<void> {
    if (this.#closed) return this.#fail(socket, "the gateway is stopping");
    if (!worldId) return this.#fail(socket, "missing ?world=<worldId>");
    // A key id that names no live world (a live one was turned into its slug).
    if (agentIdFromPathSegment(worldId)) return this.#fail(socket, `no live world ${worldId}`);
    if (!isValidWorldId(worldId)) return this.#fail(socket, "invalid worldId");
    const record = await this.#options.store.getWorld(worldId);
    if (this.#closed) return this.#fail(socket, "the gateway is stopping");
    if (!record) return this.#fail(socket, `no live world ${worldId}`);
    if (!worldBaseUrl(record)) return this.#fail(socket, `world ${worldId} has no endpoint`);
    const connection: Connection = {
      worldId,
      joined: false,
      inFlight: 0,
      queue: Promise.resolve(),
    };
    this.#connections.set(socket, connection);
    let watch = this.#watches.get(worldId);
    if (!watch) {
      watch = { worldId, sockets: new Set() };
      this.#watches.set(worldId, watch);
    }
    watch.sockets.add(socket);
    socket.onmessage = (event) => this.#frame(socket, connection, event.data);
    socket.onclose = () => {
      this.#drop(socket).catch(() => {});
    };
    socket.onerror = () => {};
    send(socket, { type: "subscribed", worldId });
    if (watch.sockets.size === 1) this.#joinAsWatcher(watch).catch(() => {});
  }

  /** Joins the world as the gateway, with this gateway's endpoint, and keeps the membership fresh. */
  async #joinAsWatcher(watch: Watch): Promise<void> {
    const publicUrl = this.#options.publicUrl();
    if (!publicUrl) return;
    const join = async () => {
      const record = await this.#options.store.getWorld(watch.worldId);
      if (!record || watch.sockets.size === 0) return;
      const answer = await this.#call(record, this.#options.identity, PEER_EVENTS.JOIN, {
        alias: "AgentWorlds gateway",
        endpoints: [endpointOf(publicUrl)],
        watcher: true,
      });
      if (answer.status === 200) watch.joinedAgentId = record.agentId;
      else {
        this.#limited.warn("join-refused", "the gateway could not join a watched world", {
          worldId: watch.worldId,
          status: answer.status,
        });
      }
    };
    const failed = (error: Error) =>
      this.#limited.warn("join-failed", "joining a watched world failed", {
        worldId: watch.worldId,
        error: error.message,
      });
    // Planned again only after a refresh finished, and only while the world
    // is still watched: a slow world never has two joins in flight.
    const plan = () => {
      watch.refresh = this.#timers.setTimeout(() => {
        join().catch(failed).finally(() => {
          if (!this.#closed && this.#watches.get(watch.worldId) === watch) plan();
        });
      }, MEMBERSHIP_REFRESH_MS);
    };
    plan();
    await join().catch(failed);
  }

  async #drop(socket: ServerWebSocket): Promise<void> {
    const connection = this.#connections.get(socket);
    if (!connection) return;
    this.#connections.delete(socket);
    const watch = this.#watches.get(connection.worldId);
    const record = await this.#options.store.getWorld(connection.worldId).catch(() => undefined);
    const calls: Promise<unknown>[] = [];
    if (connection.joined && connection.guest && record) {
      const guest = await connection.guest;
      calls.push(this.#call(record, guest, PEER_EVENTS.LEAVE, {}).catch(() => {}));
    }
    if (watch) {
      watch.sockets.delete(socket);
      if (watch.sockets.size === 0) {
        this.#timers.clearTimeout(watch.refresh);
        this.#watches.delete(connection.worldId);
        if (record && watch.joinedAgentId === record.agentId) {
          calls.push(
            this.#call(record, this.#options.identity, PEER_EVENTS.LEAVE, {}).catch(() => {}),
          );
        }
      }
    }
    await Promise.all(calls);
  }

  #frame(socket: ServerWebSocket, connection: Connection, data: unknown): void {
    if (typeof data !== "string") {
      return send(socket, { type: "error", message: "frames must be text JSON" });
    }
    if (data.length > MAX_CLIENT_FRAME_BYTES) {
      return send(socket, {
        type: "error",
        message: `frame exceeds ${MAX_CLIENT_FRAME_BYTES} bytes`,
      });
    }
    const frame = parseJson(data) as Record<string, unknown> | undefined;
    if (!frame || typeof frame !== "object" || Array.isArray(frame)) {
      return send(socket, { type: "error", message: "frame is not a JSON object" });
    }
    if (connection.inFlight >= MAX_FRAMES_IN_FLIGHT) {
      return send(socket, { type: "error", message: "too many frames in flight" });
    }
    connection.inFlight++;
    connection.queue = connection.queue
      .then(() => this.#handle(socket, connection, frame))
      .catch(() => send(socket, { type: "error", message: "the world could not be reached" }))
      .finally(() => connection.inFlight--);
  }

  async #handle(
    socket: ServerWebSocket,
    connection: Connection,
    frame: Record<string, unknown>,
  ): Promise<void> {
    const record = await this.#options.store.getWorld(connection.worldId);
    if (!record) return this.#fail(socket, "world went offline");
    connection.guest ??= generateIdentity();
    const guest = await connection.guest;
    switch (frame.type) {
      case "join": {
        if (
          frame.alias !== undefined && (typeof frame.alias !== "string" || frame.alias.length > 64)
        ) {
          return send(socket, {
            type: "error",
            message: "alias must be a string of at most 64 characters",
          });
        }
        const data = isRecord(frame.data) ? frame.data : {};
        const answer = await this.#call(record, guest, PEER_EVENTS.JOIN, {
          ...data,
          alias: frame.alias,
        });
        connection.joined ||= answer.status === 200;
        return send(socket, result("join_result", answer));
      }
      case "action": {
        const { type: _type, ...fields } = frame;
        const data = isRecord(frame.data) ? frame.data : fields;
        const answer = await this.#call(record, guest, PEER_EVENTS.ACTION, data);
        return send(socket, result("action_result", answer));
      }
      case "leave": {
        const answer = await this.#call(record, guest, PEER_EVENTS.LEAVE, {});
        connection.joined = false;
        return send(socket, result("leave_result", answer));
      }
      default:
        return send(socket, {
          type: "error",
          message: `unknown frame type: ${String(frame.type)}`,
        });
    }
  }

  /** Posts a signed message to a world and verifies the world's signed answer. */
  async #call(
    record: LeaseRecord,
    sender: Identity,
    event: string,
    content: unknown,
  ): Promise<WorldAnswer> {
    const base = worldBaseUrl(record);
    if (!base) throw new Error("world has no endpoint");
    const url = new URL("/peer/message", base);
    // Strictly increasing per sender, so the world never sees a replay of our own.
    const now = this.#options.clock();
    const timestamp = Math.max(now, (this.#lastSent.get(sender) ?? 0) + 1);
    this.#lastSent.set(sender, timestamp);
    // In the world's own protocol version: a 1.6 world verifies 1.6 separators.
    const version = isSupportedVersion(record.protocolVersion) ? record.protocolVersion : undefined;
    const body = JSON.stringify(
      await createPeerMessage(sender, event, content, timestamp, version),
    );
    const headers = await signHttpRequest(sender, "POST", url.host, url.pathname, body, {
      version,
      clock: this.#options.clock,
    });
    let answer: OutboundAnswer;
    try {
      answer = await callOut(url, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body,
      }, {
        policy: this.#options.outboundPolicy ?? "any",
        timeoutMs: WORLD_CALL_TIMEOUT_MS,
        maxResponseBytes: MAX_WORLD_ANSWER_BYTES,
        fetch: this.#fetch,
        signal: this.#closing.signal,
      });
    } catch (error) {
      const kind = error instanceof OutboundError ? error.kind : "unreachable";
      this.#logger.debug("a call to a world failed", { worldId: record.worldId, kind });
      // A call cut short by the stop says nothing about the world.
      if (kind !== "refused" && !this.#closing.signal.aborted) this.#reachable(record, false);
      throw error instanceof OutboundError ? error : new OutboundError("unreachable");
    }
    const verified = await verifyHttpResponseHeaders(
      answer.headers,
      answer.status,
      answer.text,
      record.publicKey,
      { clock: this.#options.clock },
    );
    if (!verified.ok) {
      this.#reachable(record, false);
      throw new Error("the world's answer is not signed by it");
    }
    this.#reachable(record, true);
    const parsed = parseJson(answer.text);
    return { status: answer.status, body: isRecord(parsed) ? parsed : {} };
  }

  /**
   * Tells the store whether the world answered: on a change (listings show
   * it, watchers get `world.updated`), and at most every 30 s otherwise to
   * move `lastReachableAt`. The record is the store's; it is not touched here.
   */
  #reachable(record: LeaseRecord, reachable: boolean): void {
    const changed = (record.unreachableSince === undefined) !== reachable;
    const stale = reachable &&
      (record.lastReachableAt === undefined ||
        this.#options.clock() - record.lastReachableAt > REACHABILITY_REFRESH_MS);
    if (!changed && !stale) return;
    this.#options.store.setReachable(record.agentId, reachable).catch(() => {});
  }

  /** `POST /peer/message`: a world's signed `world.state`, relayed to its watchers. */
  async #receive(request: Request, failed: () => void): Promise<Response> {
    const { store, clock } = this.#options;
    const authority = this.#options.publicAuthority();
    const verified = await verifyPeerMessageRequest(request, {
      clock,
      authorities: authority ? [authority] : [],
    });
    if (!verified.ok) {
      if (verified.status === 403) failed();
      return error(verified.status, verified.error);
    }
    const message = verified.value.body;
    if (message.event !== PEER_EVENTS.STATE) {
      return error(400, `unsupported event: ${message.event} (this gateway accepts world.state)`);
    }
    const content = parseContent(message.content);
    if (!isRecord(content) || !isValidWorldId(content.worldId)) {
      return error(400, "content must be a JSON object with a valid worldId");
    }
    const worldId = content.worldId;
    const record = await store.getWorld(worldId);
    if (!record) return error(404, `no live world ${worldId}`);
    if (message.from !== record.agentId || message.publicKey !== record.publicKey) {
      return error(403, `sender is not the agent registered for world ${worldId}`);
    }
    // One floor for every replica: a world that posts to several (it joined
    // through each) is relayed once, and a replay is refused everywhere.
    if (!await store.acceptState(worldId, message.timestamp)) {
      return error(409, "timestamp is not newer than the last world.state accepted");
    }
    const frame = JSON.stringify({
      type: "world.state",
      worldId,
      state: "state" in content ? content.state : content,
      ts: message.timestamp,
    });
    const delivered = this.subscribers(worldId);
    await store.publishState(worldId, frame);
    return Response.json({ ok: true, delivered });
  }

  #fail(socket: ServerWebSocket, message: string): void {
    send(socket, { type: "error", message });
    try {
      socket.close(1008, message.slice(0, 100));
    } catch {
      // already closing
    }
  }
}

function result(type: string, answer: WorldAnswer): Record<string, unknown> {
  const ok = answer.status === 200 && answer.body.ok !== false;
  const { ok: _ok, ...rest } = answer.body;
  return {
    type,
    ok,
    ...rest,
    ...(ok || rest.error ? {} : { error: `world answered ${answer.status}` }),
  };
}

function send(socket: ServerWebSocket, frame: Record<string, unknown>): void {
  if (socket.readyState === ServerWebSocket.OPEN) socket.send(JSON.stringify(frame));
}

function error(status: number, message: string): Response {
  return Response.json({ error: message }, { status });
}

/** Parses JSON, `undefined` for anything unparsable. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
