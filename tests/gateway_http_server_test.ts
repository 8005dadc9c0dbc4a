/**
 * The gateway's own HTTP/1.1 server (gateway/_http_server.ts), over real
 * sockets on 127.0.0.1 with short deadlines: every limit where it lives, in
 * the socket.
 */
import {
  type HttpServer,
  remoteAddress,
  serve,
  type ServeOptions,
} from "../gateway/_http_server.ts";
import { MIN_READ_BUFFER } from "../gateway/_tcp_stream.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { RawClient, sleep } from "./_raw_tcp.ts";
import { until } from "./_ws.ts";
import { spawnTask } from "./_process.ts";

/** Echoes method, path and body length; `/slow` waits for `release`. */
function echo(request: Request): Promise<Response> | Response {
  return request.text().then((body) =>
    Response.json({
      method: request.method,
      path: new URL(request.url).pathname,
      length: body.length,
      body: body.slice(0, 100),
    })
  );
}

async function withServer(
  options: Partial<ServeOptions>,
  test: (server: HttpServer, port: number) => Promise<void>,
): Promise<void> {
  const server = serve({
    port: 0,
    hostname: "127.0.0.1",
    handler: echo,
    log: () => {},
    ...options,
  });
  try {
    await test(server, server.addr.port);
  } finally {
    await server.shutdown(100);
  }
}

const GET = (path: string, extra = "") => `GET ${path} HTTP/1.1\r\nhost: t\r\n${extra}\r\n`;

Deno.test("a connection that sends nothing is closed at the headers deadline, without an answer", async () => {
  await withServer({ headersTimeoutMs: 200 }, async (server, port) => {
    const client = await RawClient.open(port);
    const started = Date.now();
    assert(await client.closedWithin(3000), "the server kept the idle connection open");
    assert(Date.now() - started >= 150, "closed before the deadline");
    assertEquals(client.buffered.length, 0);
    assertEquals(server.stats().timeouts.headers, 1);
    client.close();
  });
});

Deno.test("a head that does not complete in time gets 408 and the connection closes", async () => {
  await withServer({ headersTimeoutMs: 200 }, async (_server, port) => {
    const client = await RawClient.open(port);
    await client.write("GET / HTTP/1.1\r\nhost: t\r\n");
    const response = await client.response(3000);
    assertEquals(response.status, 408);
    assertMatch(JSON.parse(response.body).error, /headers took too long/);
    assert(await client.closedWithin(1000));
    client.close();
  });
});

Deno.test("a body dripped slower than the request deadline gets 408 and the connection closes", async () => {
  let called = false;
  await withServer(
    { requestTimeoutMs: 400, handler: () => (called = true, new Response()) },
    async (server, port) => {
      const client = await RawClient.open(port);
      await client.write("POST /x HTTP/1.1\r\nhost: t\r\ncontent-length: 100\r\n\r\n");
      const dripping = (async () => {
        for (let i = 0; i < 40 && await client.write("a"); i++) await sleep(50);
      })();
      const response = await client.response(3000);
      assertEquals(response.status, 408);
      assertMatch(JSON.parse(response.body).error, /body took too long/);
      assert(await client.closedWithin(1000));
      await dripping;
      assertEquals(server.stats().timeouts.body, 1);
      assert(!called, "the handler saw an incomplete body");
      client.close();
    },
  );
});

Deno.test("a declared body over the route's limit gets 413 before any of it is sent", async () => {
  let called = false;
  await withServer({
    maxBodyBytes: (method, path) => method === "POST" && path === "/small" ? 1000 : 1 << 20,
    handler: () => (called = true, new Response()),
  }, async (server, port) => {
    const client = await RawClient.open(port);
    await client.write("POST /small HTTP/1.1\r\nhost: t\r\ncontent-length: 50000000\r\n\r\n");
    const response = await client.response(2000);
    assertEquals(response.status, 413);
    assertEquals(JSON.parse(response.body), { error: "body exceeds 1000 bytes" });
    assertEquals(response.headers.connection, "close");
    assert(!called);
    assert(server.stats().bytesRead < 200, "the server read more than the head");
    client.close();
  });
});

