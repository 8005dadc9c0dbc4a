/**
 * AgentWorld HTTP message signatures: the `X-AgentWorld-*` and
 * `Content-Digest` headers that bind a request or response to its sender,
 * its body and (for requests) its method, authority and path.
 *
 * Requests sign `{v, from, kid, ts, method, authority, path, contentDigest}`
 * under the version's `HTTP_REQUEST` separator; responses sign
 * `{v, from, kid, ts, status, contentDigest}` under `HTTP_RESPONSE`. `v` and
 * `X-AgentWorld-Version` carry the protocol version, which picks the
 * separator: a verifier reads it from the header. `ts` is the ISO-8601
 * timestamp header, accepted within ±5 minutes.
 *
 * @module
 */
import { sha256, toBase64, utf8 } from "./_bytes.ts";
import { agentIdFromPublicKey, type Identity } from "./identity.ts";
import { separatorsFor, type VersionSeparators } from "./separators.ts";
import { signWithDomainSeparator, verifyWithDomainSeparator } from "./signing.ts";
import {
  isSupportedVersion,
  PROTOCOL_VERSION,
  type ProtocolVersion,
  requireVersion,
  unsupportedVersionMessage,
} from "./version.ts";

/** Names of the signature headers. */
export const HTTP_SIGNATURE_HEADERS: {
  readonly VERSION: "X-AgentWorld-Version";
  readonly FROM: "X-AgentWorld-From";
  readonly KEY_ID: "X-AgentWorld-KeyId";
  readonly TIMESTAMP: "X-AgentWorld-Timestamp";
  readonly CONTENT_DIGEST: "Content-Digest";
  readonly SIGNATURE: "X-AgentWorld-Signature";
} = Object.freeze(
  {
    VERSION: "X-AgentWorld-Version",
    FROM: "X-AgentWorld-From",
    KEY_ID: "X-AgentWorld-KeyId",
    TIMESTAMP: "X-AgentWorld-Timestamp",
    CONTENT_DIGEST: "Content-Digest",
    SIGNATURE: "X-AgentWorld-Signature",
  } as const,
);

/** The key id this package signs with: the agent's own identity key. */
export const DEFAULT_KEY_ID = "#identity";

/** How far a signed timestamp may be from the verifier's clock: ±5 minutes. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The signature headers, keyed by their wire names. */
export type SignatureHeaders = Record<string, string>;

/** The outcome of verifying signature headers. */
export interface HttpSignatureResult {
  /** Whether every check passed. */
  ok: boolean;
  /** What failed, when `ok` is false. */
  error?: string;
  /** The protocol version the headers were verified under, when `ok`. */
  version?: ProtocolVersion;
}

/** Options for signing. */
export interface SignOptions {
  /** The clock, in milliseconds since the epoch. Default: `Date.now`. */
  clock?: () => number;
  /** The protocol version to sign under (separator, `v`, `X-AgentWorld-Version`). Default: `"1.2"`. */
  version?: ProtocolVersion;
}

/** Options for verification. */
export interface VerifyOptions {
  /** The clock, in milliseconds since the epoch. Default: `Date.now`. */
  clock?: () => number;
  /** The accepted timestamp skew in milliseconds. Default: 300000 (5 min). */
  maxSkewMs?: number;
  /**
   * The versions accepted in `X-AgentWorld-Version`; the header's version
   * picks the separator. Default: every supported version.
   */
  versions?: readonly ProtocolVersion[];
}

/** A body as signed: text (UTF-8) or bytes. */
export type Body = string | Uint8Array;

/**
 * The `Content-Digest` header value of a body (RFC 9530):
 * `sha-256=:<base64 SHA-256>:`.
 *
 * @example
 * ```ts
 * import { computeContentDigest } from "@agentworlds/sdk/protocol";
 * await computeContentDigest(""); // "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"
 * ```
 */
export async function computeContentDigest(body: Body): Promise<string> {
  const bytes = typeof body === "string" ? utf8.encode(body) : body;
  return `sha-256=:${toBase64(await sha256(bytes))}:`;
}

type HeaderContext = keyof Pick<VersionSeparators, "HTTP_REQUEST" | "HTTP_RESPONSE">;

