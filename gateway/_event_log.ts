/**
 * The memory store's change log: a bounded, ordered log of
 * {@linkcode ChangeEvent}s (the `/watch` stream resumes from it) and the
 * webhook outbox over the same events (kept until acknowledged, bounded).
 * Both are written into the snapshot, so a restart loses neither.
 *
 * Ids are `<epoch>-<seq>`, both decimal: `seq` counts every event the
 * directory ever logged, and the epoch is new at each start of the process
 * (its start time in ms, and always above every epoch before it). A crash
 * loses the events logged after the last snapshot; after it, the gateway
 * logs new events under a new epoch, so no id ever names two different
 * events, and an id of a lost event is not held: whoever resumes from it is
 * told to list again. Ids order by epoch, then by seq.
 *
 * A resume id is honoured only when the log holds it exactly: an event it
 * holds, or the id just before the oldest it holds (the revision of a quiet
 * log). Anything else (lost in a crash, older than what is held, from
 * another directory) gets `reset`.
 *
 * @module
 */
import type { ChangeEvent, ChangeFeed, Outbox } from "./store.ts";

/** Options of {@linkcode EventLog}. */
export interface EventLogOptions {
  /** The clock, ms. */
  clock: () => number;
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
  /** The epoch of the process that wrote it (decimal ms). */
  generation: string;
  /** The last sequence number given. */
  seq: number;
  /**
   * The id just before the oldest event held (`""` when the log never
   * dropped one); absent in snapshots of the first log format.
   */
  floor?: string;
  /** Events still held for resumption, oldest first. */
  events: ChangeEvent[];
  /** Events not yet acknowledged by the webhook dispatcher, oldest first. */
  pending: ChangeEvent[];
}

const ID = /^(\d{1,16})-(\d{1,15})$/;

