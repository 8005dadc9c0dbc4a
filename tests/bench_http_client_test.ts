/**
 * The benchmark load generator's HTTP/1.1 client reads whole responses,
 * whatever their framing, and keeps one connection for many requests.
 *
 * @module
 */
import { HttpConnection, serializeRequest } from "../bench/_http_client.ts";
import { Samples } from "../bench/_stats.ts";
import { assertEquals } from "./assert.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("one keep-alive connection reads sized, chunked and empty responses in turn", async () => {
  const big = "x".repeat(200_000); // larger than the client's first buffer
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/echo") return new Response(await request.text());
    if (path === "/empty") return new Response(null, { status: 204 });
    if (path === "/big") return new Response(big);
    const chunks = ["hello, ", "chunked ", "world"];
    return new Response(
      new ReadableStream({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(chunk));
        },
      }),
    );
  });
  const host = `127.0.0.1:${server.addr.port}`;
  const connection = await HttpConnection.open("127.0.0.1", server.addr.port);
  try {
    for (let round = 0; round < 3; round++) {
      const echo = await connection.send(serializeRequest("POST", "/echo", host, '{"a":1}'));
      assertEquals([echo.status, text(echo.body)], [200, '{"a":1}']);
      const empty = await connection.send(serializeRequest("GET", "/empty", host));
      assertEquals([empty.status, empty.body.length], [204, 0]);
      const chunked = await connection.send(serializeRequest("GET", "/stream", host));
      assertEquals([chunked.status, text(chunked.body)], [200, "hello, chunked world"]);
      const large = await connection.send(serializeRequest("GET", "/big", host));
      assertEquals(text(large.body), big);
    }
  } finally {
    connection.close();
    await server.shutdown();
  }
});

Deno.test("latency percentiles are the nearest-rank values of the samples", () => {
  const samples = new Samples();
  for (let i = 1000; i >= 1; i--) samples.add(i); // grows past its first buffer
  const summary = samples.summary();
  assertEquals(
    [summary.count, summary.p50, summary.p90, summary.p99, summary.p999, summary.max],
    [1000, 500, 900, 990, 999, 1000],
  );
});
