import {
  defaultContract,
  documentedResponses,
  GatewayContract,
  validateFetchResponse,
  validateRequestBody,
  validateResponse,
  validateSchema,
  validateWebhook,
} from "../spec/contract.ts";
import { vectors } from "./_helpers.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";

const WORLD = {
  worldId: "pixel-city",
  agentId: vectors.identities[1].agentId,
  publicKey: vectors.identities[1].publicKeyB64,
  name: "Pixel City",
  slug: "pixel-city",
  protocolVersion: "1.2",
  endpoints: [{ address: "203.0.113.7", port: 8099 }],
  reachable: true,
  subscribers: 0,
  lastSeen: 1774276670000,
};

Deno.test("a body that matches the documented schema passes", () => {
  assertEquals(validateResponse("GET", "/world/{worldId}", 200, WORLD), { ok: true });
});

Deno.test("a body that breaks the schema fails and says where", () => {
  const result = validateResponse("GET", "/world/{worldId}", 200, { ...WORLD, subscribers: -1 });
  assertEquals(result.ok, false);
  assertMatch(result.errors!, /\/subscribers must be >= 0/);
});

Deno.test("a field the document does not list fails", () => {
  const result = validateResponse("GET", "/world/{worldId}", 200, { ...WORLD, secret: 1 });
  assertEquals(result.ok, false);
  assertMatch(result.errors!, /must NOT have additional properties/);
});

Deno.test("an undocumented status fails even with a valid error body", () => {
  const result = validateResponse("GET", "/health", 500, { error: "boom" });
  assertEquals(result.ok, false);
  assertMatch(result.errors!, /does not document status 500/);
});

Deno.test("an undocumented path or method fails", () => {
  assertEquals(validateResponse("GET", "/nope", 404, { error: "not found" }).ok, false);
  assertEquals(validateResponse("DELETE", "/health", 200, {}).ok, false);
});

Deno.test("an error status is held to the Error schema", () => {
  assertEquals(validateResponse("POST", "/peer/heartbeat", 404, { error: "expired" }).ok, true);
  assertEquals(validateResponse("POST", "/peer/heartbeat", 404, { message: "expired" }).ok, false);
});

Deno.test("a concrete path is matched to its template", () => {
  assertEquals(defaultContract().pathTemplate("/world/pixel-city?x=1"), "/world/{worldId}");
  assertEquals(validateResponse("get", "/world/pixel-city", 200, WORLD), { ok: true });
});

Deno.test("a status documented without a body accepts only no body", () => {
  assertEquals(validateResponse("GET", "/ws", 101, undefined), { ok: true });
  assertEquals(validateResponse("GET", "/ws", 101, { type: "subscribed" }).ok, false);
});

Deno.test("documentedResponses lists every documented method, path and status", () => {
  const keys = documentedResponses().map(({ method, path, status }) =>
    `${method} ${path} ${status}`
  );
  for (
    const key of [
      "GET /health 200",
      "GET /worlds 400",
      "GET /world/{worldId} 404",
      "POST /peer/announce 503",
      "POST /peer/heartbeat 409",
      "POST /peer/message 413",
      "GET /ws 101",
      "GET /openapi.yaml 200",
    ]
  ) {
    assert(keys.includes(key), `${key} is not listed`);
  }
  assertEquals(new Set(keys).size, keys.length);
  for (const { method, path, status } of documentedResponses()) {
    assert(
      validateResponse(method, path, status, null).errors?.includes("does not document") !== true,
      `${method} ${path} ${status} is listed but not documented`,
    );
  }
});

Deno.test("a request body is held to the request schema, encoded content included", () => {
  const message = JSON.parse(vectors.worldStateMessage.body);
  assertEquals(validateRequestBody("POST", "/peer/message", message), { ok: true });
  const badContent = { ...message, content: '{"worldName":"no id"}' };
  const result = validateRequestBody("POST", "/peer/message", badContent);
  assertEquals(result.ok, false);
  assertMatch(result.errors!, /content\(decoded\) must have required property 'worldId'/);
});

Deno.test("a fetched response is checked for status, media type and body", async () => {
  const ok = Response.json({ worlds: [], nextCursor: null, revision: "b.0" });
  assertEquals(await validateFetchResponse("GET", "/worlds", ok), { ok: true });
  const text = new Response("{}", { headers: { "content-type": "text/plain" } });
  const result = await validateFetchResponse("GET", "/worlds", text);
  assertMatch(result.errors!, /Content-Type "text\/plain"/);
  const yaml = new Response("openapi: 3.1.0\n", {
    headers: { "content-type": "application/yaml" },
  });
  assertEquals(await validateFetchResponse("GET", "/openapi.yaml", yaml), { ok: true });
});

Deno.test("a contract can be built from any document's YAML", () => {
  const contract = GatewayContract.fromYaml(`
openapi: 3.1.0
info: { title: t, version: "1" }
paths:
  /x:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: integer }
`);
  assertEquals(contract.documentedResponses(), [{ method: "GET", path: "/x", status: 200 }]);
  assertEquals(contract.validateResponse("GET", "/x", 200, 1), { ok: true });
  assertEquals(contract.validateResponse("GET", "/x", 200, "1").ok, false);
});

Deno.test("a WebSocket frame is held to its named schema", () => {
  const frame = { type: "world.state", worldId: "pixel-city", state: { n: 1 }, ts: 1774276670000 };
  assertEquals(validateSchema("WsServerFrame", frame), { ok: true });
  assertEquals(validateSchema("WsServerFrame", { ...frame, ts: "now" }).ok, false);
  assertEquals(validateSchema("WsClientFrame", { type: "leave" }), { ok: true });
  assertMatch(validateSchema("Nope", {}).errors!, /no component schema is named Nope/);
});

Deno.test("a required documented header that is missing fails", async () => {
  const outage = () => Response.json({ error: "the store is unreachable" }, { status: 503 });
  const missing = await validateFetchResponse("GET", "/worlds", outage());
  assertMatch(missing.errors!, /lacks the Retry-After header/);
  const given = outage();
  given.headers.set("retry-after", "5");
  assertEquals(await validateFetchResponse("GET", "/worlds", given), { ok: true });
});

Deno.test("a documented header whose value breaks its schema fails", async () => {
  const response = Response.json({ error: "slow down" }, {
    status: 429,
    headers: { "retry-after": "soon" },
  });
  const result = await validateFetchResponse("POST", "/peer/heartbeat", response);
  assertMatch(result.errors!, /header Retry-After: "soon"/);
});

Deno.test("a webhook delivery is held to its body schema and its headers", () => {
  const body = {
    event: "world.expired",
    agentId: vectors.identities[1].agentId,
    worldId: "pixel-city",
    ts: 1774276670000,
    reason: "deregistered",
  };
  const headers = new Headers({ "webhook-id": "msg_b.1", "webhook-timestamp": "1774276670" });
  assertEquals(validateWebhook("world.expired", body, headers), { ok: true });
  assertMatch(
    validateWebhook("world.expired", { ...body, reason: "bored" }, headers).errors!,
    /reason must be equal to one of the allowed values/,
  );
  assertMatch(
    validateWebhook("world.expired", body, new Headers({ "webhook-timestamp": "1" })).errors!,
    /lacks the webhook-id header/,
  );
  assertMatch(validateWebhook("world.nope", body, headers).errors!, /not a documented webhook/);
});
