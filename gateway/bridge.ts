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
import type { Hono } from "hono";
import {
  createPeerMessage,
  type Endpoint,
  generateIdentity,
  type Identity,
  isValidWorldId,
  MAX_CLOCK_SKEW_MS,
  MAX_PEER_MESSAGE_BYTES,
  parseContent,
  parsePeerMessage,
  PEER_EVENTS,
  signHttpRequest,
  verifyHttpResponseHeaders,
  verifyPeerMessage,
} from "../protocol/mod.ts";
import { isRecord } from "../protocol/_validate.ts";
import { NOT_UTF8, parseJson, readLimitedText, TOO_LARGE } from "./_body.ts";
import { ServerWebSocket, upgradeWebSocket } from "./_websocket.ts";
import { verifyRequestHeaders } from "./http.ts";
import type { LeaseRecord, Registry } from "./registry.ts";

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
/** How often the gateway re-joins a watched world, so idle eviction never drops it. */
export const MEMBERSHIP_REFRESH_MS = 60_000;

/** Options of {@linkcode Bridge}. */
export interface BridgeOptions {
  registry: Registry;
  identity: Identity;
  clock: () => number;
  /** The gateway's base URL as worlds should reach it (`PUBLIC_URL` or the listening address). */
  publicUrl: () => string | undefined;
  /** `host[:port]` accepted as the signed authority of requests to this gateway. */
  publicAuthority: () => string | undefined;
  /** Most WebSocket connections held at once. Default: 10000. */
  maxSockets?: number;
  /** The fetch used to call worlds. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  log?: (message: string) => void;
}

interface Watch {
  worldId: string;
  sockets: Set<ServerWebSocket>;
  /** The world's agent when the gateway joined; a new agent means re-join. */
  joinedAgentId?: string;
  refresh?: ReturnType<typeof setInterval>;
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

/** The bridge between browsers on `/ws` and worlds on `/peer/message`. */
export class Bridge {
  #options: BridgeOptions;
  #watches = new Map<string, Watch>();
  #connections = new Map<ServerWebSocket, Connection>();
  #fetch: typeof fetch;
  #log: (message: string) => void;
  #lastSent = new WeakMap<Identity, number>();
  /** Per world, the timestamp of the last `world.state` accepted: older ones are replays. */
  #lastStateTs = new Map<string, number>();
  #unsubscribe: () => void;

