/**
 * `GET /metrics`: the gateway in the Prometheus text format, written by
 * `prom-client`. Names follow Prometheus conventions (`_total` counters,
 * `_seconds` and `_bytes` units, a gateway prefix) and every label has a
 * small, fixed set of values: route templates (or `unmatched`), methods from
 * a fixed set (or `other`), status codes from a fixed set (or their class),
 * never a world or an agent id, a path or anything else a client chooses.
 *
 * What is counted where it happens (requests, verifications, store calls,
 * expiries) costs a few hundred nanoseconds per request; what can be read
 * off a component (live counts, webhook backlog, snapshot size, watchers)
 * is read only when Prometheus scrapes.
 *
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { LeaseStore } from "./store.ts";
import type { HttpServerStats } from "./_http_server.ts";

/** Latency buckets in seconds, from 50 µs (a heartbeat's verify) to 2.5 s. */
const LATENCY_BUCKETS = [
  0.00005,
  0.0001,
  0.00025,
  0.0005,
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
];

/** The request methods the gateway serves; any other is counted as `other`. */
const METHODS: ReadonlySet<string> = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "OPTIONS",
  "PATCH",
]);

/**
 * A request method as a label: one of a fixed set, else `other`. The HTTP
 * parser accepts any token as a method, so the client's own would let it
 * create series (and scrape bytes) without bound.
 */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : "other";
}

/** The status codes the gateway answers with (openapi.yaml's, and the server's own). */
const STATUSES: ReadonlySet<number> = new Set([
  101,
  200,
  204,
  206,
  304,
  400,
  403,
  404,
  405,
  408,
  409,
  413,
  415,
  426,
  429,
  431,
  500,
  501,
  502,
  503,
  504,
]);

/** A status code as a label: one of a fixed set, else its class (`2xx` … `5xx`, `other`). */
export function statusLabel(status: number): string {
  if (STATUSES.has(status)) return String(status);
  return status >= 100 && status <= 599 ? `${Math.floor(status / 100)}xx` : "other";
}

/** What the scrape reads off the gateway's components. */
export interface MetricsSources {
  /** The lease store: live counts (and, for the memory store, snapshot figures). */
  store: LeaseStore;
  /** Webhook delivery figures, when webhooks are configured. */
  webhooks?: () => {
    delivered: number;
    failures: number;
    gaveUp: number;
    held: number;
  };
  /**
   * Webhook events dropped before they were delivered (an outbox or change
   * log over its cap, or a Redis log past its retention with no replica
   * delivering), when the store counts them.
   */
  webhookDrops?: () => number;
  /** Browsers watching worlds through `/ws`. */
  watchers: () => number;
  /** `/watch` figures. */
  watch: () => { clients: number; dropped: number; rejected: number };
  /** The memory store's snapshot figures, when there is one. */
  snapshot?: () => { writes: number; lastWriteMs: number; lastWriteBytes: number };
  /** The connection layer's counters (undefined before the server listens). */
  connections?: () => HttpServerStats | undefined;
  /** The local clock, ms. */
  clock: () => number;
}

/** The metrics as Prometheus text, for embedding the gateway behind another server's `/metrics`. */
export interface MetricsText {
  /** The metrics in the Prometheus text format. */
  render(): Promise<string>;
  /** The content type of {@linkcode MetricsText.render}'s text. */
  readonly contentType: string;
}

/** The gateway's metrics. */
export class GatewayMetrics implements MetricsText {
  /** The registry `/metrics` renders. */
  readonly registry: Registry = new Registry();
  /** Request duration by method, route template and status. */
  readonly requestSeconds: Histogram<"method" | "route" | "status">;
  /** Announces by status. */
  readonly announces: Counter<"status">;
  /** Heartbeats by status. */
  readonly heartbeats: Counter<"status">;
  /** Signed deregistrations by status. */
  readonly deregistrations: Counter<"status">;
  /** Time to verify a signed request, by kind (`heartbeat`, `announce`). */
  readonly verifySeconds: Histogram<"kind">;
  /** Store calls' duration by operation (the Redis store). */
  readonly storeSeconds: Histogram<"op">;
  /** Store calls that failed because the store was unreachable, by operation. */
  readonly storeErrors: Counter<"op">;
  /** How long after its deadline a lease's expiry reached this gateway. */
  readonly expiryLagSeconds: Histogram<string>;
  #loopLag = 0;
  #loopTimer: ReturnType<typeof setInterval> | undefined;

