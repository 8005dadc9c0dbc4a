/**
 * House rules for `openapi.yaml` beyond what OpenAPI 3.1 itself requires.
 * Each rule returns the problems it found, one sentence each; an empty list
 * means the document keeps the rule. `deno task spec` runs them all and
 * `tests/spec_test.ts` holds each one as a test.
 *
 * @module
 */
import {
  deref,
  HTTP_METHODS,
  isObject,
  type JsonObject,
  type OpenApiDocument,
  resolvePointer,
  type SchemaValidator,
} from "./_openapi.ts";

/** One operation of the document, with its path item. */
export interface OperationEntry {
  /** Upper-case HTTP method. */
  method: string;
  /** The path template, e.g. `/world/{worldId}`. */
  path: string;
  /** The operation object. */
  operation: JsonObject;
  /** The path item holding it (for path-level parameters). */
  pathItem: JsonObject;
}

/** Every operation of the document, in document order. */
export function operations(document: OpenApiDocument): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (isObject(operation)) {
        entries.push({ method: method.toUpperCase(), path, operation, pathItem });
      }
    }
  }
  return entries;
}

/**
 * Every operation of the document's top-level `webhooks` (OpenAPI 3.1): what
 * the gateway sends rather than answers. `path` is the webhook's name.
 */
export function webhookOperations(document: OpenApiDocument): OperationEntry[] {
  const webhooks = isObject(document.webhooks) ? document.webhooks : {};
  const entries: OperationEntry[] = [];
  for (const [name, pathItem] of Object.entries(webhooks)) {
    if (!isObject(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (isObject(operation)) {
        entries.push({ method: method.toUpperCase(), path: name, operation, pathItem });
      }
    }
  }
  return entries;
}

/** One documented response of one operation, `$ref`s resolved. */
export interface ResponseEntry extends OperationEntry {
  /** The status code, as written in the document (`"200"`). */
  status: string;
  /** The response object. */
  response: JsonObject;
}

/** Every documented response of every operation. */
export function responses(document: OpenApiDocument): ResponseEntry[] {
  return operations(document).flatMap((entry) => {
    const documented = isObject(entry.operation.responses) ? entry.operation.responses : {};
    return Object.entries(documented).map(([status, response]) => ({
      ...entry,
      status,
      response: deref(document, response) as JsonObject,
    }));
  });
}

const ERROR_SCHEMA_REF = "#/components/schemas/Error";
// Statuses that carry no body, so their responses need no content.
const BODILESS_STATUSES = new Set(["101", "204", "304"]);

/** Every operation (webhooks included) has an `operationId`, and no two share one. */
export function checkOperationIds(document: OpenApiDocument): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (
    const { method, path, operation } of [...operations(document), ...webhookOperations(document)]
  ) {
    const id = operation.operationId;
    if (typeof id !== "string" || id === "") {
      problems.push(`${method} ${path} has no operationId`);
    } else if (seen.has(id)) {
      problems.push(`${method} ${path} reuses operationId ${id} of ${seen.get(id)}`);
    } else {
      seen.set(id, `${method} ${path}`);
    }
  }
  return problems;
}

/** Statuses are explicit three-digit codes: no `default`, no `4XX` ranges. */
export function checkExplicitStatuses(document: OpenApiDocument): string[] {
  return responses(document)
    .filter(({ status }) => !/^[1-5][0-9][0-9]$/.test(status))
    .map(({ method, path, status }) => `${method} ${path} documents "${status}"; list codes`);
}

/**
 * Every response is described and, unless its status has no body, has
 * content whose schema is a component (or a plain `string`, for text) with
 * at least one example.
 */