Deno.test("a chunked body gets 413 as soon as it passes the limit", async () => {
  let called = false;
  await withServer({
    maxBodyBytes: () => 1000,
    handler: () => (called = true, new Response()),
  }, async (_server, port) => {
    const client = await RawClient.open(port);
    await client.write("POST / HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\n\r\n");
    const chunk = `190\r\n${"x".repeat(400)}\r\n`;
    await client.write(chunk + chunk); // 800 bytes: within the limit
    await client.write("190\r\n"); // the next chunk would make 1200
    const response = await client.response(2000);
    assertEquals(response.status, 413);
    assertEquals(JSON.parse(response.body), { error: "body exceeds 1000 bytes" });
    assert(!called);
    client.close();
  });
});

Deno.test("a chunked body with extensions and trailers reaches the handler whole", async () => {
  await withServer({}, async (_server, port) => {
    const client = await RawClient.open(port);
    await client.write(
      "POST /c HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\n\r\n" +
        "5;name=value\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nx-trailer: 1\r\n\r\n" +
        GET("/after"),
    );
    const first = JSON.parse((await client.response()).body);
    assertEquals([first.length, first.body], [11, "hello world"]);
    assertEquals(JSON.parse((await client.response()).body).path, "/after");
    client.close();
  });
});

Deno.test("a body dripped a byte at a time costs memory proportional to the bytes received", async () => {
  await withServer({ maxBodyBytes: () => 1 << 20 }, async (server, port) => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => RawClient.open(port)));
    const head = "POST /drip HTTP/1.1\r\nhost: t\r\ncontent-length: 60000\r\n\r\n";
    let sent = 0;
    for (const client of clients) {
      await client.write(head);
    }
    for (let round = 0; round < 300; round++) {
      for (const client of clients) await client.write("x");
      sent += clients.length;
      if (round % 50 === 0) await sleep(5);
    }
    await until(() => server.stats().bufferedBytes >= sent, "the server to receive the drip", 3000);
    const stats = server.stats();
    assert(stats.bufferedBytes <= sent, `buffered ${stats.bufferedBytes} > sent ${sent}`);
    assert(
      stats.bufferCapacityBytes <= clients.length * MIN_READ_BUFFER + 2 * sent,
      `buffers hold ${stats.bufferCapacityBytes} bytes for ${sent} received`,
    );
    for (const client of clients) client.close();
  });
});

Deno.test("past the global connection cap a connection gets 503 with Retry-After, and is served again after", async () => {
  await withServer({ maxConnections: 5 }, async (server, port) => {
    const held = await Promise.all(Array.from({ length: 5 }, () => RawClient.open(port)));
    await until(() => server.stats().open === 5, "five connections");
    const extra = await RawClient.open(port);
    const refused = await extra.response(2000);
    assertEquals(refused.status, 503);
    assertEquals(refused.headers["retry-after"], "1");
    assertEquals(JSON.parse(refused.body), { error: "too many connections" });
    assert(await extra.closedWithin(2000));
    assertEquals(server.stats().refused.connections, 1);
    for (const client of held) client.close();
    await until(() => server.stats().open === 0, "the held connections to close");
    const again = await RawClient.open(port);
    await again.write(GET("/again"));
    assertEquals((await again.response()).status, 200);
    again.close();
    extra.close();
  });
});

