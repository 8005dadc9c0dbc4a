/**
 * A signer for {@linkcode Fleet}: holds the private keys of its share of the
 * benchmark worlds and signs their announces and heartbeats on request, so
 * key generation and signing use every core and keys never leave it.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import {
  createAnnounce,
  createHeartbeat,
  generateIdentity,
  type Identity,
} from "../protocol/mod.ts";
import { worldFields } from "./_worlds.ts";

const identities = new Map<number, Identity>();

/** A request from the fleet; every answer carries the request's `id`. */
export type SignerRequest =
  | { id: number; type: "create"; worlds: number[] }
  | { id: number; type: "heartbeats"; jobs: [world: number, ts: number][] }
  | {
    id: number;
    type: "announces";
    jobs: [world: number, timestamp: number][];
    prefix: string;
  };

self.onmessage = async (event: MessageEvent<SignerRequest>) => {
  const request = event.data;
  if (request.type === "create") {
    const keys: [agentId: string, publicKeyB64: string][] = [];
    for (const world of request.worlds) {
      const identity = await generateIdentity();
      identities.set(world, identity);
      keys.push([identity.agentId, identity.publicKeyB64]);
    }
    self.postMessage({ id: request.id, result: keys });
  } else if (request.type === "heartbeats") {
    const bodies: string[] = [];
    for (const [world, ts] of request.jobs) {
      bodies.push(JSON.stringify(await createHeartbeat(identities.get(world)!, ts)));
    }
    self.postMessage({ id: request.id, result: bodies });
  } else {
    const bodies: string[] = [];
    for (const [world, timestamp] of request.jobs) {
      const fields = worldFields(`${request.prefix}-${world}`, world);
      bodies.push(
        JSON.stringify(await createAnnounce(identities.get(world)!, fields, timestamp)),
      );
    }
    self.postMessage({ id: request.id, result: bodies });
  }
};
