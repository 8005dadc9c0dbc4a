/**
 * The live agents an announce answer lists. Every announce answers with up to
 * 20 peers; reading them from the store for each announce made the listing
 * most of an announce's cost on the Redis store (a 21-record script and its
 * reply, more than the announce itself). So the list is read at most once
 * per `maxAgeMs` per gateway, and read again as soon as any lease ends (the
 * gateway calls {@linkcode PeerList.forget} on every `*.expired` change,
 * whichever replica made it): a peer that left is never listed, and one that
 * just came is missing for at most `maxAgeMs`. Directory reads (`/worlds`,
 * `/agents`, `/peer/peers`) always read the store.
 *
 * @module
 */
import type { LeaseRecord, LeaseStore } from "./store.ts";

/** How long a peer list is reused, in ms. */
export const PEER_LIST_MAX_AGE_MS = 1000;

/** Most records read for a list: enough for both announce answers' filters. */
const PEERS_READ = 100;

/** The announce answers' peers, read from the store at most once per `maxAgeMs`. */
export class PeerList {
  readonly #store: LeaseStore;
  readonly #clock: () => number;
  readonly #maxAgeMs: number;
  #records: readonly LeaseRecord[] | undefined;
  #readAt = -Infinity;
  #reading: Promise<readonly LeaseRecord[]> | undefined;
  /** Bumped by {@linkcode forget}: a read begun before it is not kept. */
  #generation = 0;

  constructor(store: LeaseStore, clock: () => number, maxAgeMs = PEER_LIST_MAX_AGE_MS) {
    this.#store = store;
    this.#clock = clock;
    this.#maxAgeMs = maxAgeMs;
  }

  /** The live agents, newest lease first (at most 100). */
  get(): Promise<readonly LeaseRecord[]> {
    const now = this.#clock();
    if (this.#records && now - this.#readAt < this.#maxAgeMs && now >= this.#readAt) {
      return Promise.resolve(this.#records);
    }
    // Announces arriving together share one read.
    if (this.#reading) return this.#reading;
    const generation = this.#generation;
    const reading = this.#store.listAgents(PEERS_READ).then(({ records }) => {
      if (generation === this.#generation) {
        this.#records = records;
        this.#readAt = now;
      }
      return records;
    }).finally(() => {
      if (this.#reading === reading) this.#reading = undefined;
    });
    this.#reading = reading;
    return reading;
  }

  /** A lease ended: the next announce reads the list again. */
  forget(): void {
    this.#records = undefined;
    this.#reading = undefined;
    this.#generation++;
  }
}