Deno.test("past the per-address cap a connection gets 429, other connections are unaffected", async () => {
  await withServer({ maxConnectionsPerAddress: 3 }, async (server, port) => {
    const held = await Promise.all(Array.from({ length: 3 }, () => RawClient.open(port)));
    await until(() => server.stats().open === 3, "three connections");
    const extra = await RawClient.open(port);
    const refused = await extra.response(2000);
    assertEquals(refused.status, 429);
    assertEquals(JSON.parse(refused.body), { error: "too many connections from this address" });
    assertEquals(server.stats().maxFromOneAddress, 3);
    await held[0].write(GET("/still"));
    assertEquals((await held[0].response()).status, 200);
    held[1].close();
    await until(() => server.stats().open === 2, "one connection to close");
    const again = await RawClient.open(port);
    await again.write(GET("/again"));
    assertEquals((await again.response()).status, 200);
    for (const client of [...held, extra, again]) client.close();
  });
});

Deno.test("malformed request lines and header fields get a precise 4xx and the connection closes", async () => {
  const cases: [string, number, RegExp][] = [
    ["GET /\r\n\r\n", 400, /request line/],
    ["GET  / HTTP/1.1\r\nhost: t\r\n\r\n", 400, /request line/],
    ["GE(T / HTTP/1.1\r\nhost: t\r\n\r\n", 400, /method/],
    ["GET / HTTP/2.0\r\nhost: t\r\n\r\n", 505, /not supported/],
    ["GET / HTTQ/1.1\r\nhost: t\r\n\r\n", 400, /version/],
    ["GET /\x01 HTTP/1.1\r\nhost: t\r\n\r\n", 400, /target/],
    ["GET x HTTP/1.1\r\nhost: t\r\n\r\n", 400, /target/],
    ["GET / HTTP/1.1\r\n\r\n", 400, /missing Host/],
    ["GET / HTTP/1.1\r\nhost: a\r\nhost: b\r\n\r\n", 400, /more than one Host/],
    ["GET / HTTP/1.1\r\nhost: a/b\r\n\r\n", 400, /Host/],
    ["GET / HTTP/1.1\r\nhost: t\r\nno colon\r\n\r\n", 400, /header field/],
    ["GET / HTTP/1.1\r\nhost : t\r\n\r\n", 400, /header field name/],
    ["GET / HTTP/1.1\r\nhost: t\r\nx-a: 1\r\n folded\r\n\r\n", 400, /header field/],
    ["GET / HTTP/1.1\r\nhost: t\r\nx-a: a\x00b\r\n\r\n", 400, /value of header x-a/],
    ["POST / HTTP/1.1\r\nhost: t\r\ncontent-length: 1x\r\n\r\n", 400, /Content-Length/],
    [
      "POST / HTTP/1.1\r\nhost: t\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n",
      400,
      /conflicting/,
    ],
    [
      "POST / HTTP/1.1\r\nhost: t\r\ncontent-length: 1\r\ntransfer-encoding: chunked\r\n\r\n",
      400,
      /both/,
    ],
    ["POST / HTTP/1.1\r\nhost: t\r\ntransfer-encoding: gzip\r\n\r\n", 501, /chunked/],
    ["POST / HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n", 400, /chunk size/],
    ["POST / HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabcd", 400, /chunked/],
    ["GET / HTTP/1.1\r\nhost: t\r\nexpect: magic\r\n\r\n", 417, /Expect/],
    [`GET / HTTP/1.1\r\nhost: t\r\nx-big: ${"a".repeat(20_000)}\r\n\r\n`, 431, /exceeds 16384/],
    [`GET / HTTP/1.1\r\nhost: t\r\n${"x-a: 1\r\n".repeat(101)}\r\n`, 431, /header fields/],
  ];
  await withServer({}, async (server, port) => {
    for (const [request, status, pattern] of cases) {
      const client = await RawClient.open(port);
      await client.write(request);
      const response = await client.response(2000);
      assertEquals(response.status, status, JSON.stringify(request.slice(0, 60)));
      assertMatch(JSON.parse(response.body).error, pattern);
      assert(await client.closedWithin(3000), `${JSON.stringify(request.slice(0, 40))} left open`);
      client.close();
    }
    assertEquals(server.stats().handlerErrors, 0);
  });
});

