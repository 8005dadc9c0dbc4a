/**
 * Why a signed request is refused, and the one table that maps each reason
 * to its HTTP status. Every verifier in this module answers
 * `{ ok: true, value } | { ok: false, status, reason, error }`, so a route
 * is one line: `if (!result.ok) return c.json({ error: result.error }, result.status)`.
 *
 * @module
 */

/**
 * The HTTP status of each refusal reason, written once for the gateway, the
 * world server and the bridge.
 *
 * @example
 * ```ts
 * import { REJECTION_STATUS } from "@agentworlds/sdk/protocol";
 * REJECTION_STATUS.bad_signature; // 403
 * REJECTION_STATUS.body_too_large; // 413
 * ```
 */
export const REJECTION_STATUS: {
  readonly body_too_large: 413;
  readonly body_unreadable: 400;
  readonly not_utf8: 400;
  readonly not_json: 400;
  readonly invalid_body: 400;
  readonly unsupported_version: 400;
  readonly stale_timestamp: 400;
  readonly key_mismatch: 403;
  readonly bad_signature: 403;
  readonly unknown_agent: 404;
  readonly replayed: 409;
  readonly conflict: 409;
  readonly rate_limited: 429;
  readonly full: 503;
} = Object.freeze(
  {
    /** The body passed its byte limit (counted as bytes arrive). */
    body_too_large: 413,
    /** The sender went away mid-body, or the stream failed. */
    body_unreadable: 400,
    /** The body is not UTF-8. */
    not_utf8: 400,
    /** The body is not JSON. */
    not_json: 400,
    /** A field is missing, mistyped or past its limit; the error names it. */
    invalid_body: 400,
    /** `X-AgentWorld-Version` (or a body's `version`) is not one spoken here. */
    unsupported_version: 400,
    /** A signed time is more than 5 minutes from the receiver's clock. */
    stale_timestamp: 400,
    /** `from` (or an id) is not the agent id of the key given. */
    key_mismatch: 403,
    /** No signature verifies: not the body's, not the headers'. */
    bad_signature: 403,
    /** No live lease for this id: announce (again). */
    unknown_agent: 404,
    /** A timestamp not newer than the last one accepted from the sender. */
    replayed: 409,
    /** The id is held or owned by another key. */
    conflict: 409,
    /** Too many requests from this client; `Retry-After` says when to come back. */
    rate_limited: 429,
    /** The directory is at capacity. */
    full: 503,
  } as const,
);

/** One reason in {@linkcode REJECTION_STATUS}. */
export type RejectionReason = keyof typeof REJECTION_STATUS;

/** A refusal: the status to answer, the reason, and the `error` text to send. */
export interface Rejection {
  /** Always false. */
  ok: false;
  /** The HTTP status, from {@linkcode REJECTION_STATUS}. */
  status: number;
  /** Why, as a stable name. */
  reason: RejectionReason;
  /** What was wrong, for the `{ "error": … }` answer. */
  error: string;
}

/** A verified value, or why it was refused. */
export type Verified<T> = { ok: true; value: T } | Rejection;

/**
 * Builds a refusal with the status of its reason.
 *
 * @example
 * ```ts
 * import { reject } from "@agentworlds/sdk/protocol";
 * reject("stale_timestamp", "ts is outside the ±5 min window");
 * // { ok: false, status: 400, reason: "stale_timestamp", error: "ts is outside the ±5 min window" }
 * ```
 */
export function reject(reason: RejectionReason, error: string): Rejection {
  return { ok: false, status: REJECTION_STATUS[reason], reason, error };
}

/**
 * The refusal as a JSON response: `{ "error": … }` with its status.
 *
 * @example
 * ```ts
 * import { reject, rejectionResponse } from "@agentworlds/sdk/protocol";
 * const response = rejectionResponse(reject("bad_signature", "signature does not verify"));
 * console.log(response.status); // 403
 * ```
 */
export function rejectionResponse(rejection: Rejection): Response {
  return Response.json({ error: rejection.error }, { status: rejection.status });
}

/**
 * The one wording of each refusal these modules produce, so the gateway, the
 * world server and the bridge say the same thing for the same fault.
 */
export const REJECTION_TEXT: {
  readonly bodyTooLarge: (limit: number) => string;
  readonly bodyUnreadable: string;
  readonly notUtf8: string;
  readonly notJson: string;
  readonly outsideWindow: (field: string) => string;
  readonly keyMismatch: (field: string, key: string) => string;
  readonly badSignature: (detail?: string) => string;
} = Object.freeze({
  /** 413: the byte limit. */
  bodyTooLarge: (limit: number) => `body exceeds ${limit} bytes`,
  /** 400: the stream failed mid-body. */
  bodyUnreadable: "body could not be read",
  /** 400 */
  notUtf8: "body is not valid UTF-8",
  /** 400 */
  notJson: "body is not valid JSON",
  /** 400: a signed time out of the clock window. */
  outsideWindow: (field: string) => `${field} is outside the ±5 min window`,
  /** 403: an id not derived from the key it comes with. */
  keyMismatch: (field: string, key: string) => `${field} is not the agent id of ${key}`,
  /** 403: nothing verified; the detail says what the headers lacked. */
  badSignature: (detail?: string) =>
    detail ? `signature does not verify (${detail})` : "signature does not verify",
});
