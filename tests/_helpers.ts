/**
 * Test helpers: the wire vectors and tiny assertions.
 *
 * @module
 */
import vectors from "./fixtures/agentworld-1.2.json" with { type: "json" };
import { identityFromSeed } from "../protocol/mod.ts";

export { vectors };

export function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
}

/** The vectors' identities, rebuilt from their seeds. */
export function vectorIdentity(index: number) {
  return identityFromSeed(hexToBytes(vectors.identities[index].seedHex));
}
