/**
 * The members of a world as leases: a member is granted by a join, renewed
 * by every message it sends, revoked by a leave and expires when it has been
 * silent for the idle timeout. Expiry is a deadline: an expired member is
 * invisible to readers at once, whenever the sweep that removes it runs.
 *
 * @module
 */
import type { Endpoint } from "../protocol/mod.ts";

/** One member of a world. */
export interface Member {
  /** The member's agent id. */
  readonly agentId: string;
  /** Base64 of the member's public key. */
  readonly publicKey: string;
  /** The member's display name. */
  alias: string;
  /** The endpoints the member gave when it joined. */
  endpoints: Endpoint[];
  /** Where state broadcasts go: the preferred endpoint's `/peer/message`, if any. */
  messageUrl?: URL;
  /** When the member first joined, in ms since the epoch. */
  readonly joinedAt: number;
  /** When the world last heard from the member, in ms since the epoch. */
  lastSeen: number;
}

/** The members of one world, keyed by agent id. */
export class MemberTable {
  readonly #members = new Map<string, Member>();
  readonly #idleTimeoutMs: number;

  constructor(idleTimeoutMs: number) {
    this.#idleTimeoutMs = idleTimeoutMs;
  }

  /** When a member's lease ends, in ms since the epoch. */
  expiresAt(member: Member): number {
    return member.lastSeen + this.#idleTimeoutMs;
  }

  /** The live member with this id, if any. */
  get(agentId: string, now: number): Member | undefined {
    const member = this.#members.get(agentId);
    return member && now < this.expiresAt(member) ? member : undefined;
  }

  /** Every live member, in join order. */
  live(now: number): Member[] {
    return [...this.#members.values()].filter((member) => now < this.expiresAt(member));
  }

  /** Adds or replaces a member. */
  set(member: Member): void {
    this.#members.set(member.agentId, member);
  }

  /** Removes a member; returns it when it was there. */
  delete(agentId: string): Member | undefined {
    const member = this.#members.get(agentId);
    this.#members.delete(agentId);
    return member;
  }

  /** Removes every expired member and returns them. */
  takeExpired(now: number): Member[] {
    const expired = [...this.#members.values()].filter((member) => now >= this.expiresAt(member));
    for (const member of expired) this.#members.delete(member.agentId);
    return expired;
  }
}

/**
 * Remembers the newest message timestamp accepted from each sender, so a
 * replayed message is refused. An entry is forgotten once its timestamp has
 * left the accepted clock window, since anything that old is refused anyway.
 */
export class ReplayGuard {
  readonly #newest = new Map<string, number>();
  readonly #windowMs: number;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Records `timestamp` for `sender` and returns true when it is newer than the last one. */
  accept(sender: string, timestamp: number): boolean {
    const newest = this.#newest.get(sender);
    if (newest !== undefined && timestamp <= newest) return false;
    this.#newest.set(sender, timestamp);
    return true;
  }

  /** Forgets the senders whose newest timestamp is out of the window. */
  prune(now: number): void {
    for (const [sender, newest] of this.#newest) {
      if (newest < now - this.#windowMs) this.#newest.delete(sender);
    }
  }
}