  constructor(options: BridgeOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#log = options.log ?? console.warn;
    // A world whose lease runs out takes its watchers with it.
    this.#unsubscribe = options.registry.subscribe((event) => {
      if (event.type !== "expired" || event.record.worldId === undefined) return;
      this.#lastStateTs.delete(event.record.worldId);
      const watch = this.#watches.get(event.record.worldId);
      if (!watch) return;
      for (const socket of watch.sockets) this.#fail(socket, "world went offline");
    });
  }

  /** Browsers currently watching a world. */
  subscribers(worldId: string): number {
    return this.#watches.get(worldId)?.sockets.size ?? 0;
  }

  /** Adds `GET /ws` and `POST /peer/message` to the app. */
  mount(app: Hono): void {
    app.get("/ws", (c) => {
      const upgrade = upgradeWebSocket(c.req.raw, {
        maxMessageBytes: MAX_CLIENT_MESSAGE_BYTES,
        maxBufferedBytes: MAX_WATCHER_BUFFERED_BYTES,
        idleTimeoutMs: WATCHER_IDLE_TIMEOUT_MS,
        tooSlowReason: "watcher too slow",
      });
      if (!upgrade.ok) return upgrade.response;
      const { socket, response } = upgrade;
      const worldId = c.req.query("world");
      socket.onopen = () => this.#open(socket, worldId);
      return response;
    });
    app.post("/peer/message", (c) => this.#receive(c.req.raw));
  }

  /** Closes every socket and leaves every world. */
  async close(): Promise<void> {
    this.#unsubscribe();
    const leaving: Promise<void>[] = [];
    for (const socket of [...this.#connections.keys()]) {
      leaving.push(this.#drop(socket));
      try {
        socket.close(1001, "gateway stopping");
      } catch {
        // already closed
      }
    }
    await Promise.all(leaving);
  }

  #open(socket: ServerWebSocket, worldId: string | undefined): void {
    const { registry, clock } = this.#options;
    if (!worldId) return this.#fail(socket, "missing ?world=<worldId>");
    if (!isValidWorldId(worldId)) return this.#fail(socket, "invalid worldId");
    const record = registry.getWorld(worldId, clock());
    if (!record) return this.#fail(socket, `no live world ${worldId}`);
    if (!worldBaseUrl(record)) return this.#fail(socket, `world ${worldId} has no endpoint`);
    if (this.#connections.size >= (this.#options.maxSockets ?? 10_000)) {
      return this.#fail(socket, "gateway has too many watchers");
    }
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
      const record = this.#options.registry.getWorld(watch.worldId, this.#options.clock());
      if (!record || watch.sockets.size === 0) return;
      const answer = await this.#call(record, this.#options.identity, PEER_EVENTS.JOIN, {
        alias: "AgentWorlds gateway",
        endpoints: [endpointOf(publicUrl)],
        watcher: true,
      });
      if (answer.status === 200) watch.joinedAgentId = record.agentId;
      else {this.#log(
          `gateway could not join ${watch.worldId}: ${answer.status} ${answer.body.error}`,
        );}
    };
    watch.refresh = setInterval(() => {
      join().catch((error) => this.#log(`re-join ${watch.worldId} failed: ${error.message}`));
    }, MEMBERSHIP_REFRESH_MS);
    await join().catch((error) => this.#log(`join ${watch.worldId} failed: ${error.message}`));
  }

  async #drop(socket: ServerWebSocket): Promise<void> {
    const connection = this.#connections.get(socket);
    if (!connection) return;
    this.#connections.delete(socket);
    const watch = this.#watches.get(connection.worldId);
    const record = this.#options.registry.getWorld(connection.worldId, this.#options.clock());
    const calls: Promise<unknown>[] = [];
    if (connection.joined && connection.guest && record) {
      const guest = await connection.guest;
      calls.push(this.#call(record, guest, PEER_EVENTS.LEAVE, {}).catch(() => {}));
    }
    if (watch) {
      watch.sockets.delete(socket);
      if (watch.sockets.size === 0) {
        clearInterval(watch.refresh);
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
    const parsed = parseJson(data);
    const frame = parsed?.value as Record<string, unknown> | undefined;
    if (!frame || typeof frame !== "object" || Array.isArray(frame)) {
      return send(socket, { type: "error", message: "frame is not a JSON object" });
    }
    if (connection.inFlight >= MAX_FRAMES_IN_FLIGHT) {
      return send(socket, { type: "error", message: "too many frames in flight" });
    }
    connection.inFlight++;
    connection.queue = connection.queue
      .then(() => this.#handle(socket, connection, frame))
      .catch((error) =>
        send(socket, { type: "error", message: `world call failed: ${error.message}` })
      )
      .finally(() => connection.inFlight--);
  }

  async #handle(
    socket: ServerWebSocket,
    connection: Connection,
    frame: Record<string, unknown>,
  ): Promise<void> {
    const record = this.#options.registry.getWorld(connection.worldId, this.#options.clock());
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
    const body = JSON.stringify(await createPeerMessage(sender, event, content, timestamp));
    const headers = await signHttpRequest(sender, "POST", url.host, url.pathname, body, {
      clock: this.#options.clock,
    });
    const response = await this.#fetch(url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(WORLD_CALL_TIMEOUT_MS),
    });
    const text = await response.text();
    const verified = await verifyHttpResponseHeaders(
      response.headers,
      response.status,
      text,
      record.publicKey,
      { clock: this.#options.clock },
    );
    if (!verified.ok) throw new Error(`the world's answer is not signed by it (${verified.error})`);
    const parsed = parseJson(text)?.value;
    return { status: response.status, body: isRecord(parsed) ? parsed : {} };
  }

  /** `POST /peer/message`: a world's signed `world.state`, relayed to its watchers. */
  async #receive(request: Request): Promise<Response> {
    const { registry, clock } = this.#options;
    const now = clock();
    const text = await readLimitedText(request, MAX_PEER_MESSAGE_BYTES);
    if (text === TOO_LARGE) return error(413, `body exceeds ${MAX_PEER_MESSAGE_BYTES} bytes`);
    if (text === NOT_UTF8) return error(400, "body is not valid UTF-8");
    const json = parseJson(text);
    if (!json) return error(400, "body is not valid JSON");
    const parsed = parsePeerMessage(json.value);
    if (!parsed.ok) return error(400, parsed.error);
    const message = parsed.value;
    if (message.event !== PEER_EVENTS.STATE) {
      return error(400, `unsupported event: ${message.event} (this gateway accepts world.state)`);
    }
    if (Math.abs(now - message.timestamp) > MAX_CLOCK_SKEW_MS) {
      return error(400, "timestamp is outside the ±5 min window");
    }
    const content = parseContent(message.content);
    if (!isRecord(content) || !isValidWorldId(content.worldId)) {
      return error(400, "content must be a JSON object with a valid worldId");
    }
    const worldId = content.worldId;
    const record = registry.getWorld(worldId, now);
    if (!record) return error(404, `no live world ${worldId}`);
    if (message.from !== record.agentId || message.publicKey !== record.publicKey) {
      return error(403, `sender is not the agent registered for world ${worldId}`);
    }
    if (!await verifyPeerMessage(message)) {
      const headerError = await verifyRequestHeaders(
        request,
        { clock, publicAuthority: this.#options.publicAuthority() },
        "/peer/message",
        text,
        record.publicKey,
      );
      if (headerError !== undefined) {
        return error(403, `signature does not verify (${headerError})`);
      }
    }
    if (message.timestamp <= (this.#lastStateTs.get(worldId) ?? 0)) {
      return error(409, "timestamp is not newer than the last world.state accepted");
    }
    this.#lastStateTs.set(worldId, message.timestamp);
    const watch = this.#watches.get(worldId);
    const frame = JSON.stringify({
      type: "world.state",
      worldId,
      state: "state" in content ? content.state : content,
      ts: message.timestamp,
    });
    let delivered = 0;
    for (const socket of watch?.sockets ?? []) {
      if (socket.readyState === ServerWebSocket.OPEN) {
        socket.send(frame);
        delivered++;
      }
    }
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
