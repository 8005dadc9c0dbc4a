/**
 * When the registry is written: every interval when anything changed
 * (heartbeats included), shortly after announces, and on shutdown. One write
 * at a time; a request during a write runs once it finishes.
 *
 * @module
 */
import type { Registry } from "./registry.ts";
import { writeSnapshot } from "./snapshot.ts";

/** Schedules and runs snapshot writes for one registry. */
export class SnapshotWriter {
  #path: string;
  #registry: Registry;
  #clock: () => number;
  #log: (message: string) => void;
  #savedVersion: number;
  #running: Promise<void> | undefined;
  #again = false;
  #soon: ReturnType<typeof setTimeout> | undefined;
  /** Completed writes. */
  writes = 0;
  /** Duration of the last write, in ms. */
  lastWriteMs = 0;

  /** Creates a writer for `path`; nothing is written until asked or scheduled. */
  constructor(
    path: string,
    registry: Registry,
    clock: () => number,
    log: (message: string) => void,
  ) {
    this.#path = path;
    this.#registry = registry;
    this.#clock = clock;
    this.#log = log;
    this.#savedVersion = registry.version;
  }

  /** Whether the registry changed since the last write began. */
  get dirty(): boolean {
    return this.#registry.version !== this.#savedVersion;
  }

  /** Writes within `delayMs` unless a write is already scheduled (debounce). */
  saveSoon(delayMs: number): void {
    if (this.#soon !== undefined) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      this.save().catch(() => {});
    }, delayMs);
  }

  /** Writes now if anything changed since the last write. */
  saveIfChanged(): Promise<void> {
    return this.dirty ? this.save() : Promise.resolve();
  }

  /** Writes now (after the write in progress, if any). Failures are logged and rethrown. */
  save(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#write().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.save().catch(() => {});
      }
    });
    return this.#running;
  }

  async #write(): Promise<void> {
    const version = this.#registry.version;
    const started = performance.now();
    try {
      await writeSnapshot(this.#path, this.#registry, this.#clock());
      this.#savedVersion = version;
      this.writes++;
      this.lastWriteMs = performance.now() - started;
    } catch (error) {
      this.#log(`snapshot write to ${this.#path} failed: ${(error as Error).message}`);
      throw error;
    }
  }

  /** Cancels a pending debounced write and waits for one in progress, then writes if dirty. */
  async flush(): Promise<void> {
    if (this.#soon !== undefined) {
      clearTimeout(this.#soon);
      this.#soon = undefined;
    }
    while (this.#running) await this.#running.catch(() => {});
    await this.saveIfChanged();
  }

  /** Cancels a pending debounced write. */
  cancel(): void {
    if (this.#soon !== undefined) clearTimeout(this.#soon);
    this.#soon = undefined;
  }
}
