/**
 * The announce record limits (issue 9, "Records"): what a body may hold, what
 * an endpoint address may be, and the bounded record a gateway keeps.
 *
 * @module
 */
import {
  ANNOUNCE_LIMITS,
  type AnnounceBody,
  canonicalize,
  createAnnounce,
  DOMAIN_SEPARATORS,
  type Endpoint,
  generateIdentity,
  normalizeEndpointAddress,
  parseAnnounce,
  signWithDomainSeparator,
  toAnnounceRecord,
  verifyAnnounceSignature,
} from "../protocol/mod.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";

const identity = await generateIdentity();
const NOW = 1_774_276_670_000;

const fields = {
  alias: "Pixel City",
  version: "1.0.0",
  endpoints: [{ address: "203.0.113.7", port: 8099, transport: "tcp", priority: 1, ttl: 3600 }],
  capabilities: ["world:pixel-city"],
};

/** A signed body with some fields replaced (signed as replaced, so only the limits can refuse it). */
async function body(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const signed = await createAnnounce(identity, { ...fields, ...overrides } as never, NOW);
  return JSON.parse(JSON.stringify(signed));
}

function refused(value: unknown): string {
  const result = parseAnnounce(value);
  assert(!result.ok, `accepted: ${JSON.stringify(value).slice(0, 200)}`);
  return result.error;
}

/** The largest body the limits allow: every list full, every string at its longest. */
function worstCase(): Record<string, unknown> {
  // U+20AC is 3 bytes of UTF-8 in one UTF-16 unit: the most bytes per counted character.
  const longestLabel = "a".repeat(63);
  const address = [longestLabel, longestLabel, longestLabel, "a".repeat(61)].join(".");
  assertEquals(address.length, ANNOUNCE_LIMITS.addressMaxLength);
  const endpoint: Endpoint = {
    address,
    port: 65_535,
    transport: "x".repeat(ANNOUNCE_LIMITS.transportMaxLength),
    priority: ANNOUNCE_LIMITS.priorityMax,
    ttl: ANNOUNCE_LIMITS.ttlMaxSeconds,
  };
  const slug = "s".repeat(ANNOUNCE_LIMITS.slugMaxLength);
  const capabilities = [
    `world:${slug}`,
    ...Array.from(
      { length: ANNOUNCE_LIMITS.maxCapabilities - 1 },
      (_, i) => `${i}`.padEnd(ANNOUNCE_LIMITS.capabilityMaxLength, "~"),
    ),
  ];
  return {
    from: identity.agentId,
    publicKey: identity.publicKeyB64,
    alias: "\u20ac".repeat(ANNOUNCE_LIMITS.aliasMaxLength),
    version: "~".repeat(ANNOUNCE_LIMITS.versionMaxLength),
    slug,
    endpoints: Array(ANNOUNCE_LIMITS.maxEndpoints).fill(endpoint),
    capabilities,
    timestamp: Number.MAX_SAFE_INTEGER,
    signature: "A".repeat(86) + "==",
  };
}

Deno.test("an announce at every limit is accepted, fits the body limit and its record fits maxRecordBytes", () => {
  // The alias is the only field that may hold any text: try the characters
  // that cost most in JSON (3-byte UTF-8, a surrogate pair, JSON-escaped).
  const n = ANNOUNCE_LIMITS.aliasMaxLength;
  for (
    const alias of ["\u20ac".repeat(n), "\u{1f306}".repeat(n / 2), '"'.repeat(n), "\\".repeat(n)]
  ) {
    const value = { ...worstCase(), alias };
    const parsed = parseAnnounce(value);
    assert(parsed.ok, parsed.ok ? "" : parsed.error);
    const bodyBytes = new TextEncoder().encode(JSON.stringify(value)).length;
    assert(bodyBytes <= 5_643, `worst-case body is ${bodyBytes} bytes`);
    assert(bodyBytes <= ANNOUNCE_LIMITS.maxBodyBytes);
    const record = toAnnounceRecord(parsed.value, "1.6");
    const recordBytes = new TextEncoder().encode(JSON.stringify(record)).length;
    assert(recordBytes <= 5_570, `worst-case record is ${recordBytes} bytes`);
    assert(recordBytes <= ANNOUNCE_LIMITS.maxRecordBytes);
  }
});

