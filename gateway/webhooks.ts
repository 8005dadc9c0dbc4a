/**
 * Best-effort webhooks: the gateway tells `WEBHOOK_URL` when a world comes
 * online (`world.announced`) and when its lease runs out (`world.expired`).
 * Deliveries go through a bounded queue, never delay a response, time out
 * after 5 s and are logged when they fail. With a secret, each delivery is
 * signed per the Standard Webhooks specification.
 *
 * @module
 */
import { fromBase64, toBase64, utf8 } from "../protocol/_bytes.ts";

/** What the gateway posts. */
export interface WebhookEvent {
  /** `world.announced` on an offline→online edge, `world.expired` when a lease runs out. */
  event: "world.announced" | "world.expired";
  /** The world's agent id. */
  agentId: string;
  /** The world's id. */
  worldId: string;
  /** When it happened, in ms since the epoch. */
  ts: number;
}

/** Options of {@linkcode WebhookDispatcher}. */
export interface WebhookOptions {
  /** Where events are POSTed. */
  url: string;
  /**
   * Standard Webhooks secret: `whsec_<base64>` (the base64 part is the key),
   * or any other string, used as raw key bytes. Unset: deliveries unsigned.
   */
  secret?: string;
  /** Per-delivery timeout in ms. Default: 5000. */
  timeoutMs?: number;
  /** Most deliveries waiting; newer events are dropped (and logged) past it. Default: 1000. */
  maxQueue?: number;
  /** Deliveries in flight at once. Default: 4. */
  concurrency?: number;
  /** Clock in ms, for `webhook-timestamp`. Default: `Date.now`. */
  clock?: () => number;
  /** The fetch to deliver with. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Where failures are reported. Default: `console.warn`. */
  log?: (message: string) => void;
}

/** Builds the Standard Webhooks headers for one delivery. */
export async function signWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<Record<string, string>> {
  const key = await crypto.subtle.importKey(
    "raw",
    webhookKey(secret) as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign(
    "HMAC",
    key,
    utf8.encode(`${id}.${timestampSeconds}.${body}`),
  );
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": `v1,${toBase64(new Uint8Array(mac))}`,
  };
}

function webhookKey(secret: string): Uint8Array {
  if (secret.startsWith("whsec_")) {
    const key = fromBase64(secret.slice("whsec_".length));
    if (key && key.length > 0) return key;
  }
  return utf8.encode(secret);
}

/**
 * Delivers webhook events in the background.
 *
 * @example
 * ```ts ignore
 * import { WebhookDispatcher } from "@agentworlds/sdk/gateway";
 * const hooks = new WebhookDispatcher({ url: "https://example.com/hook", secret: "whsec_c2VjcmV0" });
 * hooks.enqueue({ event: "world.announced", agentId: "aw:sha256:…", worldId: "grid", ts: Date.now() });
 * await hooks.drain();
 * ```
 */
export class WebhookDispatcher {
  #options: Required<Omit<WebhookOptions, "secret">> & { secret?: string };
  #queue: WebhookEvent[] = [];
  #inFlight = 0;
  #idle: (() => void)[] = [];
  #closed = false;
  /** Deliveries that failed or timed out. */
  failures = 0;
  /** Deliveries acknowledged with a 2xx. */
  delivered = 0;
  /** Events dropped because the queue was full. */
  dropped = 0;
  #dropLoggedAt = -Infinity;
  #droppedLogged = 0;

  /** Creates a dispatcher; nothing is sent until {@linkcode WebhookDispatcher.enqueue}. */
  constructor(options: WebhookOptions) {
    this.#options = {
      url: options.url,
      secret: options.secret,
      timeoutMs: options.timeoutMs ?? 5000,
      maxQueue: options.maxQueue ?? 1000,
      concurrency: options.concurrency ?? 4,
      clock: options.clock ?? Date.now,
      fetch: options.fetch ?? globalThis.fetch,
      log: options.log ?? console.warn,
    };
  }

  /** Queues an event; returns false (and logs) when it had to be dropped. */
  enqueue(event: WebhookEvent): boolean {
    if (this.#closed) return false;
    if (this.#queue.length >= this.#options.maxQueue) {
      this.dropped++;
      // One line per second at most: a mass expiry must not flood the log.
      const now = this.#options.clock();
      if (now - this.#dropLoggedAt >= 1000) {
        const since = this.dropped - this.#droppedLogged;
        this.#options.log(
          `webhook queue full: dropped ${since} event(s), latest ${event.event} for ${event.worldId}`,
        );
        this.#dropLoggedAt = now;
        this.#droppedLogged = this.dropped;
      }
      return false;
    }
    this.#queue.push(event);
    this.#pump();
    return true;
  }

  /** Resolves when nothing is queued or in flight. */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops taking events; what is queued is still delivered (see {@linkcode drain}). */
  close(): void {
    this.#closed = true;
  }

  #pump(): void {
    while (this.#inFlight < this.#options.concurrency && this.#queue.length > 0) {
      const event = this.#queue.shift()!;
      this.#inFlight++;
      this.#deliver(event).finally(() => {
        this.#inFlight--;
        this.#pump();
        if (this.#queue.length === 0 && this.#inFlight === 0) {
          for (const resolve of this.#idle.splice(0)) resolve();
        }
      });
    }
  }

  async #deliver(event: WebhookEvent): Promise<void> {
    const { url, secret, timeoutMs, clock, log } = this.#options;
    const body = JSON.stringify(event);
    try {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (secret) {
        const id = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
        Object.assign(headers, await signWebhook(secret, id, Math.floor(clock() / 1000), body));
      }
      const response = await this.#options.fetch(url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (response.ok) this.delivered++;
      else {
        this.failures++;
        log(`webhook ${event.event} for ${event.worldId}: ${url} answered ${response.status}`);
      }
    } catch (error) {
      this.failures++;
      log(`webhook ${event.event} for ${event.worldId} failed: ${(error as Error).message}`);
    }
  }
}
