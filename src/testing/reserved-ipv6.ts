// Reserved IPv6 (seeds: reserved-ipv6.txt): create allocates an address in the region; list, get by address,
// delete. The reserved IPv6 backend owns the addresses.
import { iso, notFound, page, Records, type Backend, type Handlers, type Kind, type Schemas } from "./backend.js";
import type { State } from "./state.js";

export type ReservedIpv6 = Schemas["ReservedIpv6"] & { ip: string };
/** What a saved account holds of this group. */
export interface ReservedIpv6State {
  reservedIpv6: ReservedIpv6[];
}

const RESERVED: Kind<ReservedIpv6> = {
  name: "reservedIpv6",
  key: (r) => r.ip,
  answer: "reserved_ipv6_get",
  property: "reserved_ipv6",
};

/** The address as the API writes it: lower case, zeros compressed (the client sends it with literal colons). */
const canonical = (ip: string) => new URL(`http://[${ip}]/`).hostname.slice(1, -1);

export class ReservedIpv6Backend implements Backend<ReservedIpv6State> {
  readonly #account: State;
  readonly #reserved: Records<ReservedIpv6>;

  constructor(account: State) {
    this.#account = account;
    this.#reserved = new Records(account, RESERVED);
  }

  /** The reserved address `ip`, however it is written; a 404 when the account has none. */
  get(ip: string): ReservedIpv6 {
    const reserved = this.#reserved.find(canonical(ip));
    if (!reserved) throw notFound(`Reserved IPv6 ${ip}`);
    return reserved;
  }

  values(): ReservedIpv6[] {
    return this.#reserved.values();
  }

  create(regionSlug: string): ReservedIpv6 {
    const region = this.#account.catalogue.region(regionSlug).slug;
    const reserved = {
      ip: this.#allocate(region),
      region_slug: region,
      reserved_at: iso(this.#account.now),
      droplet: null,
    };
    this.#reserved.save(reserved);
    return reserved;
  }

  delete(ip: string): void {
    this.#reserved.delete(this.get(ip).ip);
  }

  snapshot(): ReservedIpv6State {
    return { reservedIpv6: this.values() };
  }

  restore(saved: ReservedIpv6State): void {
    this.#reserved.reset(saved.reservedIpv6);
  }

  /** The next free address of the region's block, in 2001:db8::/32 (RFC 3849, for documentation). */
  #allocate(region: string): string {
    const regions = [...new Set(this.values().map((r) => r.region_slug))];
    const block = (regions.includes(region) ? regions.indexOf(region) : regions.length) + 1;
    for (let n = 1; ; n++) {
      const ip = `2001:db8:${block.toString(16)}:${n.toString(16)}::`;
      if (!this.#reserved.find(ip)) return ip;
    }
  }
}

export const reservedIpv6Handlers: Handlers<"reserved_ipv6"> = {
  reserved_ipv6_list: (req, state) => ({
    status: 200,
    body: page(state, req, "reserved_ipv6s", state.reservedIpv6.values()),
  }),
  reserved_ipv6_create: (req, state) => ({
    status: 201,
    body: { reserved_ipv6: state.reservedIpv6.create(req.body.region_slug) },
  }),
  reserved_ipv6_get: (req, state) => ({
    status: 200,
    body: { reserved_ipv6: state.reservedIpv6.get(req.path.reserved_ipv6) },
  }),
  reserved_ipv6_delete: (req, state) => {
    state.reservedIpv6.delete(req.path.reserved_ipv6);
    return { status: 204, body: undefined };
  },
};
