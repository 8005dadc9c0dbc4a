/**
 * The Redis store's webhook outbox: a consumer group on the change stream.
 * One consumer leads at a time (a leader lease, compared and extended by a
 * script, decided by the store clock); it takes the events other consumers
 * took and never acknowledged first (a replica that died holding events has
 * them delivered by the next leader), then new ones, in stream order, so
 * per-world order holds.
 *
 * @module
 */
import type { ChangeEvent, Outbox } from "./store.ts";
import { eventsFrom } from "./_redis_codec.ts";
import { SCRIPTS } from "./_redis_scripts.ts";
import type { RedisScript } from "./_redis_scripts.ts";

/** What the outbox needs of its store. */
export interface OutboxBackend {
  /** Runs a script with the store's common arguments. */
  run(script: RedisScript, args: (string | number)[]): Promise<unknown>;
  /** Runs one command. */
  command(name: string, ...args: (string | number)[]): Promise<unknown>;
  /** The stream's key. */
  readonly streamKey: string;
}

/** The consumer group webhooks are delivered through. */
export const WEBHOOK_GROUP = "webhooks";

/** The webhook outbox of a Redis store. */
export class RedisOutbox implements Outbox {
  readonly #backend: OutboxBackend;
  #group?: Promise<void>;

  /** Creates the outbox; the group is created when first used. */
  constructor(backend: OutboxBackend) {
    this.#backend = backend;
  }

  /**
   * Creates the consumer group if it does not exist yet, at the stream's
   * end: events recorded before a directory had a webhook consumer are not
   * delivered. The store calls it at connect with `outbox: true`, else the
   * first {@linkcode lead} or {@linkcode take} does.
   */
  prepare(): Promise<void> {
    this.#group ??= (this.#backend.command(
      "xgroup",
      "CREATE",
      this.#backend.streamKey,
      WEBHOOK_GROUP,
      "$",
      "MKSTREAM",
    ) as Promise<unknown>).then(
      () => {},
      (error) => {
        if (error instanceof Error && error.message.startsWith("BUSYGROUP")) return;
        this.#group = undefined;
        throw error;
      },
    );
    return this.#group;
  }

  // The group vanishes when Redis loses its data: create it again once.
  async #withGroup<T>(action: () => Promise<T>): Promise<T> {
    await this.prepare();
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes("NOGROUP")) throw error;
      this.#group = undefined;
      await this.prepare();
      return await action();
    }
  }

  async lead(consumer: string, leaseMs: number): Promise<boolean> {
    await this.prepare();
    const led = await this.#backend.run(SCRIPTS.lead, [consumer, Math.max(1, Math.ceil(leaseMs))]);
    return led === 1;
  }

  take(consumer: string, limit: number): Promise<ChangeEvent[]> {
    return this.#withGroup(async () => {
      const entries = await this.#backend.run(SCRIPTS.take, [
        consumer,
        Math.max(1, Math.floor(limit)),
        WEBHOOK_GROUP,
      ]) as unknown[];
      return eventsFrom(entries);
    });
  }

  async ack(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#withGroup(() =>
      this.#backend.command("xack", this.#backend.streamKey, WEBHOOK_GROUP, ...ids)
    );
  }

  async backlog(): Promise<{ pending: number; oldestAt?: number }> {
    const [pending, at] = await this.#backend.run(SCRIPTS.backlog, [WEBHOOK_GROUP]) as [
      number,
      string,
    ];
    return at === "" ? { pending } : { pending, oldestAt: Number(at) };
  }
}
