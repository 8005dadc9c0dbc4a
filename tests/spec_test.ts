import { Validator } from "@seriousme/openapi-schema-validator";
import {
  ANNOUNCE_LIMITS,
  type AnnounceBody,
  BODY_LIMITS,
  type Deregistration,
  DEREGISTRATION_SEPARATOR,
  type Heartbeat,
  importPublicKey,
  type PeerMessage,
  PROTOCOL_VERSION,
  separatorsFor,
  SHORT_HEARTBEAT_SEPARATOR,
  SUPPORTED_PROTOCOL_VERSIONS,
  verifyAgentCard,
  verifyAnnounceSignature,
  verifyDeregistration,
  verifyHeartbeat,
  verifyKeyRotation,
  verifyPeerMessage,
  WORLD_ID_PATTERN,
} from "../protocol/mod.ts";
import { CAPABILITY_CHARS, VERSION_CHARS } from "../protocol/_validate.ts";
import { GENERATED_TYPES_URL, generateTypes } from "../spec/check.ts";
import {
  checkDiscriminators,
  checkErrorResponses,
  checkExamples,
  checkExamplesUsed,
  checkExplicitStatuses,
  checkOperationIds,
  checkRefsResolve,
  checkResponseBodies,
  checkWebhooks,
  examples,
  operations,
} from "../spec/_lint.ts";
import {
  isObject,
  type JsonObject,
  loadSpecSync,
  resolvePointer,
  SchemaValidator,
} from "../spec/_openapi.ts";
import { vectors } from "./_helpers.ts";
import { ALL_VECTORS } from "./_vectors.ts";
import { assert, assertEquals } from "./assert.ts";

const document = loadSpecSync();
const schemas = document.components!.schemas as Record<string, JsonObject>;

function property(schema: string, name: string): JsonObject {
  return (schemas[schema].properties as Record<string, JsonObject>)[name];
}

const vectors16 = ALL_VECTORS.find((v) => v.protocolVersion === "1.6")!;

function requestExample(path: string, name: string): unknown {
  const operation = document.paths[path].post as JsonObject;
  return resolvePointer(
    operation,
    `#/requestBody/content/application~1json/examples/${name}/value`,
  );
}

Deno.test("openapi.yaml is a valid OpenAPI 3.1 document", async () => {
  assertEquals(document.openapi, "3.1.0");
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document));
  assertEquals(result.errors, undefined);
  assert(result.valid);
});

Deno.test("every operation has a unique operationId", () => {
  assert(operations(document).length >= 11, "expected the gateway's operations");
  assertEquals(checkOperationIds(document), []);
});

Deno.test("every response lists an explicit status code", () => {
  assertEquals(checkExplicitStatuses(document), []);
});

Deno.test("every response is described and has a component schema and an example", () => {
  assertEquals(checkResponseBodies(document), []);
});

Deno.test("every error response is application/json with the Error schema", () => {
  assertEquals(checkErrorResponses(document), []);
});

Deno.test("the Error schema is an object with a required string error", () => {
  assertEquals(schemas.Error.required, ["error"]);
  assertEquals(property("Error", "error").type, "string");
});

Deno.test("every $ref resolves within the document", () => {
  assertEquals(checkRefsResolve(document), []);
});

Deno.test("every named example is used", () => {
  assertEquals(checkExamplesUsed(document), []);
});

Deno.test("every discriminator mapping agrees with its branches' type constants", () => {
  assertEquals(checkDiscriminators(document), []);
});

Deno.test("every example matches its schema", () => {
  assert(examples(document).length >= 60, "expected examples throughout the document");
  assertEquals(checkExamples(document, new SchemaValidator(document)), []);
});

Deno.test("the committed generated types are what openapi.yaml generates", async () => {
  const committed = await Deno.readTextFile(GENERATED_TYPES_URL);
  assert(
    committed === await generateTypes(document),
    "spec/gateway_types.gen.ts is stale: run `deno task spec --write`",
  );
});

Deno.test("the documented protocol versions and domain separators are the protocol's", () => {
  assertEquals(document.info["x-agentworld-protocol-version"], PROTOCOL_VERSION);
  assertEquals(document.info["x-agentworld-protocol-versions"], [...SUPPORTED_PROTOCOL_VERSIONS]);
  assertEquals(schemas.ProtocolVersion.enum, [...SUPPORTED_PROTOCOL_VERSIONS]);
  assertEquals(
    document.info["x-agentworld-domain-separators"],
    Object.fromEntries(
      SUPPORTED_PROTOCOL_VERSIONS.map((version) => [version, { ...separatorsFor(version) }]),
    ),
  );
  assertEquals(document.info["x-agentworld-short-separators"], {
    HEARTBEAT: SHORT_HEARTBEAT_SEPARATOR,
    DEREGISTRATION: DEREGISTRATION_SEPARATOR,
  });
});

