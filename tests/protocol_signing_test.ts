import {
  canonicalize,
  DOMAIN_SEPARATORS,
  generateIdentity,
  identityFromSeed,
  signHttpRequest,
  signHttpResponse,
  signWithDomainSeparator,
  verifyHttpRequestHeaders,
  verifyHttpResponseHeaders,
  type VerifyOptions,
  verifyWithDomainSeparator,
} from "../protocol/mod.ts";
import { setNativeEd25519 } from "../protocol/_ed25519.ts";
import { vectorIdentity, vectors } from "./_helpers.ts";
import { assert, assertEquals, assertMatch, assertRejects, assertThrows } from "./assert.ts";

const vector = vectors.signatures.find((v) => v.separator === "ANNOUNCE")!;
const publicKey = vectors.identities[vector.identity].publicKeyB64;
const sep = DOMAIN_SEPARATORS.ANNOUNCE;

Deno.test("a tampered payload does not verify", async () => {
  const tampered = { ...vector.payload, ts: vector.payload.ts + 1 };
  assertEquals(
    await verifyWithDomainSeparator(sep, publicKey, tampered, vector.signatureB64),
    false,
  );
});

Deno.test("a different key does not verify", async () => {
  const other = vectors.identities[(vector.identity + 1) % 3].publicKeyB64;
  assertEquals(
    await verifyWithDomainSeparator(sep, other, vector.payload, vector.signatureB64),
    false,
  );
});

Deno.test("bad base64 and truncated signatures verify false without throwing", async () => {
  const garbage = [
    "",
    "!!!!",
    vector.signatureB64.slice(0, -4),
    vector.signatureB64.slice(4),
    vector.signatureB64 + "AAAA",
    " " + vector.signatureB64,
    vector.signatureB64.replace(/=+$/, ""),
    null,
    42,
    { signature: vector.signatureB64 },
  ];
  for (const signature of garbage) {
    assertEquals(
      await verifyWithDomainSeparator(sep, publicKey, vector.payload, signature as string),
      false,
      `signature ${JSON.stringify(signature)}`,
    );
  }
  for (const key of ["", "AAAA", publicKey.slice(1), "not base64!", 7]) {
    assertEquals(
      await verifyWithDomainSeparator(sep, key as string, vector.payload, vector.signatureB64),
      false,
      `key ${JSON.stringify(key)}`,
    );
  }
});

Deno.test("a flipped signature bit does not verify", async () => {
  const bytes = Uint8Array.from(atob(vector.signatureB64), (c) => c.charCodeAt(0));
  bytes[10] ^= 1;
  const flipped = btoa(String.fromCharCode(...bytes));
  assertEquals(await verifyWithDomainSeparator(sep, publicKey, vector.payload, flipped), false);
});

Deno.test("an unserializable payload verifies false instead of throwing", async () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assertEquals(await verifyWithDomainSeparator(sep, publicKey, cyclic, vector.signatureB64), false);
  assertEquals(await verifyWithDomainSeparator(sep, publicKey, 10n, vector.signatureB64), false);
});

Deno.test("canonicalize drops undefined like JSON.stringify and rejects cycles", () => {
  assertEquals(canonicalize({ b: undefined, a: [undefined, 1] }), '{"a":[null,1]}');
  assertEquals(canonicalize({ n: NaN }), '{"n":null}');
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  assertThrows(() => canonicalize(cyclic), /cyclic/);
  assertThrows(() => canonicalize(undefined), /no JSON form/);
});

Deno.test("the pure-JS fallback signs and verifies the same bytes as native", async () => {
  setNativeEd25519(false);
  try {
    const identity = await vectorIdentity(vector.identity);
    assertEquals(identity.publicKeyB64, publicKey);
    assertEquals(await signWithDomainSeparator(sep, vector.payload, identity), vector.signatureB64);
    // A key the native cache has not seen, so the fallback path verifies it.
    const fresh = await identityFromSeed(new Uint8Array(32).fill(9));
    const signature = await signWithDomainSeparator(sep, { x: 1 }, fresh);
    assert(await verifyWithDomainSeparator(sep, fresh.publicKeyB64, { x: 1 }, signature));
    assertEquals(
      await verifyWithDomainSeparator(sep, fresh.publicKeyB64, { x: 2 }, signature),
      false,
    );
  } finally {
    setNativeEd25519(undefined);
  }
});

Deno.test("identityFromSeed rejects a seed that is not 32 bytes", async () => {
  for (const length of [0, 31, 33, 64]) {
    let threw = false;
    try {
      await identityFromSeed(new Uint8Array(length));
    } catch (error) {
      threw = error instanceof TypeError;
    }
    assert(threw, `seed of ${length} bytes accepted`);
  }
});

Deno.test("generated identities are distinct and sign verifiably", async () => {
  const [a, b] = [await generateIdentity(), await generateIdentity()];
  assert(a.agentId !== b.agentId);
  const signature = await signWithDomainSeparator(sep, { a: 1 }, a);
  assert(await verifyWithDomainSeparator(sep, a.publicKeyB64, { a: 1 }, signature));
  assertEquals(await verifyWithDomainSeparator(sep, b.publicKeyB64, { a: 1 }, signature), false);
});

// --- HTTP signature headers -------------------------------------------------

