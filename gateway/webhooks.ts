/**
 * Webhooks: at least once, in order per world, nothing lost. Events come from
 * the store's durable change log through its {@linkcode Outbox} (a Redis
 * consumer group, or the memory store's outbox kept in its snapshot), so a
 * replica that dies with events in hand has them delivered by the next
 * leader. One replica leads at a time; per world, one delivery is in flight
 * and later events wait behind it, so a receiver sees a world's events in
 * the order they happened (the old holder's `world.expired` before the new
 * holder's `world.announced`).
 *
 * What is reported: every world's `world.announced`, `world.expired` and
 * `world.owner_changed`, and `agent.expired` when an admin revoked an agent
 * that hosts no world (reason `admin`), so every admin action reaches the
 * webhook. Other agents' comings and goings are on `/watch?agents=1` only.
 *
 * Deliveries are signed with the stock `standardwebhooks` package; the
 * `webhook-id` is `msg_<event id>`, the same on every attempt and every
 * replica, so a receiver deduplicates. A failed attempt (network error,
 * timeout, non-2xx, redirect) is retried with exponential backoff and equal
 * jitter — 1 s, 2 s, 4 s … doubling up to 5 min between attempts — until
 * `retryForMs` (1 h) after the first attempt, then given up on and logged.
 *
 * @module
 */
import { Webhook } from "standardwebhooks";
import { fromBase64 } from "../protocol/_bytes.ts";
import { type Logger, silentLogger } from "./log.ts";
import { RateLimitedLog } from "./_rate_limited_log.ts";
import { systemTimers, type TimerHandle, type Timers } from "../protocol/_timers.ts";
import type { ChangeEvent, Outbox } from "./store.ts";

/** What the gateway posts. */
export interface WebhookEvent {
  /**
   * `world.announced` on an offline→online edge, `world.expired` when a lease
   * ends (see `reason`), `world.owner_changed` when a world id changes hands,
   * and `agent.expired` when an admin revoked the lease of an agent that
   * hosts no world (so every admin action is reported; agents' own comings
   * and goings are not webhooks).
   */
  event: "world.announced" | "world.expired" | "world.owner_changed" | "agent.expired";
  /** The world's agent id (for `world.owner_changed`: the new owner, or the old one when released). */
  agentId: string;
  /** The world's id; absent from `agent.expired`. */
  worldId?: string;
  /** When it happened, in ms since the epoch. */
  ts: number;
  /** For `world.expired`: `ttl`, `deregistered`, `admin` or `rotated`; for `agent.expired`: `admin`. */
  reason?: string;
  /** For `world.owner_changed`: the previous owner (null when none). */
  previousOwner?: string | null;
  /** For `world.owner_changed`: the new owner (null when released). */
  owner?: string | null;
  /** For `world.owner_changed`: `rotation`, `admin_transfer`, `admin_release` or `retention`. */
  cause?: string;
}

/** The webhook body of a change event, or `undefined` for changes webhooks do not report. */
export function webhookPayload(event: ChangeEvent): WebhookEvent | undefined {
  if (event.type === "agent.expired" && event.reason === "admin") {
    return { event: event.type, agentId: event.agentId, ts: event.at, reason: event.reason };
  }
  if (event.worldId === undefined) return undefined;
  switch (event.type) {
    case "world.announced":
      return { event: event.type, agentId: event.agentId, worldId: event.worldId, ts: event.at };
    case "world.expired":
      return {
        event: event.type,
        agentId: event.agentId,
        worldId: event.worldId,
        ts: event.at,
        reason: event.reason ?? "ttl",
      };
    case "world.owner_changed":
      return {
        event: event.type,
        agentId: event.agentId,
        worldId: event.worldId,
        ts: event.at,
        previousOwner: event.previousOwner ?? null,
        owner: event.owner ?? null,
        cause: event.cause,
      };
    default:
      return undefined;
  }
}

/**
 * Checks a Standard Webhooks secret: `whsec_` followed by the base64 of at
 * least 24 random bytes (what every stock verifier expects). Returns the
 * error, or `undefined` when it is well formed.
 */
export function webhookSecretError(secret: string): string | undefined {
  if (!secret.startsWith("whsec_")) {
    return "must be whsec_<base64> (e.g. whsec_ followed by the base64 of 32 random bytes)";
  }
  const key = fromBase64(secret.slice("whsec_".length));
  if (!key) return "the part after whsec_ is not base64";
  if (key.length < 24) return `the key is ${key.length} bytes; use at least 24 (32 recommended)`;
  return undefined;
}

