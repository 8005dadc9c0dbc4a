/**
 * Leaving and moving: the SDK's signed deregistration on stop(), and key
 * rotation at a gateway.
 *
 * @module
 */
import {
  generateIdentity,
  importPublicKey,
  parseDeregistration,
  verifyDeregistration,
  verifyKeyRotation,
} from "../protocol/mod.ts";
import {
  createWorldServer,
  deregisterFromGateway,
  rotateKeyAtGateway,
  sendHeartbeat,
  startGatewayAnnounce,
} from "../sdk/mod.ts";
import { type Recorder, type Responder, sleep, startRecorder } from "./_sdk_fakes.ts";
import { ManualTimers, runSchedules } from "./_timers.ts";
import { assert, assertEquals } from "./assert.ts";

const DEREGISTER = "/peer/deregister";

const fields = {
  alias: "Pixel City",
  endpoints: [{ address: "203.0.113.7", port: 8099, transport: "tcp" }],
  capabilities: ["world:pixel-city"],
};

async function withGateways(
  responders: Responder[],
  fn: (...gateways: Recorder[]) => Promise<void>,
): Promise<void> {
  const gateways = responders.map((respond) => startRecorder(respond));
  try {
    await fn(...gateways);
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.close()));
  }
}

Deno.test("a deregistration is signed under aw:dereg: and stamped after the last heartbeat", async () => {
  await withGateways([() => undefined], async (gateway) => {
    const identity = await generateIdentity();
    const clock = () => 1_000_000;
    await sendHeartbeat(gateway.url, identity, { clock });
    await sendHeartbeat(gateway.url, identity, { clock });
    const answer = await deregisterFromGateway(gateway.url, identity, { clock });
    assertEquals(answer, { ok: true, status: 200 });
    const [call] = gateway.callsTo(DEREGISTER);
    const parsed = parseDeregistration(call.json);
    assert(parsed.ok);
    assertEquals(
      parsed.value.ts,
      1_000_002,
      "newer than both heartbeats, though the clock stood still",
    );
    assert(
      await verifyDeregistration(parsed.value, (await importPublicKey(identity.publicKeyB64))!),
    );
  });
});

Deno.test("a deregistration answered 404 by a reference gateway is a plain answer, not a throw", async () => {
  await withGateways([() => ({ status: 404, body: { error: "Not Found" } })], async (gateway) => {
    const answer = await deregisterFromGateway(gateway.url, await generateIdentity());
    assertEquals(answer, { ok: false, status: 404, error: "Not Found" });
  });
});

Deno.test("stop() deregisters from every gateway in parallel, after the last heartbeat", async () => {
  let a!: Recorder;
  let b!: Recorder;
  // Each gateway answers a deregistration only once the other has received
  // its own: sent one after the other, the first would wait out the timeout.
  const waitForOther = (other: () => Recorder): Responder => async (call) => {
    if (call.path !== DEREGISTER) return undefined;
    const deadline = Date.now() + 3_000;
    while (other().callsTo(DEREGISTER).length === 0 && Date.now() < deadline) await sleep(5);
    return undefined;
  };
  await withGateways([waitForOther(() => b), waitForOther(() => a)], async (first, second) => {
    [a, b] = [first, second];
    const errors: Error[] = [];
    const identity = await generateIdentity();
    const timers = new ManualTimers();
    const handle = startGatewayAnnounce({
      ...fields,
      identity,
      gatewayUrls: [a.url, b.url],
      onError: (error) => errors.push(error),
      timeouts: { deregisterMs: 1_000 },
      // The clock stands still between the heartbeats and the goodbye: its stamp must still be newer.
      clock: timers.clock,
      timers,
      jitterRatio: 0,
    });
    await runSchedules(timers, 60_000, 2);
    for (const gateway of [a, b]) assertEquals(gateway.callsTo("/peer/heartbeat").length, 2);
    await handle.stop();
    assertEquals(timers.pending, 0);
    for (const gateway of [a, b]) {
      const last = gateway.calls[gateway.calls.length - 1];
      assertEquals(last.path, DEREGISTER, "the deregistration is the last request");
      const heartbeats = gateway.callsTo("/peer/heartbeat").map((c) =>
        (c.json as { ts: number }).ts
      );
      assert((last.json as { ts: number }).ts > Math.max(...heartbeats));
    }
    assertEquals(errors, []);
  });
});

