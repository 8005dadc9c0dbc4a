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
} from "../spec/_lint.ts";
import {
  type JsonObject,
  loadSpecSync,
  type OpenApiDocument,
  SchemaValidator,
} from "../spec/_openapi.ts";
import { assertEquals, assertMatch } from "./assert.ts";

// Each test breaks a copy of the real document and expects the rule to say so.
function broken(change: (document: OpenApiDocument) => void): OpenApiDocument {
  const document = structuredClone(loadSpecSync());
  change(document);
  return document;
}

// deno-lint-ignore no-explicit-any
type Any = any;

Deno.test("a missing operationId is reported", () => {
  const document = broken((d) => delete (d.paths["/health"].get as JsonObject).operationId);
  assertEquals(checkOperationIds(document), ["GET /health has no operationId"]);
});

Deno.test("a reused operationId is reported", () => {
  const document = broken((
    d,
  ) => ((d.paths["/agents"].get as JsonObject).operationId = "listWorlds"));
  assertEquals(checkOperationIds(document).length, 1);
});

Deno.test("a default response is reported", () => {
  const document = broken((d) => {
    (d.paths["/health"].get as Any).responses.default = { description: "anything" };
  });
  assertEquals(checkExplicitStatuses(document), [`GET /health documents "default"; list codes`]);
});

Deno.test("a response without an example is reported", () => {
  const document = broken((d) => {
    delete (d.paths["/health"].get as Any).responses["200"].content["application/json"].examples;
  });
  assertEquals(checkResponseBodies(document), ["GET /health 200 application/json has no example"]);
});

Deno.test("an error response with its own schema is reported", () => {
  const document = broken((d) => {
    (d.paths["/world/{worldId}"].get as Any).responses["404"].content["application/json"].schema = {
      type: "object",
    };
  });
  assertEquals(checkErrorResponses(document), [
    "GET /world/{worldId} 404 does not answer application/json Error",
  ]);
});

Deno.test("an error response may name a component that requires a string error, and only such", () => {
  assertEquals(checkErrorResponses(loadSpecSync()), []);
  const document = broken((d) => {
    (d.paths["/health"].get as Any).responses["503"].content["application/json"].schema.$ref =
      "#/components/schemas/Health";
  });
  assertEquals(checkErrorResponses(document), [
    "GET /health 503 does not answer application/json Error",
  ]);
});

Deno.test("a dangling $ref is reported", () => {
  const document = broken((d) => {
    (d.paths["/health"].get as Any).responses["200"].content["application/json"].schema.$ref =
      "#/components/schemas/Nope";
  });
  assertEquals(checkRefsResolve(document).length, 1);
});

Deno.test("an unused named example is reported", () => {
  const document = broken((d) => (d.components!.examples.Unused = { value: {} }));
  assertEquals(checkExamplesUsed(document), ["components/examples/Unused is never used"]);
});

Deno.test("a discriminator mapping to the wrong branch is reported", () => {
  const document = broken((d) => {
    (d.components!.schemas.WsClientFrame as Any).discriminator.mapping.join =
      "#/components/schemas/WsLeaveFrame";
  });
  assertEquals(checkDiscriminators(document).length, 2);
});

Deno.test("an example that breaks its schema is reported with where it is", () => {
  const document = broken((d) => {
    (d.paths["/health"].get as Any).responses["200"].content["application/json"].examples.ready
      .value.status = "sleepy";
  });
  const problems = checkExamples(document, new SchemaValidator(document));
  assertEquals(problems.length, 1);
  assertMatch(problems[0], /^#\/paths\/~1health\/get\/responses\/200\/.*examples\/ready .*status/);
});

Deno.test("an example whose JSON-encoded content breaks its contentSchema is reported", () => {
  const document = broken((d) => {
    (d.paths["/peer/message"].post as Any).requestBody.content["application/json"].examples
      .worldState.value.content = '{"worldId":"../etc"}';
  });
  const problems = checkExamples(document, new SchemaValidator(document));
  assertEquals(problems.length, 1);
  assertMatch(problems[0], /\/content\(decoded\)\/worldId must match pattern/);
});

Deno.test("a webhook that does not document the Standard Webhooks headers is reported", () => {
  const document = broken((d) => {
    ((d.webhooks as Any)["world.expired"].post.parameters as unknown[]).splice(0, 1);
  });
  assertEquals(checkWebhooks(document), [
    "webhook world.expired POST does not document webhook-id",
  ]);
});

Deno.test("a webhook body without an example is reported", () => {
  const document = broken((d) => {
    delete (d.webhooks as Any)["world.announced"].post.requestBody.content["application/json"]
      .examples;
  });
  assertEquals(checkWebhooks(document), ["webhook world.announced POST body has no example"]);
});

Deno.test("an operationId a webhook shares with a route is reported", () => {
  const document = broken((d) => {
    (d.webhooks as Any)["world.expired"].post.operationId = "getHealth";
  });
  assertEquals(checkOperationIds(document), [
    "POST world.expired reuses operationId getHealth of GET /health",
  ]);
});
