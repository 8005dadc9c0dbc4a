/**
 * `createWorldServer`: host an AgentWorld world. Agents join, act and leave
 * by signed `POST /peer/message`; the world pushes its state to members that
 * gave an endpoint, forgets members that fall silent, and (when public)
 * keeps itself registered with AgentWorlds gateways.
 *
 * @example
 * ```ts ignore
 * import { createWorldServer } from "@agentworlds/sdk";
 * let clicks = 0;
 * const world = await createWorldServer(
 *   { worldId: "clicker", gatewayUrls: "http://127.0.0.1:8100" },
 *   {
 *     onJoin: () => ({ manifest: { actions: ["click"] } }),
 *     onAction: () => ({ ok: true, state: { clicks: ++clicks } }),
 *     getState: () => ({ clicks }),
 *   },
 * );
 * console.log(`listening on ${world.url} as ${world.identity.agentId}`);
 * ```
 *
 * @module
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import {
  canonicalize,
  createPeerMessage,
  type HeartbeatSeparator,
  type Identity,
  loadOrCreateIdentity,
  MAX_CLOCK_SKEW_MS,
  parseContent,
  PEER_EVENTS,
  type PeerMessage,
  type ProtocolVersion,
  signHttpRequest,
  signHttpResponse,
  verifyPeerMessageRequest,
  versionFeatures,
} from "../protocol/mod.ts";
import { errorMessage, postJson, safeReporter } from "./_http.ts";
import { parseJoinContent } from "./_join.ts";
import { type Member, MemberTable, ReplayGuard } from "./_members.ts";
import { repeat, type Repeating } from "./_repeat.ts";
import type { Timers } from "../protocol/_timers.ts";
import { isRecord } from "./_validate.ts";
import {
  localUrl,
  type ResolvedWorldConfig,
  resolveWorldConfig,
  worldCapabilities,
} from "./_world_config.ts";
import { BROADCAST_TIMEOUT_MS, IDLE_SWEEP_INTERVAL_MS, SDK_VERSION } from "./defaults.ts";
import { type GatewayAnnounceHandle, startGatewayAnnounce } from "./gateway_client.ts";

/** The route peers post messages to; request signatures cover this path. */
const MESSAGE_PATH = "/peer/message";

/**
 * A world's HTTP app: the Hono app, as far as callers need it. `fetch`
 * serves a request; `request` is Hono's in-process helper, so tests reach
 * the routes without opening a port.
 */
export interface WorldApp {
  /** Answers one request. */
  fetch(request: Request): Response | Promise<Response>;
  /** Answers a request built from a path or URL (relative paths get `http://localhost`). */
  request(input: string | URL | Request, init?: RequestInit): Response | Promise<Response>;
}

