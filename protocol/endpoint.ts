/**
 * Endpoints: where a world or agent is reached. An endpoint's address is a
 * DNS host name or an IP literal and nothing else (no scheme, no path, no
 * userinfo, no port, no whitespace), so no consumer can be steered to a URL
 * it did not mean to build.
 *
 * @module
 */
import { checkInteger, checkList, checkString, checkToken, isRecord } from "./_validate.ts";
import { ANNOUNCE_LIMITS } from "./limits.ts";

/** Where a world can be reached. */
export interface Endpoint {
  /** A DNS host name or an IP address (IPv6 without brackets). */
  address: string;
  /** TCP port, 1–65535. */
  port: number;
  /** Transport, e.g. `"tcp"` or `"https"`. */
  transport?: string;
  /** Lower is preferred; an integer from 0 to 65535. */
  priority?: number;
  /** Seconds the endpoint may be cached; an integer from 0 to one year. */
  ttl?: number;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
// A last label a URL parser reads as a number makes the whole name an IPv4
// address to it ("0x7f.1", "127.1"): only the strict dotted quad may be one.
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|\d+)$/i;
const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;

/**
 * The address as a consumer should use it when it is a host name or an IP
 * literal (IPv6 brackets removed); `undefined` otherwise.
 *
 * @example
 * ```ts
 * import { normalizeEndpointAddress } from "@agentworlds/sdk/protocol";
 * normalizeEndpointAddress("world.example.org"); // "world.example.org"
 * normalizeEndpointAddress("[2001:db8::1]"); // "2001:db8::1"
 * normalizeEndpointAddress("javascript:alert(1)"); // undefined
 * normalizeEndpointAddress("a.test\r\nX: 1"); // undefined
 * normalizeEndpointAddress("user@host"); // undefined
 * ```
 */
export function normalizeEndpointAddress(address: unknown): string | undefined {
  if (typeof address !== "string" || address.length === 0) return undefined;
  if (address.length > ANNOUNCE_LIMITS.addressMaxLength) return undefined;
  if (address.includes(":")) {
    const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
    return IPV6_CHARS.test(bare) && isIpv6(bare) ? bare : undefined;
  }
  const labels = (address.endsWith(".") ? address.slice(0, -1) : address).split(".");
  if (NUMERIC_LABEL.test(labels[labels.length - 1])) {
    return IPV4.test(address) ? address : undefined;
  }
  return labels.every((label) => LABEL.test(label)) ? address : undefined;
}

function isIpv6(text: string): boolean {
  try {
    return new URL(`http://[${text}]/`).hostname !== "";
  } catch {
    return false;
  }
}

const TRANSPORT = /^[a-z0-9][a-z0-9+.-]*$/;

/**
 * Checks one endpoint: its known fields only (an unknown field is not an
 * error; see {@linkcode normalizeEndpoint}). Returns the error naming the
 * field, or `undefined`.
 *
 * @example
 * ```ts
 * import { checkEndpoint } from "@agentworlds/sdk/protocol";
 * checkEndpoint({ address: "203.0.113.7", port: 8099 }, "endpoints[0]"); // undefined
 * checkEndpoint({ address: "http://x", port: 8099 }, "endpoints[0]");
 * // "endpoints[0].address must be a host name or an IP address"
 * ```
 */
export function checkEndpoint(value: unknown, field: string): string | undefined {
  if (!isRecord(value)) return `${field} must be an object`;
  const address = checkString(value.address, `${field}.address`, ANNOUNCE_LIMITS.addressMaxLength);
  if (address) return address;
  if (normalizeEndpointAddress(value.address) === undefined) {
    return `${field}.address must be a host name or an IP address`;
  }
  return checkInteger(value.port, `${field}.port`, 1, 65_535) ??
    checkToken(
      value.transport,
      `${field}.transport`,
      ANNOUNCE_LIMITS.transportMaxLength,
      TRANSPORT,
      "lowercase letters, digits, '+', '.' or '-'",
      { required: false },
    ) ??
    checkInteger(value.priority, `${field}.priority`, 0, ANNOUNCE_LIMITS.priorityMax, {
      required: false,
    }) ??
    checkInteger(value.ttl, `${field}.ttl`, 0, ANNOUNCE_LIMITS.ttlMaxSeconds, {
      required: false,
    });
}

/**
 * Checks a list of endpoints: at most `ANNOUNCE_LIMITS.maxEndpoints`, each
 * accepted by {@linkcode checkEndpoint}.
 *
 * @example
 * ```ts
 * import { checkEndpoints } from "@agentworlds/sdk/protocol";
 * checkEndpoints([{ address: "a.test", port: 0 }], "endpoints");
 * // "endpoints[0].port must be an integer from 1 to 65535"
 * ```
 */
export function checkEndpoints(value: unknown, field: string): string | undefined {
  return checkList(
    value,
    field,
    ANNOUNCE_LIMITS.maxEndpoints,
    (item, i) => checkEndpoint(item, `${field}[${i}]`),
  );
}

/**
 * The endpoint as stored: only `address` (brackets removed), `port`,
 * `transport`, `priority` and `ttl`, in that order. Call it on an endpoint
 * {@linkcode checkEndpoint} accepted, after the signature over the body as
 * sent was verified.
 *
 * @example
 * ```ts
 * import { normalizeEndpoint } from "@agentworlds/sdk/protocol";
 * normalizeEndpoint({ address: "[::1]", port: 8099, region: "eu" } as never);
 * // { address: "::1", port: 8099 }
 * ```
 */
export function normalizeEndpoint(endpoint: Endpoint): Endpoint {
  const { transport, priority, ttl } = endpoint;
  return {
    address: normalizeEndpointAddress(endpoint.address) ?? endpoint.address,
    port: endpoint.port,
    ...(transport === undefined ? {} : { transport }),
    ...(priority === undefined ? {} : { priority }),
    ...(ttl === undefined ? {} : { ttl }),
  };
}
