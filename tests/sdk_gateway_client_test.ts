import {
  DOMAIN_SEPARATORS,
  generateIdentity,
  type Identity,
  importPublicKey,
  parseAnnounce,
  parseHeartbeat,
  verifyAnnounceSignature,
  verifyHeartbeat,
  verifyHttpRequestHeaders,
  verifyWithDomainSeparator,
} from "../protocol/mod.ts";
import {
  announceToGateway,
  type GatewayAnnounceOptions,
  parseGatewayUrls,
  sendHeartbeat,
  startGatewayAnnounce,
} from "../sdk/mod.ts";
import {
  type Recorder,
  type Responder,
  startRecorder,
  unreachableUrl,
  waitFor,
} from "./_sdk_fakes.ts";
import { ManualTimers, runSchedules } from "./_timers.ts";
import { assert, assertEquals, assertMatch, assertRejects, assertThrows } from "./assert.ts";

const ANNOUNCE = "/peer/announce";
const HEARTBEAT = "/peer/heartbeat";
const DEREGISTER = "/peer/deregister";

const fields = {
  alias: "Pixel City",
  version: "0.1.0",
  endpoints: [{ address: "203.0.113.7", port: 8099, transport: "tcp" }],
  capabilities: ["world:pixel-city"],
};

/** Runs `fn` with a fresh identity and recording gateways, closing them afterwards. */
async function withGateways(
  responders: Responder[],
  fn: (identity: Identity, ...gateways: Recorder[]) => Promise<void>,
): Promise<void> {
  const gateways = responders.map((respond) => startRecorder(respond));
  try {
    await fn(await generateIdentity(), ...gateways);
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.close()));
  }
}

/**
 * Starts a schedule, runs `fn`, and always stops it. On {@linkcode ManualTimers}
 * it also runs on their clock, without jitter unless asked.
 */
async function withSchedule(
  options: Omit<GatewayAnnounceOptions, keyof typeof fields>,
  fn: (handle: ReturnType<typeof startGatewayAnnounce>) => Promise<void>,
): Promise<void> {
  const manual = options.timers instanceof ManualTimers
    ? { clock: options.timers.clock, jitterRatio: 0 }
    : {};
  const handle = startGatewayAnnounce({ ...fields, ...manual, ...options });
  try {
    await fn(handle);
  } finally {
    await handle.stop();
  }
}

/**
 * Answers as `respond` says, and logs each request as `<route>@<ms>`: its
 * last path segment, and when it came on `timers`' clock since now.
 */
function logging(
  timers: ManualTimers,
  log: string[],
  respond: Responder = () => undefined,
): Responder {
  const start = timers.now;
  return (call) => {
    log.push(`${call.path.split("/").pop()}@${timers.now - start}`);
    return respond(call);
  };
}

Deno.test("an announce carries a valid ANNOUNCE body signature and valid request-signature headers", async () => {
  await withGateways([() => undefined], async (identity, gateway) => {
    const result = await announceToGateway(gateway.url, { identity, ...fields });
    assertEquals(result.ok, true);
    const [call] = gateway.callsTo(ANNOUNCE);
    const parsed = parseAnnounce(call.json);
    assert(parsed.ok, "the body is a valid announce");
    assertEquals(parsed.value.from, identity.agentId);
    assertEquals(parsed.value.alias, "Pixel City");
    assertEquals(await verifyAnnounceSignature(parsed.value), true);
    const headers = await verifyHttpRequestHeaders(
      call.headers,
      "POST",
      ANNOUNCE,
      call.headers.get("host")!,
      call.bodyText,
      identity.publicKeyB64,
    );
    assertEquals(headers, { ok: true, version: "1.2" });
  });
});

