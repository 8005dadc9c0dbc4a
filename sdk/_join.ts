/**
 * The content of a `world.join` message: who the agent says it is and where
 * the world's state broadcasts reach it.
 *
 * @module
 */
import {
  ANNOUNCE_LIMITS,
  checkEndpoints,
  type Endpoint,
  normalizeEndpoint,
  type Parsed,
} from "../protocol/mod.ts";
import { isRecord } from "./_validate.ts";

/** A checked `world.join` content. */
export interface JoinRequest {
  /** The display name the agent asked for, if any. */
  alias?: string;
  /** The password the agent gave, if any. */
  password?: string;
  /** The agent's endpoints; empty when it gave none. */
  endpoints: Endpoint[];
  /** Where broadcasts go: the preferred endpoint's `/peer/message`, if any. */
  messageUrl?: URL;
  /** The content without `password`: what the world's `onJoin` hook is given. */
  data: Record<string, unknown>;
}

/** Checks a decoded `world.join` content (`null` counts as `{}`). */
export function parseJoinContent(content: unknown): Parsed<JoinRequest> {
  if (content === null) content = {};
  if (!isRecord(content)) return { ok: false, error: "world.join content must be a JSON object" };
  const { password, ...data } = content;
  const alias = content.alias;
  if (
    alias !== undefined &&
    (typeof alias !== "string" || alias === "" || alias.length > ANNOUNCE_LIMITS.aliasMaxLength)
  ) {
    return {
      ok: false,
      error: `alias must be a string of 1 to ${ANNOUNCE_LIMITS.aliasMaxLength} characters`,
    };
  }
  if (password !== undefined && typeof password !== "string") {
    return { ok: false, error: "password must be a string" };
  }
  const endpoints = content.endpoints ?? [];
  // What an endpoint is, is defined once, in the protocol: the announce's rules.
  const endpointError = checkEndpoints(endpoints, "endpoints");
  if (endpointError) return { ok: false, error: endpointError };
  const typedEndpoints = (endpoints as Endpoint[]).map(normalizeEndpoint);
  const preferred = preferredEndpoint(typedEndpoints);
  const messageUrl = preferred && endpointMessageUrl(preferred);
  if (preferred && !messageUrl) {
    return { ok: false, error: `endpoint address is not a host: ${preferred.address}` };
  }
  return {
    ok: true,
    value: { alias, password, endpoints: typedEndpoints, messageUrl, data },
  };
}

/** The endpoint with the lowest `priority` (absent counts as 0); the first one on a tie. */
function preferredEndpoint(endpoints: Endpoint[]): Endpoint | undefined {
  let best: Endpoint | undefined;
  for (const endpoint of endpoints) {
    if (!best || (endpoint.priority ?? 0) < (best.priority ?? 0)) best = endpoint;
  }
  return best;
}

/**
 * `http(s)://{address}:{port}/peer/message` (https when the transport is
 * `"https"`), or `undefined` when the address is not a plain host.
 */
export function endpointMessageUrl(endpoint: Endpoint): URL | undefined {
  const scheme = endpoint.transport === "https" ? "https" : "http";
  const host = endpoint.address.includes(":") && !endpoint.address.startsWith("[")
    ? `[${endpoint.address}]`
    : endpoint.address;
  let url: URL;
  try {
    url = new URL(`${scheme}://${host}:${endpoint.port}/peer/message`);
  } catch {
    return undefined;
  }
  // An address such as "a@b" or "b/x?" would smuggle in credentials or a path.
  const plain = url.pathname === "/peer/message" && url.username === "" && url.password === "" &&
    url.search === "" && url.hash === "";
  return plain ? url : undefined;
}