/** How a world is configured. Only `worldId` is required. */
export interface WorldServerConfig {
  /** The world's id: 1–64 letters, digits, `.`, `_`, `-`, starting alphanumeric. */
  worldId: string;
  /** Display name, announced as the alias. Default: `worldId`. */
  worldName?: string;
  /** A theme, announced as the capability `theme:<worldTheme>`. Default: none. */
  worldTheme?: string;
  /** Port to listen on; 0 picks a free one. Default: `DEFAULT_WORLD_PORT` (8099). */
  port?: number;
  /** Address to listen on. Default: `"0.0.0.0"`. */
  hostname?: string;
  /** Address announced to gateways. Default: `hostname`, or `"127.0.0.1"` when that is `0.0.0.0` or `::`. */
  publicAddr?: string;
  /** Port announced to gateways. Default: the port actually bound. */
  publicPort?: number;
  /** Where the world's identity is kept, as `world-<worldId>.identity.json`. Default: `"./data"`. */
  dataDir?: string;
  /** The world's identity, instead of the one kept in `dataDir`. Default: loaded from `dataDir`. */
  identity?: Identity;
  /** Gateway base URLs: one string (comma-separated) or a list. Default: none. */
  gatewayUrls?: string | readonly string[];
  /**
   * Whether to announce to `gatewayUrls` and heartbeat them. Default: true
   * when `gatewayUrls` names a gateway, false otherwise.
   */
  isPublic?: boolean;
  /** The most members at once; further joins get 403. Default: `DEFAULT_WORLD_MAX_AGENTS` (100). */
  maxAgents?: number;
  /** A password every `world.join` must carry. Default: none (anyone may join). */
  password?: string;
  /** Pause between state broadcasts, in ms. Default: `DEFAULT_BROADCAST_INTERVAL_MS` (5000). */
  broadcastIntervalMs?: number;
  /** Pause between announces, in ms. Default: `DEFAULT_ANNOUNCE_INTERVAL_MS` (600000). */
  announceIntervalMs?: number;
  /** Pause between heartbeats, in ms. Default: `DEFAULT_HEARTBEAT_INTERVAL_MS` (30000). */
  heartbeatIntervalMs?: number;
  /** A member silent this long, in ms, is removed. Default: `DEFAULT_IDLE_TIMEOUT_MS` (300000). */
  idleTimeoutMs?: number;
  /** Told about failed broadcasts, announces and heartbeats, and hook errors. Default: logs to stderr. */
  onError?: (error: Error) => void;
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  clock?: () => number;
  /**
   * The timers broadcasts, idle sweeps and the gateway schedule run on (see
   * `GatewayAnnounceOptions.timers`).
   *
   * @default the runtime's `setTimeout` and `clearTimeout`, on `performance.now()`
   */
  timers?: Timers;
  /** The `fetch` broadcasts and gateway requests use. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /**
   * The AgentWorld protocol version the world speaks: its separators, its
   * gateway routes, and the shape of its answers. From 1.4 `/peer/ping` and
   * the join reply carry `worldId` (the world's `aw:sha256:` id) and `slug`
   * (its `worldId` here), and `/peer/peers` answers `{agents: […]}`; from 1.5
   * it serves `GET /world/manifest`. It accepts messages signed in any
   * supported version and signs each answer in the version asked in.
   * Default: `"1.2"`, with `"aw:hb:"` heartbeats.
   */
  protocolVersion?: ProtocolVersion;
  /**
   * The heartbeat separator. Default: `"short"` (`"aw:hb:"`) without
   * `protocolVersion`, `"versioned"` (what reference gateways require) with it.
   */
  heartbeatSeparator?: HeartbeatSeparator;
  /**
   * How long `stop()` waits, in total, for the signed deregistrations it
   * sends every gateway in parallel, in ms. Default:
   * `DEFAULT_DEREGISTER_TIMEOUT_MS` (2000).
   */
  deregisterTimeoutMs?: number;
}

/** A value, or a promise of it: hooks may be sync or async. */
export type MaybePromise<T> = T | Promise<T>;

/** What `onJoin` answers: the world's manifest for the agent, and optionally the state. */
export interface JoinResult {
  /** What the agent needs to know to act: rules, actions, its starting place… */
  manifest: unknown;
  /** The world's state as the agent should see it. */
  state?: unknown;
}

/** What `onAction` answers; sent back to the agent as is. */
export interface ActionResult {
  /** Whether the world accepted the action. */
  ok: boolean;
  /** The world's state after the action. */
  state?: unknown;
  /** Why the world refused the action, when `ok` is false. */
  error?: string;
  /** Anything else the world wants the agent to know. */
  [field: string]: unknown;
}

/** What a world does; every hook is optional. Hooks may be sync or async. */
export interface WorldHooks {
  /**
   * An agent joined (or joined again). `data` is the join content without
   * `password`. Default: `{ manifest: { worldId, worldName }, state: getState() }`.
   */
  onJoin?(agentId: string, data: Record<string, unknown>): MaybePromise<JoinResult>;
  /** A member acted with `data`, any JSON value. Default: `{ ok: true, state: getState() }`. */
  onAction?(agentId: string, data: unknown): MaybePromise<ActionResult>;
  /** A member left, or was removed after `idleTimeoutMs` of silence. Default: nothing. */
  onLeave?(agentId: string): MaybePromise<void>;
  /** The world's state, for broadcasts. Default: none (broadcasts carry no `state`). */
  getState?(): MaybePromise<unknown>;
}

/** A member of a world, as `GET /peer/peers` lists it. */
export interface WorldMember {
  /** The member's agent id. */
  agentId: string;
  /** The member's display name (its agent id when it gave none). */
  alias: string;
  /** When it joined, in ms since the epoch. */
  joinedAt: number;
  /** When the world last heard from it, in ms since the epoch. */
  lastSeen: number;
}

