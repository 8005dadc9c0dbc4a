/**
 * The shortcuts taken for throughput (issue 6) change no answer: a key
 * remembers which heartbeat separator it used, and agent ids of recent keys
 * are cached.
 *
 * @module
 */
import {
  agentIdFromPublicKey,
  AGENTWORLD_HEARTBEAT_SEPARATOR,
  createHeartbeat,
  DOMAIN_SEPARATORS,
  generateIdentity,
  importPublicKey,
  signWithDomainSeparator,
  verifyHeartbeat,
} from "../protocol/mod.ts";
import { assert, assertEquals, assertRejects } from "./assert.ts";

Deno.test("a key's heartbeats verify whichever separator each was signed under, in any order", async () => {
  const identity = await generateIdentity();
  const key = (await importPublicKey(identity.publicKeyB64))!;
  const signed = async (separator: string, ts: number) => ({
    agentId: identity.agentId,
    ts,
    signature: await signWithDomainSeparator(
      separator,
      { agentId: identity.agentId, ts },
      identity,
    ),
  });
  const order = [
    DOMAIN_SEPARATORS.HEARTBEAT,
    AGENTWORLD_HEARTBEAT_SEPARATOR,
    AGENTWORLD_HEARTBEAT_SEPARATOR,
    DOMAIN_SEPARATORS.HEARTBEAT,
    AGENTWORLD_HEARTBEAT_SEPARATOR,
  ];
  for (const [i, separator] of order.entries()) {
    const heartbeat = await signed(separator, 1000 + i);
    assert(
      await verifyHeartbeat(heartbeat, key),
      `heartbeat ${i} under ${JSON.stringify(separator)}`,
    );
    assertEquals(await verifyHeartbeat({ ...heartbeat, ts: heartbeat.ts + 1 }, key), false);
  }
  const other = await generateIdentity();
  assertEquals(await verifyHeartbeat(await createHeartbeat(other, 5), key), false);
  const unseparated = await signWithDomainSeparator(
    "",
    { agentId: identity.agentId, ts: 6 },
    identity,
  );
  assertEquals(
    await verifyHeartbeat({ agentId: identity.agentId, ts: 6, signature: unseparated }, key),
    false,
  );
});

Deno.test("agent ids of recent keys are cached without changing any answer", async () => {
  const identities = await Promise.all(Array.from({ length: 5 }, () => generateIdentity()));
  for (let round = 0; round < 3; round++) {
    for (const identity of identities) {
      assertEquals(await agentIdFromPublicKey(identity.publicKeyB64), identity.agentId);
    }
  }
  for (
    const bad of ["", "AAAA", identities[0].publicKeyB64.slice(1), `${identities[0].publicKeyB64} `]
  ) {
    // Twice: a key refused once is refused again, never served from the cache.
    for (let i = 0; i < 2; i++) {
      const error = await assertRejects(() => agentIdFromPublicKey(bad), /32-byte/);
      assert(error instanceof TypeError);
    }
  }
});