export function checkResponseBodies(document: OpenApiDocument): string[] {
  const problems: string[] = [];
  for (const { method, path, status, response } of responses(document)) {
    const where = `${method} ${path} ${status}`;
    if (typeof response.description !== "string" || response.description.trim() === "") {
      problems.push(`${where} has no description`);
    }
    const content = response.content;
    if (BODILESS_STATUSES.has(status)) {
      if (content !== undefined) problems.push(`${where} has a body but its status has none`);
      continue;
    }
    if (!isObject(content) || Object.keys(content).length === 0) {
      problems.push(`${where} has no content`);
      continue;
    }
    for (const [mediaType, media] of Object.entries(content)) {
      if (!isObject(media) || !isObject(media.schema)) {
        problems.push(`${where} ${mediaType} has no schema`);
        continue;
      }
      const schema = media.schema;
      const named = typeof schema.$ref === "string" &&
        schema.$ref.startsWith("#/components/schemas/");
      if (!named && !(schema.type === "string" && !mediaType.endsWith("json"))) {
        problems.push(`${where} ${mediaType} schema is not a component schema`);
      }
      if (media.example === undefined && !isObject(media.examples)) {
        problems.push(`${where} ${mediaType} has no example`);
      }
    }
  }
  return problems;
}

/**
 * Every 4xx and 5xx response is JSON with exactly the `Error` schema, or
 * with a component schema that also requires a string `error` (such as
 * `/health`'s 503, which says more), so a client reading `error` always
 * finds one.
 */
export function checkErrorResponses(document: OpenApiDocument): string[] {
  const problems: string[] = [];
  for (const { method, path, status, response } of responses(document)) {
    if (!/^[45]/.test(status)) continue;
    const content = isObject(response.content) ? response.content : {};
    const mediaTypes = Object.keys(content);
    const media = content["application/json"];
    const ok = mediaTypes.length === 1 && isObject(media) && isObject(media.schema) &&
      Object.keys(media.schema).length === 1 && typeof media.schema.$ref === "string" &&
      (media.schema.$ref === ERROR_SCHEMA_REF || carriesError(document, media.schema.$ref));
    if (!ok) problems.push(`${method} ${path} ${status} does not answer application/json Error`);
  }
  return problems;
}

/** Whether the component schema at `ref` is an object that requires a string `error`. */
function carriesError(document: OpenApiDocument, ref: string): boolean {
  if (!ref.startsWith("#/components/schemas/")) return false;
  const schema = resolvePointer(document, ref);
  if (!isObject(schema) || !Array.isArray(schema.required)) return false;
  const error = isObject(schema.properties) ? schema.properties.error : undefined;
  return schema.required.includes("error") && isObject(error) && error.type === "string";
}

/** The Standard Webhooks headers every webhook documents. */
const WEBHOOK_HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature"];

/**
 * Every webhook is a `POST` whose request body is JSON with a component
 * schema and an example, documents the Standard Webhooks headers, and
 * describes every response it expects from the receiver.
 */
export function checkWebhooks(document: OpenApiDocument): string[] {
  const problems: string[] = [];
  const webhooks = isObject(document.webhooks) ? document.webhooks : {};
  const entries = webhookOperations(document);
  for (const name of Object.keys(webhooks)) {
    if (!entries.some((entry) => entry.path === name && entry.method === "POST")) {
      problems.push(`webhook ${name} has no POST`);
    }
  }
  for (const { method, path, operation } of entries) {
    const where = `webhook ${path} ${method}`;
    const body = deref(document, operation.requestBody);
    const content = isObject(body) && isObject(body.content) ? body.content : {};
    const media = isObject(content["application/json"]) ? content["application/json"] : {};
    const schema = media.schema;
    if (!isObject(schema) || typeof schema.$ref !== "string") {
      problems.push(`${where} has no application/json body with a component schema`);
    } else if (media.example === undefined && !isObject(media.examples)) {
      problems.push(`${where} body has no example`);
    }
    const headers = (Array.isArray(operation.parameters) ? operation.parameters : [])
      .map((parameter) => deref(document, parameter))
      .filter((parameter) => isObject(parameter) && parameter.in === "header")
      .map((parameter) => String((parameter as JsonObject).name).toLowerCase());
    for (const header of WEBHOOK_HEADERS) {
      if (!headers.includes(header)) problems.push(`${where} does not document ${header}`);
    }
    const answers = isObject(operation.responses) ? operation.responses : {};
    if (Object.keys(answers).length === 0) problems.push(`${where} documents no response`);
    for (const [status, answer] of Object.entries(answers)) {
      const resolved = deref(document, answer);
      if (!isObject(resolved) || typeof resolved.description !== "string") {
        problems.push(`${where} ${status} has no description`);
      }
    }
  }
  return problems;
}