/** A running world; see {@linkcode createWorldServer}. */
export interface WorldServer {
  /** The Hono app; `app.request(...)` reaches it without the network. */
  readonly app: WorldApp;
  /** The world's identity. */
  readonly identity: Identity;
  /** The world's id (its slug, `world:<worldId>`). */
  readonly worldId: string;
  /** The protocol version it speaks. */
  readonly protocolVersion: ProtocolVersion;
  /** The port the server is bound to. */
  readonly port: number;
  /** A URL that reaches the server from this machine, e.g. `http://127.0.0.1:8099`. */
  readonly url: string;
  /** The gateway schedule, when the world is public. */
  readonly gateway: GatewayAnnounceHandle | undefined;
  /** The current members. */
  members(): WorldMember[];
  /** Sends one state broadcast now, to every member that gave an endpoint. Never rejects. */
  broadcast(): Promise<void>;
  /**
   * Stops every timer (broadcasts, idle sweep, gateway schedule), sends a
   * signed deregistration to every gateway in parallel (at most
   * `deregisterTimeoutMs` in all; a 404 from a reference gateway is fine),
   * then closes the listener.
   */
  stop(): Promise<void>;
}

/**
 * Starts a world: listens with `Deno.serve` on `hostname:port`, serves
 * `GET /peer/ping`, `GET /peer/peers`, `POST /peer/message` (and from
 * protocol 1.5 `GET /world/manifest`), broadcasts its state every
 * `broadcastIntervalMs` to members that gave an endpoint, removes members
 * silent for `idleTimeoutMs`, and, when `isPublic`, announces to and
 * heartbeats every gateway in the routes of its `protocolVersion`.
 *
 * `POST /peer/message` takes a signed peer message, checked by the
 * protocol's one signed-request function (`verifyPeerMessageRequest`): it is
 * accepted when its body signature verifies under any supported version, or
 * when the request-signature headers do, and `from` must be the agent id of
 * `publicKey`. Every `/peer/*` answer, errors included, carries
 * response-signature headers and is JSON. The statuses:
 *
 * - 200: `world.join` → `{ok: true, worldId, manifest, state?}` (from 1.4
 *   `worldId` is the world's key id and `slug` its id);
 *   `world.action` → the `onAction` result (`ok` may be false, still 200);
 *   `world.leave` → `{ok: true}`, also when the sender was not a member.
 * - 400: not JSON, a bad shape, `content` not JSON, a timestamp more than
 *   5 minutes off, an unsupported `X-AgentWorld-Version`, or an event other
 *   than join, action and leave.
 * - 403: a bad signature, `from` not matching `publicKey`, a wrong
 *   password, or a full world.
 * - 409: a timestamp not newer than the sender's last accepted message
 *   (a replay), or `world.action` from an agent that has not joined.
 * - 413: a body over `MAX_PEER_MESSAGE_BYTES` (256 KiB).
 * - 500: a hook threw: `{error: "world hook failed"}`, and the error goes
 *   to `onError`. A failing `onLeave` is only reported: the member is gone.
 *
 * @example
 * ```ts ignore
 * import { createWorldServer } from "@agentworlds/sdk";
 * const world = await createWorldServer({ worldId: "lobby", port: 0, isPublic: false });
 * const ping = await world.app.request("/peer/ping");
 * console.log(await ping.json());
 * // { ok: true, ts: …, agentId: "aw:sha256:…", worldId: "lobby", worldName: "lobby", agents: 0, … }
 * await world.stop();
 * ```
 *
 * @param config The world's configuration; only `worldId` is required.
 * @param hooks What the world does. Default: a world with no rules.
 * @throws {TypeError} When an option is invalid (e.g. a bad `worldId`).
 */
