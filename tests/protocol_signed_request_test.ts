/**
 * The signed-request rules in one function: each rule, in order, with its
 * status from the one reason→status table.
 *
 * @module
 */
import {
  BODY_LIMITS,
  canonicalize,
  createAnnounce,
  createPeerMessage,
  generateIdentity,
  type Identity,
  parseHeartbeat,
  parsePeerMessage,
  readBodyText,
  readParsedBody,
  REJECTION_STATUS,
  type SignedRouteOptions,
  signHttpRequest,
  verifyAnnounceRequest,
  verifyPeerMessageRequest,
  verifySignedRequest,
} from "../protocol/mod.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";

const NOW = 1_774_276_670_000;
const clock = () => NOW;
const URL_ = "http://gw.test/agents";

const identity = await generateIdentity();

async function announceText(
  signer: Identity = identity,
  version: "1.2" | "1.6" = "1.6",
  timestamp = NOW,
): Promise<string> {
  return canonicalize(
    await createAnnounce(
      signer,
      {
        alias: "Pixel City",
        slug: "pixel-city",
        endpoints: [{ address: "203.0.113.7", port: 8099 }],
        capabilities: ["world:pixel-city"],
      },
      timestamp,
      version,
    ),
  );
}

function post(body: BodyInit, headers: HeadersInit = {}, url = URL_): Request {
  return new Request(url, { method: "POST", headers, body });
}

async function refusal(request: Request, options: SignedRouteOptions = {}) {
  const result = await verifyAnnounceRequest(request, { clock, ...options });
  assert(!result.ok, "expected a refusal");
  assertEquals(result.status, REJECTION_STATUS[result.reason], "the status is the reason's");
  return result;
}

/** A stream that sends `bytes` one byte per chunk. */
function dripping(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < bytes.length) controller.enqueue(bytes.subarray(i, ++i));
      else controller.close();
    },
  });
}

Deno.test("a body whose Content-Length passes the limit is refused with 413 before it is read", async () => {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(1024));
    },
  });
  const request = new Request(URL_, {
    method: "POST",
    headers: { "content-length": String(BODY_LIMITS.announce + 1) },
    body: stream,
  });
  const result = await refusal(request);
  assertEquals([result.status, result.error], [413, `body exceeds ${BODY_LIMITS.announce} bytes`]);
  assert(pulled <= 1, `read ${pulled} chunks of a body it refused unread`);
});

Deno.test("a body without Content-Length is cut off with 413 as soon as it passes the limit", async () => {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent++;
      if (sent > 1000) return controller.close();
      controller.enqueue(new Uint8Array(1000).fill(0x20));
    },
  });
  const result = await refusal(post(stream));
  assertEquals(result.status, 413);
  assert(sent <= 10, `read ${sent} KB of an 8 KiB limit`);
});

Deno.test("a body sent one byte at a time is read whole and verifies", async () => {
  const text = await announceText();
  const result = await verifyAnnounceRequest(post(dripping(new TextEncoder().encode(text))), {
    clock,
  });
  assert(result.ok, result.ok ? "" : result.error);
  assertEquals(result.value.text, text);
});

Deno.test("a sender that fails mid-body is a 400, never a throw", async () => {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"from":'));
      controller.error(new Error("connection reset"));
    },
  });
  const result = await refusal(post(stream));
  assertEquals([result.status, result.error], [400, "body could not be read"]);
});

Deno.test("a body that is not UTF-8, or not JSON, is a 400 that says so", async () => {
  assertEquals(
    (await refusal(post(new Uint8Array([0x7b, 0xff, 0x7d])))).error,
    "body is not valid UTF-8",
  );
  assertEquals((await refusal(post("{not json"))).error, "body is not valid JSON");
  assertEquals((await refusal(post(""))).error, "body is not valid JSON");
});

Deno.test("an X-AgentWorld-Version that is not spoken here is a 400 naming the supported versions", async () => {
  const result = await refusal(post(await announceText(), { "X-AgentWorld-Version": "1.7" }));
  assertEquals(result.status, 400);
  assertEquals(result.reason, "unsupported_version");
  assertEquals(
    result.error,
    'unsupported protocol version "1.7" (supported: 1.2, 1.3, 1.4, 1.5, 1.6)',
  );
});

Deno.test("a version outside the accepted ones is refused like an unknown one", async () => {
  const result = await refusal(post(await announceText(), { "X-AgentWorld-Version": "1.6" }), {
    versions: ["1.2", "1.3"],
  });
  assertEquals(result.reason, "unsupported_version");
});

Deno.test("a body of the wrong shape is a 400 naming the field", async () => {
  assertEquals((await refusal(post("[1]"))).error, "body must be a JSON object");
  const body = JSON.parse(await announceText());
  delete body.alias;
  assertEquals((await refusal(post(JSON.stringify(body)))).error, "missing field: alias");
});

Deno.test("a signed timestamp more than 5 minutes from the clock is a 400; 5 minutes exactly is accepted", async () => {
  for (const offset of [-300_001, 300_001]) {
    const result = await refusal(post(await announceText(identity, "1.6", NOW + offset)));
    assertEquals([result.status, result.error], [400, "timestamp is outside the ±5 min window"]);
  }
  for (const offset of [-300_000, 300_000]) {
    const result = await verifyAnnounceRequest(
      post(await announceText(identity, "1.6", NOW + offset)),
      {
        clock,
      },
    );
    assert(result.ok, `offset ${offset}`);
  }
});