  /** Creates the metrics and registers the ones read at scrape time. */
  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    const prefix = "agentworlds_gateway_";
    this.requestSeconds = new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: "HTTP request duration by method, route template and status code.",
      labelNames: ["method", "route", "status"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.announces = new Counter({
      name: `${prefix}announces_total`,
      help: "Announces answered, by HTTP status.",
      labelNames: ["status"],
      registers,
    });
    this.heartbeats = new Counter({
      name: `${prefix}heartbeats_total`,
      help: "Heartbeats answered, by HTTP status.",
      labelNames: ["status"],
      registers,
    });
    this.deregistrations = new Counter({
      name: `${prefix}deregistrations_total`,
      help: "Signed deregistrations answered, by HTTP status.",
      labelNames: ["status"],
      registers,
    });
    this.verifySeconds = new Histogram({
      name: `${prefix}signature_verify_duration_seconds`,
      help:
        "Time to verify a signed request, by kind: heartbeat (its Ed25519 signature, the key cached) or announce (the whole signed request: body, shape, key binding, signature).",
      labelNames: ["kind"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.storeSeconds = new Histogram({
      name: `${prefix}store_operation_duration_seconds`,
      help: "Duration of calls to the shared store (Redis mode), by operation.",
      labelNames: ["op"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.storeErrors = new Counter({
      name: `${prefix}store_errors_total`,
      help: "Calls to the shared store that failed because it was unreachable, by operation.",
      labelNames: ["op"],
      registers,
    });
    this.expiryLagSeconds = new Histogram({
      name: `${prefix}expiry_lag_seconds`,
      help: "From a lease's deadline to its expiry being recorded and seen by this gateway.",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });

    const { store } = sources;
    const gauge = (name: string, help: string, read: () => number | Promise<number>) =>
      new Gauge({
        name: `${prefix}${name}`,
        help,
        registers,
        async collect() {
          // A figure that cannot be read (the store is cut off) is NaN, and
          // the rest of the scrape still answers.
          try {
            this.set(await read());
          } catch {
            this.set(NaN);
          }
        },
      });
    let counts: Promise<{ agents: number; worlds: number }> | undefined;
    const liveCounts = () => counts ??= store.counts().finally(() => counts = undefined);
    gauge("live_agents", "Live agents (worlds included).", async () => (await liveCounts()).agents);
    gauge("live_worlds", "Live worlds.", async () => (await liveCounts()).worlds);
    gauge(
      "store_up",
      "1 while the store answers, 0 while it is unreachable.",
      () => store.status().reachable ? 1 : 0,
    );
    gauge("ws_watchers", "Browsers watching worlds through /ws.", sources.watchers);
    gauge("watch_clients", "Clients of the /watch change stream.", () => sources.watch().clients);
    new Counter({
      name: `${prefix}watch_dropped_total`,
      help: "/watch clients dropped because they did not read.",
      registers,
      collect() {
        this.reset();
        this.inc(sources.watch().dropped);
      },
    });
    new Counter({
      name: `${prefix}watch_rejected_total`,
      help: "/watch clients refused by the caps.",
      registers,
      collect() {
        this.reset();
        this.inc(sources.watch().rejected);
      },
    });
    if (sources.webhooks) {
      const hooks = sources.webhooks;
      new Counter({
        name: `${prefix}webhook_deliveries_total`,
        help: "Webhook attempts by outcome (delivered, failed, gave_up).",
        labelNames: ["outcome"],
        registers,
        collect() {
          const figures = hooks();
          this.reset();
          this.inc({ outcome: "delivered" }, figures.delivered);
          this.inc({ outcome: "failed" }, figures.failures);
          this.inc({ outcome: "gave_up" }, figures.gaveUp);
        },
      });
      let backlog: Promise<{ pending: number; oldestAt?: number }> | undefined;
      const outbox = () => backlog ??= store.outbox.backlog().finally(() => backlog = undefined);
      gauge(
        "webhook_queue_depth",
        "Webhook events not yet delivered (or given up on).",
        async () => (await outbox()).pending,
      );
      gauge(
        "webhook_oldest_pending_age_seconds",
        "Age of the oldest webhook event not yet delivered.",
        async () => {
          const { oldestAt } = await outbox();
          return oldestAt === undefined ? 0 : Math.max(0, (sources.clock() - oldestAt) / 1000);
        },
      );
    }
    if (sources.webhookDrops) {
      const drops = sources.webhookDrops;
      new Counter({
        name: `${prefix}webhook_events_dropped_total`,
        help: "Webhook events dropped undelivered: over the outbox's or the log's cap, or " +
          "(Redis) past the retention while no replica delivered webhooks.",
        registers,
        collect() {
          this.reset();
          this.inc(drops());
        },
      });
    }
    if (sources.snapshot) {
      const snapshot = sources.snapshot;
      gauge(
        "snapshot_duration_seconds",
        "How long the last snapshot took to write.",
        () => snapshot().lastWriteMs / 1000,
      );
      gauge("snapshot_size_bytes", "Size of the last snapshot.", () => snapshot().lastWriteBytes);
      new Counter({
        name: `${prefix}snapshot_writes_total`,
        help: "Snapshots written.",
        registers,
        collect() {
          this.reset();
          this.inc(snapshot().writes);
        },
      });
    }
    if (sources.connections) {
      const stats = sources.connections;
      const counter = <L extends string>(
        name: string,
        help: string,
        labelNames: L[],
        read: (stats: HttpServerStats) => [Record<L, string>, number][],
      ) =>
        new Counter({
          name: `${prefix}${name}`,
          help,
          labelNames,
          registers,
          collect() {
            const now = stats();
            this.reset();
            if (now) { for (const [labels, value] of read(now)) this.inc(labels as never, value); }
          },
        });
      gauge(
        "connections_open",
        "Open connections (WebSockets included).",
        () => stats()?.open ?? 0,
      );
      gauge(
        "connections_max",
        "The cap on open connections in force.",
        () => stats()?.maxConnections ?? 0,
      );
      gauge(
        "connection_buffered_bytes",
        "Bytes held in read buffers and queued to slow readers now.",
        () => (stats()?.bufferedBytes ?? 0) + (stats()?.queuedBytes ?? 0),
      );
      counter("connections_refused_total", "Connections refused, by cap.", ["cap"], (s) => [
        [{ cap: "global" }, s.refused.connections],
        [{ cap: "per_address" }, s.refused.perAddress],
      ]);
      counter(
        "connection_timeouts_total",
        "Connections closed by a deadline, by kind.",
        ["kind"],
        (s) => Object.entries(s.timeouts).map(([kind, value]) => [{ kind }, value]),
      );
      counter(
        "http_server_rejected_total",
        "Requests the connection layer answered itself (malformed, too large, too slow), by status.",
        ["status"],
        (s) => Object.entries(s.rejected).map(([status, value]) => [{ status }, value]),
      );
      counter(
        "accept_errors_total",
        "Accept calls that failed (e.g. out of file descriptors).",
        [],
        (
          s,
        ) => [[{}, s.acceptErrors]],
      );
      counter(
        "websocket_closes_total",
        "WebSockets closed by the gateway, by reason.",
        ["reason"],
        (s) => [
          [{ reason: "too_slow" }, s.websockets.tooSlow],
          [{ reason: "too_big" }, s.websockets.tooBig],
          [{ reason: "protocol_error" }, s.websockets.protocolErrors],
          [{ reason: "idle" }, s.websockets.idle],
        ],
      );
    }
    gauge(
      "process_resident_memory_bytes",
      "Resident set size of the gateway process.",
      () => Deno.memoryUsage().rss,
    );
    gauge("heap_used_bytes", "V8 heap in use.", () => Deno.memoryUsage().heapUsed);
    gauge(
      "event_loop_lag_seconds",
      "The longest event-loop delay seen in the last 10 s.",
      () => this.#loopLag / 1000,
    );
  }

  /** Starts measuring event-loop lag (a 250 ms timer's lateness). */
  start(): void {
    if (this.#loopTimer !== undefined) return;
    let expected = performance.now() + 250;
    let windowStart = performance.now();
    let worst = 0;
    this.#loopTimer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - expected);
      expected = now + 250;
      if (now - windowStart >= 10_000) {
        this.#loopLag = worst;
        worst = 0;
        windowStart = now;
      } else this.#loopLag = Math.max(this.#loopLag, worst);
    }, 250);
  }

  /** Stops the lag timer. */
  stop(): void {
    clearInterval(this.#loopTimer);
    this.#loopTimer = undefined;
  }

  /** The metrics in the Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of {@linkcode GatewayMetrics.render}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The store operations whose calls are timed (a fixed set: the label stays small). */
const STORE_OPERATIONS = [
  "announce",
  "renew",
  "revoke",
  "sweep",
  "get",
  "getWorld",
  "listAgents",
  "listWorlds",
  "counts",
  "owner",
  "rotate",
  "transferWorld",
  "releaseWorld",
  "setReachable",
  "acceptState",
  "publishState",
] as const;

/**
 * Times every call of the store's operations and counts failures of an
 * unreachable store, by operation. Methods keep their store as `this`.
 */
export function instrumentStore(
  store: LeaseStore,
  metrics: GatewayMetrics,
  isUnavailable: (error: unknown) => boolean,
): LeaseStore {
  const timed = new Map<PropertyKey, unknown>();
  for (const op of STORE_OPERATIONS) {
    const method = (store[op] as (...args: unknown[]) => Promise<unknown>).bind(store);
    timed.set(op, async (...args: unknown[]) => {
      const end = metrics.storeSeconds.startTimer({ op });
      try {
        return await method(...args);
      } catch (error) {
        if (isUnavailable(error)) metrics.storeErrors.inc({ op });
        throw error;
      } finally {
        end();
      }
    });
  }
  return new Proxy(store, {
    get(target, property) {
      if (timed.has(property)) return timed.get(property);
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