async function signHeaders(
  identity: Identity,
  context: HeaderContext,
  target: Record<string, string | number>,
  body: Body,
  options: SignOptions,
): Promise<SignatureHeaders> {
  const version = requireVersion(options.version ?? PROTOCOL_VERSION);
  const separator = separatorsFor(version)[context];
  const ts = new Date((options.clock ?? Date.now)()).toISOString();
  const contentDigest = await computeContentDigest(body);
  const payload = {
    v: version,
    from: identity.agentId,
    kid: DEFAULT_KEY_ID,
    ts,
    ...target,
    contentDigest,
  };
  return {
    [HTTP_SIGNATURE_HEADERS.VERSION]: version,
    [HTTP_SIGNATURE_HEADERS.FROM]: identity.agentId,
    [HTTP_SIGNATURE_HEADERS.KEY_ID]: DEFAULT_KEY_ID,
    [HTTP_SIGNATURE_HEADERS.TIMESTAMP]: ts,
    [HTTP_SIGNATURE_HEADERS.CONTENT_DIGEST]: contentDigest,
    [HTTP_SIGNATURE_HEADERS.SIGNATURE]: await signWithDomainSeparator(separator, payload, identity),
  };
}

/**
 * Signs an outgoing request: returns the six headers to send with it.
 *
 * @example
 * ```ts
 * import { generateIdentity, signHttpRequest } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const body = JSON.stringify({ hello: "world" });
 * const headers = await signHttpRequest(identity, "POST", "127.0.0.1:8100", "/peer/message", body);
 * console.log(headers["X-AgentWorld-From"] === identity.agentId); // true
 * ```
 *
 * @param identity The sender.
 * @param method The HTTP method (upper-cased before signing).
 * @param authority The `Host` the request is sent to (`host[:port]`).
 * @param path The request path, without the query string.
 * @param body The exact body bytes or text sent ("" for none).
 * @param options The clock and the protocol version.
 * @throws {UnsupportedVersionError} When `options.version` is not spoken here.
 */
export function signHttpRequest(
  identity: Identity,
  method: string,
  authority: string,
  path: string,
  body: Body,
  options: SignOptions = {},
): Promise<SignatureHeaders> {
  return signHeaders(
    identity,
    "HTTP_REQUEST",
    {
      method: method.toUpperCase(),
      authority,
      path,
    },
    body,
    options,
  );
}

/**
 * Signs an outgoing response: returns the six headers to send with it.
 *
 * @example
 * ```ts
 * import { generateIdentity, signHttpResponse } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const headers = await signHttpResponse(identity, 200, '{"ok":true}');
 * ```
 *
 * @param identity The responder.
 * @param status The HTTP status code.
 * @param body The exact response body.
 * @param options The clock and the protocol version.
 * @throws {UnsupportedVersionError} When `options.version` is not spoken here.
 */
export function signHttpResponse(
  identity: Identity,
  status: number,
  body: Body,
  options: SignOptions = {},
): Promise<SignatureHeaders> {
  return signHeaders(identity, "HTTP_RESPONSE", { status }, body, options);
}

/** Headers to verify: a `Headers` object or a plain record (names matched case-insensitively). */
export type HeaderSource = Headers | Record<string, string | undefined>;

