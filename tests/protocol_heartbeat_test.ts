/**
 * Heartbeats of both generations, deregistrations, and the separators a
 * lease's version allows.
 *
 * @module
 */
import {
  createDeregistration,
  createHeartbeat,
  createResourceHeartbeat,
  generateIdentity,
  type Heartbeat,
  heartbeatSeparator,
  importPublicKey,
  parseDeregistration,
  parseHeartbeat,
  parseResourceHeartbeat,
  SUPPORTED_PROTOCOL_VERSIONS,
  verifyDeregistration,
  verifyHeartbeat,
} from "../protocol/mod.ts";
import { assert, assertEquals, assertRejects } from "./assert.ts";

const identity = await generateIdentity();
const key = (await importPublicKey(identity.publicKeyB64))!;

Deno.test("the short aw:hb: heartbeat verifies for a lease of every version", async () => {
  const heartbeat = await createHeartbeat(identity, 1000);
  for (const version of SUPPORTED_PROTOCOL_VERSIONS) {
    assert(await verifyHeartbeat(heartbeat, key, { version }), version);
  }
});

Deno.test("a versioned heartbeat verifies only for a lease of its own version", async () => {
  for (const signedAs of SUPPORTED_PROTOCOL_VERSIONS) {
    const heartbeat = await createHeartbeat(identity, 2000, {
      version: signedAs,
      separator: "versioned",
    });
    for (const leaseVersion of SUPPORTED_PROTOCOL_VERSIONS) {
      assertEquals(
        await verifyHeartbeat(heartbeat, key, { version: leaseVersion }),
        signedAs === leaseVersion,
        `signed ${signedAs}, lease ${leaseVersion}`,
      );
    }
  }
});

Deno.test("a world heartbeat is signed over worldId and an agent heartbeat over agentId, never both", async () => {
  const world = await createResourceHeartbeat(identity, 3000, {
    version: "1.6",
    separator: "versioned",
  });
  const agent = await createResourceHeartbeat(identity, 3000, {
    version: "1.6",
    separator: "versioned",
    idField: "agentId",
  });
  const asHeartbeat = (body: { ts: number; signature: string }): Heartbeat => ({
    agentId: identity.agentId,
    ...body,
  });
  assert(await verifyHeartbeat(asHeartbeat(world), key, { version: "1.6", idField: "worldId" }));
  assertEquals(
    await verifyHeartbeat(asHeartbeat(world), key, { version: "1.6", idField: "agentId" }),
    false,
  );
  assert(await verifyHeartbeat(asHeartbeat(agent), key, { version: "1.6", idField: "agentId" }));
  assertEquals(
    await verifyHeartbeat(asHeartbeat(agent), key, { version: "1.6", idField: "worldId" }),
    false,
  );
});

Deno.test("a key that alternates separators and versions gets the right answer every time", async () => {
  const order: [("short" | "versioned"), "1.3" | "1.6"][] = [
    ["versioned", "1.3"],
    ["versioned", "1.3"],
    ["short", "1.3"],
    ["versioned", "1.6"],
    ["short", "1.6"],
    ["versioned", "1.6"],
  ];
  for (const [i, [separator, version]] of order.entries()) {
    const heartbeat = await createHeartbeat(identity, 5000 + i, { separator, version });
    assert(await verifyHeartbeat(heartbeat, key, { version }), `${i}: ${separator} ${version}`);
    assertEquals(
      await verifyHeartbeat({ ...heartbeat, ts: heartbeat.ts + 1 }, key, { version }),
      false,
    );
    const otherVersion = version === "1.3" ? "1.6" : "1.3";
    assertEquals(
      await verifyHeartbeat(heartbeat, key, { version: otherVersion }),
      separator === "short",
      `${i}: under ${otherVersion}`,
    );
  }
});

Deno.test("a lease version that is not spoken here verifies nothing and throws nothing", async () => {
  const heartbeat = await createHeartbeat(identity, 6000);
  assertEquals(await verifyHeartbeat(heartbeat, key, { version: "2.0" as "1.2" }), false);
});

Deno.test("signing a heartbeat under a version not spoken here is an error", async () => {
  await assertRejects(
    () => createHeartbeat(identity, 1, { version: "1.1" as "1.2", separator: "versioned" }),
    /unsupported protocol version "1.1"/,
  );
  assertEquals(heartbeatSeparator("1.4", "versioned"), "AgentWorld-Heartbeat-1.4\u0000");
});

Deno.test("heartbeat parsers keep only the signed fields and take the id from the path", () => {
  assertEquals(parseHeartbeat({ agentId: "a", ts: 1, signature: "s", extra: "x".repeat(10) }), {
    ok: true,
    value: { agentId: "a", ts: 1, signature: "s" },
  });
  assertEquals(parseResourceHeartbeat({ ts: 1, signature: "s", agentId: "spoofed" }, "from-path"), {
    ok: true,
    value: { agentId: "from-path", ts: 1, signature: "s" },
  });
  assertEquals(parseResourceHeartbeat({ ts: "1", signature: "s" }, "p"), {
    ok: false,
    error: "ts must be a positive integer of milliseconds since the epoch",
  });
  assertEquals(parseResourceHeartbeat({ ts: 1 }, "p"), {
    ok: false,
    error: "missing field: signature",
  });
});

Deno.test("a deregistration verifies with the lease's key under aw:dereg: only", async () => {
  const deregistration = await createDeregistration(identity, 7000, "1.6");
  assertEquals(parseDeregistration(JSON.parse(JSON.stringify(deregistration))), {
    ok: true,
    value: deregistration,
  });
  assert(await verifyDeregistration(deregistration, key));
  assertEquals(await verifyDeregistration({ ...deregistration, ts: 7001 }, key), false);
  const other = await generateIdentity();
  assertEquals(await verifyDeregistration(await createDeregistration(other, 7000), key), false);
});

Deno.test("a heartbeat is never a deregistration, nor a deregistration a heartbeat", async () => {
  const heartbeat = await createHeartbeat(identity, 8000);
  assertEquals(await verifyDeregistration(heartbeat, key), false);
  const deregistration = await createDeregistration(identity, 8000);
  for (const version of SUPPORTED_PROTOCOL_VERSIONS) {
    assertEquals(await verifyHeartbeat(deregistration, key, { version }), false);
  }
});

Deno.test("a deregistration for a version not spoken here is an error", async () => {
  await assertRejects(
    () => createDeregistration(identity, 1, "9.9" as "1.2"),
    /unsupported protocol version/,
  );
});
