/**
 * The signed-request rules, in one place: what the gateway's announce and
 * message routes and a world's `/peer/message` all apply to a request whose
 * body is `{from, publicKey, timestamp, …, signature}`.
 *
 * In order, each failure a refusal with the status of its reason
 * ({@linkcode REJECTION_STATUS}):
 *
 * 1. the body is read up to its byte limit, counted as bytes arrive (413),
 *    and must be UTF-8 and JSON (400);
 * 2. `X-AgentWorld-Version`, when sent, must be a version spoken here (400);
 * 3. the body's shape and limits (400, naming the field);
 * 4. the signed `timestamp` within ±5 minutes of the clock (400);
 * 5. `from` must be the agent id of `publicKey` (403);
 * 6. the body signature under the context's separator of the version, or
 *    else valid request-signature headers over this method, authority, path
 *    and body (403).
 *
 * The version is `X-AgentWorld-Version`'s. A body-only request without that
 * header carries no protocol version (its `version` field is the sender's
 * software), so each accepted version is tried and the one that verified is
 * reported.
 *
 * @module
 */
import type { Parsed } from "./_validate.ts";
import {
  type AnnounceBody,
  type AnnounceRecord,
  parseAnnounce,
  toAnnounceRecord,
} from "./announce.ts";
import {
  HTTP_SIGNATURE_HEADERS,
  MAX_CLOCK_SKEW_MS,
  verifyHttpRequestHeaders,
} from "./http_signature.ts";
import { isAgentIdOf } from "./identity.ts";
import { BODY_LIMITS } from "./limits.ts";
import { parsePeerMessage, type PeerMessage } from "./peer_message.ts";
import { reject, REJECTION_TEXT, type Verified } from "./rejection.ts";
import { readJsonBody } from "./request_body.ts";
import { separatorsFor } from "./separators.ts";
import { verifyWithDomainSeparator } from "./signing.ts";
import {
  isSupportedVersion,
  PROTOCOL_VERSION,
  type ProtocolVersion,
  SUPPORTED_PROTOCOL_VERSIONS,
  unsupportedVersionMessage,
} from "./version.ts";

/** The fields every signed body has; the signature covers all fields but `signature`. */
export interface SignedBody {
  /** The sender's agent id. */
  from: string;
  /** Base64 of the sender's raw 32-byte key. */
  publicKey: string;
  /** Milliseconds since the epoch when it was signed. */
  timestamp: number;
  /** Base64 body signature. */
  signature: string;
}

/** Where and how a signed request is checked; every field but the first three has a default. */
export interface SignedRequestOptions<T extends SignedBody> {
  /** The body's signing context: `"ANNOUNCE"` or `"MESSAGE"`. */
  context: "ANNOUNCE" | "MESSAGE";
  /** Checks the body's shape and limits. */
  parse: (value: unknown) => Parsed<T>;
  /** The body's byte limit. */
  maxBodyBytes: number;
  /** The clock, in ms since the epoch. Default: `Date.now`. */
  clock?: () => number;
  /** How far a signed time may be from the clock, in ms. Default: `MAX_CLOCK_SKEW_MS` (300000). */
  maxSkewMs?: number;
  /** The path request signatures must cover. Default: the request URL's path. */
  path?: string;
  /**
   * Authorities request signatures may cover besides the request's own
   * `Host` (e.g. `PUBLIC_URL`'s, behind a proxy that rewrites it). Default: none.
   */
  authorities?: readonly string[];
  /** The protocol versions accepted. Default: `SUPPORTED_PROTOCOL_VERSIONS`. */
  versions?: readonly ProtocolVersion[];
  /**
   * Tried first for a body-only request without `X-AgentWorld-Version`
   * (e.g. the version the sender used last). Default: `"1.2"`.
   */
  preferredVersion?: ProtocolVersion;
}

/** A request that passed every rule. */
export interface SignedRequest<T> {
  /** The parsed body, as sent (unknown fields kept). */
  body: T;
  /** The exact body text. */
  text: string;
  /** The protocol version it verified under. */
  version: ProtocolVersion;
  /** What verified: the body signature, or the request-signature headers. */
  signedBy: "body" | "headers";
}

/**
 * Applies the signed-request rules to a request; see the module
 * documentation for the order. Never throws.
 *
 * @example
 * ```ts
 * import { canonicalize, createPeerMessage, generateIdentity, parsePeerMessage, verifySignedRequest } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const message = await createPeerMessage(identity, "world.join", {}, Date.now(), "1.5");
 * const request = new Request("http://world.test/peer/message", {
 *   method: "POST",
 *   body: canonicalize(message),
 * });
 * const result = await verifySignedRequest(request, {
 *   context: "MESSAGE",
 *   parse: parsePeerMessage,
 *   maxBodyBytes: 262144,
 * });
 * console.log(result.ok && result.value.version); // "1.5": found by trying each version
 * ```
 */