/** Starts a schedule against a gateway answering deregistrations as told, stops it, returns what was reported. */
async function stopAgainst(
  deregisterAnswer: { status?: number; delayMs?: number },
  deregisterMs?: number,
): Promise<{ gateway: Recorder; errors: Error[] }> {
  const errors: Error[] = [];
  let gateway!: Recorder;
  await withGateways(
    [(call) => call.path === DEREGISTER ? deregisterAnswer : undefined],
    async (recorder) => {
      gateway = recorder;
      const handle = startGatewayAnnounce({
        ...fields,
        identity: await generateIdentity(),
        gatewayUrls: gateway.url,
        onError: (error) => errors.push(error),
        timeouts: { deregisterMs },
      });
      await handle.ready;
      await handle.stop();
    },
  );
  return { gateway, errors };
}

Deno.test("stop() is bounded in time by a gateway that never answers, and says so", async () => {
  const { gateway, errors } = await stopAgainst({ delayMs: 30_000 }, 50);
  assertEquals(gateway.callsTo(DEREGISTER).length, 1);
  assertEquals(errors.length, 1);
  assert(
    errors[0].message.startsWith(`deregistration from ${gateway.url} failed`),
    errors[0].message,
  );
});

Deno.test("a 404 to a deregistration at stop() is not reported: reference gateways have no such route", async () => {
  const { gateway, errors } = await stopAgainst({ status: 404 });
  assertEquals(gateway.callsTo(DEREGISTER).length, 1);
  assertEquals(errors, []);
});

Deno.test("stop({ deregister: false }) leaves the leases to run out", async () => {
  await withGateways([() => undefined], async (gateway) => {
    const handle = startGatewayAnnounce({
      ...fields,
      identity: await generateIdentity(),
      gatewayUrls: gateway.url,
    });
    await handle.ready;
    await handle.stop({ deregister: false });
    assertEquals(gateway.callsTo(DEREGISTER).length, 0);
  });
});

Deno.test("a world's stop() deregisters from its gateways before it closes", async () => {
  await withGateways([() => undefined], async (gateway) => {
    const world = await createWorldServer({
      worldId: "leaving",
      port: 0,
      hostname: "127.0.0.1",
      identity: await generateIdentity(),
      gatewayUrls: gateway.url,
      protocolVersion: "1.6",
    });
    await world.gateway!.ready;
    await world.stop();
    const [call] = gateway.callsTo(DEREGISTER);
    const parsed = parseDeregistration(call.json);
    assert(parsed.ok && parsed.value.agentId === world.identity.agentId);
    assertEquals(gateway.calls.map((c) => c.path), ["/agents", DEREGISTER]);
  });
});

Deno.test("a key rotation sent to a gateway carries both proofs and verifies", async () => {
  await withGateways([() => undefined], async (gateway) => {
    const [oldKey, newKey] = [await generateIdentity(), await generateIdentity()];
    const answer = await rotateKeyAtGateway(gateway.url, oldKey, newKey, {
      protocolVersion: "1.5",
    });
    assertEquals(answer.ok, true);
    const [call] = gateway.callsTo("/peer/key-rotation");
    const result = await verifyKeyRotation(call.json);
    assert(result.ok, result.ok ? "" : result.error);
    assertEquals([result.value.oldAgentId, result.value.newAgentId, result.value.version], [
      oldKey.agentId,
      newKey.agentId,
      "1.5",
    ]);
  });
});

Deno.test("a refused key rotation returns the gateway's status and error", async () => {
  await withGateways(
    [() => ({ status: 409, body: { error: "world is owned by another key" } })],
    async (gateway) => {
      const answer = await rotateKeyAtGateway(
        gateway.url,
        await generateIdentity(),
        await generateIdentity(),
      );
      assertEquals(answer, { ok: false, status: 409, error: "world is owned by another key" });
    },
  );
});