/** An id's epoch and seq, or `undefined` for a string of another form. */
function parseId(id: string): [epoch: number, seq: number] | undefined {
  const match = ID.exec(id);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * The epoch a start of the process logs under: its start time, and above
 * every epoch used before (`after`), so ids stay ordered even when the clock
 * went back.
 */
export function nextEpoch(now: number, after: number): number {
  return Math.max(Math.floor(now), Math.floor(after) + 1);
}

/** The memory change log: a {@linkcode ChangeFeed} and an {@linkcode Outbox}. */
export class EventLog implements ChangeFeed, Outbox {
  readonly #clock: () => number;
  readonly #maxEvents: number;
  readonly #retentionMs: number;
  readonly #maxPending: number;
  readonly #onDrop: (count: number) => void;
  #epoch: number;
  #seq = 0;
  #events: ChangeEvent[] = [];
  #appendedAt: number[] = [];
  #head = 0; // index of the oldest held event in #events
  // The id just before the oldest held event: "" while nothing was ever
  // dropped, undefined when not known (restored from the first format).
  #floor: string | undefined = "";
  #last = ""; // the newest id: the revision
  #pending: Map<string, ChangeEvent> | undefined;
  #takenBy = new Map<string, string>(); // event id → the consumer that took it
  #listeners = new Set<(event: ChangeEvent) => void>();
  /** Undelivered events dropped because the outbox was full. */
  dropped = 0;
  /** Acknowledgements so far (a change the snapshot must keep). */
  acks = 0;

  /** Creates an empty log whose epoch is the clock's time. */
  constructor(options: EventLogOptions) {
    this.#clock = options.clock;
    this.#epoch = Math.floor(options.clock());
    this.#maxEvents = options.maxEvents ?? 10_000;
    this.#retentionMs = options.retentionMs ?? 600_000;
    this.#maxPending = options.maxPending ?? 100_000;
    this.#onDrop = options.onDrop ?? (() => {});
    if (options.outbox) this.#pending = new Map();
  }

  /** The epoch new ids are given under. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Appends an event, giving it the next id, and tells subscribers. */
  append(event: Omit<ChangeEvent, "id">): ChangeEvent {
    const full = { id: `${this.#epoch}-${++this.#seq}`, ...event } as ChangeEvent;
    this.#last = full.id;
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
    ) this.#floor = this.#events[this.#head++].id;
    // Compact once the dead prefix is as large as what is held.
    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#appendedAt = this.#appendedAt.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Where the events after `after` start in #events, or undefined when `after` is not held. */
  #indexAfter(after: string): number | undefined {
    if (after === this.#floor) return this.#head;
    const seq = parseId(after)?.[1];
    const held = this.#events.length - this.#head;
    if (seq === undefined || held === 0) return undefined;
    // Held events have consecutive seqs ending at #seq.
    const index = this.#head + seq - (this.#seq - held + 1);
    if (index < this.#head || index >= this.#events.length) return undefined;
    // The same seq under another epoch is another event (one lost in a crash).
    return this.#events[index].id === after ? index + 1 : undefined;
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
    const revision = this.#last;
    if (after === undefined) return { events: [], reset: false, revision };
    const start = this.#indexAfter(after);
    // Lost in a crash, older than what is held, never given, or foreign: list again.
    if (start === undefined) return { events: [], reset: true, revision };
    return { events: this.#events.slice(start, start + limit), reset: false, revision };
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

  /** The id of the newest event, synchronously (`""` when none was ever logged). */
  revisionNow(): string {
    return this.#last;
  }

  /** Orders two ids: by epoch, then by seq (ids of another form sort first). */
  compare(a: string, b: string): number {
    const x = parseId(a);
    const y = parseId(b);
    if (!x || !y) return (x ? 1 : 0) - (y ? 1 : 0);
    return x[0] - y[0] || x[1] - y[1];
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
      generation: String(this.#epoch),
      seq: this.#seq,
      ...(this.#floor === undefined ? {} : { floor: this.#floor }),
      events: this.#events.slice(this.#head),
      pending: [...(this.#pending?.values() ?? [])],
    };
  }

  /**
   * Restores a snapshot's log, before any event is appended (events become
   * re-deliverable: at least once). New ids get a new epoch, above the
   * snapshot's and above `after` (the last epoch this directory started
   * under, kept apart from the snapshot because a crash can lose the
   * snapshot's last writes but not a start).
   */
  restore(state: EventLogState, after = 0): void {
    const seq = Number.isSafeInteger(state.seq) && state.seq >= 0 ? state.seq : 0;
    // Held events must be the consecutive run ending at seq; what is not is
    // dropped (not resumable: its readers list again).
    const kept: ChangeEvent[] = [];
    for (let i = state.events.length - 1; i >= 0; i--) {
      if (parseId(state.events[i].id)?.[1] !== seq - kept.length) break;
      kept.push(state.events[i]);
    }
    kept.reverse();
    // The floor holds when it is the id just before the oldest event kept.
    const floorSeq = state.floor === "" ? 0 : parseId(state.floor ?? "")?.[1];
    const floor = kept.length === state.events.length && floorSeq === seq - kept.length
      ? state.floor
      : undefined;
    let previous = Math.max(
      after,
      /^\d{1,16}$/.test(state.generation) ? Number(state.generation) : 0,
    );
    for (const id of [floor ?? "", kept.at(-1)?.id ?? ""]) {
      previous = Math.max(previous, parseId(id)?.[0] ?? 0);
    }
    this.#epoch = nextEpoch(this.#clock(), previous);
    this.#seq = seq;
    const now = this.#clock();
    this.#events = kept;
    // Events from before the restart count as appended now for retention.
    this.#appendedAt = kept.map(() => now);
    this.#head = 0;
    // A quiet log whose floor is not known names the restored state anew.
    this.#floor = floor ?? (kept.length === 0 ? `${this.#epoch}-${seq}` : undefined);
    this.#last = kept.at(-1)?.id ?? this.#floor ?? "";
    if (this.#pending) {
      this.#pending.clear();
      this.#takenBy.clear();
      for (const event of state.pending) this.#pending.set(event.id, event);
    }
  }
}