/** Every `$ref` anywhere in the document points at something. */
export function checkRefsResolve(document: OpenApiDocument): string[] {
  const problems: string[] = [];
  walk(document, "#", (node, pointer) => {
    if (typeof node.$ref !== "string") return;
    if (!node.$ref.startsWith("#/")) problems.push(`${pointer} refers outside the document`);
    else if (resolvePointer(document, node.$ref) === undefined) {
      problems.push(`${pointer} refers to missing ${node.$ref}`);
    }
  });
  return problems;
}

/** Every entry of `components/examples` is used, so every one is validated. */
export function checkExamplesUsed(document: OpenApiDocument): string[] {
  const named = Object.keys(document.components?.examples ?? {});
  const used = new Set<string>();
  walk(document, "#", (node) => {
    if (typeof node.$ref === "string") used.add(node.$ref);
  });
  return named
    .filter((name) => !used.has(`#/components/examples/${name}`))
    .map((name) => `components/examples/${name} is never used`);
}

/**
 * Every discriminator maps each value to the branch whose discriminating
 * property is that `const`, and maps every branch of its `oneOf`.
 */
export function checkDiscriminators(document: OpenApiDocument): string[] {
  const problems: string[] = [];
  walk(document, "#", (node, pointer) => {
    const discriminator = node.discriminator;
    if (!isObject(discriminator)) return;
    const property = String(discriminator.propertyName);
    const mapping = isObject(discriminator.mapping) ? discriminator.mapping : {};
    const branches = Array.isArray(node.oneOf) ? node.oneOf : [];
    const mapped = new Set(Object.values(mapping));
    for (const branch of branches) {
      const ref = isObject(branch) ? branch.$ref : undefined;
      if (typeof ref !== "string" || !mapped.has(ref)) {
        problems.push(`${pointer}: oneOf branch ${String(ref)} is not in the mapping`);
      }
    }
    for (const [value, ref] of Object.entries(mapping)) {
      const target = resolvePointer(document, String(ref));
      const properties = isObject(target) && isObject(target.properties) ? target.properties : {};
      const tag = properties[property];
      if (!isObject(tag) || tag.const !== value) {
        problems.push(`${pointer}: mapping ${value} → ${ref} whose ${property} is not "${value}"`);
      }
    }
  });
  return problems;
}

/** One example found in the document and the schema it must satisfy. */
export interface ExampleEntry {
  /** Where it is, as a JSON pointer into the document. */
  pointer: string;
  /** The schema it must satisfy. */
  schema: JsonObject;
  /** The example value. */
  value: unknown;
}

/**
 * Every example of the document with its schema: parameter, header, request
 * and response examples (`example`, and `examples` with their `$ref`s
 * resolved), and the `examples` and `default` of every schema.
 */
