/**
 * A store that can be cut off: a real lease store behind a switch. While
 * `down` is true, every call that would reach the backing store rejects with
 * `StoreUnavailableError` (as the Redis store does while Redis is
 * unreachable) and `status()` says so; switched back, the same records are
 * there again. Tests use it to hold the gateway to "an outage answers 503
 * with Retry-After, never 404".
 *
 * @module
 */
import {
  type ChangeFeed,
  type LeaseStore,
  type Outbox,
  type StoreStatus,
  StoreUnavailableError,
} from "../gateway/mod.ts";

/** A {@linkcode LeaseStore} that fails every call while {@linkcode OutageStore.down} is set. */
export class OutageStore implements LeaseStore {
  /** Whether the backing store is unreachable now. */
  down = false;
  readonly #inner: LeaseStore;
  readonly feed: ChangeFeed;

  /** Wraps `inner`; it starts reachable. */
  constructor(inner: LeaseStore) {
    this.#inner = inner;
    const guard = this.#guard;
    this.feed = {
      read: (after, limit) => guard(() => inner.feed.read(after, limit)),
      revision: () => guard(() => inner.feed.revision()),
      subscribe: (listener) => inner.feed.subscribe(listener),
      compare: (a, b) => inner.feed.compare(a, b),
    };
  }

  readonly #guard = <T>(call: () => Promise<T>): Promise<T> =>
    this.down
      ? Promise.reject(new StoreUnavailableError("connection refused (test outage)"))
      : call();

  get kind(): string {
    return this.#inner.kind;
  }
  get ttlMs(): number {
    return this.#inner.ttlMs;
  }
  get outbox(): Outbox {
    return this.#inner.outbox;
  }
  status(): StoreStatus {
    return this.down
      ? { reachable: false, error: "connection refused (test outage)" }
      : this.#inner.status();
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
  subscribeState(listener: (worldId: string, frame: string) => void): () => void {
    return this.#inner.subscribeState(listener);
  }

  now: LeaseStore["now"] = () => this.#guard(() => this.#inner.now());
  announce: LeaseStore["announce"] = (input) => this.#guard(() => this.#inner.announce(input));
  renew: LeaseStore["renew"] = (agentId, ts) => this.#guard(() => this.#inner.renew(agentId, ts));
  revoke: LeaseStore["revoke"] = (agentId, reason, ts) =>
    this.#guard(() => this.#inner.revoke(agentId, reason, ts));
  sweep: LeaseStore["sweep"] = (limit) => this.#guard(() => this.#inner.sweep(limit));
  nextDeadline: LeaseStore["nextDeadline"] = () => this.#guard(() => this.#inner.nextDeadline());
  get: LeaseStore["get"] = (agentId) => this.#guard(() => this.#inner.get(agentId));
  getWorld: LeaseStore["getWorld"] = (worldId) => this.#guard(() => this.#inner.getWorld(worldId));
  listAgents: LeaseStore["listAgents"] = (limit, cursor) =>
    this.#guard(() => this.#inner.listAgents(limit, cursor));
  listWorlds: LeaseStore["listWorlds"] = (limit, cursor) =>
    this.#guard(() => this.#inner.listWorlds(limit, cursor));
  counts: LeaseStore["counts"] = () => this.#guard(() => this.#inner.counts());
  owner: LeaseStore["owner"] = (worldId) => this.#guard(() => this.#inner.owner(worldId));
  listOwners: LeaseStore["listOwners"] = (limit, after) =>
    this.#guard(() => this.#inner.listOwners(limit, after));
  rotate: LeaseStore["rotate"] = (input) => this.#guard(() => this.#inner.rotate(input));
  transferWorld: LeaseStore["transferWorld"] = (worldId, to) =>
    this.#guard(() => this.#inner.transferWorld(worldId, to));
  releaseWorld: LeaseStore["releaseWorld"] = (worldId) =>
    this.#guard(() => this.#inner.releaseWorld(worldId));
  setReachable: LeaseStore["setReachable"] = (agentId, reachable) =>
    this.#guard(() => this.#inner.setReachable(agentId, reachable));
  acceptState: LeaseStore["acceptState"] = (worldId, ts) =>
    this.#guard(() => this.#inner.acceptState(worldId, ts));
  publishState: LeaseStore["publishState"] = (worldId, frame) =>
    this.#guard(() => this.#inner.publishState(worldId, frame));
}
