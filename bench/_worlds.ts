/**
 * Benchmark worlds: real Ed25519 identities held by signer workers (one per
 * core), the announces and heartbeats they sign, and the registry input an
 * announce amounts to, for filling a registry without HTTP.
 *
 * @module
 */
import type { AnnounceInput } from "../gateway/mod.ts";
import type { AnnounceFields } from "../protocol/mod.ts";
import type { SignerRequest } from "./_signer_worker.ts";

/** What a benchmark world announces: one endpoint, one world capability. */
export function worldFields(worldId: string, index: number): AnnounceFields {
  return {
    alias: `Bench world ${index}`,
    version: "1.0.0",
    endpoints: [{ address: "127.0.0.1", port: 20_000 + (index % 40_000), transport: "tcp" }],
    capabilities: [`world:${worldId}`],
  };
}

/** A world of a benchmark: its public identity and world id. */
export interface BenchWorld {
  agentId: string;
  publicKeyB64: string;
  worldId: string;
}

type Job = [world: number, time: number];

/**
 * Worlds `<prefix>-0` … `<prefix>-<count-1>` whose private keys live in
 * signer workers; world i is held by worker i mod workers.
 */
export class Fleet {
  readonly prefix: string;
  readonly worlds: BenchWorld[];
  #workers: Worker[];
  #pending = new Map<number, (result: unknown) => void>();
  #nextId = 0;

  private constructor(prefix: string, workers: Worker[]) {
    this.prefix = prefix;
    this.worlds = [];
    this.#workers = workers;
    for (const worker of workers) {
      worker.onmessage = (event: MessageEvent<{ id: number; result: unknown }>) => {
        const resolve = this.#pending.get(event.data.id)!;
        this.#pending.delete(event.data.id);
        resolve(event.data.result);
      };
    }
  }

  /** Creates `count` worlds with fresh identities, on `workers` signer workers. */
  static async create(
    count: number,
    prefix: string,
    workers = navigator.hardwareConcurrency,
  ): Promise<Fleet> {
    const fleet = new Fleet(
      prefix,
      Array.from(
        { length: Math.max(1, workers) },
        () => new Worker(new URL("./_signer_worker.ts", import.meta.url).href, { type: "module" }),
      ),
    );
    const indices = Array.from({ length: count }, (_, i) => i);
    const keys = await fleet.#scatter(
      indices,
      (id, share) => ({ id, type: "create", worlds: share }),
    ) as [string, string][];
    for (let i = 0; i < count; i++) {
      fleet.worlds.push({
        agentId: keys[i][0],
        publicKeyB64: keys[i][1],
        worldId: `${prefix}-${i}`,
      });
    }
    return fleet;
  }

  /** Signed heartbeat bodies (JSON text), one per `[world, ts]`, in order. */
  async heartbeats(jobs: Job[]): Promise<string[]> {
    return await this.#scatter(
      jobs,
      (id, share) => ({ id, type: "heartbeats", jobs: share }),
    ) as string[];
  }

  /** Signed announce bodies (JSON text), one per `[world, timestamp]`, in order. */
  async announces(jobs: Job[]): Promise<string[]> {
    return await this.#scatter(
      jobs,
      (id, share) => ({ id, type: "announces", jobs: share, prefix: this.prefix }),
    ) as string[];
  }

  /** What the registry records for a world's announce (for filling it directly). */
  announceInput(world: number, timestamp: number): AnnounceInput {
    const { agentId, publicKeyB64, worldId } = this.worlds[world];
    const fields = worldFields(worldId, world);
    return {
      agentId,
      publicKey: publicKeyB64,
      alias: fields.alias,
      version: fields.version,
      endpoints: fields.endpoints,
      capabilities: fields.capabilities,
      protocolVersion: "1.2",
      worldId,
      timestamp,
    };
  }

  /** Stops the signer workers. */
  close(): void {
    for (const worker of this.#workers) worker.terminate();
  }

  /** Sends each item to the worker holding its world, and reassembles answers in order. */
  async #scatter<T extends number | Job>(
    items: T[],
    request: (id: number, share: T[]) => SignerRequest,
  ): Promise<unknown[]> {
    const count = this.#workers.length;
    const shares: T[][] = Array.from({ length: count }, () => []);
    for (const item of items) {
      const world = typeof item === "number" ? item : item[0];
      shares[world % count].push(item);
    }
    const answers = await Promise.all(shares.map((share, w) => {
      const id = this.#nextId++;
      const { promise, resolve } = Promise.withResolvers<unknown>();
      this.#pending.set(id, resolve);
      this.#workers[w].postMessage(request(id, share));
      return promise as Promise<unknown[]>;
    }));
    const out: unknown[] = [];
    const cursor = new Array<number>(count).fill(0);
    for (const item of items) {
      const world = typeof item === "number" ? item : item[0];
      out.push(answers[world % count][cursor[world % count]++]);
    }
    return out;
  }
}
