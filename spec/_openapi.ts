/**
 * Shared plumbing of the spec tools: loading `openapi.yaml`, resolving its
 * `$ref`s and validating values against its schemas with Ajv (JSON Schema
 * 2020-12, the dialect of OpenAPI 3.1).
 *
 * @module
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { parse } from "yaml";

/** Where the gateway's OpenAPI document lives: the repository root. */
export const SPEC_URL: URL = new URL("../openapi.yaml", import.meta.url);

/** The HTTP methods an OpenAPI path item may hold, in document order. */
export const HTTP_METHODS = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "trace",
] as const;

/** A parsed OpenAPI document; only the parts the tools read are typed. */
export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** Whether a value is a plain (non-array) object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses the YAML text of an OpenAPI document. */
export function parseSpec(text: string): OpenApiDocument {
  const document = parse(text);
  if (!isObject(document) || typeof document.openapi !== "string" || !isObject(document.paths)) {
    throw new TypeError("not an OpenAPI document: expected `openapi` and `paths`");
  }
  return document as OpenApiDocument;
}

/** Reads and parses the OpenAPI document at `url` (default: the repository's). */
export function loadSpecSync(url: URL = SPEC_URL): OpenApiDocument {
  return parseSpec(Deno.readTextFileSync(url));
}

/** Follows a local `$ref` (`#/a/b`) to the value it points at. */
export function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) throw new Error(`only local $refs are supported: ${ref}`);
  let node: unknown = document;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Follows `$ref`s until reaching an object that is not a reference. */
export function deref(document: unknown, value: unknown): unknown {
  const seen = new Set<string>();
  while (isObject(value) && typeof value.$ref === "string") {
    if (seen.has(value.$ref)) throw new Error(`cyclic $ref: ${value.$ref}`);
    seen.add(value.$ref);
    const target = resolvePointer(document, value.$ref);
    if (target === undefined) throw new Error(`unresolvable $ref: ${value.$ref}`);
    value = target;
  }
  return value;
}

// The document's component schemas are registered under this id, as $defs.
const ROOT_ID = "urn:agentworlds:gateway-openapi";
const SCHEMA_REF_PREFIX = "#/components/schemas/";
// Keywords whose value maps names (not keywords) to schemas.
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "dependentSchemas"]);

/**
 * Validates values against schemas of one OpenAPI document. Component
 * schemas are compiled once; inline schemas are compiled on first use.
 */
export class SchemaValidator {
  readonly #ajv: Ajv2020;
  readonly #compiled = new WeakMap<object, ValidateFunction>();
  readonly #document: OpenApiDocument;

  constructor(document: OpenApiDocument) {
    this.#document = document;
    this.#ajv = new Ajv2020({ strict: true, allErrors: true, discriminator: true });
    const schemas = document.components?.schemas ?? {};
    this.#ajv.addSchema({ $id: ROOT_ID, $defs: toAjvSchemaMap(schemas) });
  }

  /**
   * Validates `value` against an OpenAPI schema object of the document.
   *
   * @returns `undefined` when it is valid, else the errors as one line each.
   */
  validate(schema: unknown, value: unknown): string | undefined {
    const errors = this.#validate(schema, value, "");
    return errors.length === 0 ? undefined : errors.join("\n");
  }

  #validate(schema: unknown, value: unknown, at: string): string[] {
    if (!isObject(schema)) throw new TypeError("a schema must be an object");
    let validate = this.#compiled.get(schema);
    if (!validate) {
      validate = this.#ajv.compile(toAjvSchema(schema) as JsonObject);
      this.#compiled.set(schema, validate);
    }
    if (!validate(value)) {
      return (validate.errors ?? []).map((error) =>
        `${at}${error.instancePath || (at ? "" : "(root)")} ${error.message ?? error.keyword}`
      );
    }
    return this.#validateEncodedContent(schema, value, at);
  }

  /**
   * Ajv treats `contentSchema` as an annotation; here a string that declares
   * `contentMediaType: application/json` must parse and match it.
   */
  #validateEncodedContent(schema: unknown, value: unknown, at: string): string[] {
    const resolved = deref(this.#document, schema);
    if (!isObject(resolved)) return [];
    if (
      typeof value === "string" && resolved.contentMediaType === "application/json" &&
      isObject(resolved.contentSchema)
    ) {
      let decoded: unknown;
      try {
        decoded = JSON.parse(value);
      } catch {
        return [`${at || "(root)"} must be JSON-encoded`];
      }
      return this.#validate(resolved.contentSchema, decoded, `${at}(decoded)`);
    }
    const errors: string[] = [];
    if (isObject(resolved.properties) && isObject(value)) {
      for (const [name, property] of Object.entries(resolved.properties)) {
        if (name in value) {
          errors.push(...this.#validateEncodedContent(property, value[name], `${at}/${name}`));
        }
      }
    }
    if (isObject(resolved.items) && Array.isArray(value)) {
      value.forEach((item, i) => {
        errors.push(...this.#validateEncodedContent(resolved.items, item, `${at}/${i}`));
      });
    }
    return errors;
  }
}

/**
 * Copies an OpenAPI schema into a form Ajv compiles: component `$ref`s point
 * at the registered `$defs`, the discriminator `mapping` (which Ajv does not
 * support, and which only repeats each branch's `const`) is dropped, and so
 * are `x-` extensions.
 */
function toAjvSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toAjvSchema);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith("x-")) continue;
    if (SCHEMA_MAPS.has(key) && isObject(item)) {
      out[key] = toAjvSchemaMap(item);
    } else if (key === "$ref" && typeof item === "string") {
      if (!item.startsWith(SCHEMA_REF_PREFIX)) {
        throw new Error(`a schema may only $ref a component schema: ${item}`);
      }
      out.$ref = `${ROOT_ID}#/$defs/${item.slice(SCHEMA_REF_PREFIX.length)}`;
    } else if (key === "discriminator" && isObject(item)) {
      out.discriminator = { propertyName: item.propertyName };
    } else {
      out[key] = toAjvSchema(item);
    }
  }
  return out;
}

function toAjvSchemaMap(schemas: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [name, toAjvSchema(schema)]),
  );
}