/** Options of {@linkcode WebhookDispatcher}. */
export interface WebhookOptions {
  /** Where events are POSTed. */
  url: string;
  /** Standard Webhooks secret, `whsec_<base64>`; deliveries are unsigned without one. Default: none. */
  secret?: string;
  /** The durable events to deliver. */
  outbox: Outbox;
  /** This replica's consumer name. Default: a random one. */
  consumer?: string;
  /** Per-attempt timeout in ms. Default: 5000. */
  timeoutMs?: number;
  /** How long an event is retried after its first attempt, in ms. Default: 3600000. */
  retryForMs?: number;
  /** First retry delay in ms; it doubles per attempt. Default: 1000. */
  initialBackoffMs?: number;
  /** Longest delay between attempts, in ms. Default: 300000. */
  maxBackoffMs?: number;
  /** Deliveries in flight at once (to different worlds). Default: 8. */
  concurrency?: number;
  /** How long a leadership claim lasts, in ms; it is renewed at a third of it. Default: 6000. */
  leaseMs?: number;
  /** How often the outbox is polled when nothing wakes the dispatcher, in ms. Default: 1000. */
  pollMs?: number;
  /** The clock in ms. Default: `Date.now`. */
  clock?: () => number;
  /** Timers for retries and polling. Default: the runtime's. */
  timers?: Timers;
  /** Jitter source in [0, 1). Default: `Math.random`. */
  random?: () => number;
  /** The fetch to deliver with. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  /**
   * Where deliveries that are given up on, and failures, are logged: at most
   * one line per kind (refused, failed, given up, ...) per second, with a
   * count of those held back. Default: silent.
   */
  logger?: Logger;
}

interface Pending {
  event: ChangeEvent;
  payload: string;
  attempts: number;
  firstAttemptAt?: number;
  retryAt?: number;
}

const BATCH = 100;
const MAX_HELD = 2000; // events taken and not yet acknowledged, at most

/** Delivers the outbox's events to one URL. */
export class WebhookDispatcher {
  readonly #o: Required<Omit<WebhookOptions, "secret">>;
  readonly #signer: Webhook | undefined;
  /** A failing receiver fails every attempt: one line per kind per second, with a count. */
  readonly #limited: RateLimitedLog;
  #queues = new Map<string, Pending[]>(); // worldId (agentId for agent.*) → its events in order
  #held = 0;
  #inFlight = new Map<string, AbortController>(); // queue key → its delivery in flight
  #timer: TimerHandle | undefined;
  #retryTimer: TimerHandle | undefined;
  #running = false;
  #ticking = false;
  #ticked: Promise<void> = Promise.resolve();
  #again = false;
  #stopped = false;
  #idle: (() => void)[] = [];
  #leading = false;
  #leadCheckedAt = -Infinity;
  /** Deliveries acknowledged with a 2xx. */
  delivered = 0;
  /** Attempts that failed (each retry counts). */
  failures = 0;
  /** Events given up on after `retryForMs`. */
  gaveUp = 0;