function headerGetter(headers: HeaderSource): (name: string) => string | undefined {
  if (headers instanceof Headers) return (name) => headers.get(name) ?? undefined;
  const lower = new Map<string, string>();
  for (const [key, value] of Object.entries(headers)) {
    if (typeof value === "string") lower.set(key.toLowerCase(), value);
  }
  return (name) => lower.get(name.toLowerCase());
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;

async function verifyHeaders(
  headers: HeaderSource,
  context: HeaderContext,
  target: Record<string, string | number>,
  body: Body,
  publicKeyB64: string,
  options: VerifyOptions,
): Promise<HttpSignatureResult> {
  const get = headerGetter(headers);
  const fields: Record<string, string> = {};
  for (const name of Object.values(HTTP_SIGNATURE_HEADERS)) {
    const value = get(name);
    if (value === undefined || value === "") return { ok: false, error: `missing ${name} header` };
    fields[name] = value;
  }
  const v = fields[HTTP_SIGNATURE_HEADERS.VERSION];
  if (!isSupportedVersion(v) || (options.versions && !options.versions.includes(v))) {
    return { ok: false, error: unsupportedVersionMessage(v) };
  }
  const ts = fields[HTTP_SIGNATURE_HEADERS.TIMESTAMP];
  const signedAt = ISO_TIMESTAMP.test(ts) ? Date.parse(ts) : NaN;
  if (!Number.isFinite(signedAt)) {
    return { ok: false, error: `${HTTP_SIGNATURE_HEADERS.TIMESTAMP} is not an ISO-8601 UTC time` };
  }
  const skew = Math.abs((options.clock ?? Date.now)() - signedAt);
  if (skew > (options.maxSkewMs ?? MAX_CLOCK_SKEW_MS)) {
    return {
      ok: false,
      error: `${HTTP_SIGNATURE_HEADERS.TIMESTAMP} is outside the allowed window`,
    };
  }
  const from = fields[HTTP_SIGNATURE_HEADERS.FROM];
  let keyAgentId: string;
  try {
    keyAgentId = await agentIdFromPublicKey(publicKeyB64);
  } catch {
    return { ok: false, error: "the public key is not 32 bytes of base64" };
  }
  if (from !== keyAgentId) {
    return { ok: false, error: `${HTTP_SIGNATURE_HEADERS.FROM} does not match the public key` };
  }
  const contentDigest = fields[HTTP_SIGNATURE_HEADERS.CONTENT_DIGEST];
  if (contentDigest !== await computeContentDigest(body)) {
    return { ok: false, error: `${HTTP_SIGNATURE_HEADERS.CONTENT_DIGEST} does not match the body` };
  }
  const payload = {
    v,
    from,
    kid: fields[HTTP_SIGNATURE_HEADERS.KEY_ID],
    ts,
    ...target,
    contentDigest,
  };
  const signature = fields[HTTP_SIGNATURE_HEADERS.SIGNATURE];
  const separator = separatorsFor(v)[context];
  if (!await verifyWithDomainSeparator(separator, publicKeyB64, payload, signature)) {
    return { ok: false, error: `${HTTP_SIGNATURE_HEADERS.SIGNATURE} does not verify` };
  }
  return { ok: true, version: v };
}

/**
 * Verifies the signature headers of an incoming request against what was
 * actually received. Checks, in order: every header present, the version
 * (any supported one; it picks the separator), the timestamp window, that
 * `X-AgentWorld-From` is the key's agent id, the body digest, then the
 * signature over method, authority and path.
 *
 * @example
 * ```ts
 * import { generateIdentity, signHttpRequest, verifyHttpRequestHeaders } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const headers = await signHttpRequest(identity, "POST", "localhost:8100", "/peer/message", "{}");
 * const result = await verifyHttpRequestHeaders(headers, "POST", "/peer/message", "localhost:8100", "{}", identity.publicKeyB64);
 * console.log(result); // { ok: true, version: "1.2" }
 * ```
 *
 * @returns `{ ok: true, version }`, or `{ ok: false, error }` saying what failed.
 */
export function verifyHttpRequestHeaders(
  headers: HeaderSource,
  method: string,
  path: string,
  authority: string,
  body: Body,
  publicKeyB64: string,
  options: VerifyOptions = {},
): Promise<HttpSignatureResult> {
  return verifyHeaders(
    headers,
    "HTTP_REQUEST",
    {
      method: method.toUpperCase(),
      authority,
      path,
    },
    body,
    publicKeyB64,
    options,
  );
}

/**
 * Verifies the signature headers of a response received from a peer.
 *
 * @example
 * ```ts
 * import { generateIdentity, signHttpResponse, verifyHttpResponseHeaders } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const headers = await signHttpResponse(identity, 200, "{}", { version: "1.6" });
 * const result = await verifyHttpResponseHeaders(headers, 200, "{}", identity.publicKeyB64);
 * console.log(result); // { ok: true, version: "1.6" }
 * ```
 *
 * @returns `{ ok: true, version }`, or `{ ok: false, error }` saying what failed.
 */
export function verifyHttpResponseHeaders(
  headers: HeaderSource,
  status: number,
  body: Body,
  publicKeyB64: string,
  options: VerifyOptions = {},
): Promise<HttpSignatureResult> {
  return verifyHeaders(
    headers,
    "HTTP_RESPONSE",
    { status },
    body,
    publicKeyB64,
    options,
  );
}
