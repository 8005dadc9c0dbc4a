/**
 * The Redis store's change feed: one Redis stream of change events whose
 * ids are the feed's ids. Reads resume from an id (or say `reset` when it is
 * no longer held); each replica tails the stream once, with `XREAD BLOCK` on
 * a connection of its own, and fans the events out to its subscribers, so a
 * replica learns of an expiry another replica reclaimed.
 *
 * @module
 */
import type { Redis } from "ioredis";
import type { ChangeEvent, ChangeFeed } from "./store.ts";
import { compareStreamIds, eventsFrom, isStreamId } from "./_redis_codec.ts";
import type { Logger } from "./log.ts";

/** What the feed needs of its store. */
export interface FeedBackend {
  /** Runs the `feedRead` script: `[reset, revision, ...entries]`. */
  read(after: string, limit: number): Promise<unknown[]>;
  /** The newest event id, `""` when none. */
  revision(): Promise<string>;
  /** The newest id trimmed from the stream, `""` when none. */
  trimmed(): Promise<string>;
  /** A new client for the blocking tail. */
  tailClient(): Redis;
  /** The stream's key. */
  readonly streamKey: string;
  /** Where warnings go. */
  readonly logger: Logger;
}

/** How long one `XREAD BLOCK` waits, in ms. */
const BLOCK_MS = 2000;
/** Entries taken per `XREAD`. */
const TAIL_BATCH = 500;

/** The change feed of a Redis store. */
export class RedisFeed implements ChangeFeed {
  readonly #backend: FeedBackend;
  readonly #listeners = new Set<(event: ChangeEvent) => void>();
  #tail?: Redis;
  #loop?: Promise<void>;
  #closed = false;
  #last = "";

  /** Creates the feed; {@linkcode start} begins tailing. */
  constructor(backend: FeedBackend) {
    this.#backend = backend;
  }

  /** Begins tailing from the newest event now held. */
  async start(): Promise<void> {
    this.#last = await this.#backend.revision();
    const tail = this.#backend.tailClient();
    this.#tail = tail;
    this.#loop = this.#run(tail);
  }

  async read(
    after: string | undefined,
    limit: number,
  ): Promise<{ events: ChangeEvent[]; reset: boolean; revision: string }> {
    if (after === undefined) {
      return { events: [], reset: false, revision: await this.#backend.revision() };
    }
    if (after !== "" && !isStreamId(after)) {
      return { events: [], reset: true, revision: await this.#backend.revision() };
    }
    const reply = await this.#backend.read(after, Math.max(1, Math.floor(limit)));
    const [reset, revision, ...entries] = reply as [number, string, ...unknown[]];
    return { events: eventsFrom(entries), reset: reset === 1, revision };
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    // A fresh function per call, so one listener subscribed twice is two subscriptions.
    const entry = (event: ChangeEvent) => listener(event);
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  revision(): Promise<string> {
    return this.#backend.revision();
  }

  compare(a: string, b: string): number {
    return compareStreamIds(a, b);
  }

  async #run(tail: Redis): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      try {
        if (tail.status === "wait") await tail.connect();
        if (failures > 0) await this.#checkGap();
        const reply = await tail.call(
          "xread",
          "COUNT",
          TAIL_BATCH,
          "BLOCK",
          BLOCK_MS,
          "STREAMS",
          this.#backend.streamKey,
          this.#last === "" ? "0-0" : this.#last,
        ) as [string, unknown[]][] | null;
        if (failures > 0) {
          this.#backend.logger.info("change feed: tailing again", { after: this.#last });
        }
        failures = 0;
        if (reply === null) continue;
        for (const event of eventsFrom(reply[0][1])) {
          this.#last = event.id;
          this.#deliver(event);
        }
      } catch (error) {
        if (this.#closed) break;
        if (failures === 0) {
          this.#backend.logger.warn("change feed: tail interrupted; retrying", {
            error: error instanceof Error ? error.message : String(error),
          });
        }
        failures++;
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * failures, 1000)));
      }
    }
  }

  // After an outage, events the tail had not read may have been trimmed.
  async #checkGap(): Promise<void> {
    const trimmed = await this.#backend.trimmed();
    if (trimmed !== "" && compareStreamIds(trimmed, this.#last) > 0) {
      this.#backend.logger.warn("change feed: events were trimmed before this replica read them", {
        after: this.#last,
        trimmedThrough: trimmed,
      });
    }
  }

  #deliver(event: ChangeEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#backend.logger.error("change feed listener threw", {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  /** Stops tailing and closes the tail's connection. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#tail?.disconnect();
    await this.#loop;
  }
}
