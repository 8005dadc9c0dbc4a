/**
 * The gateway's RFC 6455 WebSockets (gateway/_websocket.ts) on its own HTTP
 * server, over real sockets on 127.0.0.1, with a raw client that can break
 * every rule a browser keeps.
 */
import { type HttpServer, serve } from "../gateway/_http_server.ts";
import {
  type ServerWebSocket,
  type UpgradeOptions,
  upgradeWebSocket,
} from "../gateway/_websocket.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { clientFrame, closeBody, readFrame, readUntilClose, upgrade } from "./_raw_ws.ts";
import { sleep } from "./_raw_tcp.ts";
import { until } from "./_ws.ts";

interface Opened {
  socket: ServerWebSocket;
  messages: unknown[];
  closed: Promise<CloseEvent>;
}

/** A server whose sockets echo text and report what they saw. */
async function withSockets(
  options: UpgradeOptions,
  test: (server: HttpServer, port: number, next: () => Promise<Opened>) => Promise<void>,
  serverOptions: { writeTimeoutMs?: number } = {},
): Promise<void> {
  const opened: Opened[] = [];
  const server = serve({
    port: 0,
    hostname: "127.0.0.1",
    log: () => {},
    ...serverOptions,
    handler: (request) => {
      const result = upgradeWebSocket(request, options);
      if (!result.ok) return result.response;
      const { socket } = result;
      const messages: unknown[] = [];
      const closed = new Promise<CloseEvent>((resolve) => socket.onclose = resolve);
      socket.onmessage = (event) => {
        messages.push(event.data);
        if (event.data === "echo") socket.send("echoed");
      };
      opened.push({ socket, messages, closed });
      return result.response;
    },
  });
  let taken = 0;
  const next = async () => {
    await until(() => opened.length > taken, "a socket to open");
    return opened[taken++];
  };
  try {
    await test(server, server.addr.port, next);
  } finally {
    await server.shutdown(100);
  }
}

Deno.test("a malformed upgrade is a 400 or 426 with an error, never a 500", async () => {
  await withSockets({}, async (server, port) => {
    const cases: [Record<string, string | null>, number, RegExp][] = [
      [{ "sec-websocket-key": "short" }, 400, /base64 of 16 bytes/],
      [{ "sec-websocket-key": null }, 400, /base64 of 16 bytes/],
      [{ "sec-websocket-key": "AAAAAAAAAAAAAAAAAAAAAAAA" }, 400, /base64 of 16 bytes/],
      [{ "sec-websocket-version": "8" }, 426, /must be 13/],
      [{ connection: "keep-alive" }, 400, /Connection: upgrade/],
      [{ upgrade: "h2c" }, 426, /expected a WebSocket upgrade/],
      [{ upgrade: null }, 426, /expected a WebSocket upgrade/],
    ];
    for (const [headers, status, pattern] of cases) {
      const { client, response } = await upgrade(port, "/", headers);
      assertEquals(response.status, status, JSON.stringify(headers));
      assertMatch(JSON.parse(response.body).error, pattern);
      if (status === 426 && headers["sec-websocket-version"]) {
        assertEquals(response.headers["sec-websocket-version"], "13");
      }
      client.close();
    }
    const answer = await fetch(`http://127.0.0.1:${port}/`, {
      headers: { upgrade: "websocket", connection: "upgrade", "sec-websocket-version": "13" },
    });
    assertEquals(answer.status, 400);
    assertMatch((await answer.json()).error, /base64 of 16 bytes/);
    assertEquals(server.stats().handlerErrors, 0);
    assertEquals(server.stats().websockets.open, 0);
  });
});