Deno.test("one past each limit is refused, naming the field", () => {
  const at = worstCase();
  const endpoint = (at.endpoints as Endpoint[])[0];
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ alias: "x".repeat(129) }, /^alias must be at most 128 characters$/],
    [{ version: "v".repeat(65) }, /^version must be at most 64 characters$/],
    [{ endpoints: Array(9).fill(endpoint) }, /^endpoints must have at most 8 entries$/],
    [{ capabilities: Array(17).fill("c") }, /^capabilities must have at most 16 entries$/],
    [{ capabilities: ["c".repeat(129)] }, /^capabilities\[0\] must be at most 128 characters$/],
    [
      { endpoints: [{ ...endpoint, address: `a.${"b".repeat(252)}` }] },
      /address must be at most 253/,
    ],
    [{ endpoints: [{ ...endpoint, transport: "t".repeat(17) }] }, /transport must be at most 16/],
    [
      { endpoints: [{ ...endpoint, priority: 65_536 }] },
      /priority must be an integer from 0 to 65535/,
    ],
    [
      { endpoints: [{ ...endpoint, ttl: 31_536_001 }] },
      /ttl must be an integer from 0 to 31536000/,
    ],
    [{ endpoints: [{ ...endpoint, port: 0 }] }, /port must be an integer from 1 to 65535/],
    [{ endpoints: [{ ...endpoint, priority: 1.5 }] }, /priority must be an integer/],
    [{ slug: "s".repeat(65), capabilities: [] }, /^slug is not a valid world id$/],
  ];
  for (const [overrides, pattern] of cases) assertMatch(refused({ ...at, ...overrides }), pattern);
});

Deno.test("names with control, bidi-override or unpaired surrogate characters are refused", () => {
  for (
    const alias of [
      "Pixel\nCity",
      "Pixel\u0000City",
      "Pixel\u007fCity",
      "Pixel\u0085City",
      "\u202eytiC lexiP",
      "Pixel\u2066City",
      "Pixel\u200fCity",
      "Pixel\u2028City",
      "Pixel\ud800City",
    ]
  ) {
    assertMatch(refused({ ...worstCase(), alias }), /^alias must not contain control/);
  }
  assertEquals(parseAnnounce({ ...worstCase(), alias: "Città 城市 🌆" }).ok, true);
});

Deno.test("capabilities and version are printable ASCII without the characters JSON escapes; capabilities have no spaces", () => {
  assertMatch(
    refused({ ...worstCase(), capabilities: ['theme:"x"'] }),
    /capabilities\[0\] must be printable ASCII/,
  );
  assertMatch(
    refused({ ...worstCase(), capabilities: ["theme:a\\b"] }),
    /capabilities\[0\] must be printable ASCII/,
  );
  assertMatch(
    refused({ ...worstCase(), version: '1.0"' }),
    /^version must be printable ASCII without quotes or backslashes$/,
  );
  assertMatch(
    refused({ ...worstCase(), capabilities: ["theme:a b"] }),
    /capabilities\[0\] must be printable ASCII without spaces, quotes or backslashes/,
  );
  assertMatch(
    refused({ ...worstCase(), capabilities: ["thème:x"] }),
    /capabilities\[0\] must be printable ASCII/,
  );
  assertMatch(
    refused({ ...worstCase(), version: "1.0\r\n" }),
    /^version must be printable ASCII without quotes or backslashes$/,
  );
  assertEquals(parseAnnounce({ ...worstCase(), version: "1.0.0 (beta)" }).ok, true);
});