export async function verifySignedRequest<T extends SignedBody>(
  request: Request,
  options: SignedRequestOptions<T>,
): Promise<Verified<SignedRequest<T>>> {
  const read = await readJsonBody(request, options.maxBodyBytes);
  if (!read.ok) return read;
  const { text, json } = read.value;
  const accepted = options.versions ?? SUPPORTED_PROTOCOL_VERSIONS;
  const declared = request.headers.get(HTTP_SIGNATURE_HEADERS.VERSION);
  if (declared !== null && !(isSupportedVersion(declared) && accepted.includes(declared))) {
    return reject("unsupported_version", unsupportedVersionMessage(declared));
  }
  const parsed = options.parse(json);
  if (!parsed.ok) return reject("invalid_body", parsed.error);
  const body = parsed.value;
  const clock = options.clock ?? Date.now;
  if (Math.abs(clock() - body.timestamp) > (options.maxSkewMs ?? MAX_CLOCK_SKEW_MS)) {
    return reject("stale_timestamp", REJECTION_TEXT.outsideWindow("timestamp"));
  }
  if (!await isAgentIdOf(body.from, body.publicKey)) {
    return reject("key_mismatch", REJECTION_TEXT.keyMismatch("from", "publicKey"));
  }
  const { signature, ...unsigned } = body as unknown as Record<string, unknown>;
  const candidates = declared !== null
    ? [declared as ProtocolVersion]
    : tryOrder(accepted, options.preferredVersion ?? PROTOCOL_VERSION);
  for (const version of candidates) {
    const separator = separatorsFor(version)[options.context];
    if (await verifyWithDomainSeparator(separator, body.publicKey, unsigned, signature as string)) {
      return { ok: true, value: { body, text, version, signedBy: "body" } };
    }
  }
  // Every body has a signature (the shape requires one); it was tried above.
  if (!request.headers.has(HTTP_SIGNATURE_HEADERS.SIGNATURE)) {
    return reject("bad_signature", REJECTION_TEXT.badSignature());
  }
  const url = new URL(request.url);
  const path = options.path ?? url.pathname;
  const authorities = [request.headers.get("host") ?? url.host, ...(options.authorities ?? [])];
  let error: string | undefined;
  for (const authority of new Set(authorities)) {
    const result = await verifyHttpRequestHeaders(
      request.headers,
      request.method,
      path,
      authority,
      text,
      body.publicKey,
      { clock, maxSkewMs: options.maxSkewMs, versions: accepted },
    );
    if (result.ok) {
      return { ok: true, value: { body, text, version: result.version!, signedBy: "headers" } };
    }
    error = result.error;
  }
  return reject("bad_signature", REJECTION_TEXT.badSignature(error));
}

/** `preferred` first, then the others in order. */
function tryOrder(
  versions: readonly ProtocolVersion[],
  preferred: ProtocolVersion,
): ProtocolVersion[] {
  return versions.includes(preferred)
    ? [preferred, ...versions.filter((version) => version !== preferred)]
    : [...versions];
}

/** Options of {@linkcode verifyAnnounceRequest} and {@linkcode verifyPeerMessageRequest}. */
export type SignedRouteOptions = Omit<
  SignedRequestOptions<SignedBody>,
  "context" | "parse" | "maxBodyBytes"
>;

/** A verified announce, with the record to store. */
export interface VerifiedAnnounce extends SignedRequest<AnnounceBody> {
  /** The normalized record: known fields only, at most `ANNOUNCE_LIMITS.maxRecordBytes` as JSON. */
  record: AnnounceRecord;
}

/**
 * The signed-request rules for an announce (`POST /peer/announce` or
 * `POST /agents`): body limit `BODY_LIMITS.announce`, {@linkcode parseAnnounce},
 * the `ANNOUNCE` separator; on success, also the record to store.
 *
 * @example
 * ```ts
 * import { canonicalize, createAnnounce, generateIdentity, signHttpRequest, verifyAnnounceRequest } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const body = canonicalize(await createAnnounce(identity, {
 *   alias: "Pixel City",
 *   slug: "pixel-city",
 *   endpoints: [{ address: "203.0.113.7", port: 8099 }],
 *   capabilities: ["world:pixel-city"],
 * }, Date.now(), "1.6"));
 * const headers = await signHttpRequest(identity, "POST", "gw.test", "/agents", body, { version: "1.6" });
 * const request = new Request("http://gw.test/agents", { method: "POST", headers, body });
 * const result = await verifyAnnounceRequest(request);
 * console.log(result.ok && result.value.record.worldId); // "pixel-city"
 * ```
 */
export async function verifyAnnounceRequest(
  request: Request,
  options: SignedRouteOptions = {},
): Promise<Verified<VerifiedAnnounce>> {
  const result = await verifySignedRequest(request, {
    ...options,
    context: "ANNOUNCE",
    parse: parseAnnounce,
    maxBodyBytes: BODY_LIMITS.announce,
  });
  if (!result.ok) return result;
  const record = toAnnounceRecord(result.value.body, result.value.version);
  return { ok: true, value: { ...result.value, record } };
}

/**
 * The signed-request rules for a peer message (`POST /peer/message` or
 * `POST /messages`): body limit `BODY_LIMITS.peerMessage`,
 * {@linkcode parsePeerMessage}, the `MESSAGE` separator. Which events are
 * accepted, and replay protection, are the caller's.
 *
 * @example
 * ```ts
 * import { canonicalize, createPeerMessage, generateIdentity, verifyPeerMessageRequest } from "@agentworlds/sdk/protocol";
 * const identity = await generateIdentity();
 * const body = canonicalize(await createPeerMessage(identity, "world.state", { worldId: "pixel-city" }));
 * const result = await verifyPeerMessageRequest(
 *   new Request("http://gw.test/peer/message", { method: "POST", body }),
 * );
 * console.log(result.ok && result.value.signedBy); // "body"
 * ```
 */
export function verifyPeerMessageRequest(
  request: Request,
  options: SignedRouteOptions = {},
): Promise<Verified<SignedRequest<PeerMessage>>> {
  return verifySignedRequest(request, {
    ...options,
    context: "MESSAGE",
    parse: parsePeerMessage,
    maxBodyBytes: BODY_LIMITS.peerMessage,
  });
}