Deno.test("an announce returns the peers the gateway listed", async () => {
  const peer = {
    agentId: "aw:sha256:" + "ab".repeat(32),
    publicKey: "PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw=",
    alias: "Other",
    endpoints: [{ address: "198.51.100.1", port: 8099, transport: "tcp" }],
    capabilities: ["world:other"],
    lastSeen: 1774276670000,
  };
  await withGateways([() => ({ body: { ok: true, peers: [peer] } })], async (identity, gateway) => {
    const result = await announceToGateway(gateway.url, { identity, ...fields });
    assertEquals(result, { ok: true, status: 200, peers: [peer] });
  });
});

Deno.test("a refused announce returns the gateway's status and error", async () => {
  await withGateways(
    [() => ({ status: 409, body: { error: "world id taken" } })],
    async (identity, gateway) => {
      const result = await announceToGateway(gateway.url, { identity, ...fields });
      assertEquals(result, { ok: false, status: 409, peers: [], error: "world id taken" });
    },
  );
});

Deno.test("an announce to a URL with a path prefix and trailing slash posts under the prefix and signs the gateway route", async () => {
  await withGateways([() => undefined], async (identity, gateway) => {
    await announceToGateway(`${gateway.url}/gw/`, { identity, ...fields });
    const [call] = gateway.calls;
    assertEquals(call.path, "/gw/peer/announce");
    const headers = await verifyHttpRequestHeaders(
      call.headers,
      "POST",
      ANNOUNCE,
      call.headers.get("host")!,
      call.bodyText,
      identity.publicKeyB64,
    );
    assertEquals(headers.ok, true);
  });
});

Deno.test("an announce to an unreachable gateway resolves with status 0 and an error", async () => {
  const identity = await generateIdentity();
  const result = await announceToGateway(await unreachableUrl(), { identity, ...fields });
  assertEquals(result.ok, false);
  assertEquals(result.status, 0);
  assert(typeof result.error === "string" && result.error.length > 0, "an error is given");
});

Deno.test("an announce that outlives its timeout resolves with status 0", async () => {
  await withGateways([() => ({ delayMs: 2_000 })], async (identity, gateway) => {
    const result = await announceToGateway(gateway.url, { identity, ...fields, timeoutMs: 20 });
    assertEquals(result.status, 0);
    assertMatch(result.error!, /timed out/);
  });
});

Deno.test("an announce to a URL that is not http(s) rejects with a TypeError", async () => {
  const identity = await generateIdentity();
  await assertRejects(
    () => announceToGateway("ftp://example.org", { identity, ...fields }),
    /http or https/,
  );
});

Deno.test("a heartbeat body verifies under the aw:hb: separator", async () => {
  await withGateways([() => undefined], async (identity, gateway) => {
    assertEquals(await sendHeartbeat(gateway.url, identity), true);
    const [call] = gateway.callsTo(HEARTBEAT);
    const parsed = parseHeartbeat(call.json);
    assert(parsed.ok, "the body is a valid heartbeat");
    assertEquals(Object.keys(call.json as object).sort(), ["agentId", "signature", "ts"]);
    assertEquals(parsed.value.agentId, identity.agentId);
    const { agentId, ts, signature } = parsed.value;
    assertEquals(
      await verifyWithDomainSeparator(
        DOMAIN_SEPARATORS.HEARTBEAT,
        identity.publicKeyB64,
        { agentId, ts },
        signature,
      ),
      true,
    );
    assertEquals(
      await verifyHeartbeat(parsed.value, (await importPublicKey(identity.publicKeyB64))!),
      true,
    );
  });
});

Deno.test("heartbeat stamps strictly increase even when the clock steps back", async () => {
  await withGateways([() => undefined], async (identity, gateway) => {
    const readings = [1_000_000, 400_000, 400_000, 1_000_005];
    const clock = () => readings.shift()!;
    for (let i = 0; i < 4; i++) await sendHeartbeat(gateway.url, identity, { clock });
    const stamps = gateway.callsTo(HEARTBEAT).map((call) => (call.json as { ts: number }).ts);
    assertEquals(stamps, [1_000_000, 1_000_001, 1_000_002, 1_000_005]);
  });
});

