/**
 * Who is asking: the client address a request came from, as quotas and caps
 * count it. Behind a load balancer (`TRUST_PROXY`), the address it appended
 * to `X-Forwarded-For`; otherwise the socket's peer. IPv6 addresses count by
 * their /64, because one host is routinely given a whole /64.
 *
 * @module
 */

/** The address quotas count: an IPv4 address, or an IPv6 /64 as `2001:db8:1:2::/64`. */
export function quotaKey(address: string): string {
  if (!address.includes(":")) return address;
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4mapped) return v4mapped[1];
  const groups = expandIpv6(address);
  if (!groups) return address.toLowerCase();
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

function expandIpv6(address: string): string[] | undefined {
  const bare = address.replace(/^\[|\]$/g, "").split("%")[0].toLowerCase();
  const halves = bare.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 && missing !== 0) return undefined;
  const groups = [...head, ...Array(Math.max(0, missing)).fill("0"), ...tail];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups;
}

/**
 * The client's address: the socket peer, or with `trustProxy` the last
 * address in `X-Forwarded-For` (the one the trusted proxy appended; earlier
 * entries are the client's own claims).
 */
export function clientAddress(
  headers: Headers,
  peer: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const forwarded = headers.get("x-forwarded-for");
    if (forwarded) {
      const last = forwarded.split(",").map((part) => part.trim()).filter(Boolean).pop();
      if (last && /^[0-9A-Fa-f:.[\]]{2,64}$/.test(last)) return last.replace(/^\[|\]$/g, "");
    }
  }
  return peer ?? "unknown";
}
