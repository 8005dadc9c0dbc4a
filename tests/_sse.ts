/**
 * Test helpers for Server-Sent Events: a reader of `text/event-stream`
 * blocks, and an in-memory change feed with a bounded retention.
 *
 * @module
 */
import type { ChangeEvent, ChangeFeed, ChangeRead, ChangeType } from "../gateway/store.ts";

/** One SSE block: its fields (the last of each name) and comment lines. */
export interface SseBlock {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comments: string[];
}

/** Reads SSE blocks from a response body, one at a time. */
export class SseReader {
  #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #blocks: SseBlock[] = [];

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** The next block, or throws after `ms` (or when the stream ends). */
  async next(ms = 5000): Promise<SseBlock> {
    const deadline = Date.now() + ms;
    while (this.#blocks.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no SSE block within ${ms} ms`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no SSE block within ${ms} ms`)), left);
      });
      try {
        const { value, done } = await Promise.race([this.#reader.read(), timeout]);
        if (done) throw new Error("the stream ended");
        this.#buffer += value;
      } finally {
        clearTimeout(timer);
      }
      let end: number;
      while ((end = this.#buffer.indexOf("\n\n")) >= 0) {
        this.#blocks.push(parseBlock(this.#buffer.slice(0, end)));
        this.#buffer = this.#buffer.slice(end + 2);
      }
    }
    return this.#blocks.shift()!;
  }

  /** The next block that is an event (has `event:`), skipping keep-alives. */
  async nextEvent(ms = 5000): Promise<{ id: string; event: string; data: unknown }> {
    for (;;) {
      const block = await this.next(ms);
      if (block.event !== undefined) {
        return { id: block.id ?? "", event: block.event, data: JSON.parse(block.data ?? "null") };
      }
    }
  }

  /** Whether a read would find nothing within `ms` (the stream is quiet). */
  async quiet(ms = 50): Promise<boolean> {
    try {
      await this.next(ms);
      return false;
    } catch (error) {
      if ((error as Error).message.startsWith("no SSE block")) return true;
      throw error;
    }
  }

  /** Stops reading; the server sees the client go. */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

function parseBlock(text: string): SseBlock {
  const block: SseBlock = { comments: [] };
  for (const line of text.split("\n")) {
    if (line.startsWith(":")) {
      block.comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (name === "id" || name === "event" || name === "data" || name === "retry") {
      block[name] = value;
    }
  }
  return block;
}

/**
 * A change feed in memory for tests: ids are `<prefix><n>`, the oldest
 * events are forgotten past `retention`.
 */
export class MemoryFeed implements ChangeFeed {
  readonly events: ChangeEvent[] = [];
  readonly prefix: string;
  readonly retention: number;
  #seq = 0;
  #listeners = new Set<(event: ChangeEvent) => void>();

  constructor({ prefix = "m", retention = 1000 }: { prefix?: string; retention?: number } = {}) {
    this.prefix = prefix;
    this.retention = retention;
  }

  /** Appends an event and tells the subscribers. */
  append(type: ChangeType, fields: Partial<ChangeEvent> = {}): ChangeEvent {
    const seq = ++this.#seq;
    const event: ChangeEvent = {
      id: `${this.prefix}${seq}`,
      type,
      at: 1_000 + seq,
      agentId: `aw:sha256:${String(seq).padStart(64, "0")}`,
      ...(type.startsWith("world.") ? { worldId: `w${seq}` } : {}),
      ...fields,
    };
    this.events.push(event);
    if (this.events.length > this.retention) this.events.shift();
    for (const listener of this.#listeners) listener(event);
    return event;
  }

  #seqOf(id: string): number | undefined {
    if (!id.startsWith(this.prefix)) return undefined;
    const n = Number(id.slice(this.prefix.length));
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  }

  read(after: string | undefined, limit: number): Promise<ChangeRead> {
    const revision = `${this.prefix}${this.#seq}`;
    const oldest = this.events.length === 0 ? this.#seq + 1 : this.#seqOf(this.events[0].id)!;
    const from = after === undefined ? oldest - 1 : this.#seqOf(after);
    if (from === undefined || from < oldest - 1 || from > this.#seq) {
      return Promise.resolve({ events: [], reset: true, revision });
    }
    const events = this.events.filter((e) => this.#seqOf(e.id)! > from).slice(0, limit);
    return Promise.resolve({ events, reset: false, revision });
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  revision(): Promise<string> {
    return Promise.resolve(`${this.prefix}${this.#seq}`);
  }

  compare(a: string, b: string): number {
    return (this.#seqOf(a) ?? -1) - (this.#seqOf(b) ?? -1);
  }

  /** How many subscribers it has (the hub unsubscribes when a client goes). */
  get subscribers(): number {
    return this.#listeners.size;
  }
}

/** Interval timers a test fires by hand. */
export class FakeTimers {
  #next = 1;
  readonly intervals = new Map<number, () => void>();

  setInterval = (callback: () => void, _ms: number): number => {
    const id = this.#next++;
    this.intervals.set(id, callback);
    return id;
  };

  clearInterval = (handle: unknown): void => {
    this.intervals.delete(handle as number);
  };

  /** Runs every interval's callback once, as if its period passed. */
  fire(): void {
    for (const callback of [...this.intervals.values()]) callback();
  }
}
