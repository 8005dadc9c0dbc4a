import { Validator } from "@seriousme/openapi-schema-validator";
import {
  AGENTWORLD_HEARTBEAT_SEPARATOR,
  ANNOUNCE_LIMITS,
  type AnnounceBody,
  DOMAIN_SEPARATORS,
  type Heartbeat,
  importPublicKey,
  type PeerMessage,
  PROTOCOL_VERSION,
  verifyAnnounceSignature,
  verifyHeartbeat,
  verifyPeerMessage,
  WORLD_ID_PATTERN,
} from "../protocol/mod.ts";
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
import { assert, assertEquals } from "./assert.ts";

const document = loadSpecSync();
const schemas = document.components!.schemas as Record<string, JsonObject>;

function property(schema: string, name: string): JsonObject {
  return (schemas[schema].properties as Record<string, JsonObject>)[name];
}

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

Deno.test("the documented domain separators are the protocol's", () => {
  assertEquals(document.info["x-agentworld-domain-separators"], {
    ...DOMAIN_SEPARATORS,
    AGENTWORLD_HEARTBEAT: AGENTWORLD_HEARTBEAT_SEPARATOR,
  });
  assertEquals(document.info["x-agentworld-protocol-version"], PROTOCOL_VERSION);
});

Deno.test("the description names every domain separator", () => {
  const description = String(document.info.description);
  for (const separator of [...Object.values(DOMAIN_SEPARATORS), AGENTWORLD_HEARTBEAT_SEPARATOR]) {
    const written = separator.replace("\u0000", "\\0");
    assert(description.includes(`\`${written}\``), `info.description lacks ${written}`);
  }
});

Deno.test("the announce limits are the protocol's", () => {
  assertEquals(property("Announce", "alias").maxLength, ANNOUNCE_LIMITS.aliasMaxLength);
  assertEquals(property("Announce", "version").maxLength, ANNOUNCE_LIMITS.versionMaxLength);
  assertEquals(property("Announce", "endpoints").maxItems, ANNOUNCE_LIMITS.maxEndpoints);
  assertEquals(property("Announce", "capabilities").maxItems, ANNOUNCE_LIMITS.maxCapabilities);
  assertEquals(schemas.Capability.maxLength, ANNOUNCE_LIMITS.capabilityMaxLength);
  assertEquals(property("Endpoint", "address").maxLength, ANNOUNCE_LIMITS.addressMaxLength);
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

Deno.test("every POST documents the signature headers it accepts, all optional", () => {
  for (const { method, path, operation } of operations(document)) {
    if (method !== "POST" || path === "/peer/heartbeat") continue;
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