Deno.test("the description names every domain separator of every version", () => {
  const description = String(document.info.description);
  const all = SUPPORTED_PROTOCOL_VERSIONS.flatMap((version) =>
    Object.values(separatorsFor(version))
  );
  for (const separator of [...all, SHORT_HEARTBEAT_SEPARATOR, DEREGISTRATION_SEPARATOR]) {
    const written = separator.replace("\u0000", "\\0");
    assert(description.includes(`\`${written}\``), `info.description lacks ${written}`);
  }
});

Deno.test("the announce limits are the protocol's", () => {
  const endpoint = (name: string) =>
    (schemas.AnnouncedEndpoint.properties as Record<string, JsonObject>)[name];
  assertEquals(schemas.DisplayName.maxLength, ANNOUNCE_LIMITS.aliasMaxLength);
  assertEquals(schemas.SoftwareVersion.maxLength, ANNOUNCE_LIMITS.versionMaxLength);
  assertEquals(schemas.SoftwareVersion.pattern, VERSION_CHARS.source);
  assertEquals(property("Announce", "endpoints").maxItems, ANNOUNCE_LIMITS.maxEndpoints);
  assertEquals(property("Announce", "capabilities").maxItems, ANNOUNCE_LIMITS.maxCapabilities);
  assertEquals(schemas.Capability.maxLength, ANNOUNCE_LIMITS.capabilityMaxLength);
  assertEquals(schemas.Capability.pattern, CAPABILITY_CHARS.source);
  assertEquals(endpoint("address").maxLength, ANNOUNCE_LIMITS.addressMaxLength);
  assertEquals(endpoint("transport").maxLength, ANNOUNCE_LIMITS.transportMaxLength);
  assertEquals(endpoint("priority").maximum, ANNOUNCE_LIMITS.priorityMax);
  assertEquals(endpoint("ttl").maximum, ANNOUNCE_LIMITS.ttlMaxSeconds);
  assertEquals(
    Object.keys(schemas.AnnouncedEndpoint.properties as JsonObject),
    [...ANNOUNCE_LIMITS.endpointFields],
  );
  const description = String(document.info.description);
  for (
    const figure of [
      `| body | ${ANNOUNCE_LIMITS.maxBodyBytes} bytes |`,
      `at most ${ANNOUNCE_LIMITS.maxEndpoints} |`,
      `at most ${ANNOUNCE_LIMITS.maxCapabilities}, each 1–${ANNOUNCE_LIMITS.capabilityMaxLength}`,
      `at most ${ANNOUNCE_LIMITS.maxRecordBytes} bytes of JSON`,
    ]
  ) {
    assert(description.includes(figure), `the Limits table lacks ${figure}`);
  }
});

Deno.test("every signed request body documents its byte limit, the protocol's", () => {
  const limits: Record<string, number> = {
    "/peer/announce": BODY_LIMITS.announce,
    "/agents": BODY_LIMITS.announce,
    "/peer/heartbeat": BODY_LIMITS.heartbeat,
    "/worlds/{worldId}/heartbeat": BODY_LIMITS.heartbeat,
    "/agents/{agentId}/heartbeat": BODY_LIMITS.heartbeat,
    "/peer/deregister": BODY_LIMITS.deregistration,
    "/peer/key-rotation": BODY_LIMITS.keyRotation,
    "/peer/message": BODY_LIMITS.peerMessage,
    "/messages": BODY_LIMITS.peerMessage,
  };
  for (const [path, limit] of Object.entries(limits)) {
    const body = (document.paths[path].post as JsonObject).requestBody as JsonObject;
    assertEquals(body["x-max-bytes"], limit, path);
    assert(String(body.description).includes(`At most ${limit} bytes`), path);
  }
});

Deno.test("the world id pattern is the protocol's", () => {
  assertEquals(schemas.WorldId.pattern, WORLD_ID_PATTERN.source);
});

Deno.test("the announce example is the wire vector and its signature verifies", async () => {
  const example = requestExample("/peer/announce", "pixelCity");
  assertEquals(example, JSON.parse(vectors.announce.body));
  assert(await verifyAnnounceSignature(example as AnnounceBody));
});

Deno.test("both heartbeat examples are the wire vectors and verify", async () => {
  const key = (await importPublicKey(vectors.identities[vectors.heartbeat.identity].publicKeyB64))!;
  for (const name of ["spec", "agentWorld12"] as const) {
    const example = requestExample("/peer/heartbeat", name);
    assertEquals(example, vectors.heartbeat[name]);
    assert(await verifyHeartbeat(example as Heartbeat, key), `${name} does not verify`);
  }
});

Deno.test("the world.state message example is the wire vector and verifies", async () => {
  const example = requestExample("/peer/message", "worldState");
  assertEquals(example, JSON.parse(vectors.worldStateMessage.body));
  assert(await verifyPeerMessage(example as PeerMessage));
});

