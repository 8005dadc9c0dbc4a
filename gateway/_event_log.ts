/**
 * The memory store's change log: a bounded, ordered log of
 * {@linkcode ChangeEvent}s (the `/watch` stream resumes from it) and the
 * webhook outbox over the same events (kept until acknowledged, bounded).
 * Both are written into the snapshot, so a restart loses neither.
 *
 * Ids are `<generation>-<seq>`: the generation is made when a data directory
 * is new, so an id from another directory (or one whose snapshot was lost)
 * is recognised as foreign and the reader is told to list again.
 *
 * @module
 */
import type { ChangeEvent, ChangeFeed, Outbox } from "./store.ts";

/** Options of {@linkcode EventLog}. */
export interface EventLogOptions {
  /** The clock, ms. */
  clock: () => number;
  /** The log's generation (random when absent). */
  generation?: string;
  /** Most events kept for resumption. Default: 10000. */
  maxEvents?: number;
  /** How long events are kept for resumption, in ms. Default: 600000. */
  retentionMs?: number;
  /** Whether undelivered events are kept for webhooks. Default: false. */
  outbox?: boolean;
  /** Most undelivered events kept; the oldest are dropped past it. Default: 100000. */
  maxPending?: number;
  /** Told when undelivered events had to be dropped. */
  onDrop?: (count: number) => void;
}

/** What the snapshot keeps of the log. */
export interface EventLogState {
  /** The generation. */
  generation: string;
  /** The last sequence number given. */
  seq: number;
  /** Events still held for resumption, oldest first. */
  events: ChangeEvent[];
  /** Events not yet acknowledged by the webhook dispatcher, oldest first. */
  pending: ChangeEvent[];
}

const ID = /^([a-z0-9]{1,32})-(\d{1,15})$/;

/** A new random generation id. */
export function newGeneration(): string {
  return crypto.getRandomValues(new Uint32Array(2)).reduce((s, n) => s + n.toString(36), "")
    .slice(0, 12);
}

/** The memory change log: a {@linkcode ChangeFeed} and an {@linkcode Outbox}. */
export class EventLog implements ChangeFeed, Outbox {
  readonly #clock: () => number;
  readonly #maxEvents: number;
  readonly #retentionMs: number;
  readonly #maxPending: number;
  readonly #onDrop: (count: number) => void;
  #generation: string;
  #seq = 0;
  #events: ChangeEvent[] = [];
  #appendedAt: number[] = [];
  #head = 0; // index of the oldest held event in #events
  #pending: Map<string, ChangeEvent> | undefined;
  #takenBy = new Map<string, string>(); // event id → the consumer that took it
  #listeners = new Set<(event: ChangeEvent) => void>();
  /** Undelivered events dropped because the outbox was full. */
  dropped = 0;
  /** Acknowledgements so far (a change the snapshot must keep). */
  acks = 0;

  /** Creates an empty log. */
  constructor(options: EventLogOptions) {
    this.#clock = options.clock;
    this.#generation = options.generation ?? newGeneration();
    this.#maxEvents = options.maxEvents ?? 10_000;
    this.#retentionMs = options.retentionMs ?? 600_000;
    this.#maxPending = options.maxPending ?? 100_000;
    this.#onDrop = options.onDrop ?? (() => {});
    if (options.outbox) this.#pending = new Map();
  }

  /** The log's generation. */
  get generation(): string {
    return this.#generation;
  }

  /** Appends an event, giving it the next id, and tells subscribers. */
  append(event: Omit<ChangeEvent, "id">): ChangeEvent {
    const full = { id: `${this.#generation}-${++this.#seq}`, ...event } as ChangeEvent;
    this.#events.push(full);
    this.#appendedAt.push(this.#clock());
    this.#trim();
    if (this.#pending) {
      this.#pending.set(full.id, full);
      if (this.#pending.size > this.#maxPending) {
        let drop = this.#pending.size - this.#maxPending;
        this.dropped += drop;
        this.#onDrop(drop);
        for (const id of this.#pending.keys()) {
          if (drop-- <= 0) break;
          this.#pending.delete(id);
          this.#takenBy.delete(id);
        }
      }
    }
    for (const listener of this.#listeners) listener(full);
    return full;
  }

  #trim(): void {
    const oldestKept = this.#clock() - this.#retentionMs;
    while (
      this.#head < this.#events.length &&
      (this.#events.length - this.#head > this.#maxEvents ||
        this.#appendedAt[this.#head] < oldestKept)
    ) this.#head++;
    // Compact once the dead prefix is as large as what is held.
    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#appendedAt = this.#appendedAt.slice(this.#head);
      this.#head = 0;
    }
  }

