// Reserved IPv6: create allocates an address in the region; list, get by address, delete (seeds: reserved-ipv6.txt).
import { iso, notFound, page, save, type Handlers, type ReservedIpv6, type State } from "./state.js";

/** The address as the API writes it: lower case, zeros compressed (the client sends it with literal colons). */
const canonical = (ip: string) => new URL(`http://[${ip}]/`).hostname.slice(1, -1);

function getReserved(state: State, ip: string): ReservedIpv6 {
  const reserved = state.reservedIpv6.get(canonical(ip));
  if (!reserved) throw notFound(`Reserved IPv6 ${ip}`);
  return reserved;
}

/** The next free address of the region's block, in 2001:db8::/32 (RFC 3849, for documentation). */
function allocate(state: State, region: string): string {
  const regions = [...new Set([...state.reservedIpv6.values()].map((r) => r.region_slug))];
  const block = (regions.includes(region) ? regions.indexOf(region) : regions.length) + 1;
  for (let n = 1; ; n++) {
    const ip = `2001:db8:${block.toString(16)}:${n.toString(16)}::`;
    if (!state.reservedIpv6.has(ip)) return ip;
  }
}

export const reservedIpv6Handlers: Handlers<"reserved_ipv6"> = {
  reserved_ipv6_list: (req, state) => ({
    status: 200,
    body: page(state, req, "reserved_ipv6s", [...state.reservedIpv6.values()]),
  }),
  reserved_ipv6_create: (req, state) => {
    const region = state.catalogue.region(req.body.region_slug).slug;
    const reserved = { ip: allocate(state, region), region_slug: region, reserved_at: iso(state.now), droplet: null };
    save(state, "reservedIpv6", reserved);
    return { status: 201, body: { reserved_ipv6: reserved } };
  },
  reserved_ipv6_get: (req, state) => ({
    status: 200,
    body: { reserved_ipv6: getReserved(state, req.path.reserved_ipv6) },
  }),
  reserved_ipv6_delete: (req, state) => {
    state.reservedIpv6.delete(getReserved(state, req.path.reserved_ipv6).ip);
    return { status: 204, body: undefined };
  },
};
