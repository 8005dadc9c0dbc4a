/**
 * Protocol versions: which are spoken, what differs between them, and the
 * clear error for one that is not.
 *
 * @module
 */
import {
  AGENT_ID_PATTERN,
  agentIdFromPathSegment,
  DEFAULTS,
  isSupportedVersion,
  PROTOCOL_VERSION,
  reject,
  REJECTION_STATUS,
  rejectionResponse,
  requireVersion,
  separatorsFor,
  SUPPORTED_PROTOCOL_VERSIONS,
  UnsupportedVersionError,
  versionFeatures,
} from "../protocol/mod.ts";
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from "../sdk/mod.ts";
import { assert, assertEquals, assertThrows } from "./assert.ts";

Deno.test("the versions spoken are 1.2 to 1.6 and the default is 1.2", () => {
  assertEquals([...SUPPORTED_PROTOCOL_VERSIONS], ["1.2", "1.3", "1.4", "1.5", "1.6"]);
  assertEquals(PROTOCOL_VERSION, "1.2");
  for (const version of SUPPORTED_PROTOCOL_VERSIONS) assert(isSupportedVersion(version));
  for (const other of ["1.1", "1.7", "1.0.0", "", " 1.2", "1.2\u0000", 1.2, null, undefined]) {
    assertEquals(isSupportedVersion(other), false, JSON.stringify(other));
  }
});

Deno.test("an unknown version is an UnsupportedVersionError naming the supported ones", () => {
  const error = assertThrows(() => requireVersion("2.0"));
  assert(error instanceof UnsupportedVersionError);
  assertEquals(
    error.message,
    'unsupported protocol version "2.0" (supported: 1.2, 1.3, 1.4, 1.5, 1.6)',
  );
  assertThrows(() => separatorsFor("1.9" as "1.2"), /unsupported protocol version "1.9"/);
  assertThrows(
    () => versionFeatures("x".repeat(1000) as "1.2"),
    /unsupported protocol version "x{32}"/,
  );
});

Deno.test("resource routes and key ids as world ids start at 1.4, the world manifest at 1.5", () => {
  const table = SUPPORTED_PROTOCOL_VERSIONS.map((version) => {
    const f = versionFeatures(version);
    return [version, f.resourceRoutes, f.keyIdIsWorldId, f.agentsListKey, f.worldManifest];
  });
  assertEquals(table, [
    ["1.2", false, false, "peers", false],
    ["1.3", false, false, "peers", false],
    ["1.4", true, true, "agents", false],
    ["1.5", true, true, "agents", true],
    ["1.6", true, true, "agents", true],
  ]);
});

Deno.test("each version's separators carry it, and no two versions share one", () => {
  const seen = new Set<string>();
  for (const version of SUPPORTED_PROTOCOL_VERSIONS) {
    for (const separator of Object.values(separatorsFor(version))) {
      assert(separator.endsWith(`-${version}\u0000`), separator);
      assert(!seen.has(separator));
      seen.add(separator);
    }
  }
});

Deno.test("a path id is an agent id percent-encoded or not, and nothing else", () => {
  const id = "aw:sha256:" + "0f".repeat(32);
  assertEquals(agentIdFromPathSegment(id), id);
  assertEquals(agentIdFromPathSegment("aw%3Asha256%3A" + "0f".repeat(32)), id);
  assertEquals(agentIdFromPathSegment("aw%3asha256%3a" + "0f".repeat(32)), id);
  for (const bad of ["pixel-city", id.toUpperCase(), "%", "aw%3Asha256%3A", id + "%00"]) {
    assertEquals(agentIdFromPathSegment(bad), undefined, bad);
  }
  assert(AGENT_ID_PATTERN.test(id));
});

Deno.test("each refusal reason has one status, and its response is JSON with that status", async () => {
  assertEquals(REJECTION_STATUS.unsupported_version, 400);
  assertEquals(REJECTION_STATUS.key_mismatch, 403);
  const response = rejectionResponse(reject("replayed", "ts is not newer"));
  assertEquals(response.status, 409);
  assertEquals(await response.json(), { error: "ts is not newer" });
});

Deno.test("the shared defaults are the ones the SDK uses", () => {
  assertEquals(DEFAULTS.heartbeatIntervalMs, DEFAULT_HEARTBEAT_INTERVAL_MS);
  assertEquals(DEFAULTS.leaseTtlMs, 3 * DEFAULTS.heartbeatIntervalMs);
});
