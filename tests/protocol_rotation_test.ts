/**
 * Key rotation (both proofs required) and the signed agent card.
 *
 * @module
 */
import {
  buildAgentCard,
  createKeyRotation,
  generateIdentity,
  type KeyRotation,
  keyRotationPayload,
  separatorsFor,
  signWithDomainSeparator,
  toPublicKeyMultibase,
  verifyAgentCard,
  verifyKeyRotation,
} from "../protocol/mod.ts";
import { assert, assertEquals } from "./assert.ts";

const NOW = 1_774_276_670_000;
const clock = () => NOW;
const [oldIdentity, newIdentity, stranger] = [
  await generateIdentity(),
  await generateIdentity(),
  await generateIdentity(),
];

async function rotation(version: "1.2" | "1.6" = "1.6"): Promise<KeyRotation> {
  return JSON.parse(
    JSON.stringify(await createKeyRotation(oldIdentity, newIdentity, NOW, version)),
  );
}

async function refusal(body: unknown) {
  const result = await verifyKeyRotation(body, { clock });
  assert(!result.ok, "expected a refusal");
  return { status: result.status, error: result.error };
}

Deno.test("a rotation signed by both keys verifies in every version", async () => {
  for (const version of ["1.2", "1.6"] as const) {
    const result = await verifyKeyRotation(await rotation(version), { clock });
    assert(result.ok, result.ok ? "" : result.error);
    assertEquals(result.value.newPublicKey, newIdentity.publicKeyB64);
    assertEquals(result.value.version, version);
  }
});

Deno.test("a rotation without the new key's proof is refused: both proofs are required", async () => {
  const body = await rotation();
  delete (body.proofs as Partial<KeyRotation["proofs"]>).signedByNew;
  assertEquals(await refusal(body), { status: 400, error: "missing field: proofs.signedByNew" });
  const noOld = await rotation();
  delete (noOld.proofs as Partial<KeyRotation["proofs"]>).signedByOld;
  assertEquals(await refusal(noOld), { status: 400, error: "missing field: proofs.signedByOld" });
});

Deno.test("binding a world to someone else's public key fails: the new key must prove possession", async () => {
  // The old key signs a move to the stranger's key, but cannot sign for it.
  const separator = separatorsFor("1.6").KEY_ROTATION;
  const payload = keyRotationPayload(
    oldIdentity.agentId,
    oldIdentity.publicKeyB64,
    stranger.publicKeyB64,
    NOW,
  );
  const byOld = await signWithDomainSeparator(separator, payload, oldIdentity);
  const body = await rotation();
  body.newAgentId = stranger.agentId;
  body.newIdentity = {
    agentId: stranger.agentId,
    kid: "#identity",
    publicKeyMultibase: toPublicKeyMultibase(stranger.publicKeyB64),
  };
  body.proofs.signedByOld.signature = byOld;
  body.proofs.signedByNew.signature = byOld;
  assertEquals(await refusal(body), { status: 403, error: "proofs.signedByNew does not verify" });
});

Deno.test("a rotation not signed by the old key is refused with 403", async () => {
  const body = await rotation();
  body.proofs.signedByOld.signature = body.proofs.signedByNew.signature;
  assertEquals(await refusal(body), { status: 403, error: "proofs.signedByOld does not verify" });
});

Deno.test("a rotation whose ids are not its keys' is refused with 400", async () => {
  assertEquals(await refusal({ ...await rotation(), oldAgentId: stranger.agentId }), {
    status: 400,
    error: "oldAgentId does not match oldIdentity's key",
  });
  assertEquals(await refusal({ ...await rotation(), newAgentId: stranger.agentId }), {
    status: 400,
    error: "newAgentId does not match newIdentity's key",
  });
});

Deno.test("a rotation to the same key, with a malformed key, stale, or of another type is refused with 400", async () => {
  const same = await rotation();
  same.newIdentity = same.oldIdentity;
  same.newAgentId = same.oldAgentId;
  assertEquals(await refusal(same), {
    status: 400,
    error: "the new key must differ from the old one",
  });
  const malformed = await rotation();
  malformed.newIdentity.publicKeyMultibase = "z111";
  assertEquals(await refusal(malformed), {
    status: 400,
    error: "newIdentity.publicKeyMultibase is not an Ed25519 key",
  });
  assertEquals(
    (await verifyKeyRotation(await rotation(), { clock: () => NOW + 300_001 })).ok,
    false,
  );
  assertEquals(await refusal({ ...await rotation(), type: "other" }), {
    status: 400,
    error: 'type must be "agentworld-identity-rotation"',
  });
  assertEquals(await refusal({ ...await rotation(), version: "1.0" }), {
    status: 400,
    error: 'unsupported protocol version "1.0" (supported: 1.2, 1.3, 1.4, 1.5, 1.6)',
  });
});

Deno.test("an agent card with a description and an RPC URL verifies, and any edit breaks it", async () => {
  const card = await buildAgentCard(oldIdentity, {
    name: "AgentWorlds gateway",
    cardUrl: "http://gw.test/.well-known/agent.json",
    description: "A directory of worlds",
    rpcUrl: "http://gw.test/rpc",
    version: "1.4",
  });
  const parsed = JSON.parse(card);
  assertEquals(parsed.extensions.agentworld.version, "1.4");
  assertEquals(parsed.a2a, { rpcUrl: "http://gw.test/rpc" });
  assert(await verifyAgentCard(card, oldIdentity.publicKeyB64));
  assert(await verifyAgentCard(card));
  assertEquals(await verifyAgentCard(card, newIdentity.publicKeyB64), false);
  assertEquals(await verifyAgentCard(card.replace("directory", "Directory")), false);
  assertEquals(await verifyAgentCard("not json"), false);
  assertEquals(await verifyAgentCard("{}"), false);
});

Deno.test("a card whose named key is not its agentId's is refused when no key is given", async () => {
  const card = JSON.parse(
    await buildAgentCard(oldIdentity, {
      name: "A",
      cardUrl: "http://a.test/.well-known/agent.json",
    }),
  );
  card.extensions.agentworld.agentId = newIdentity.agentId;
  assertEquals(await verifyAgentCard(JSON.stringify(card)), false);
});