Deno.test("a valid upgrade answers 101 with the RFC 6455 accept key", async () => {
  await withSockets({}, async (_server, port, next) => {
    const { client, response } = await upgrade(port, "/", {
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    });
    assertEquals(response.status, 101);
    assertEquals(response.headers["sec-websocket-accept"], "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assertEquals(response.headers.upgrade, "websocket");
    const { messages } = await next();
    await client.write(clientFrame(0x1, "echo"));
    const frame = await readFrame(client);
    assertEquals([frame?.opcode, new TextDecoder().decode(frame?.payload)], [0x1, "echoed"]);
    assertEquals(messages, ["echo"]);
    client.close();
  });
});

Deno.test("a frame header announcing more than maxMessageBytes closes with 1009 before its payload is sent", async () => {
  await withSockets({ maxMessageBytes: 16 * 1024 }, async (server, port, next) => {
    const { client } = await upgrade(port);
    const { closed, messages } = await next();
    const before = server.stats().bytesRead;
    // A 60 MB frame: only its header goes out.
    await client.write(clientFrame(0x1, new Uint8Array(0), { declaredLength: 60_000_000 }));
    const close = await readUntilClose(client);
    assertEquals(close?.code, 1009);
    assertMatch(close!.reason!, /exceeds 16384 bytes/);
    assertEquals((await closed).code, 1009);
    assert(server.stats().bytesRead - before < 100, "the server read past the header");
    assertEquals(server.stats().websockets.tooBig, 1);
    assertEquals(messages, []);
    client.close();
  });
});

Deno.test("fragments are joined into one message and their total is held to the limit", async () => {
  await withSockets({ maxMessageBytes: 1000 }, async (_server, port, next) => {
    const { client } = await upgrade(port);
    const { messages, closed } = await next();
    await client.write(clientFrame(0x1, "hel", { fin: false }));
    await client.write(clientFrame(0x9, "mid")); // a control frame may come between fragments
    await client.write(clientFrame(0x0, "lo ", { fin: false }));
    await client.write(clientFrame(0x0, "world"));
    const pong = await readFrame(client);
    assertEquals([pong?.opcode, new TextDecoder().decode(pong?.payload)], [0xa, "mid"]);
    await until(() => messages.length === 1, "the joined message");
    assertEquals(messages, ["hello world"]);
    // 600 + 600 bytes: each fragment is small, the message is not.
    await client.write(clientFrame(0x1, "x".repeat(600), { fin: false }));
    await client.write(clientFrame(0x0, "x".repeat(600)));
    assertEquals((await readUntilClose(client))?.code, 1009);
    assertEquals((await closed).code, 1009);
    assertEquals(messages.length, 1);
    client.close();
  });
});

Deno.test("binary messages arrive as ArrayBuffers", async () => {
  await withSockets({}, async (_server, port, next) => {
    const { client } = await upgrade(port);
    const { messages } = await next();
    await client.write(clientFrame(0x2, new Uint8Array([1, 2, 3])));
    await until(() => messages.length === 1, "the message");
    assert(messages[0] instanceof ArrayBuffer);
    assertEquals([...new Uint8Array(messages[0] as ArrayBuffer)], [1, 2, 3]);
    client.close();
  });
});

Deno.test("broken frames close with 1002, invalid UTF-8 with 1007", async () => {
  const cases: [Uint8Array, number][] = [
    [clientFrame(0x1, "unmasked", { masked: false }), 1002],
    [clientFrame(0x3, "x"), 1002], // reserved opcode
    [clientFrame(0x9, "x".repeat(126)), 1002], // control frame too long
    [clientFrame(0x9, "x", { fin: false }), 1002], // fragmented control frame
    [clientFrame(0x0, "x"), 1002], // continuation with nothing to continue
    [new Uint8Array([0xc1, 0x80, 0, 0, 0, 0]), 1002], // RSV1 without an extension
    [clientFrame(0x1, new Uint8Array([0xff, 0xfe])), 1007],
    [clientFrame(0x8, closeBody(1005)), 1002], // a code no one may send
  ];
  await withSockets({}, async (server, port, next) => {
    for (const [frame, code] of cases) {
      const { client } = await upgrade(port);
      const { closed } = await next();
      await client.write(frame);
      assertEquals((await readUntilClose(client))?.code, code, `frame ${[...frame.slice(0, 2)]}`);
      assertEquals((await closed).code, code);
      assert(await client.closedWithin(2000), "the connection stayed open");
      client.close();
    }
    assertEquals(server.stats().websockets.protocolErrors, cases.length);
    assertEquals(server.stats().open, 0);
  });
});

Deno.test("a ping is answered with a pong carrying its payload", async () => {
  await withSockets({}, async (_server, port) => {
    const { client } = await upgrade(port);
    await client.write(clientFrame(0x9, "are you there"));
    const pong = await readFrame(client);
    assertEquals([pong?.opcode, new TextDecoder().decode(pong?.payload)], [0xa, "are you there"]);
    client.close();
  });
});

Deno.test("a silent socket is pinged, and closed when nothing answers", async () => {
  await withSockets({ idleTimeoutMs: 200 }, async (server, port, next) => {
    const { client } = await upgrade(port);
    const { closed } = await next();
    const ping = await readFrame(client, 3000);
    assertEquals(ping?.opcode, 0x9);
    const close = await readFrame(client, 3000); // no pong: the server gives up
    assertEquals([close?.opcode, close?.code], [0x8, 1001]);
    assertEquals((await closed).code, 1001);
    assertEquals(server.stats().websockets.idle, 1);
    client.close();
  });
});

Deno.test("a socket that answers pings stays open past the idle timeout", async () => {
  await withSockets({ idleTimeoutMs: 150 }, async (_server, port, next) => {
    const { client } = await upgrade(port);
    const { socket } = await next();
    for (let i = 0; i < 3; i++) {
      const ping = await readFrame(client, 3000);
      assertEquals(ping?.opcode, 0x9);
      await client.write(clientFrame(0xa));
    }
    assertEquals(socket.readyState, 1);
    client.close();
  });
});

Deno.test("a reader that never reads is dropped with 1013 and its queue stays bounded", async () => {
  const maxBufferedBytes = 256 * 1024;
  await withSockets(
    { maxBufferedBytes, tooSlowReason: "watcher too slow" },
    async (server, port, next) => {
      const { client } = await upgrade(port);
      const { socket, closed } = await next();
      const message = "x".repeat(32 * 1024);
      let peak = 0;
      let sent = 0;
      // The client reads nothing: the kernel buffers fill, then the queue.
      for (let i = 0; i < 4000 && socket.readyState === 1; i++) {
        socket.send(message);
        sent++;
        peak = Math.max(peak, socket.bufferedAmount);
        if (i % 16 === 0) await sleep(1);
      }
      assert(socket.readyState !== 1, `still open after ${sent} messages`);
      assert(peak <= maxBufferedBytes + message.length + 16, `queued up to ${peak} bytes`);
      assertEquals(server.stats().websockets.tooSlow, 1);
      // Sends after the drop are ignored, not queued.
      socket.send(message);
      assert(socket.bufferedAmount <= message.length + 64, `${socket.bufferedAmount} bytes queued`);
      // When the client finally reads, the close frame follows what was in flight.
      const close = await readUntilClose(client, 5000);
      assertEquals([close?.code, close?.reason], [1013, "watcher too slow"]);
      assertEquals((await closed).code, 1013);
      client.close();
    },
  );
});

Deno.test("a reader that never reads at all is cut off at the write deadline", async () => {
  await withSockets({ maxBufferedBytes: 64 * 1024 }, async (server, port, next) => {
    const { client } = await upgrade(port);
    const { socket, closed } = await next();
    for (let i = 0; i < 4000 && socket.readyState === 1; i++) {
      socket.send("y".repeat(16 * 1024));
      if (i % 16 === 0) await sleep(1);
    }
    const event = await closed;
    assertEquals([event.code, event.wasClean], [1013, false]);
    assertEquals(server.stats().open, 0);
    client.close();
  }, { writeTimeoutMs: 300 });
});

Deno.test("a close from the client is echoed and both sides see its code and reason", async () => {
  await withSockets({}, async (server, port, next) => {
    const { client } = await upgrade(port);
    const { closed } = await next();
    await client.write(clientFrame(0x8, closeBody(4001, "bye now")));
    const echo = await readFrame(client);
    assertEquals([echo?.code, echo?.reason], [4001, "bye now"]);
    assert(await client.closedWithin(2000), "the server did not close the TCP connection");
    const event = await closed;
    assertEquals([event.code, event.reason, event.wasClean], [4001, "bye now", true]);
    assertEquals(server.stats().websockets.open, 0);
    client.close();
  });
});

Deno.test("close() from the server completes when the client answers", async () => {
  await withSockets({}, async (_server, port, next) => {
    const { client } = await upgrade(port);
    const { socket, closed } = await next();
    socket.close(1008, "é".repeat(100)); // a reason over 123 bytes is cut, not refused
    assertEquals(socket.readyState, 2);
    const frame = await readFrame(client);
    assertEquals(frame?.code, 1008);
    assertEquals(new TextEncoder().encode(frame!.reason!).length, 122);
    await client.write(clientFrame(0x8, closeBody(1008)));
    const event = await closed;
    assertEquals([event.code, event.wasClean], [1008, true]);
    assert(await client.closedWithin(2000));
    client.close();
  });
});

Deno.test("a client that vanishes closes the socket with 1006", async () => {
  await withSockets({}, async (server, port, next) => {
    const { client } = await upgrade(port);
    const { closed } = await next();
    client.close();
    const event = await closed;
    assertEquals([event.code, event.wasClean], [1006, false]);
    await until(() => server.stats().open === 0, "the connection to be released");
  });
});

Deno.test("shutdown closes open sockets with 1001", async () => {
  const server = serve({
    port: 0,
    hostname: "127.0.0.1",
    log: () => {},
    handler: (request) => {
      const result = upgradeWebSocket(request);
      return result.response;
    },
  });
  const { client } = await upgrade(server.addr.port);
  await until(() => server.stats().websockets.open === 1, "the socket");
  const stopping = server.shutdown(2000);
  const close = await readFrame(client);
  assertEquals([close?.code, close?.reason], [1001, "server shutting down"]);
  await client.write(clientFrame(0x8, closeBody(1001)));
  await stopping;
  assertEquals(server.stats().open, 0);
  client.close();
});