Deno.test("endpoint addresses are host names or IP literals and nothing else", () => {
  const accepted: [string, string][] = [
    ["world.example.org", "world.example.org"],
    ["world.example.org.", "world.example.org."],
    ["my_world", "my_world"],
    ["localhost", "localhost"],
    ["203.0.113.7", "203.0.113.7"],
    ["2001:db8::1", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["::ffff:192.0.2.1", "::ffff:192.0.2.1"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
  ];
  for (const [address, normalized] of accepted) {
    assertEquals(normalizeEndpointAddress(address), normalized, address);
  }
  const refusedAddresses = [
    "",
    "javascript:alert(1)",
    "http://world.example.org",
    "world.example.org/path",
    "world.example.org:8080",
    "user@world.example.org",
    "user:pass@host",
    "a.test\r\nX-Injected: 1",
    "a test",
    " a.test",
    "a..test",
    "-a.test",
    "a-.test",
    "a.test/",
    "a.test?x",
    "a.test#x",
    "0x7f.1",
    "127.1",
    "2130706433",
    "010.0.0.1",
    "256.0.0.1",
    "a.0x7f",
    "1.2.3.4.5",
    "[::1",
    "fe80::1%eth0",
    "::g",
    "ünïcode.example",
    "a".repeat(64) + ".test",
  ];
  for (const address of refusedAddresses) {
    assertEquals(normalizeEndpointAddress(address), undefined, JSON.stringify(address));
    const endpoint = { address, port: 8099 };
    assertMatch(
      refused({ ...worstCase(), endpoints: [endpoint] }),
      /^endpoints\[0\]\.address must (be a host name or an IP address|not be empty)$/,
    );
  }
});

Deno.test("unknown fields are covered by the signature, accepted, and dropped from the record", async () => {
  const unsigned = {
    ...await body({
      endpoints: [{ address: "[2001:db8::7]", port: 8099, transport: "tcp", region: "eu-west" }],
    }),
    futureField: { nested: true },
    signature: undefined,
  };
  const signed = {
    ...unsigned,
    signature: await signWithDomainSeparator(DOMAIN_SEPARATORS.ANNOUNCE, unsigned, identity),
  };
  const parsed = parseAnnounce(signed);
  assert(parsed.ok, parsed.ok ? "" : parsed.error);
  assert(await verifyAnnounceSignature(parsed.value), "the signature covers the fields as sent");
  const record = toAnnounceRecord(parsed.value, "1.2");
  assertEquals(record.endpoints, [{ address: "2001:db8::7", port: 8099, transport: "tcp" }]);
  assertEquals(Object.keys(record).sort(), [
    "agentId",
    "alias",
    "capabilities",
    "endpoints",
    "protocolVersion",
    "publicKey",
    "timestamp",
    "version",
    "worldId",
  ]);
  const stripped = { ...signed, futureField: undefined };
  assertEquals(
    await verifyAnnounceSignature(JSON.parse(JSON.stringify(stripped)) as AnnounceBody),
    false,
  );
});

Deno.test("the world id is the slug, or the world: capability's id, and the two must agree", async () => {
  const slugOnly = parseAnnounce(await body({ slug: "pixel-city", capabilities: [] }));
  assert(slugOnly.ok);
  assertEquals(toAnnounceRecord(slugOnly.value, "1.4").worldId, "pixel-city");
  const capabilityOnly = parseAnnounce(await body());
  assert(capabilityOnly.ok);
  assertEquals(toAnnounceRecord(capabilityOnly.value, "1.2").worldId, "pixel-city");
  const agent = parseAnnounce(await body({ capabilities: ["chat"] }));
  assert(agent.ok);
  assertEquals(toAnnounceRecord(agent.value, "1.6").worldId, undefined);
  assertMatch(
    refused(await body({ slug: "other-city" })),
    /^slug does not match capabilities\[0\]$/,
  );
  assertMatch(refused(await body({ slug: "../etc" })), /^slug is not a valid world id$/);
  assertMatch(refused(await body({ capabilities: ["world:a", "world:b"] })), /at most one world/);
  assertMatch(refused(await body({ capabilities: ["world:../etc"] })), /is not a valid world id/);
});

Deno.test("a publicKey that is not 32 bytes of base64 is refused by the shape check", async () => {
  assertMatch(
    refused({ ...await body(), publicKey: "short" }),
    /^publicKey must be the base64 of a 32-byte/,
  );
});

Deno.test("the vectors' announce is far inside the limits", () => {
  const sent = canonicalize({ ...fields, slug: "pixel-city" });
  assert(sent.length * 10 < ANNOUNCE_LIMITS.maxBodyBytes);
});
