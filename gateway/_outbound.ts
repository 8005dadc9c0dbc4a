/**
 * Calls the gateway makes to worlds, under an outbound policy: a gateway
 * serving the public internet must not become a way into its own network
 * (server-side request forgery). With `public-only`, a host name is resolved
 * first and refused if any address is private, loopback, link-local, a
 * cloud metadata address, multicast or reserved; plain-HTTP calls then go to
 * the checked address itself (with the original `Host`), so a second DNS
 * answer cannot swap it. Redirects are never followed, answers are read up
 * to a byte limit, and every failure looks the same to the caller, so a
 * watcher cannot tell an open port from a closed one.
 *
 * @module
 */

/** Which addresses the gateway may call: `public-only` refuses internal ones, `any` refuses none. */
export type OutboundPolicy = "public-only" | "any";

/** Why a call failed; the message is safe to show a client (it says nothing of the network). */
export class OutboundError extends Error {
  /** What went wrong, for logs and metrics only. */
  readonly kind: "refused" | "unreachable" | "redirect" | "too_large" | "dns";
  /** Creates the error. */
  constructor(kind: OutboundError["kind"], detail?: string) {
    super("the world could not be reached");
    this.name = "OutboundError";
    this.kind = kind;
    if (detail) this.cause = detail;
  }
}

/** Options of {@linkcode callOut}. */
export interface OutboundOptions {
  /** Which addresses may be called. */
  policy: OutboundPolicy;
  /** Timeout of the whole call, in ms. */
  timeoutMs: number;
  /** Most answer bytes read. */
  maxResponseBytes: number;
  /** The fetch to call with. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Resolves a host name to its addresses. Default: `Deno.resolveDns` (A and AAAA). */
  resolve?: (host: string) => Promise<string[]>;
  /** Aborts the call before its timeout (the gateway stopping). Default: none. */
  signal?: AbortSignal;
}

/** A bounded answer. */
export interface OutboundAnswer {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The body as text (at most `maxResponseBytes`). */
  text: string;
}

function ipv4(address: string): number[] | undefined {
  const parts = address.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    return undefined;
  }
  return parts.map(Number);
}

function ipv4Internal([a, b, c]: number[]): boolean {
  return a === 0 || a === 10 || a === 127 || a >= 224 || // this network, private, loopback, multicast/reserved
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata (169.254.169.254)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF protocol assignments, TEST-NET-1
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113); // TEST-NET-2/3
}

function ipv6Groups(address: string): number[] | undefined {
  const bare = address.replace(/^\[|\]$/g, "").split("%")[0].toLowerCase();
  let text = bare;
  let tail: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (dotted) {
    const v4 = ipv4(dotted[1]);
    if (!v4) return undefined;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    text = bare.slice(0, -dotted[1].length) + "0:0";
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (s: string) =>
    s ? s.split(":").map((g) => /^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN) : [];
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array(missing).fill(0), ...rest];
  if (groups.some(Number.isNaN)) return undefined;
  if (tail.length) groups.splice(6, 2, ...tail);
  return groups;
}

/** Whether an IP literal is internal: private, loopback, link-local, metadata, multicast or reserved. */
export function isInternalAddress(address: string): boolean {
  const v4 = ipv4(address);
  if (v4) return ipv4Internal(v4);
  const g = ipv6Groups(address);
  if (!g) return true; // not an IP literal we understand: never call it under public-only
  const embedded = [g[6] >> 8, g[6] & 255, g[7] >> 8, g[7] & 255];
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return ipv4Internal(embedded); // v4-mapped
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return ipv4Internal(embedded); // NAT64
  }
  return g.every((x) => x === 0) || // unspecified
    (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) || // loopback
    (g[0] & 0xfe00) === 0xfc00 || // unique local (incl. fd00:ec2::254, AWS metadata)
    (g[0] & 0xffc0) === 0xfe80 || // link-local
    (g[0] & 0xff00) === 0xff00 || // multicast
    (g[0] === 0x2001 && g[1] === 0x0db8) || // documentation
    (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)); // discard-only
}

/** Whether a host is an IP literal (v4, or v6 with or without brackets). */
export function isIpLiteral(host: string): boolean {
  return ipv4(host) !== undefined || ipv6Groups(host) !== undefined;
}

async function systemResolve(host: string): Promise<string[]> {
  const answers = await Promise.allSettled([
    Deno.resolveDns(host, "A"),
    Deno.resolveDns(host, "AAAA"),
  ]);
  return answers.flatMap((answer) => answer.status === "fulfilled" ? answer.value : []);
}

let pinnedClient: Deno.HttpClient | undefined;

async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new OutboundError("too_large", `answer over ${limit} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * POSTs (or any method) to a world under the outbound policy, never
 * following a redirect, reading at most `maxResponseBytes` of the answer.
 * Every failure rejects with an {@linkcode OutboundError} whose message is
 * the same whatever happened.
 */
export async function callOut(
  url: URL,
  init: RequestInit,
  options: OutboundOptions,
): Promise<OutboundAnswer> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  if (options.signal?.aborted) throw new OutboundError("unreachable", "aborted");
  let target = url;
  let headers = new Headers(init.headers);
  let client: Deno.HttpClient | undefined;
  if (options.policy === "public-only") {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    let addresses: string[];
    if (isIpLiteral(host)) addresses = [host];
    else {
      try {
        addresses = await (options.resolve ?? systemResolve)(host);
      } catch (error) {
        throw new OutboundError("dns", (error as Error).message);
      }
    }
    if (addresses.length === 0) throw new OutboundError("dns", "no address");
    if (addresses.some(isInternalAddress)) {
      throw new OutboundError("refused", `${host} resolves to an internal address`);
    }
    if (url.protocol === "http:" && !isIpLiteral(host)) {
      // Call the address just checked, not whatever the name resolves to next.
      const address = addresses[0];
      target = new URL(url);
      target.hostname = address.includes(":") ? `[${address}]` : address;
      headers = new Headers(headers);
      headers.set("host", url.host);
      client = pinnedClient ??= Deno.createHttpClient({ allowHost: true });
    }
  }
  let response: Response;
  try {
    response = await doFetch(target, {
      ...init,
      headers,
      redirect: "manual",
      signal,
      ...(client ? { client } : {}),
    } as RequestInit);
  } catch (error) {
    throw new OutboundError("unreachable", (error as Error).message);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => {});
    throw new OutboundError("redirect", `answered ${response.status}`);
  }
  try {
    return {
      status: response.status,
      headers: response.headers,
      text: await readLimited(response, options.maxResponseBytes),
    };
  } catch (error) {
    if (error instanceof OutboundError) throw error;
    throw new OutboundError("unreachable", (error as Error).message);
  }
}

/**
 * The default policy for a gateway: `public-only` when its public URL names
 * a public host, `any` when it is unset, `localhost`, or an internal IP (the
 * local demo calls worlds on 127.0.0.1).
 */
export function defaultOutboundPolicy(publicUrl: string | undefined): OutboundPolicy {
  if (publicUrl === undefined) return "any";
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local")) return "any";
  if (isIpLiteral(host)) return isInternalAddress(host) ? "any" : "public-only";
  return "public-only";
}