  #seqOf(id: string): number | undefined {
    const match = ID.exec(id);
    if (!match || match[1] !== this.#generation) return undefined;
    return Number(match[2]);
  }

  /** Events after `after`; see {@linkcode ChangeFeed.read}. */
  read(
    after: string | undefined,
    limit: number,
  ): Promise<{ events: ChangeEvent[]; reset: boolean; revision: string }> {
    return Promise.resolve(this.readNow(after, limit));
  }

  /** {@linkcode EventLog.read}, synchronously. */
  readNow(
    after: string | undefined,
    limit: number,
  ): { events: ChangeEvent[]; reset: boolean; revision: string } {
    this.#trim();
    const revision = this.revisionNow();
    if (after === undefined) return { events: [], reset: false, revision };
    // "" is the revision of an empty log: everything since its start.
    const seq = after === "" ? 0 : this.#seqOf(after);
    // Foreign, from the future, or older than what is held: list again.
    if (seq === undefined || seq > this.#seq || seq < this.#firstSeq() - 1) {
      return { events: [], reset: true, revision };
    }
    const start = this.#head + (seq - (this.#firstSeq() - 1));
    return { events: this.#events.slice(start, start + limit), reset: false, revision };
  }

  #firstSeq(): number {
    return this.#seq - (this.#events.length - this.#head) + 1;
  }

  /** Calls `listener` with each new event; returns the unsubscribe function. */
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The id of the newest event. */
  revision(): Promise<string> {
    return Promise.resolve(this.revisionNow());
  }

  /** The id of the newest event, synchronously (`""` when none). */
  revisionNow(): string {
    return this.#seq === 0 ? "" : `${this.#generation}-${this.#seq}`;
  }

  /** Orders two ids of this log (foreign ids sort first). */
  compare(a: string, b: string): number {
    return (this.#seqOf(a) ?? -1) - (this.#seqOf(b) ?? -1);
  }

  /** One process, one consumer: always the leader. */
  lead(_consumer: string, _leaseMs: number): Promise<boolean> {
    return Promise.resolve(true);
  }

  /**
   * Up to `limit` unacknowledged events, oldest first, that `consumer` has
   * not taken yet: events another consumer took and never acknowledged are
   * taken over.
   */
  take(consumer: string, limit: number): Promise<ChangeEvent[]> {
    const out: ChangeEvent[] = [];
    if (this.#pending) {
      for (const [id, event] of this.#pending) {
        if (out.length >= limit) break;
        if (this.#takenBy.get(id) === consumer) continue;
        this.#takenBy.set(id, consumer);
        out.push(event);
      }
    }
    return Promise.resolve(out);
  }

  /** Marks events delivered (or given up on). */
  ack(ids: string[]): Promise<void> {
    this.acks += ids.length;
    for (const id of ids) {
      this.#pending?.delete(id);
      this.#takenBy.delete(id);
    }
    return Promise.resolve();
  }

  /** Undelivered events and the time of the oldest. */
  backlog(): Promise<{ pending: number; oldestAt?: number }> {
    const first = this.#pending?.values().next().value;
    return Promise.resolve({ pending: this.#pending?.size ?? 0, oldestAt: first?.at });
  }

  /** What the snapshot keeps. */
  state(): EventLogState {
    this.#trim();
    return {
      generation: this.#generation,
      seq: this.#seq,
      events: this.#events.slice(this.#head),
      pending: [...(this.#pending?.values() ?? [])],
    };
  }

  /** Restores a snapshot's log (events become re-deliverable: at least once). */
  restore(state: EventLogState): void {
    this.#generation = state.generation;
    this.#seq = state.seq;
    const now = this.#clock();
    this.#events = state.events.filter((event) => (this.#seqOf(event.id) ?? 0) <= state.seq);
    // Events from before the restart count as appended now for retention.
    this.#appendedAt = this.#events.map(() => now);
    this.#head = 0;
    if (this.#pending) {
      this.#pending.clear();
      this.#takenBy.clear();
      for (const event of state.pending) this.#pending.set(event.id, event);
    }
  }
}
