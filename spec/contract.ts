/**
 * The gateway's HTTP contract as a test helper: validate a response (or a
 * request body) against `openapi.yaml`, and list every documented
 * `(method, path, status)` so tests can assert they cover all of them.
 *
 * A status the document does not list for the operation is a failure, never
 * a pass: the document is the contract, so an undocumented answer is a bug
 * in the gateway or a gap in the document.
 *
 * @example Validate what a gateway answered
 * ```ts
 * import { validateResponse } from "./contract.ts";
 *
 * const result = validateResponse("GET", "/world/{worldId}", 404, { error: "world not found: x" });
 * console.log(result); // { ok: true }
 * validateResponse("GET", "/health", 500, { error: "boom" }).ok; // false: 500 is not documented
 * ```
 *
 * @module
 */
import { responses as documentedEntries } from "./_lint.ts";
import {
  deref,
  isObject,
  type JsonObject,
  loadSpecSync,
  type OpenApiDocument,
  parseSpec,
  SchemaValidator,
} from "./_openapi.ts";

/** The outcome of a contract check. */
export interface ContractResult {
  /** Whether the value keeps the contract. */
  ok: boolean;
  /** What broke it, one problem a line, when `ok` is false. */
  errors?: string;
}

/** One documented response: an operation and one status it may answer. */
export interface DocumentedResponse {
  /** Upper-case HTTP method, e.g. `"GET"`. */
  method: string;
  /** The path template, e.g. `"/world/{worldId}"`. */
  path: string;
  /** The status code. */
  status: number;
}

/** The contract of one OpenAPI document. */
export class GatewayContract {
  readonly #document: OpenApiDocument;
  readonly #validator: SchemaValidator;

  /**
   * @param document A parsed OpenAPI 3.1 document; see {@linkcode GatewayContract.fromYaml}.
   */
  constructor(document: OpenApiDocument) {
    this.#document = document;
    this.#validator = new SchemaValidator(document);
  }

  /**
   * A contract from the YAML text of an OpenAPI document.
   *
   * @example
   * ```ts
   * import { GatewayContract } from "./contract.ts";
   * const contract = GatewayContract.fromYaml(await Deno.readTextFile("openapi.yaml"));
   * contract.validateResponse("GET", "/peer/ping", 200, { ok: true }).ok; // false: ts, agentId missing
   * ```
   */
  static fromYaml(text: string): GatewayContract {
    return new GatewayContract(parseSpec(text));
  }