  /** Creates a dispatcher; nothing is sent until {@linkcode WebhookDispatcher.start}. */
  constructor(options: WebhookOptions) {
    this.#o = {
      url: options.url,
      outbox: options.outbox,
      consumer: options.consumer ?? `gw-${crypto.randomUUID().slice(0, 8)}`,
      timeoutMs: options.timeoutMs ?? 5000,
      retryForMs: options.retryForMs ?? 3_600_000,
      initialBackoffMs: options.initialBackoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 300_000,
      concurrency: options.concurrency ?? 8,
      leaseMs: options.leaseMs ?? 6000,
      pollMs: options.pollMs ?? 1000,
      clock: options.clock ?? Date.now,
      timers: options.timers ?? systemTimers,
      random: options.random ?? Math.random,
      fetch: options.fetch ?? globalThis.fetch,
      logger: options.logger ?? silentLogger,
    };
    if (options.secret !== undefined) {
      const error = webhookSecretError(options.secret);
      if (error) throw new TypeError(`webhook secret ${error}`);
      this.#signer = new Webhook(options.secret);
    }
    this.#limited = new RateLimitedLog(this.#o.logger, {
      clock: this.#o.clock,
      timers: this.#o.timers,
    });
  }

  /** This replica's consumer name. */
  get consumer(): string {
    return this.#o.consumer;
  }

  /** Events taken from the outbox and not yet delivered or given up on. */
  get backlog(): number {
    return this.#held;
  }

  /** Starts delivering. */
  start(): void {
    if (this.#running || this.#stopped) return;
    this.#running = true;
    this.poke();
  }

  /** Looks at the outbox now (new events were appended). */
  poke(): void {
    if (!this.#running) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#o.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#ticking = true;
    this.#ticked = this.#tick().finally(() => {
      this.#ticking = false;
      if (!this.#running) return;
      if (this.#again) {
        this.#again = false;
        this.poke();
      } else this.#timer = this.#o.timers.setTimeout(() => this.poke(), this.#o.pollMs);
    });
  }

  async #tick(): Promise<void> {
    const { outbox, consumer, leaseMs, clock, logger } = this.#o;
    try {
      const now = clock();
      if (now - this.#leadCheckedAt >= leaseMs / 3) {
        const was = this.#leading;
        try {
          this.#leading = await outbox.lead(consumer, leaseMs);
          this.#leadCheckedAt = now;
        } catch (error) {
          // Not renewed: the lead held runs out by the clock (#holdsLead).
          this.#limited.warn("lead", "webhook delivery: the lead could not be renewed", { error });
        }
        if (this.#leading && !was) logger.info("webhook delivery: leading", { consumer });
        if (!this.#leading && was) logger.info("webhook delivery: no longer leading", { consumer });
      }
      if (!this.#holdsLead()) {
        // Another replica may lead now and deliver what this one holds: cut
        // short what is in flight, so one world's events are never sent by
        // two replicas at once (and out of order). What is held stays held,
        // unacknowledged, for whichever replica leads next.
        for (const controller of this.#inFlight.values()) controller.abort();
        return;
      }
      while (this.#running && this.#held < MAX_HELD) {
        const events = await outbox.take(consumer, BATCH);
        const skip: string[] = [];
        for (const event of events) {
          const payload = webhookPayload(event);
          if (!payload) {
            skip.push(event.id);
            continue;
          }
          // World ids never hold ':', agent ids always do: the two never share a queue.
          const key = payload.worldId ?? payload.agentId;
          let queue = this.#queues.get(key);
          if (!queue) this.#queues.set(key, queue = []);
          queue.push({ event, payload: JSON.stringify(payload), attempts: 0 });
          this.#held++;
        }
        if (skip.length > 0) await outbox.ack(skip);
        this.#pump();
        if (events.length < BATCH) break;
      }
      this.#pump(); // what is held resumes after a pause in the lead
    } catch (error) {
      this.#limited.warn("outbox", "webhook delivery: the outbox could not be read", { error });
    }
  }

  /**
   * Whether this dispatcher leads now: it won the lead, and no longer ago than
   * the lease by its own clock (a lead it could not renew runs out here before
   * it does in the store, which counted from a later instant).
   */
  #holdsLead(): boolean {
    return this.#leading && this.#o.clock() - this.#leadCheckedAt < this.#o.leaseMs;
  }

  #pump(): void {
    if (!this.#running || !this.#holdsLead()) return;
    const now = this.#o.clock();
    let nextRetry = Infinity;
    for (const [key, queue] of this.#queues) {
      if (this.#inFlight.size >= this.#o.concurrency) break;
      if (this.#inFlight.has(key)) continue;
      const head = queue[0];
      if (head.retryAt !== undefined && head.retryAt > now) {
        nextRetry = Math.min(nextRetry, head.retryAt);
        continue;
      }
      this.#deliver(key, head);
    }
    if (nextRetry < Infinity) {
      this.#o.timers.clearTimeout(this.#retryTimer);
      this.#retryTimer = this.#o.timers.setTimeout(
        () => this.#pump(),
        Math.max(0, nextRetry - now),
      );
    }
  }

  #deliver(key: string, pending: Pending): void {
    const controller = new AbortController();
    this.#inFlight.set(key, controller);
    this.#attempt(pending, controller.signal).then(async (ok) => {
      this.#inFlight.delete(key);
      const now = this.#o.clock();
      const expired = now - pending.firstAttemptAt! >= this.#o.retryForMs;
      if (ok || expired) {
        if (!ok) {
          this.gaveUp++;
          this.#limited.error("gave-up", "webhook given up on", {
            id: pending.event.id,
            event: pending.event.type,
            agentId: pending.event.agentId,
            worldId: pending.event.worldId,
            attempts: pending.attempts,
          });
        }
        const queue = this.#queues.get(key)!;
        queue.shift();
        if (queue.length === 0) this.#queues.delete(key);
        this.#held--;
        try {
          await this.#o.outbox.ack([pending.event.id]);
        } catch (error) {
          this.#limited.warn(
            "ack",
            "webhook delivered but not acknowledged (it may be sent again)",
            {
              id: pending.event.id,
              error,
            },
          );
        }
        if (this.#held < MAX_HELD / 2) this.poke();
      } else {
        const exp = Math.min(
          this.#o.maxBackoffMs,
          this.#o.initialBackoffMs * 2 ** (pending.attempts - 1),
        );
        pending.retryAt = now + exp / 2 + this.#o.random() * exp / 2;
      }
      this.#pump();
      this.#settle();
    });
  }

  /** One attempt; true when the receiver answered 2xx. */
  async #attempt(pending: Pending, signal: AbortSignal): Promise<boolean> {
    const { url, timeoutMs, clock } = this.#o;
    pending.attempts++;
    pending.firstAttemptAt ??= clock();
    const id = `msg_${pending.event.id}`;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(clock() / 1000)),
    };
    if (this.#signer) {
      headers["webhook-signature"] = this.#signer.sign(
        id,
        new Date(Math.floor(clock() / 1000) * 1000),
        pending.payload,
      );
    }
    try {
      const response = await this.#o.fetch(url, {
        method: "POST",
        headers,
        body: pending.payload,
        redirect: "manual",
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
      await response.body?.cancel().catch(() => {});
      if (response.status >= 200 && response.status < 300) {
        this.delivered++;
        return true;
      }
      this.failures++;
      this.#limited.warn("refused", "webhook attempt refused", {
        id,
        status: response.status,
        attempt: pending.attempts,
      });
    } catch (error) {
      // Cut short by stop() or a lost lead: not the receiver's failure; the event stays in the outbox.
      if (signal.aborted) return false;
      this.failures++;
      this.#limited.warn("failed", "webhook attempt failed", {
        id,
        error,
        attempt: pending.attempts,
      });
    }
    return false;
  }

  #settle(): void {
    if (this.#inFlight.size === 0) { for (const resolve of this.#idle.splice(0)) resolve(); }
  }

  /**
   * Resolves once every event in the outbox has been delivered or given up
   * on, or is waiting for a retry that is not due yet (for tests and
   * shutdown).
   */
  async drain(): Promise<void> {
    for (;;) {
      if (this.#ticking) await this.#ticked;
      if (this.#inFlight.size > 0) {
        await new Promise<void>((resolve) => this.#idle.push(resolve));
        continue;
      }
      const { pending } = await this.#o.outbox.backlog();
      if (pending === 0 || !this.#running) return;
      if (this.#held < pending) {
        const before = this.#held + this.delivered + this.gaveUp;
        this.poke();
        if (this.#ticking) await this.#ticked;
        const progressed = this.#held + this.delivered + this.gaveUp !== before;
        if (!progressed && this.#inFlight.size === 0) return; // nothing this dispatcher can take
        continue;
      }
      this.#pump();
      if (this.#inFlight.size === 0) return; // all waiting for a retry
    }
  }

  /**
   * Stops taking events, lets deliveries in flight finish for up to
   * `graceMs`, then aborts them. What was not delivered stays in the durable
   * outbox for the next leader (or the next start). Returns how many events
   * this dispatcher held undelivered.
   */
  async stop(graceMs = 5000): Promise<number> {
    this.#stopped = true;
    this.#running = false;
    this.#o.timers.clearTimeout(this.#timer);
    this.#o.timers.clearTimeout(this.#retryTimer);
    if (this.#inFlight.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.#idle.push(resolve)),
        new Promise<void>((resolve) => timer = setTimeout(resolve, graceMs)),
      ]);
      clearTimeout(timer);
      for (const controller of this.#inFlight.values()) controller.abort();
    }
    this.#limited.close();
    const undelivered = this.#held;
    if (undelivered > 0) {
      this.#o.logger.warn(
        "webhook delivery stopped with events undelivered; they stay in the outbox",
        {
          undelivered,
        },
      );
    }
    return undelivered;
  }
}