Deno.test("server-layer refusals are logged at most once a second per kind", async () => {
  const lines: string[] = [];
  await withServer({ log: (_level, message) => lines.push(message) }, async (_server, port) => {
    for (let i = 0; i < 20; i++) {
      const client = await RawClient.open(port);
      await client.write("BAD\r\n\r\n");
      await client.response(2000);
      client.close();
    }
  });
  assertEquals(lines.filter((line) => line.includes("400")).length, 1);
});

Deno.test("a client that disconnects mid-body leaves no unhandled error, and the server keeps serving", async () => {
  await withServer({}, async (server, port) => {
    for (const head of ["content-length: 1000", "transfer-encoding: chunked"]) {
      const client = await RawClient.open(port);
      await client.write(
        `POST / HTTP/1.1\r\nhost: t\r\n${head}\r\n\r\n${
          head.includes("chunked") ? "10\r\nabc" : "abc"
        }`,
      );
      await sleep(50);
      client.close();
    }
    await until(() => server.stats().aborted === 2 && server.stats().open === 0, "both aborts");
    const client = await RawClient.open(port);
    await client.write(GET("/fine"));
    assertEquals((await client.response()).status, 200);
    client.close();
  });
});

Deno.test("pipelined requests are answered in order on one connection", async () => {
  await withServer({
    handler: async (request) => {
      const path = new URL(request.url).pathname;
      if (path === "/first") await sleep(50); // the first finishes last, but answers first
      return new Response(path);
    },
  }, async (_server, port) => {
    const client = await RawClient.open(port);
    await client.write(
      GET("/first") + "POST /second HTTP/1.1\r\nhost: t\r\ncontent-length: 2\r\n\r\nhi" +
        GET("/third"),
    );
    for (const path of ["/first", "/second", "/third"]) {
      assertEquals((await client.response()).body, path);
    }
    client.close();
  });
});

Deno.test("keep-alive reuses the connection until Connection: close", async () => {
  await withServer({}, async (server, port) => {
    const client = await RawClient.open(port);
    for (let i = 0; i < 3; i++) {
      await client.write(GET(`/n${i}`));
      const response = await client.response();
      assertEquals(JSON.parse(response.body).path, `/n${i}`);
      assertEquals(response.headers.connection, undefined);
    }
    await client.write(GET("/last", "connection: close\r\n"));
    const last = await client.response();
    assertEquals(last.headers.connection, "close");
    assert(await client.closedWithin(3000));
    assertEquals(server.stats().accepted, 1);
    client.close();
  });
});

Deno.test("an idle keep-alive connection is closed at the idle deadline", async () => {
  await withServer({ idleTimeoutMs: 200 }, async (server, port) => {
    const client = await RawClient.open(port);
    await client.write(GET("/"));
    assertEquals((await client.response()).status, 200);
    assert(await client.closedWithin(3000));
    assertEquals(server.stats().timeouts.idle, 1);
    client.close();
  });
});

Deno.test("HTTP/1.0 is answered and closed unless it asks for keep-alive", async () => {
  await withServer({}, async (_server, port) => {
    const plain = await RawClient.open(port);
    await plain.write("GET /old HTTP/1.0\r\n\r\n");
    const response = await plain.response();
    assertEquals(JSON.parse(response.body).path, "/old");
    assert(await plain.closedWithin(3000));
    plain.close();
    const kept = await RawClient.open(port);
    await kept.write("GET /a HTTP/1.0\r\nconnection: keep-alive\r\n\r\n");
    assertEquals((await kept.response()).headers.connection, "keep-alive");
    await kept.write("GET /b HTTP/1.0\r\n\r\n");
    assertEquals(JSON.parse((await kept.response()).body).path, "/b");
    kept.close();
  });
});