const request = vectors.httpRequest;
const requestKey = vectors.identities[request.identity].publicKeyB64;
const at = (ms: number) => ({ clock: () => vectors.fixedTimeMs + ms });
function verifyRequest(
  overrides: Partial<
    {
      headers: Record<string, string>;
      method: string;
      path: string;
      authority: string;
      body: string;
    }
  >,
  options: VerifyOptions = at(0),
) {
  return verifyHttpRequestHeaders(
    overrides.headers ?? request.headers,
    overrides.method ?? request.method,
    overrides.path ?? request.path,
    overrides.authority ?? request.authority,
    overrides.body ?? request.body,
    requestKey,
    options,
  );
}

Deno.test("request verification rejects a body that does not match the digest", async () => {
  const result = await verifyRequest({ body: request.body.replace("1", "2") });
  assertEquals(result, { ok: false, error: "Content-Digest does not match the body" });
});

Deno.test("request verification rejects a forged digest header", async () => {
  const forged = { ...request.headers, "Content-Digest": "sha-256=:" + btoa("x".repeat(32)) + ":" };
  const result = await verifyRequest({ headers: forged, body: "x" });
  assertEquals(result.ok, false);
});

Deno.test("request verification accepts ±5 minutes of skew and rejects more", async () => {
  const fiveMinutes = 5 * 60 * 1000;
  assertEquals((await verifyRequest({}, at(fiveMinutes))).ok, true);
  assertEquals((await verifyRequest({}, at(-fiveMinutes))).ok, true);
  assertEquals(await verifyRequest({}, at(fiveMinutes + 1)), {
    ok: false,
    error: "X-AgentWorld-Timestamp is outside the allowed window",
  });
  assertEquals((await verifyRequest({}, at(-fiveMinutes - 1))).ok, false);
});

Deno.test("request verification rejects a different path, authority or method", async () => {
  const failed = { ok: false, error: "X-AgentWorld-Signature does not verify" };
  assertEquals(await verifyRequest({ path: "/peer/announce" }), failed);
  assertEquals(await verifyRequest({ authority: "127.0.0.1:8101" }), failed);
  assertEquals(await verifyRequest({ method: "PUT" }), failed);
});

Deno.test("request verification names a missing header", async () => {
  const { "X-AgentWorld-Signature": _, ...headers } = request.headers;
  assertEquals(await verifyRequest({ headers }), {
    ok: false,
    error: "missing X-AgentWorld-Signature header",
  });
});

Deno.test("request verification rejects a From that is not the key's agent id", async () => {
  const other = vectors.identities[1].agentId;
  const result = await verifyRequest({
    headers: { ...request.headers, "X-AgentWorld-From": other },
  });
  assertEquals(result, { ok: false, error: "X-AgentWorld-From does not match the public key" });
});

Deno.test("request verification reads headers case-insensitively, from Headers too", async () => {
  const lower = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]),
  );
  assertEquals(await verifyRequest({ headers: lower }), { ok: true, version: "1.2" });
  const result = await verifyHttpRequestHeaders(
    new Headers(request.headers),
    "post",
    request.path,
    request.authority,
    request.body,
    requestKey,
    at(0),
  );
  assertEquals(result, { ok: true, version: "1.2" });
});

Deno.test("request verification rejects a malformed timestamp and another version", async () => {
  const badTs = { ...request.headers, "X-AgentWorld-Timestamp": "yesterday" };
  assertEquals(
    (await verifyRequest({ headers: badTs })).error,
    "X-AgentWorld-Timestamp is not an ISO-8601 UTC time",
  );
  const badVersion = { ...request.headers, "X-AgentWorld-Version": "9.9" };
  assertEquals(
    (await verifyRequest({ headers: badVersion })).error,
    'unsupported protocol version "9.9" (supported: 1.2, 1.3, 1.4, 1.5, 1.6)',
  );
});

Deno.test("request verification can be held to a subset of the versions", async () => {
  const result = await verifyRequest({}, { ...at(0), versions: ["1.4", "1.5"] });
  assertEquals(result.ok, false);
  assertMatch(result.error!, /unsupported protocol version "1.2"/);
});

Deno.test("response verification rejects another status, a skewed time and a changed body", async () => {
  const response = vectors.httpResponse;
  const key = vectors.identities[response.identity].publicKeyB64;
  assertEquals(
    (await verifyHttpResponseHeaders(response.headers, 201, response.body, key, at(0))).ok,
    false,
  );
  assertEquals(
    (await verifyHttpResponseHeaders(response.headers, 200, response.body, key, at(301_000))).ok,
    false,
  );
  assertEquals(
    (await verifyHttpResponseHeaders(response.headers, 200, "{}", key, at(0))).ok,
    false,
  );
});

Deno.test("freshly signed request and response headers round-trip", async () => {
  const identity = await generateIdentity();
  const body = new TextEncoder().encode('{"x":1}');
  const headers = await signHttpRequest(identity, "post", "h:1", "/p", body);
  assertEquals(
    await verifyHttpRequestHeaders(headers, "POST", "/p", "h:1", body, identity.publicKeyB64),
    { ok: true, version: "1.2" },
  );
  const response = await signHttpResponse(identity, 404, "", { version: "1.5" });
  assertEquals(await verifyHttpResponseHeaders(response, 404, "", identity.publicKeyB64), {
    ok: true,
    version: "1.5",
  });
});

Deno.test("signing under a version that is not spoken here throws, naming the supported ones", async () => {
  const identity = await generateIdentity();
  await assertRejects(
    () => signHttpRequest(identity, "POST", "h", "/p", "", { version: "1.9" as "1.2" }),
    /unsupported protocol version "1.9" \(supported: 1.2, 1.3, 1.4, 1.5, 1.6\)/,
  );
});