Deno.test("a heartbeat answered 200 keeps the lease", async () => {
  await withGateways([() => ({ body: { ok: true } })], async (identity, gateway) => {
    assertEquals(await sendHeartbeat(gateway.url, identity), true);
  });
});

Deno.test("a heartbeat answered 404 asks for a new announce", async () => {
  await withGateways(
    [() => ({ status: 404, body: { error: "unknown lease" } })],
    async (identity, gateway) => {
      assertEquals(await sendHeartbeat(gateway.url, identity), false);
    },
  );
});

Deno.test("a heartbeat answered 403 asks for a new announce", async () => {
  await withGateways(
    [() => ({ status: 403, body: { error: "bad signature" } })],
    async (identity, gateway) => {
      assertEquals(await sendHeartbeat(gateway.url, identity), false);
    },
  );
});

Deno.test("a heartbeat to an unreachable gateway keeps the lease and is reported", async () => {
  const identity = await generateIdentity();
  const errors: Error[] = [];
  const kept = await sendHeartbeat(await unreachableUrl(), identity, {
    onError: (error) => errors.push(error),
  });
  assertEquals(kept, true);
  assertEquals(errors.length, 1);
  assertMatch(errors[0].message, /^heartbeat to http:\/\/127\.0\.0\.1:\d+ failed/);
});

Deno.test("a heartbeat answered 500 keeps the lease and is reported", async () => {
  await withGateways(
    [() => ({ status: 500, body: { error: "boom" } })],
    async (identity, gateway) => {
      const errors: Error[] = [];
      assertEquals(
        await sendHeartbeat(gateway.url, identity, { onError: (e) => errors.push(e) }),
        true,
      );
      assertMatch(errors[0].message, /HTTP 500 boom/);
    },
  );
});

Deno.test("gateway URLs are split on commas, trimmed, deduplicated and emptied of blanks", () => {
  assertEquals(
    parseGatewayUrls(" http://a.test:8100/, ,http://b.test:8100,http://a.test:8100 "),
    ["http://a.test:8100", "http://b.test:8100"],
  );
  assertEquals(parseGatewayUrls(["http://a.test/gw/", "http://b.test,http://a.test/gw"]), [
    "http://a.test/gw",
    "http://b.test",
  ]);
  assertEquals(parseGatewayUrls(""), []);
  assertEquals(parseGatewayUrls(undefined), []);
});

Deno.test("a gateway URL that is not http(s) is a TypeError", () => {
  assertThrows(() => parseGatewayUrls("http://ok.test,gopher://no.test"), /http or https/);
  assertThrows(() => parseGatewayUrls("not a url"), /invalid gateway URL/);
});

Deno.test("a schedule without a gateway URL is a TypeError", () => {
  assertThrows(
    () => startGatewayAnnounce({ ...fields, identity: {} as Identity, gatewayUrls: " , " }),
    /needs a gateway URL/,
  );
});

Deno.test("a schedule announces at once to every gateway of a comma-separated list", async () => {
  await withGateways([() => undefined, () => undefined], async (identity, a, b) => {
    await withSchedule({ identity, gatewayUrls: `${a.url}, ${b.url},` }, async (handle) => {
      assertEquals(handle.gatewayUrls, [a.url, b.url]);
      const results = await handle.ready;
      assertEquals(results.map((result) => result.ok), [true, true]);
      assertEquals(a.callsTo(ANNOUNCE).length, 1);
      assertEquals(b.callsTo(ANNOUNCE).length, 1);
    });
  });
});

Deno.test("a schedule heartbeats every gateway at the heartbeat interval", async () => {
  const timers = new ManualTimers();
  const [logA, logB]: string[][] = [[], []];
  await withGateways([logging(timers, logA), logging(timers, logB)], async (identity, a, b) => {
    await withSchedule({ identity, gatewayUrls: [a.url, b.url], timers }, async () => {
      await runSchedules(timers, 90_000, 2);
      const expected = ["announce@0", "heartbeat@30000", "heartbeat@60000", "heartbeat@90000"];
      assertEquals(logA, expected);
      assertEquals(logB, expected);
    });
  });
});