export async function createWorldServer(
  config: WorldServerConfig,
  hooks: WorldHooks = {},
): Promise<WorldServer> {
  const options = resolveWorldConfig(config);
  const identity = config.identity ??
    await loadOrCreateIdentity(options.dataDir, await identityName(options.worldId));
  const report = safeReporter(options.onError);
  const world = new World(options, hooks, identity, report);
  const app = buildApp(world);

  const server = Deno.serve(
    { port: options.port, hostname: options.hostname, onListen() {} },
    app.fetch,
  );
  const port = server.addr.port;
  const schedules: Repeating[] = [
    repeat(() => options.broadcastIntervalMs, () => world.broadcast(), report, options.timers),
    repeat(
      () => Math.min(options.idleTimeoutMs, IDLE_SWEEP_INTERVAL_MS),
      () => world.sweep(),
      report,
      options.timers,
    ),
  ];
  const gateway = options.isPublic
    ? startGatewayAnnounce({
      identity,
      protocolVersion: options.protocolVersion,
      heartbeatSeparator: options.heartbeatSeparator,
      gatewayUrls: options.gatewayUrls,
      alias: options.worldName,
      version: SDK_VERSION,
      endpoints: [{
        address: options.publicAddr,
        port: options.publicPort ?? port,
        transport: "tcp",
      }],
      capabilities: worldCapabilities(options),
      announceIntervalMs: options.announceIntervalMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      onError: report,
      fetch: options.fetch,
      clock: options.clock,
      timers: options.timers,
      timeouts: { deregisterMs: options.deregisterTimeoutMs },
    })
    : undefined;

  let stopping: Promise<void> | undefined;
  return {
    app,
    identity,
    worldId: options.worldId,
    protocolVersion: options.version,
    port,
    url: localUrl(options.hostname, port),
    gateway,
    members: () => world.memberList(),
    broadcast: () => world.broadcast().catch(report),
    stop() {
      stopping ??= (async () => {
        world.abort();
        // The gateway schedule ends with a goodbye to every gateway, while the world still answers.
        await Promise.all([...schedules.map((schedule) => schedule.stop()), gateway?.stop()]);
        await server.shutdown();
      })();
      return stopping;
    },
  };
}

/** What the sender gets: a status and a JSON body (`{error}` for a refusal). */
type Answer = { status: 200 | 400 | 403 | 409 | 413 | 500; body: Record<string, unknown> };

const refuse = (status: Answer["status"], error: string): Answer => ({ status, body: { error } });

/** The world's state and decisions, apart from HTTP. */
class World {
  readonly members: MemberTable;
  readonly #replays = new ReplayGuard(MAX_CLOCK_SKEW_MS);
  readonly #stop = new AbortController();

  constructor(
    readonly options: ResolvedWorldConfig,
    readonly hooks: WorldHooks,
    readonly identity: Identity,
    readonly report: (error: unknown) => void,
  ) {
    this.members = new MemberTable(options.idleTimeoutMs);
  }

  abort(): void {
    this.#stop.abort();
  }

  /**
   * How the world names itself to peers: before 1.4 `worldId` is its id;
   * from 1.4 `worldId` is its key id and `slug` its id.
   */
  worldIds(): { worldId: string; slug?: string } {
    return versionFeatures(this.options.version).keyIdIsWorldId
      ? { worldId: this.identity.agentId, slug: this.options.worldId }
      : { worldId: this.options.worldId };
  }

  memberList(): WorldMember[] {
    return this.members.live(this.options.clock()).map((
      { agentId, alias, joinedAt, lastSeen },
    ) => ({
      agentId,
      alias,
      joinedAt,
      lastSeen,
    }));
  }

  /** The periodic sweep: removes idle members and forgets replay entries past the clock window. */
  async sweep(): Promise<void> {
    this.#replays.prune(this.options.clock());
    await this.evictIdle();
  }

  /** Removes members whose lease ended, telling `onLeave`. */
  async evictIdle(): Promise<void> {
    for (const member of this.members.takeExpired(this.options.clock())) {
      await this.#leave(member.agentId);
    }
  }