Deno.test("the 1.6 examples are the 1.6 wire vectors and verify in 1.6", async () => {
  const announce = requestExample("/agents", "pixelCity16");
  assertEquals(announce, JSON.parse(vectors16.announce.body));
  assert(await verifyAnnounceSignature(announce as AnnounceBody, "1.6"));
  const message = requestExample("/messages", "worldState");
  assertEquals(message, JSON.parse(vectors16.worldStateMessage.body));
  assert(await verifyPeerMessage(message as PeerMessage, "1.6"));
  const [world, agent] = vectors16.heartbeat.requests as { body: string; pathIdDecoded: string }[];
  const key = (await importPublicKey(vectors16.identities[1].publicKeyB64))!;
  for (
    const [path, request, idField] of [
      ["/worlds/{worldId}/heartbeat", world, "worldId"],
      ["/agents/{agentId}/heartbeat", agent, "agentId"],
    ] as const
  ) {
    const example = requestExample(path, "agentWorld16") as { ts: number; signature: string };
    assertEquals(example, JSON.parse(request.body));
    const heartbeat = { ...example, agentId: request.pathIdDecoded };
    assert(await verifyHeartbeat(heartbeat, key, { version: "1.6", idField }), path);
  }
});

Deno.test("the key rotation example is the 1.6 vector and both proofs verify", async () => {
  const example = requestExample("/peer/key-rotation", "rotation16");
  assertEquals(example, JSON.parse(vectors16.keyRotation!.body as string));
  const verified = await verifyKeyRotation(example, { clock: () => vectors16.fixedTimeMs });
  assert(verified.ok, JSON.stringify(verified));
});

Deno.test("the deregistration example verifies under aw:dereg:", async () => {
  const example = requestExample("/peer/deregister", "pixelCity") as Deregistration;
  const key = (await importPublicKey(vectors.identities[1].publicKeyB64))!;
  assertEquals(example.agentId, vectors.identities[1].agentId);
  assert(await verifyDeregistration(example, key));
});

Deno.test("the agent card example is signed by the key it names", async () => {
  const operation = document.paths["/.well-known/agent.json"].get as JsonObject;
  const card = resolvePointer(
    operation,
    "#/responses/200/content/application~1json/examples/gateway16/value",
  );
  assert(await verifyAgentCard(JSON.stringify(card), vectors.identities[2].publicKeyB64));
});

Deno.test("the signed-request routes document the signature headers they accept, all optional", () => {
  const signed = ["/peer/announce", "/agents", "/peer/message", "/messages"];
  for (const { method, path, operation } of operations(document)) {
    if (method !== "POST" || !signed.includes(path)) continue;
    const names = (operation.parameters as JsonObject[])
      .map((parameter) => resolvePointer(document, String(parameter.$ref)) as JsonObject)
      .filter((parameter) => parameter.in === "header" && parameter.required === false)
      .map((parameter) => parameter.name);
    assertEquals(names, [
      "X-AgentWorld-Version",
      "X-AgentWorld-From",
      "X-AgentWorld-KeyId",
      "X-AgentWorld-Timestamp",
      "Content-Digest",
      "X-AgentWorld-Signature",
    ], `${method} ${path}`);
  }
});

Deno.test("the WebSocket frames are discriminated unions on type", () => {
  for (const name of ["WsClientFrame", "WsServerFrame"]) {
    const discriminator = schemas[name].discriminator;
    assert(isObject(discriminator), `${name} has no discriminator`);
    assertEquals(discriminator.propertyName, "type");
  }
});

Deno.test("every admin operation requires the bearer scheme, and no other operation does", () => {
  const scheme = (document.components!.securitySchemes as Record<string, JsonObject>).adminBearer;
  assertEquals([scheme.type, scheme.scheme], ["http", "bearer"]);
  for (const { method, path, operation } of operations(document)) {
    const admin = path.startsWith("/admin/") || method === "DELETE";
    assertEquals(
      operation.security,
      admin ? [{ adminBearer: [] }] : undefined,
      `${method} ${path}`,
    );
  }
});

Deno.test("the webhooks are world.announced, world.expired, world.owner_changed and agent.expired, each well formed", () => {
  assertEquals(Object.keys(document.webhooks as JsonObject), [
    "world.announced",
    "world.expired",
    "world.owner_changed",
    "agent.expired",
  ]);
  assertEquals(checkWebhooks(document), []);
});

Deno.test("every 429 and 503 says when to come back with Retry-After", () => {
  for (const { method, path, operation } of operations(document)) {
    for (const status of ["429", "503"]) {
      const response = (operation.responses as JsonObject)[status];
      if (response === undefined) continue;
      const resolved = (isObject(response) && typeof response.$ref === "string"
        ? resolvePointer(document, response.$ref)
        : response) as JsonObject;
      const headers = (resolved.headers ?? {}) as JsonObject;
      assert("Retry-After" in headers, `${method} ${path} ${status} lacks Retry-After`);
    }
  }
});