  /**
   * Every documented `(method, path, status)`, in document order.
   *
   * @example
   * ```ts
   * import { defaultContract } from "./contract.ts";
   * const triples = defaultContract().documentedResponses();
   * triples.some((r) => r.method === "GET" && r.path === "/health" && r.status === 200); // true
   * ```
   */
  documentedResponses(): DocumentedResponse[] {
    return documentedEntries(this.#document).map(({ method, path, status }) => ({
      method,
      path,
      status: Number(status),
    }));
  }

  /**
   * The path template a request path belongs to: the template itself, or
   * the template a concrete path fills in (`/world/pixel-city` →
   * `/world/{worldId}`). A query string is ignored. `undefined` when none.
   *
   * @example
   * ```ts
   * import { defaultContract } from "./contract.ts";
   * defaultContract().pathTemplate("/world/pixel-city?x=1"); // "/world/{worldId}"
   * ```
   */
  pathTemplate(path: string): string | undefined {
    const bare = path.split("?")[0];
    const templates = Object.keys(this.#document.paths);
    if (templates.includes(bare)) return bare;
    return templates.find((template) => templatePattern(template).test(bare));
  }

  /**
   * Validates a response body against the schema the document gives for
   * this method, path and status. Fails when the operation or the status is
   * not documented, or when the status documents no body but one was given.
   *
   * @param method The HTTP method, any case.
   * @param path A path template (`/world/{worldId}`) or a concrete path (`/world/pixel-city`).
   * @param status The status code received.
   * @param body The decoded body: the parsed JSON for JSON responses, the
   *   text for other media types, `undefined` (or `""`) for none.
   */
  validateResponse(method: string, path: string, status: number, body: unknown): ContractResult {
    const found = this.#operation(method, path);
    if ("errors" in found) return found;
    const { operation, where } = found;
    const responses = isObject(operation.responses) ? operation.responses : {};
    const documented = Object.keys(responses);
    if (!documented.includes(String(status))) {
      return fail(`${where} does not document status ${status} (documented: ${documented})`);
    }
    const response = deref(this.#document, responses[String(status)]) as JsonObject;
    return this.#validateContent(response.content, body, `${where} ${status}`);
  }

  /**
   * Validates a request body against the document's request schema for
   * this method and path (for example an announce the SDK builds).
   *
   * @example
   * ```ts
   * import { validateRequestBody } from "./contract.ts";
   * validateRequestBody("POST", "/peer/heartbeat", { agentId: "nope" }).ok; // false
   * ```
   */
  validateRequestBody(method: string, path: string, body: unknown): ContractResult {
    const found = this.#operation(method, path);
    if ("errors" in found) return found;
    const requestBody = deref(this.#document, found.operation.requestBody);
    if (!isObject(requestBody)) return fail(`${found.where} documents no request body`);
    return this.#validateContent(requestBody.content, body, `${found.where} request`);
  }

  /**
   * Validates a fetched `Response` whole: its status, that its
   * `Content-Type` is a documented media type, its documented headers
   * (present when required, matching their schema when present), and its
   * body. Consumes the body.
   *
   * @example
   * ```ts ignore
   * import { validateFetchResponse } from "./contract.ts";
   * const response = await fetch("http://127.0.0.1:8100/health");
   * const result = await validateFetchResponse("GET", "/health", response);
   * if (!result.ok) throw new Error(result.errors);
   * ```
   */
  async validateFetchResponse(
    method: string,
    path: string,
    response: Response,
  ): Promise<ContractResult> {
    const text = await response.text();
    const found = this.#operation(method, path);
    if ("errors" in found) return found;
    const responses = isObject(found.operation.responses) ? found.operation.responses : {};
    const documented = deref(this.#document, responses[String(response.status)]);
    const content = isObject(documented) && isObject(documented.content)
      ? documented.content
      : undefined;
    if (!content) return this.validateResponse(method, path, response.status, text);
    const mediaType = (response.headers.get("content-type") ?? "").split(";")[0].trim();
    if (!(mediaType in content)) {
      return fail(
        `${found.where} ${response.status} answered Content-Type "${mediaType}"; ` +
          `documented: ${Object.keys(content)}`,
      );
    }
    let body: unknown = text;
    if (isJsonMediaType(mediaType)) {
      try {
        body = JSON.parse(text);
      } catch {
        return fail(`${found.where} ${response.status} body is not JSON: ${text.slice(0, 200)}`);
      }
    }
    const headers = isObject(documented) && isObject(documented.headers) ? documented.headers : {};
    const headerErrors = this.#checkHeaders(
      Object.entries(headers).map(([name, header]) => ({ name, header })),
      response.headers,
      `${found.where} ${response.status}`,
    );
    const result = this.validateResponse(method, path, response.status, body);
    if (headerErrors.length === 0) return result;
    return fail([...headerErrors, ...(result.ok ? [] : [result.errors!])].join("\n"));
  }

  /**
   * The names of the document's webhooks (`webhooks`), in document order.
   *
   * @example
   * ```ts
   * import { defaultContract } from "./contract.ts";
   * defaultContract().webhookNames().includes("world.expired"); // true
   * ```
   */
  webhookNames(): string[] {
    return Object.keys(isObject(this.#document.webhooks) ? this.#document.webhooks : {});
  }

  /**
   * Validates a webhook delivery the gateway sent: its body against the
   * webhook's request schema, and its headers against the header parameters
   * the webhook documents (a required one missing, or a value that breaks
   * its schema, fails).
   *
   * @example
   * ```ts
   * import { defaultContract } from "./contract.ts";
   * const result = defaultContract().validateWebhook("world.announced", { event: "world.announced" }, new Headers());
   * console.log(result.ok); // false: fields and the webhook-id header are missing
   * ```
   *
   * @param name The webhook's name, e.g. `world.expired`.
   * @param body The decoded JSON body.
   * @param headers The delivery's headers.
   */
  validateWebhook(name: string, body: unknown, headers: Headers): ContractResult {
    const webhooks = isObject(this.#document.webhooks) ? this.#document.webhooks : {};
    const pathItem = deref(this.#document, webhooks[name]);
    const operation = isObject(pathItem) ? pathItem.post : undefined;
    if (!isObject(operation)) return fail(`${name} is not a documented webhook`);
    const parameters = (Array.isArray(operation.parameters) ? operation.parameters : [])
      .map((parameter) => deref(this.#document, parameter))
      .filter((parameter): parameter is JsonObject =>
        isObject(parameter) && parameter.in === "header"
      )
      .map((parameter) => ({ name: String(parameter.name), header: parameter }));
    const errors = this.#checkHeaders(parameters, headers, `webhook ${name}`);
    const requestBody = deref(this.#document, operation.requestBody);
    const content = isObject(requestBody) ? requestBody.content : undefined;
    const result = this.#validateContent(content, body, `webhook ${name}`);
    if (!result.ok) errors.push(result.errors!);
    return errors.length === 0 ? { ok: true } : fail(errors.join("\n"));
  }

  /**
   * Holds received headers to documented ones: a required header must be
   * there, and any documented header that is there must match its schema
   * (numbers are compared as numbers).
   */
  #checkHeaders(
    documented: { name: string; header: unknown }[],
    received: Headers,
    where: string,
  ): string[] {
    const errors: string[] = [];
    for (const { name, header } of documented) {
      const resolved = deref(this.#document, header);
      if (!isObject(resolved) || !isObject(resolved.schema)) continue;
      const value = received.get(name);
      if (value === null) {
        if (resolved.required === true) errors.push(`${where} lacks the ${name} header`);
        continue;
      }
      const schema = deref(this.#document, resolved.schema);
      const numeric = isObject(schema) && (schema.type === "integer" || schema.type === "number");
      const typed = numeric && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
      const problem = this.#validator.validate(resolved.schema, typed);
      if (problem) errors.push(`${where} header ${name}: ${JSON.stringify(value)} ${problem}`);
    }
    return errors;
  }

  /**
   * Validates a value against a named component schema, e.g. a WebSocket
   * frame against `WsServerFrame`. Fails when no schema has that name.
   *
   * @example
   * ```ts
   * import { defaultContract } from "./contract.ts";
   * defaultContract().validateSchema("WsServerFrame", { type: "subscribed", worldId: "w" }).ok; // true
   * ```
   */
  validateSchema(name: string, value: unknown): ContractResult {
    const schemas = this.#document.components?.schemas ?? {};
    if (!isObject(schemas[name])) return fail(`no component schema is named ${name}`);
    const errors = this.#validator.validate({ $ref: `#/components/schemas/${name}` }, value);
    return errors === undefined ? { ok: true } : fail(`${name}:\n${errors}`);
  }

  #operation(
    method: string,
    path: string,
  ): { operation: JsonObject; where: string } | { ok: false; errors: string } {
    const template = this.pathTemplate(path);
    const where = `${method.toUpperCase()} ${template ?? path}`;
    if (template === undefined) return fail(`${path} matches no documented path`);
    const operation = this.#document.paths[template][method.toLowerCase()];
    if (!isObject(operation)) return fail(`${where} is not a documented operation`);
    return { operation, where };
  }

  #validateContent(content: unknown, body: unknown, where: string): ContractResult {
    if (!isObject(content)) {
      return body === undefined || body === null || body === ""
        ? { ok: true }
        : fail(`${where} documents no body, but one was given`);
    }
    const mediaType = "application/json" in content ? "application/json" : Object.keys(content)[0];
    const media = content[mediaType];
    if (!isObject(media) || !isObject(media.schema)) return fail(`${where} has no schema`);
    const errors = this.#validator.validate(media.schema, body);
    return errors === undefined ? { ok: true } : fail(`${where} ${mediaType}:\n${errors}`);
  }
}

let defaultInstance: GatewayContract | undefined;

/**
 * The contract of this repository's `openapi.yaml`, read once (needs
 * `--allow-read`).
 *
 * @example
 * ```ts
 * import { defaultContract } from "./contract.ts";
 * defaultContract().documentedResponses().length > 0; // true
 * ```
 */
export function defaultContract(): GatewayContract {
  defaultInstance ??= new GatewayContract(loadSpecSync());
  return defaultInstance;
}

/**
 * Validates a response body against this repository's `openapi.yaml`; see
 * {@linkcode GatewayContract.validateResponse}.
 *
 * @example
 * ```ts
 * import { validateResponse } from "./contract.ts";
 * const result = validateResponse("GET", "/worlds", 200, { worlds: [], nextCursor: null, revision: "" });
 * console.log(result.ok); // true
 * ```
 */
export function validateResponse(
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
): ContractResult {
  return defaultContract().validateResponse(method, pathTemplate, status, body);
}

/**
 * Validates a request body against this repository's `openapi.yaml`; see
 * {@linkcode GatewayContract.validateRequestBody}.
 *
 * @example
 * ```ts
 * import { validateRequestBody } from "./contract.ts";
 * validateRequestBody("POST", "/peer/heartbeat", {}).ok; // false
 * ```
 */
export function validateRequestBody(
  method: string,
  pathTemplate: string,
  body: unknown,
): ContractResult {
  return defaultContract().validateRequestBody(method, pathTemplate, body);
}

/**
 * Validates a fetched `Response` against this repository's `openapi.yaml`;
 * see {@linkcode GatewayContract.validateFetchResponse}.
 *
 * @example
 * ```ts ignore
 * import { validateFetchResponse } from "./contract.ts";
 * const result = await validateFetchResponse("GET", "/worlds", await fetch("http://127.0.0.1:8100/worlds"));
 * ```
 */
export function validateFetchResponse(
  method: string,
  pathTemplate: string,
  response: Response,
): Promise<ContractResult> {
  return defaultContract().validateFetchResponse(method, pathTemplate, response);
}

/**
 * Validates a value against a component schema of this repository's
 * `openapi.yaml` (e.g. `WsClientFrame`, `WsServerFrame`); see
 * {@linkcode GatewayContract.validateSchema}.
 *
 * @example
 * ```ts
 * import { validateSchema } from "./contract.ts";
 * validateSchema("WsServerFrame", { type: "error", message: "no live world x" }).ok; // true
 * ```
 */
export function validateSchema(name: string, value: unknown): ContractResult {
  return defaultContract().validateSchema(name, value);
}

/**
 * Validates a webhook delivery against this repository's `openapi.yaml`; see
 * {@linkcode GatewayContract.validateWebhook}.
 *
 * @example
 * ```ts
 * import { validateWebhook } from "./contract.ts";
 * const headers = new Headers({ "webhook-id": "msg_b.1", "webhook-timestamp": "1774276670" });
 * const body = { event: "world.announced", agentId: "aw:sha256:" + "0".repeat(64), worldId: "w", ts: 1 };
 * console.log(validateWebhook("world.announced", body, headers)); // { ok: true }
 * ```
 */
export function validateWebhook(name: string, body: unknown, headers: Headers): ContractResult {
  return defaultContract().validateWebhook(name, body, headers);
}

/**
 * Every `(method, path, status)` this repository's `openapi.yaml` documents,
 * so a contract test can assert it exercised each one.
 *
 * @example Assert coverage
 * ```ts
 * import { documentedResponses } from "./contract.ts";
 * const seen = new Set<string>(); // add `${method} ${path} ${status}` as tests validate
 * const missing = documentedResponses()
 *   .map(({ method, path, status }) => `${method} ${path} ${status}`)
 *   .filter((key) => !seen.has(key));
 * console.log(missing.length > 0); // true: nothing was exercised here
 * ```
 */
export function documentedResponses(): DocumentedResponse[] {
  return defaultContract().documentedResponses();
}

function fail(errors: string): { ok: false; errors: string } {
  return { ok: false, errors };
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === "application/json" || mediaType.endsWith("+json");
}

function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("");
  return new RegExp(`^${source}$`);
}
