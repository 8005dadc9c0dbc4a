/**
 * Calls the gateway makes: the outbound policy (no internal addresses from a
 * public gateway, checked after DNS), no redirects, bounded answers, one
 * opaque error; and the policy a gateway derives from its `PUBLIC_URL`, end
 * to end through `/ws`.
 */
import {
  callOut,
  defaultOutboundPolicy,
  isInternalAddress,
  OutboundError,
} from "../gateway/_outbound.ts";
import { createGateway, type Gateway } from "../gateway/mod.ts";
import { createAnnounce, generateIdentity, type Identity } from "../protocol/mod.ts";
import { createWorldServer } from "../sdk/mod.ts";
import { assert, assertEquals, assertRejects } from "./assert.ts";
import { Client, until, wsUrl } from "./_ws.ts";

Deno.test("private, loopback, link-local, metadata, multicast and reserved addresses are internal", () => {
  const internal = [
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.0.10",
    "127.0.0.1",
    "127.9.9.9",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.251",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd00:ec2::254",
    "::ffff:10.0.0.1",
    "::ffff:127.0.0.1",
    "64:ff9b::a00:1",
    "[::1]",
    "ff02::1",
    "not an address",
  ];
  for (const address of internal) assert(isInternalAddress(address), address);
  const external = ["8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"];
  for (const address of external) assertEquals(isInternalAddress(address), false, address);
});

Deno.test("a gateway on a public URL calls only public addresses by default; a local one calls any", () => {
  assertEquals(defaultOutboundPolicy(undefined), "any");
  assertEquals(defaultOutboundPolicy("http://127.0.0.1:8100"), "any");
  assertEquals(defaultOutboundPolicy("http://localhost:8100"), "any");
  assertEquals(defaultOutboundPolicy("http://10.0.0.5:8100"), "any");
  assertEquals(defaultOutboundPolicy("https://gateway.example.com"), "public-only");
  assertEquals(defaultOutboundPolicy("http://8.8.4.4:8100"), "public-only");
});