  async #leave(agentId: string): Promise<void> {
    try {
      await this.hooks.onLeave?.(agentId);
    } catch (error) {
      this.report(new Error(`world hook onLeave failed: ${errorMessage(error)}`));
    }
  }

  async #state(): Promise<unknown> {
    return await this.hooks.getState?.();
  }

  /**
   * Applies the signed-request rules to a `POST /peer/message`, then the
   * world's own: `content` is JSON, the event is one a world handles, and the
   * timestamp is newer than the sender's last (a replay is refused).
   */
  async authenticate(
    request: Request,
  ): Promise<{ message: PeerMessage; content: unknown; version: ProtocolVersion } | Answer> {
    const verified = await verifyPeerMessageRequest(request, {
      clock: this.options.clock,
      path: MESSAGE_PATH,
      preferredVersion: this.options.version,
    });
    if (!verified.ok) return refuse(verified.status as Answer["status"], verified.error);
    const { body: message, version } = verified.value;
    const content = parseContent(message.content);
    if (content === undefined) return refuse(400, "content is not JSON");
    if (!HANDLED_EVENTS.has(message.event)) {
      return refuse(400, `unsupported event: ${message.event}`);
    }
    // Checked and recorded in one step, with no await between: two copies
    // of one message arriving together cannot both pass.
    if (!this.#replays.accept(message.from, message.timestamp)) {
      return refuse(409, "replayed message: timestamp is not newer than the last one accepted");
    }
    return { message, content, version };
  }

  /** Handles an authenticated message. */
  async handle(message: PeerMessage, content: unknown): Promise<Answer> {
    await this.evictIdle();
    switch (message.event) {
      case PEER_EVENTS.JOIN:
        return await this.#join(message, content);
      case PEER_EVENTS.ACTION:
        return await this.#act(message.from, content);
      default:
        return await this.#leaveByRequest(message.from);
    }
  }

  async #join(message: PeerMessage, content: unknown): Promise<Answer> {
    const parsed = parseJoinContent(content);
    if (!parsed.ok) return refuse(400, parsed.error);
    const join = parsed.value;
    const { options } = this;
    if (options.password !== undefined && !await sameSecret(join.password, options.password)) {
      return refuse(403, "wrong password");
    }
    const now = options.clock();
    const existing = this.members.get(message.from, now);
    if (!existing && this.members.live(now).length >= options.maxAgents) {
      return refuse(403, "world is full");
    }
    // The slot is taken before the hook runs, so concurrent joins cannot overfill the world.
    const member: Member = existing ?? {
      agentId: message.from,
      publicKey: message.publicKey,
      alias: message.from,
      endpoints: [],
      joinedAt: now,
      lastSeen: now,
    };
    member.alias = join.alias ?? member.alias;
    member.endpoints = join.endpoints;
    member.messageUrl = join.messageUrl;
    member.lastSeen = now;
    this.members.set(member);

    let result: JoinResult;
    try {
      result = this.hooks.onJoin
        ? await this.hooks.onJoin(message.from, join.data)
        : { manifest: { worldId: options.worldId, worldName: options.worldName } };
    } catch (error) {
      if (!existing) this.members.delete(message.from);
      return this.#hookFailed("onJoin", error);
    }
    let state = result?.state;
    if (state === undefined && !this.hooks.onJoin) {
      try {
        state = await this.#state();
      } catch (error) {
        return this.#hookFailed("getState", error);
      }
    }
    return {
      status: 200,
      body: {
        ok: true,
        ...this.worldIds(),
        manifest: result?.manifest ?? null,
        ...(state === undefined ? {} : { state }),
      },
    };
  }

  async #act(agentId: string, data: unknown): Promise<Answer> {
    const member = this.members.get(agentId, this.options.clock());
    if (!member) return refuse(409, "join the world first");
    member.lastSeen = this.options.clock();
    try {
      if (this.hooks.onAction) {
        const result = await this.hooks.onAction(agentId, data);
        if (!isRecord(result)) throw new TypeError("onAction must return an object with ok");
        return { status: 200, body: { ...result, ok: result.ok === true } };
      }
      const state = await this.#state();
      return { status: 200, body: { ok: true, ...(state === undefined ? {} : { state }) } };
    } catch (error) {
      return this.#hookFailed(this.hooks.onAction ? "onAction" : "getState", error);
    }
  }

  async #leaveByRequest(agentId: string): Promise<Answer> {
    if (this.members.delete(agentId)) await this.#leave(agentId);
    return { status: 200, body: { ok: true } };
  }

  #hookFailed(hook: string, error: unknown): Answer {
    this.report(new Error(`world hook ${hook} failed: ${errorMessage(error)}`));
    return refuse(500, "world hook failed");
  }

  /**
   * Sends one signed `world.state` message to every member that gave an
   * endpoint; sends nothing at all when none did.
   */
  async broadcast(): Promise<void> {
    await this.evictIdle();
    const { options, identity } = this;
    const now = options.clock();
    const members = this.members.live(now);
    const targets = members.filter((member) => member.messageUrl !== undefined);
    if (targets.length === 0 || this.#stop.signal.aborted) return;
    let state: unknown;
    try {
      state = await this.#state();
    } catch (error) {
      this.report(new Error(`world hook getState failed: ${errorMessage(error)}`));
      return;
    }
    // The content's worldId is the world's id in every version, as AgentWorld worlds send it.
    const message = await createPeerMessage(
      identity,
      PEER_EVENTS.STATE,
      {
        worldId: options.worldId,
        worldName: options.worldName,
        agents: members.map(({ agentId, alias }) => ({ agentId, alias })),
        ...(state === undefined ? {} : { state }),
      },
      now,
      options.version,
    );
    const bodyText = canonicalize(message);
    await Promise.all(targets.map(async (member) => {
      const url = member.messageUrl!;
      const headers = await signHttpRequest(identity, "POST", url.host, MESSAGE_PATH, bodyText, {
        clock: options.clock,
        version: options.version,
      });
      const outcome = await postJson(
        options.fetch,
        url,
        bodyText,
        headers,
        BROADCAST_TIMEOUT_MS,
        this.#stop.signal,
      );
      if (this.#stop.signal.aborted || (outcome.status >= 200 && outcome.status < 300)) return;
      const why = outcome.status === 0 ? outcome.error : `HTTP ${outcome.status}`;
      this.report(new Error(`broadcast to ${member.agentId} at ${url} failed: ${why}`));
    }));
  }
}

const HANDLED_EVENTS = new Set<string>([PEER_EVENTS.JOIN, PEER_EVENTS.ACTION, PEER_EVENTS.LEAVE]);

/** The Hono context of the world's app: the version an answer is signed in. */
type WorldEnv = { Variables: { replyVersion: ProtocolVersion } };

function buildApp(world: World): Hono<WorldEnv> {
  const app = new Hono<WorldEnv>();
  const { options, identity } = world;
  const features = versionFeatures(options.version);

  app.notFound((c) => c.json({ error: `not found: ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    world.report(error);
    return c.json({ error: "internal error" }, 500);
  });

  app.use("/peer/*", signResponses(identity, options.clock, options.version));

  app.get("/peer/ping", (c) =>
    c.json({
      ok: true,
      ts: options.clock(),
      agentId: identity.agentId,
      ...world.worldIds(),
      worldName: options.worldName,
      agents: world.memberList().length,
      isPublic: options.isPublic,
      passwordRequired: options.password !== undefined,
    }));

  app.get("/peer/peers", async (c) => {
    await world.evictIdle();
    return c.json({ [features.agentsListKey]: world.memberList() });
  });

  if (features.worldManifest) {
    const theme = options.worldTheme ?? "default";
    app.get("/world/manifest", (c) =>
      c.json({
        ok: true,
        worldId: identity.agentId,
        slug: options.worldId,
        name: options.worldName,
        theme,
        type: "programmatic",
        manifest: { name: options.worldName, type: "programmatic", theme },
      }));
  }

  app.post(MESSAGE_PATH, async (c) => {
    const accepted = await world.authenticate(c.req.raw);
    if ("status" in accepted) return reply(c, accepted);
    c.set("replyVersion", accepted.version);
    return reply(c, await world.handle(accepted.message, accepted.content));
  });
  return app;
}

function reply(c: Context<WorldEnv>, answer: Answer): Response {
  return c.json(answer.body, answer.status);
}

/**
 * Middleware: signs every answer (errors too) with the world's key, under
 * `HTTP_RESPONSE` of the version the request was verified in, or else the
 * world's own.
 */
function signResponses(
  identity: Identity,
  clock: () => number,
  version: ProtocolVersion,
): MiddlewareHandler<WorldEnv> {
  return async (c, next) => {
    await next();
    const body = await c.res.text();
    const headers = new Headers(c.res.headers);
    const signature = await signHttpResponse(identity, c.res.status, body, {
      clock,
      version: c.get("replyVersion") ?? version,
    });
    for (const [name, value] of Object.entries(signature)) headers.set(name, value);
    c.res = new Response(body, { status: c.res.status, headers });
  };
}

/** Compares a given password with the world's in constant time (over their SHA-256). */
async function sameSecret(given: string | undefined, expected: string): Promise<boolean> {
  if (given === undefined) return false;
  const digest = async (text: string) =>
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

/**
 * The identity file stem: `world-<worldId>`; past the 64 characters a name
 * may have, its start and a hash of the whole id, so two ids never share it.
 */
async function identityName(worldId: string): Promise<string> {
  const name = `world-${worldId}`;
  if (name.length <= 64) return name;
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(worldId)),
  );
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return name.slice(0, 64 - 1 - 16) + "-" + hex.slice(0, 16);
}
