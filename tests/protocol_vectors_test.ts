import {
  agentIdFromPublicKey,
  AGENTWORLD_HEARTBEAT_SEPARATOR,
  canonicalize,
  computeContentDigest,
  deriveDidKey,
  DOMAIN_SEPARATORS,
  parseAnnounce,
  parsePeerMessage,
  PROTOCOL_VERSION,
  signHttpRequest,
  signHttpResponse,
  signWithDomainSeparator,
  toPublicKeyMultibase,
  verifyAnnounceSignature,
  verifyHttpRequestHeaders,
  verifyHttpResponseHeaders,
  verifyPeerMessage,
  verifyWithDomainSeparator,
} from "../protocol/mod.ts";
import { vectorIdentity, vectors } from "./_helpers.ts";
import { assert, assertEquals } from "./assert.ts";

const clock = () => vectors.fixedTimeMs;

Deno.test("the protocol version is the vectors' version", () => {
  assertEquals(PROTOCOL_VERSION, vectors.protocolVersion);
});

Deno.test("every domain separator matches the vectors", () => {
  const { HEARTBEAT, HEARTBEAT_SPEC, ...agentWorld } = vectors.domainSeparators;
  for (const [name, value] of Object.entries(agentWorld)) {
    assertEquals(DOMAIN_SEPARATORS[name as keyof typeof DOMAIN_SEPARATORS], value, name);
  }
  assertEquals(DOMAIN_SEPARATORS.HEARTBEAT, HEARTBEAT_SPEC);
  assertEquals(AGENTWORLD_HEARTBEAT_SEPARATOR, HEARTBEAT);
});

Deno.test("canonical JSON reproduces every vector byte for byte", () => {
  for (const { input, canonical } of vectors.canonicalJson) {
    assertEquals(canonicalize(input), canonical);
  }
});

Deno.test("identities from seeds reproduce public keys, agent ids and did:keys", async () => {
  for (let i = 0; i < vectors.identities.length; i++) {
    const expected = vectors.identities[i];
    const identity = await vectorIdentity(i);
    assertEquals(identity.publicKeyB64, expected.publicKeyB64);
    assertEquals(identity.agentId, expected.agentId);
    assertEquals(await agentIdFromPublicKey(expected.publicKeyB64), expected.agentId);
    assertEquals(deriveDidKey(expected.publicKeyB64), expected.didKey);
    assertEquals(toPublicKeyMultibase(expected.publicKeyB64), expected.publicKeyMultibase);
  }
});

Deno.test("every signature vector is reproduced and verifies", async () => {
  for (const vector of vectors.signatures) {
    const identity = await vectorIdentity(vector.identity);
    const separator =
      vectors.domainSeparators[vector.separator as keyof typeof vectors.domainSeparators];
    assertEquals(separator + canonicalize(vector.payload), vector.messageUtf8);
    const signature = await signWithDomainSeparator(separator, vector.payload, identity);
    assertEquals(signature, vector.signatureB64, `${vector.separator}/${vector.identity}`);
    assert(
      await verifyWithDomainSeparator(
        separator,
        identity.publicKeyB64,
        vector.payload,
        vector.signatureB64,
      ),
    );
  }
});

Deno.test("a signature under one separator fails under every other", async () => {
  for (const vector of vectors.signatures) {
    const publicKey = vectors.identities[vector.identity].publicKeyB64;
    for (const [name, separator] of Object.entries(vectors.domainSeparators)) {
      if (name === vector.separator) continue;
      assertEquals(
        await verifyWithDomainSeparator(separator, publicKey, vector.payload, vector.signatureB64),
        false,
        `${vector.separator} signature accepted under ${name}`,
      );
    }
  }
});

Deno.test("content digests match the vectors", async () => {
  for (const { body, digest } of vectors.contentDigest) {
    assertEquals(await computeContentDigest(body), digest);
    assertEquals(await computeContentDigest(new TextEncoder().encode(body)), digest);
  }
});

Deno.test("request signature headers reproduce the vectors at the fixed time", async () => {
  for (const vector of [vectors.httpRequest, vectors.httpRequestEmptyBody]) {
    const identity = await vectorIdentity(vector.identity);
    const headers = await signHttpRequest(
      identity,
      vector.method,
      vector.authority,
      vector.path,
      vector.body,
      { clock },
    );
    assertEquals(headers, vector.headers);
    const result = await verifyHttpRequestHeaders(
      vector.headers,
      vector.method,
      vector.path,
      vector.authority,
      vector.body,
      identity.publicKeyB64,
      { clock },
    );
    assertEquals(result, { ok: true });
  }
});

Deno.test("response signature headers reproduce the vector at the fixed time", async () => {
  const vector = vectors.httpResponse;
  const identity = await vectorIdentity(vector.identity);
  assertEquals(
    await signHttpResponse(identity, vector.status, vector.body, { clock }),
    vector.headers,
  );
  assertEquals(
    await verifyHttpResponseHeaders(
      vector.headers,
      vector.status,
      vector.body,
      identity.publicKeyB64,
      {
        clock,
      },
    ),
    { ok: true },
  );
});

Deno.test("the announce vector verifies by body signature and by headers", async () => {
  const vector = vectors.announce;
  const body = JSON.parse(vector.body);
  const parsed = parseAnnounce(body);
  assert(parsed.ok, parsed.ok ? "" : parsed.error);
  assert(await verifyAnnounceSignature(parsed.value));
  const url = new URL(vector.url);
  const result = await verifyHttpRequestHeaders(
    vector.headers,
    "POST",
    url.pathname,
    url.host,
    vector.body,
    body.publicKey,
    { clock },
  );
  assertEquals(result, { ok: true });
});

Deno.test("both heartbeat vectors verify, each under its own separator only", async () => {
  const publicKey = vectors.identities[vectors.heartbeat.identity].publicKeyB64;
  const { spec, agentWorld12 } = vectors.heartbeat;
  const payload = { agentId: spec.agentId, ts: spec.ts };
  assert(
    await verifyWithDomainSeparator(
      DOMAIN_SEPARATORS.HEARTBEAT,
      publicKey,
      payload,
      spec.signature,
    ),
  );
  assert(
    await verifyWithDomainSeparator(
      AGENTWORLD_HEARTBEAT_SEPARATOR,
      publicKey,
      payload,
      agentWorld12.signature,
    ),
  );
  assertEquals(
    await verifyWithDomainSeparator(
      DOMAIN_SEPARATORS.HEARTBEAT,
      publicKey,
      payload,
      agentWorld12.signature,
    ),
    false,
  );
  const identity = await vectorIdentity(vectors.heartbeat.identity);
  assertEquals(
    await signWithDomainSeparator(DOMAIN_SEPARATORS.HEARTBEAT, payload, identity),
    spec.signature,
  );
});

Deno.test("the world.state message vector verifies by body and by headers", async () => {
  const vector = vectors.worldStateMessage;
  const parsed = parsePeerMessage(JSON.parse(vector.body));
  assert(parsed.ok);
  assert(await verifyPeerMessage(parsed.value));
  assertEquals(
    await verifyHttpRequestHeaders(
      vector.headers,
      "POST",
      "/peer/message",
      "127.0.0.1:8100",
      vector.body,
      parsed.value.publicKey,
      { clock },
    ),
    { ok: true },
  );
});