Deno.test("HEAD gets the head and no body", async () => {
  await withServer({
    handler: (request) =>
      new Response(request.method === "HEAD" ? null : "twelve bytes", {
        headers: { "content-length": "12", "x-kind": "text" },
      }),
  }, async (_server, port) => {
    const client = await RawClient.open(port);
    await client.write("HEAD / HTTP/1.1\r\nhost: t\r\n\r\n" + GET("/next"));
    const head = await client.response(5000, true);
    assertEquals([head.status, head.headers["content-length"], head.headers["x-kind"]], [
      200,
      "12",
      "text",
    ]);
    assertEquals((await client.response()).body, "twelve bytes");
    client.close();
  });
});

Deno.test("Expect: 100-continue gets 100 Continue before the body is sent", async () => {
  await withServer({}, async (_server, port) => {
    const client = await RawClient.open(port);
    await client.write(
      "POST /up HTTP/1.1\r\nhost: t\r\nexpect: 100-continue\r\ncontent-length: 5\r\n\r\n",
    );
    assertEquals((await client.response(2000)).status, 100);
    await client.write("hello");
    assertEquals(JSON.parse((await client.response()).body).body, "hello");
    client.close();
  });
});

Deno.test("the handler learns the client's address", async () => {
  let seen: [string | undefined, string] | undefined;
  await withServer({
    handler: (request, info) => {
      seen = [remoteAddress(request)?.hostname, info.remoteAddr.hostname];
      return new Response("ok");
    },
  }, async (_server, port) => {
    const client = await RawClient.open(port);
    await client.write(GET("/"));
    await client.response();
    client.close();
  });
  assertEquals(seen, ["127.0.0.1", "127.0.0.1"]);
});

Deno.test("a handler that throws is a 500 and the connection goes on", async () => {
  await withServer({
    handler: (request) => {
      if (new URL(request.url).pathname === "/boom") throw new Error("boom");
      return new Response("fine");
    },
  }, async (server, port) => {
    const client = await RawClient.open(port);
    await client.write(GET("/boom"));
    assertEquals((await client.response()).status, 500);
    await client.write(GET("/ok"));
    assertEquals((await client.response()).body, "fine");
    assertEquals(server.stats().handlerErrors, 1);
    client.close();
  });
});

Deno.test("server-sent events are streamed chunked as they are produced", async () => {
  let push: ((text: string) => void) | undefined;
  await withServer({
    handler: () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            push = (text) => controller.enqueue(new TextEncoder().encode(text));
            push(": hello\n\n");
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      ),
  }, async (_server, port) => {
    const client = await RawClient.open(port);
    await client.write(GET("/watch"));
    const head = await client.response(2000, true);
    assertEquals(head.headers["transfer-encoding"], "chunked");
    assert(await client.need(1));
    push!("data: 1\n\n");
    await until(async () => {
      await client.need(client.buffered.length + 1, 500).catch(() => false);
      return new TextDecoder().decode(client.buffered).includes("data: 1");
    }, "the event");
    client.close();
  });
});

Deno.test("a streamed answer to a reader that does not read is cancelled past the queue cap", async () => {
  let cancelled = false;
  let produced = 0;
  await withServer({
    maxStreamQueueBytes: 256 * 1024,
    handler: () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            // Pushes regardless of demand, as an event source does.
            const timer = setInterval(() => {
              try {
                controller.enqueue(new Uint8Array(64 * 1024));
                produced++;
                if (produced >= 2000) clearInterval(timer);
              } catch {
                clearInterval(timer);
              }
            }, 1);
          },
          cancel() {
            cancelled = true;
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      ),
  }, async (server, port) => {
    const client = await RawClient.open(port);
    await client.write(GET("/watch")); // and never reads
    await until(() => cancelled, "the stream to be cancelled", 10_000);
    const stats = server.stats();
    assertEquals(stats.streamsDropped, 1);
    assertEquals(stats.queuedBytes, 0);
    assert(produced < 2000, "the whole stream was queued");
    await until(() => server.stats().open === 0, "the connection to close");
    client.close();
  });
});

