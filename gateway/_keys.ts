/**
 * The heartbeat hot path's key cache, kept in the HTTP adapter (the store
 * owns records, not crypto): an agent's imported verification key and the
 * protocol version its lease was announced with. An agent id is the hash of
 * its key, so a cached key is never stale; the version may be, and a failed
 * verification looks the record up again once.
 *
 * @module
 */
import { fromBase64 } from "../protocol/_bytes.ts";
import { importVerifyKey, type VerifyKey } from "../protocol/_ed25519.ts";
import { isSupportedVersion, PROTOCOL_VERSION, type ProtocolVersion } from "../protocol/mod.ts";
import type { LeaseRecord, LeaseStore } from "./store.ts";

/** What a heartbeat is verified with. */
export interface AgentKey {
  /** The imported key. */
  key: VerifyKey;
  /** Base64 of the raw key. */
  publicKey: string;
  /** The protocol version the lease was announced with. */
  protocolVersion: ProtocolVersion;
}

function versionOf(value: string): ProtocolVersion {
  return isSupportedVersion(value) ? value : PROTOCOL_VERSION;
}

/** Imported keys by agent id, at most `max` of them (oldest dropped first). */
export class KeyCache {
  readonly #store: LeaseStore;
  readonly #max: number;
  #keys = new Map<string, Promise<AgentKey | undefined>>();

  /** Creates a cache in front of `store`. */
  constructor(store: LeaseStore, max: number) {
    this.#store = store;
    this.#max = max;
  }

  /** Remembers a live record's key (after an announce). */
  remember(record: Pick<LeaseRecord, "agentId" | "publicKey" | "protocolVersion">): void {
    const cached = this.#keys.get(record.agentId);
    if (cached) {
      this.#keys.set(
        record.agentId,
        cached.then((entry) =>
          entry
            ? { ...entry, protocolVersion: versionOf(record.protocolVersion) }
            : importAgentKey(record.publicKey, record.protocolVersion)
        ),
      );
      return;
    }
    this.#put(record.agentId, importAgentKey(record.publicKey, record.protocolVersion));
  }

  /** The key of a live agent: cached, or from the store (`undefined` when the agent is not live). */
  async get(agentId: string): Promise<AgentKey | undefined> {
    const cached = this.#keys.get(agentId);
    if (cached) return await cached;
    const record = await this.#store.get(agentId);
    if (!record) return undefined;
    const entry = importAgentKey(record.publicKey, record.protocolVersion);
    this.#put(agentId, entry);
    return await entry;
  }

  /** Looks the record up again (its version may have changed); the refreshed key, if live. */
  async refresh(agentId: string): Promise<AgentKey | undefined> {
    this.#keys.delete(agentId);
    return await this.get(agentId);
  }

  /** Forgets an agent (its lease ended). */
  forget(agentId: string): void {
    this.#keys.delete(agentId);
  }

  /** Keys held. */
  get size(): number {
    return this.#keys.size;
  }

  #put(agentId: string, entry: Promise<AgentKey | undefined>): void {
    this.#keys.set(agentId, entry);
    if (this.#keys.size > this.#max) this.#keys.delete(this.#keys.keys().next().value!);
  }
}

async function importAgentKey(
  publicKey: string,
  protocolVersion: string,
): Promise<AgentKey | undefined> {
  const raw = fromBase64(publicKey);
  if (!raw || raw.length !== 32) return undefined;
  try {
    return {
      key: await importVerifyKey(raw),
      publicKey,
      protocolVersion: versionOf(protocolVersion),
    };
  } catch {
    return undefined;
  }
}