Deno.test("a schedule announces again every announce interval, in place of a heartbeat", async () => {
  const timers = new ManualTimers();
  const log: string[] = [];
  await withGateways([logging(timers, log)], async (identity, gateway) => {
    await withSchedule({ identity, gatewayUrls: gateway.url, timers }, async () => {
      await runSchedules(timers, 1_200_000, 1);
      const at = (what: string) =>
        log.filter((entry) => entry.startsWith(`${what}@`)).map((entry) => +entry.split("@")[1]);
      assertEquals(at("announce"), [0, 600_000, 1_200_000]);
      const heartbeats = Array.from({ length: 40 }, (_, i) => (i + 1) * 30_000)
        .filter((ms) => ms % 600_000 !== 0);
      assertEquals(at("heartbeat"), heartbeats);
    });
  });
});

Deno.test("each pause is moved by up to jitterRatio of it, as random says", async () => {
  // random 0 shortens every pause by the whole ratio; 0.75 lengthens it by half of it.
  for (const [random, factor] of [[0, 0.75], [0.75, 1.125]]) {
    const timers = new ManualTimers();
    const log: string[] = [];
    await withGateways([logging(timers, log)], async (identity, gateway) => {
      await withSchedule(
        { identity, gatewayUrls: gateway.url, timers, jitterRatio: 0.25, random: () => random },
        async () => {
          await runSchedules(timers, 600_000 * factor, 1);
          const heartbeats = Array.from({ length: 19 }, (_, i) => (i + 1) * 30_000 * factor);
          assertEquals(log, [
            "announce@0",
            ...heartbeats.map((ms) => `heartbeat@${ms}`),
            `announce@${600_000 * factor}`,
          ]);
        },
      );
    });
  }
});

Deno.test("a heartbeat answered 404 re-announces to that gateway only", async () => {
  let refused = false;
  const forgetful: Responder = (call) => {
    if (call.path !== HEARTBEAT || refused) return undefined;
    refused = true;
    return { status: 404, body: { error: "unknown lease" } };
  };
  const timers = new ManualTimers();
  const [logA, logB]: string[][] = [[], []];
  await withGateways(
    [logging(timers, logA, forgetful), logging(timers, logB)],
    async (identity, a, b) => {
      await withSchedule({ identity, gatewayUrls: [a.url, b.url], timers }, async () => {
        await runSchedules(timers, 90_000, 2);
        // The new announce follows the refused heartbeat at once; the lease then
        // lives from it, with heartbeats every interval again.
        assertEquals(logA, [
          "announce@0",
          "heartbeat@30000",
          "announce@30000",
          "heartbeat@60000",
          "heartbeat@90000",
        ]);
        assertEquals(logB, ["announce@0", "heartbeat@30000", "heartbeat@60000", "heartbeat@90000"]);
      });
    },
  );
});

Deno.test("a schedule reports a refused announce through onError", async () => {
  await withGateways(
    [() => ({ status: 400, body: { error: "alias too long" } })],
    async (identity, gateway) => {
      const errors: Error[] = [];
      await withSchedule(
        { identity, gatewayUrls: gateway.url, onError: (error) => errors.push(error) },
        async (handle) => {
          const [result] = await handle.ready;
          assertEquals(result.status, 400);
          assertEquals(errors.length, 1);
          assertEquals(
            errors[0].message,
            `announce to ${gateway.url} failed: HTTP 400 alias too long`,
          );
        },
      );
    },
  );
});

Deno.test("a schedule reports unreachable gateways and keeps running", async () => {
  const errors: Error[] = [];
  const identity = await generateIdentity();
  const timers = new ManualTimers();
  await withSchedule(
    {
      identity,
      gatewayUrls: await unreachableUrl(),
      timers,
      onError: (error) => errors.push(error),
    },
    async () => {
      await runSchedules(timers, 60_000, 1);
      assertEquals(errors.length, 3, "the announce and two heartbeats");
      assertMatch(errors[0].message, /^announce to .* failed/);
      assertMatch(errors[1].message, /^heartbeat to .* failed/);
      assertMatch(errors[2].message, /^heartbeat to .* failed/);
    },
  );
});