Deno.test("an answer the client does not read is abandoned at the write deadline", async () => {
  await withServer({
    writeTimeoutMs: 300,
    handler: () => new Response(new Uint8Array(64 * 1024 * 1024)),
  }, async (server, port) => {
    const client = await RawClient.open(port);
    await client.write(GET("/big")); // and never reads
    await until(() => server.stats().timeouts.write === 1, "the write deadline", 5000);
    await until(() => server.stats().open === 0, "the connection to close");
    client.close();
  });
});

Deno.test("shutdown closes idle connections at once and lets a request under way finish", async () => {
  const release = Promise.withResolvers<void>();
  const server = serve({
    port: 0,
    hostname: "127.0.0.1",
    log: () => {},
    handler: async () => {
      await release.promise;
      return new Response("finished");
    },
  });
  const idle = await RawClient.open(server.addr.port);
  const busy = await RawClient.open(server.addr.port);
  await busy.write(GET("/slow"));
  await until(() => server.stats().requests === 1 && server.stats().open === 2, "both connections");
  const stopping = server.shutdown(5000);
  assert(await idle.closedWithin(1000), "the idle connection stayed open");
  setTimeout(() => release.resolve(), 100);
  const response = await busy.response();
  assertEquals([response.body, response.headers.connection], ["finished", "close"]);
  await stopping;
  await server.finished;
  assertEquals(server.stats().open, 0);
  await assertRefused(server.addr.port);
  idle.close();
  busy.close();
});

Deno.test("shutdown closes what is still busy after the grace period", async () => {
  const server = serve({
    port: 0,
    hostname: "127.0.0.1",
    log: () => {},
    handler: () => new Promise<Response>(() => {}), // never answers
  });
  const busy = await RawClient.open(server.addr.port);
  await busy.write(GET("/forever"));
  await until(() => server.stats().requests === 1, "the request");
  const started = Date.now();
  await server.shutdown(200);
  assert(Date.now() - started < 2000, "shutdown waited past its grace");
  assert(await busy.closedWithin(1000));
  busy.close();
});

async function assertRefused(port: number): Promise<void> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
  } catch {
    return;
  }
  throw new Error("the server still accepts connections after shutdown");
}

Deno.test("a gateway limited to 256 file descriptors survives 400 connections and serves once they close", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "aw-fd-" });
  const gateway = await spawnTask(
    "gateway",
    { HTTP_PORT: "0", LISTEN_ADDR: "127.0.0.1", DATA_DIR: dataDir },
    { fdLimit: 256 },
  );
  const held: Deno.Conn[] = [];
  try {
    const port = Number(new URL(gateway.url).port);
    // 400 connections at once: more than the gateway has descriptors. Each
    // is given 5 s; the kernel's backlog completes them even while the
    // gateway cannot accept.
    await Promise.all(Array.from({ length: 400 }, async () => {
      const conn = await Promise.race([
        Deno.connect({ hostname: "127.0.0.1", port }).catch(() => undefined),
        sleep(5000).then(() => undefined),
      ]);
      if (conn) held.push(conn);
    }));
    assert(held.length >= 300, `only ${held.length} connections opened`);
    await until(
      () => /out of file descriptors|accept failed/.test(gateway.output()),
      "the gateway to run out of descriptors",
      10_000,
    );
    const exited = await Promise.race([
      gateway.status.then(() => true),
      sleep(500).then(() => false),
    ]);
    assert(!exited, `the gateway exited:\n${gateway.output()}`);
    for (const conn of held.splice(0)) conn.close();
    await until(
      async () => {
        const response = await fetch(`${gateway.url}/health`).catch(() => undefined);
        await response?.body?.cancel();
        return response?.status === 200;
      },
      "/health to answer 200",
      15_000,
    );
    const output = gateway.output();
    assert(!/Uncaught|panicked/.test(output), output);
  } finally {
    for (const conn of held) conn.close();
    const status = await gateway.kill("SIGTERM");
    await Deno.remove(dataDir, { recursive: true });
    assertEquals(status.code, 0, gateway.output());
  }
});