export function examples(document: OpenApiDocument): ExampleEntry[] {
  const found: ExampleEntry[] = [];
  const fromHolder = (holder: JsonObject, pointer: string) => {
    if (!isObject(holder.schema)) return;
    const schema = holder.schema;
    if (holder.example !== undefined) {
      found.push({ pointer: `${pointer}/example`, schema, value: holder.example });
    }
    if (isObject(holder.examples)) {
      for (const [name, example] of Object.entries(holder.examples)) {
        const resolved = deref(document, example);
        if (isObject(resolved) && "value" in resolved) {
          found.push({ pointer: `${pointer}/examples/${name}`, schema, value: resolved.value });
        }
      }
    }
  };
  walk(document, "#", (node, pointer) => {
    // Media types, parameters and headers hold a `schema` beside examples.
    if (isObject(node.schema) && (node.example !== undefined || isObject(node.examples))) {
      fromHolder(node, pointer);
    }
  });
  walkSchemas(document, (schema, pointer) => {
    if (Array.isArray(schema.examples)) {
      schema.examples.forEach((value, i) => {
        found.push({ pointer: `${pointer}/examples/${i}`, schema, value });
      });
    }
    if (schema.default !== undefined) {
      found.push({ pointer: `${pointer}/default`, schema, value: schema.default });
    }
  });
  return found;
}

/** Every example validates against its schema. */
export function checkExamples(document: OpenApiDocument, validator: SchemaValidator): string[] {
  const problems: string[] = [];
  for (const { pointer, schema, value } of examples(document)) {
    const errors = validator.validate(schema, value);
    if (errors) {
      problems.push(`${pointer} does not match its schema: ${errors.replaceAll("\n", "; ")}`);
    }
  }
  return problems;
}

/** Every rule above that needs only the document, by name. */
export const RULES: Readonly<Record<string, (document: OpenApiDocument) => string[]>> = {
  "operation ids": checkOperationIds,
  "explicit statuses": checkExplicitStatuses,
  "response bodies": checkResponseBodies,
  "error responses": checkErrorResponses,
  "$refs resolve": checkRefsResolve,
  "examples used": checkExamplesUsed,
  "discriminators": checkDiscriminators,
  "webhooks": checkWebhooks,
};

/** Visits every object in the document (depth first) with its JSON pointer. */
function walk(
  node: unknown,
  pointer: string,
  visit: (node: JsonObject, pointer: string) => void,
): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, `${pointer}/${i}`, visit));
  } else if (isObject(node)) {
    visit(node, pointer);
    for (const [key, value] of Object.entries(node)) {
      walk(value, `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`, visit);
    }
  }
}

// Keywords whose value is a schema, a list of schemas or a map of schemas.
const SUBSCHEMA = ["items", "not", "if", "then", "else", "contains", "additionalProperties"];
const SUBSCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SUBSCHEMA_MAPS = ["properties", "patternProperties", "$defs", "dependentSchemas"];

/** Visits every schema object: component schemas and the schemas of operations. */
function walkSchemas(
  document: OpenApiDocument,
  visit: (schema: JsonObject, pointer: string) => void,
): void {
  const visitSchema = (schema: unknown, pointer: string) => {
    if (!isObject(schema)) return;
    visit(schema, pointer);
    for (const key of SUBSCHEMA) visitSchema(schema[key], `${pointer}/${key}`);
    for (const key of SUBSCHEMA_LISTS) {
      const list = schema[key];
      if (Array.isArray(list)) {
        list.forEach((item, i) => visitSchema(item, `${pointer}/${key}/${i}`));
      }
    }
    for (const key of SUBSCHEMA_MAPS) {
      const map = schema[key];
      if (isObject(map)) {
        for (const [name, item] of Object.entries(map)) {
          visitSchema(item, `${pointer}/${key}/${name}`);
        }
      }
    }
  };
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    visitSchema(schema, `#/components/schemas/${name}`);
  }
  walk(document.paths, "#/paths", (node, pointer) => {
    if (isObject(node.schema)) visitSchema(node.schema, `${pointer}/schema`);
  });
  walk(document.webhooks ?? {}, "#/webhooks", (node, pointer) => {
    if (isObject(node.schema)) visitSchema(node.schema, `${pointer}/schema`);
  });
  walk(document.components ?? {}, "#/components", (node, pointer) => {
    if (!pointer.startsWith("#/components/schemas") && isObject(node.schema)) {
      visitSchema(node.schema, `${pointer}/schema`);
    }
  });
}