Deno.test("an onError that throws is logged and does not stop the schedule", async () => {
  const logged: unknown[][] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  const timers = new ManualTimers();
  let reports = 0;
  try {
    await withGateways([() => ({ status: 500 })], async (identity, gateway) => {
      await withSchedule(
        {
          identity,
          gatewayUrls: gateway.url,
          timers,
          onError: () => {
            reports++;
            throw new Error("a buggy reporter");
          },
        },
        async () => {
          await runSchedules(timers, 60_000, 1);
          assertEquals(
            gateway.calls.length,
            3,
            "the announce and two heartbeats, each answered 500",
          );
          assertEquals(timers.pending, 1, "the schedule still runs");
        },
      );
    });
  } finally {
    console.error = consoleError;
  }
  // The announce, two heartbeats, and the deregistration at stop().
  assertEquals(reports, 4);
  assertEquals(logged.length, 4, "each throw was logged");
  assertEquals(logged[0][0], "onError threw:");
});

Deno.test("stop() ends every timer of a schedule: no request follows, however long after", async () => {
  const timers = new ManualTimers();
  await withGateways([() => undefined, () => undefined], async (identity, a, b) => {
    // Counted where requests start: one already on the wire may still land after stop().
    const started: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      started.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    const handle = startGatewayAnnounce({
      ...fields,
      identity,
      gatewayUrls: [a.url, b.url],
      fetch: countingFetch,
      timers,
      clock: timers.clock,
      jitterRatio: 0,
    });
    await runSchedules(timers, 60_000, 2);
    assertEquals(a.calls.length, 3);
    assertEquals(b.calls.length, 3);
    await handle.stop();
    assertEquals(timers.pending, 0);
    assertEquals(started.slice(-2), [DEREGISTER, DEREGISTER]);
    const count = started.length;
    await timers.advance(10 * 600_000);
    assertEquals(started.length, count);
    assertEquals(timers.pending, 0);
  });
});

Deno.test("stop() aborts a request in flight", async () => {
  await withGateways([() => ({ delayMs: 5_000 })], async (identity, gateway) => {
    const handle = startGatewayAnnounce({ ...fields, identity, gatewayUrls: gateway.url });
    await waitFor(() => gateway.calls.length === 1, "the announce to arrive");
    await handle.stop();
    const [result] = await handle.ready;
    assertEquals(result, { ok: false, status: 0, peers: [], error: "aborted" });
  });
});

Deno.test("a slow gateway never has more than one request in flight: the next tick waits for the answer", async () => {
  const timers = new ManualTimers();
  let release = () => {};
  // Announces and heartbeats are answered when the test says; the goodbye at once.
  const held: Responder = (call) =>
    call.path === DEREGISTER
      ? undefined
      : new Promise((resolve) => release = () => resolve(undefined));
  await withGateways([held], async (identity, gateway) => {
    await withSchedule({ identity, gatewayUrls: gateway.url, timers }, async () => {
      await timers.advance(0);
      await waitFor(() => gateway.calls.length === 1, "the announce to arrive");
      for (let i = 0; i < 3; i++) {
        // Unanswered, the tick plans nothing: however long the answer takes, no request piles up.
        assertEquals(timers.pending, 0);
        await timers.advance(10 * 30_000);
        assertEquals(gateway.calls.length, i + 1);
        release();
        await waitFor(() => timers.pending === 1, "the next tick to be planned");
        await timers.advance(timers.nextAt! - timers.now);
        await waitFor(() => gateway.calls.length === i + 2, "the next request");
      }
      assertEquals(gateway.maxInFlight(), 1);
      release();
    });
  });
});