Deno.test("a from that is not the agent id of publicKey is a 403", async () => {
  const other = await generateIdentity();
  const body = { ...JSON.parse(await announceText()), from: other.agentId };
  const result = await refusal(post(JSON.stringify(body)));
  assertEquals([result.status, result.error], [403, "from is not the agent id of publicKey"]);
});

Deno.test("a body signed by no supported version and without signature headers is a 403", async () => {
  const body = { ...JSON.parse(await announceText()), alias: "Forged City" };
  const result = await refusal(post(JSON.stringify(body)));
  // The body did carry a signature: the answer does not claim it had none.
  assertEquals([result.status, result.error], [403, "signature does not verify"]);
});

Deno.test("a body signature that fails is accepted on valid request-signature headers, with their version", async () => {
  const text = JSON.stringify({
    ...JSON.parse(await announceText()),
    signature: "A".repeat(86) + "==",
  });
  const headers = await signHttpRequest(identity, "POST", "gw.test", "/agents", text, {
    clock,
    version: "1.4",
  });
  const result = await verifyAnnounceRequest(post(text, headers), { clock });
  assert(result.ok, result.ok ? "" : result.error);
  assertEquals([result.value.signedBy, result.value.version], ["headers", "1.4"]);
});

Deno.test("request-signature headers must cover this path and an accepted authority", async () => {
  const text = JSON.stringify({
    ...JSON.parse(await announceText()),
    signature: "A".repeat(86) + "==",
  });
  const viaProxy = await signHttpRequest(identity, "POST", "public.example", "/agents", text, {
    clock,
    version: "1.6",
  });
  const refused = await refusal(post(text, viaProxy));
  assertMatch(
    refused.error,
    /^signature does not verify \(X-AgentWorld-Signature does not verify\)$/,
  );
  const accepted = await verifyAnnounceRequest(post(text, viaProxy), {
    clock,
    authorities: ["public.example"],
  });
  assert(accepted.ok, "the public authority is accepted when named");
  const otherPath = await signHttpRequest(identity, "POST", "gw.test", "/peer/announce", text, {
    clock,
    version: "1.6",
  });
  assertEquals((await refusal(post(text, otherPath))).status, 403);
  const signedPath = await verifyAnnounceRequest(
    post(text, otherPath, "http://gw.test/gw/agents"),
    {
      clock,
      path: "/peer/announce",
    },
  );
  assert(signedPath.ok, "the path option names the route the signature covers");
});

Deno.test("a body-only request is tried under every accepted version and reports the one that verified", async () => {
  const text = await announceText(identity, "1.6");
  const result = await verifyAnnounceRequest(post(text), { clock, preferredVersion: "1.3" });
  assert(result.ok);
  assertEquals([result.value.version, result.value.signedBy], ["1.6", "body"]);
  const narrowed = await refusal(post(text), { versions: ["1.2", "1.3", "1.4", "1.5"] });
  assertEquals(narrowed.reason, "bad_signature");
});

Deno.test("a declared version is the only one tried", async () => {
  const text = await announceText(identity, "1.2");
  const result = await refusal(post(text, { "X-AgentWorld-Version": "1.6" }));
  assertEquals(result.reason, "bad_signature");
  const declared = await verifyAnnounceRequest(post(text, { "X-AgentWorld-Version": "1.2" }), {
    clock,
  });
  assert(declared.ok && declared.value.version === "1.2");
});

Deno.test("peer messages go through the same rules under the MESSAGE separator", async () => {
  const message = await createPeerMessage(
    identity,
    "world.state",
    { worldId: "pixel-city" },
    NOW,
    "1.5",
  );
  const ok = await verifyPeerMessageRequest(
    post(canonicalize(message), {}, "http://gw.test/messages"),
    {
      clock,
    },
  );
  assert(ok.ok && ok.value.version === "1.5");
  const announce = await verifySignedRequest(post(await announceText()), {
    context: "MESSAGE",
    parse: parsePeerMessage,
    maxBodyBytes: BODY_LIMITS.peerMessage,
    clock,
  });
  assert(!announce.ok, "an announce is not a message");
  assertEquals(announce.status, 400);
});

Deno.test("readBodyText copies a finely chunked body into one buffer and reads it exactly", async () => {
  const text = "é".repeat(500);
  const bytes = new TextEncoder().encode(text);
  const result = await readBodyText(post(dripping(bytes)), bytes.length);
  assertEquals(result, { ok: true, value: text });
  const over = await readBodyText(post(dripping(bytes)), bytes.length - 1);
  assertEquals(over.ok ? 0 : over.status, 413);
});

Deno.test("readParsedBody turns a shape error into an invalid_body refusal", async () => {
  const result = await readParsedBody(
    post('{"agentId":"a","ts":1}'),
    BODY_LIMITS.heartbeat,
    parseHeartbeat,
  );
  assertEquals(result, {
    ok: false,
    status: 400,
    reason: "invalid_body",
    error: "missing field: signature",
  });
});