function recordingFetch(answer: () => Response | Promise<Response>) {
  const calls: { url: string; host: string | null; redirect?: string; client: boolean }[] = [];
  const fetch = ((input: string | URL | Request, init?: RequestInit & { client?: unknown }) => {
    calls.push({
      url: String(input),
      host: new Headers(init?.headers).get("host"),
      redirect: init?.redirect,
      client: init?.client !== undefined,
    });
    return Promise.resolve(answer());
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

const publicOnly = { policy: "public-only" as const, timeoutMs: 1000, maxResponseBytes: 100 };

Deno.test("public-only refuses an internal literal or a name that resolves inside, before any call", async () => {
  const { calls, fetch } = recordingFetch(() => new Response("{}"));
  for (
    const [url, addresses] of [
      ["http://127.0.0.1:8099/peer/message", []],
      ["http://[::1]:8099/peer/message", []],
      ["http://169.254.169.254/latest/meta-data", []],
      ["http://sneaky.example/peer/message", ["93.184.216.34", "10.0.0.7"]],
      ["http://nowhere.example/peer/message", []],
    ] as const
  ) {
    const error = await assertRejects(() =>
      callOut(new URL(url), { method: "POST" }, {
        ...publicOnly,
        fetch,
        resolve: () => Promise.resolve([...addresses]),
      })
    );
    assert(error instanceof OutboundError);
    assertEquals(error.message, "the world could not be reached", "nothing about the network");
  }
  assertEquals(calls, [], "nothing was called");
});

Deno.test("public-only calls the address it checked, with the original Host, never by name again", async () => {
  const { calls, fetch } = recordingFetch(() => new Response('{"ok":true}'));
  const answer = await callOut(new URL("http://world.example:8099/peer/message"), {
    method: "POST",
  }, { ...publicOnly, fetch, resolve: () => Promise.resolve(["93.184.216.34"]) });
  assertEquals(answer.text, '{"ok":true}');
  assertEquals(calls, [{
    url: "http://93.184.216.34:8099/peer/message",
    host: "world.example:8099",
    redirect: "manual",
    client: true,
  }]);
});

Deno.test("a redirect, an oversized answer and a network failure all fail the same way", async () => {
  const cases: [() => Response | Promise<Response>, OutboundError["kind"]][] = [
    [
      () => new Response(null, { status: 303, headers: { location: "http://10.0.0.1/" } }),
      "redirect",
    ],
    [() => new Response("x".repeat(101)), "too_large"],
    [() => Promise.reject(new TypeError("connection refused")), "unreachable"],
  ];
  for (const [answer, kind] of cases) {
    const { fetch } = recordingFetch(answer);
    const error = await assertRejects(() =>
      callOut(new URL("http://127.0.0.1:9/x"), { method: "POST" }, {
        policy: "any",
        timeoutMs: 1000,
        maxResponseBytes: 100,
        fetch,
      })
    );
    assert(error instanceof OutboundError);
    assertEquals([error.kind, error.message], [kind, "the world could not be reached"]);
  }
});

Deno.test("an answer within the limit is read whole", async () => {
  const { fetch } = recordingFetch(() => new Response("y".repeat(100), { status: 201 }));
  const answer = await callOut(new URL("http://127.0.0.1:9/x"), {}, {
    policy: "any",
    timeoutMs: 1000,
    maxResponseBytes: 100,
    fetch,
  });
  assertEquals([answer.status, answer.text.length], [201, 100]);
});

/** Announces a world on `port` of the loopback to a gateway (a body-signed announce). */
async function announceLoopback(url: string, identity: Identity, worldId: string, port: number) {
  const body = await createAnnounce(identity, {
    alias: worldId,
    endpoints: [{ address: "127.0.0.1", port, transport: "tcp" }],
    capabilities: [`world:${worldId}`],
  });
  const response = await fetch(`${url}/peer/announce`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  assertEquals(response.status, 200, await response.text());
}

/** What a browser on `/ws` hears when it joins a world: its `join_result` or `error` frame. */
async function joinThrough(url: string, worldId: string): Promise<Record<string, unknown>> {
  const client = new Client(wsUrl(url, `?world=${worldId}`));
  try {
    await client.next("subscribed");
    client.send({ type: "join", alias: "Ada" });
    const answered = (f: Record<string, unknown>) => f.type === "join_result" || f.type === "error";
    await until(() => client.frames.some(answered), `an answer from ${worldId}`);
    return client.frames.find(answered)!;
  } finally {
    await client.close();
  }
}

/** A loopback port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test("a gateway with a public PUBLIC_URL refuses to bridge to a loopback world, saying nothing of the port; a loopback one bridges", async () => {
  const worldIdentity = await generateIdentity();
  const joined: string[] = [];
  const world = await createWorldServer({
    worldId: "inside",
    port: 0,
    hostname: "127.0.0.1",
    identity: worldIdentity,
    onError: () => {},
  }, {
    onJoin: (agentId) => {
      joined.push(agentId);
      return { manifest: {} };
    },
    getState: () => ({}),
  });
  const dataDirs: string[] = [];
  const gateways: Gateway[] = [];
  const start = async (publicUrl: string, port = 0) => {
    const dataDir = await Deno.makeTempDir();
    dataDirs.push(dataDir);
    const gateway = await createGateway({ dataDir, port, hostname: "127.0.0.1", publicUrl });
    gateways.push(gateway);
    const { url } = await gateway.start();
    await announceLoopback(url, worldIdentity, "inside", world.port);
    await announceLoopback(url, await generateIdentity(), "nowhere", closedPort());
    return url;
  };
  try {
    const exposed = await start("https://gateway.example");
    const refusedOpen = await joinThrough(exposed, "inside");
    const refusedClosed = await joinThrough(exposed, "nowhere");
    assertEquals(refusedOpen, { type: "error", message: "the world could not be reached" });
    assertEquals(refusedClosed, refusedOpen, "an open and a closed port look the same");
    assertEquals(joined, [], "no call reached the loopback world");

    const localPort = closedPort();
    const local = await start(`http://127.0.0.1:${localPort}`, localPort);
    const bridged = await joinThrough(local, "inside");
    assertEquals([bridged.type, bridged.ok], ["join_result", true]);
    assert(joined.length > 0, "the world heard the join");
    assertEquals(await joinThrough(local, "nowhere"), refusedOpen, "a closed port, called");
  } finally {
    for (const gateway of gateways) await gateway.stop();
    await world.stop();
    for (const dataDir of dataDirs) await Deno.remove(dataDir, { recursive: true });
  }
});
