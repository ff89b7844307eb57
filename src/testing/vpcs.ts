// VPCs and their peerings (seeds: vpcs.txt): the VPC backend owns both, and moves peerings from PROVISIONING to
// ACTIVE. A VPC's members are the Droplets in it, which it asks the Droplet backend for.
import {
  FakeError,
  iso,
  notFound,
  page,
  parseCidr,
  Records,
  unprocessable,
  uuid,
  type Backend,
  type Handlers,
  type Kind,
  type Schemas,
} from "./backend.js";
import type { State } from "./state.js";

export type Vpc = Schemas["Vpc"] & {
  id: string;
  region: string;
  ip_range: string;
  default: boolean;
  created_at: string;
};
type Peering = Schemas["VpcPeering"] & {
  id: string;
  vpc_ids: string[];
  status: "PROVISIONING" | "ACTIVE" | "DELETING";
};
/** What a saved account holds of this group. */
export interface VpcState {
  vpcs: Vpc[];
  peerings: Peering[];
}

const VPC: Kind<Vpc> = { name: "vpcs", key: (v) => v.id, answer: "vpcs_get", property: "vpc" };
const PEERING: Kind<Peering> = {
  name: "peerings",
  key: (p) => p.id,
  answer: "vpcs_patch_peering",
  property: "peering",
};
/** RFC 1918 private ranges, where every VPC's ip_range must lie. */
const PRIVATE = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
const span = ({ base, prefix }: { base: number; prefix: number }) => [base, base + 2 ** (32 - prefix) - 1] as const;
const spanOf = (cidr: string) => span(parseCidr(cidr)!);
const overlaps = (a: readonly [number, number], b: readonly [number, number]) => a[0] <= b[1] && b[0] <= a[1];

/** The fields of a VPC a create names. */
interface VpcFields {
  name: string;
  region: string;
  description?: string;
  ip_range?: string;
}

export class VpcBackend implements Backend<VpcState> {
  readonly #account: State;
  readonly #vpcs: Records<Vpc>;
  readonly #peerings: Records<Peering>;

  constructor(account: State) {
    this.#account = account;
    this.#vpcs = new Records(account, VPC);
    this.#peerings = new Records(account, PEERING);
  }

  /** The VPC of `id`; a 404 when the account has none. */
  get(id: string): Vpc {
    const vpc = this.#vpcs.find(id);
    if (!vpc) throw notFound(`VPC ${id}`);
    return vpc;
  }

  find(id: string): Vpc | undefined {
    return this.#vpcs.find(id);
  }

  values(): Vpc[] {
    return this.#vpcs.values();
  }

  /** A new VPC, not stored yet (see {@link VpcBackend.save}); a region's first VPC becomes its default. */
  draft(fields: VpcFields): Vpc {
    const region = this.#account.catalogue.region(fields.region).slug;
    if (fields.ip_range !== undefined) this.#checkRange(fields.ip_range);
    if (this.values().some((v) => v.name === fields.name))
      throw unprocessable(`A VPC named ${fields.name} already exists.`);
    const id = uuid();
    return {
      id,
      urn: `do:vpc:${id}`,
      name: fields.name,
      description: fields.description ?? "",
      region,
      ip_range: fields.ip_range ?? this.#freeRange(),
      default: !this.values().some((v) => v.region === region),
      created_at: iso(this.#account.now),
    };
  }

  /** Refuses, with a 422, a drafted VPC the spec forbids: for a write that stores it with other records. */
  check(vpc: Vpc): void {
    this.#vpcs.check(vpc);
  }

  save(vpc: Vpc): void {
    this.#vpcs.save(vpc);
  }

  create(fields: VpcFields): Vpc {
    const vpc = this.draft(fields);
    this.save(vpc);
    return vpc;
  }

  /** Applies a PUT or PATCH body; `default: true` moves the region's default here. */
  update(id: string, body: { name?: string; description?: string; default?: boolean }): Vpc {
    const vpc = this.get(id);
    if (body.name !== undefined && body.name !== vpc.name && this.values().some((v) => v.name === body.name))
      throw unprocessable(`A VPC named ${body.name} already exists.`);
    if (body.default === false && vpc.default)
      throw unprocessable(
        "The default field cannot be unset from true; make another VPC of the region its default instead.",
      );
    const updated = { ...vpc, name: body.name ?? vpc.name, description: body.description ?? vpc.description };
    updated.default = body.default ?? vpc.default;
    const undone = this.values().filter((v) => updated.default && v !== vpc && v.region === vpc.region);
    this.#vpcs.save(updated, ...undone.map((v) => ({ ...v, default: false })));
    return updated;
  }

  /** Deletes a VPC and its peerings; a 403 for a region's default, or a VPC with members. */
  delete(id: string): void {
    const vpc = this.get(id);
    if (vpc.default)
      throw new FakeError(
        403,
        "forbidden",
        `VPC ${vpc.name} is the default VPC of ${vpc.region} and cannot be deleted.`,
      );
    const count = this.members(vpc.id).length;
    if (count)
      throw new FakeError(403, "forbidden", `VPC ${vpc.name} still has ${count} member(s); delete or move them first.`);
    this.#vpcs.delete(vpc.id);
    for (const peering of this.peerings(vpc.id)) this.#peerings.delete(peering.id);
  }

  /** The Droplets in a VPC, as members. */
  members(id: string) {
    return this.#account.droplets
      .inVpc(id)
      .map((droplet) => ({ urn: `do:droplet:${droplet.id}`, name: droplet.name, created_at: droplet.created_at }));
  }

  /** The peerings of a VPC. */
  peerings(id: string): Peering[] {
    return this.#peerings.values().filter((p) => p.vpc_ids.includes(id));
  }

  createPeering(id: string, body: { name: string; vpc_id: string }): Peering {
    const vpc = this.get(id);
    const other = this.find(body.vpc_id);
    if (!other) throw unprocessable(`vpc_id ${body.vpc_id} is not a VPC of this account.`);
    if (other.id === vpc.id) throw unprocessable("A VPC cannot be peered with itself.");
    if (this.peerings(vpc.id).some((p) => p.vpc_ids.includes(other.id)))
      throw unprocessable(`VPCs ${vpc.name} and ${other.name} are already peered.`);
    const peering = {
      id: uuid(),
      name: body.name,
      vpc_ids: [vpc.id, other.id],
      status: "PROVISIONING" as const,
      created_at: iso(this.#account.now),
    };
    this.#peerings.save(peering);
    return peering;
  }

  patchPeering(id: string, peeringId: string, body: { name?: string }): Peering {
    const peering = { ...this.#peering(id, peeringId) };
    if (body.name !== undefined) peering.name = body.name;
    this.#peerings.save(peering);
    return peering;
  }

  /** Peerings become ACTIVE once provisioned. */
  advance(): void {
    const { now, provisionMs } = this.#account;
    for (const peering of this.#peerings.values())
      if (peering.status === "PROVISIONING" && Date.parse(peering.created_at!) + provisionMs <= now)
        peering.status = "ACTIVE";
  }

  snapshot(): VpcState {
    return { vpcs: this.#vpcs.values(), peerings: this.#peerings.values() };
  }

  restore(saved: VpcState): void {
    this.#vpcs.reset(saved.vpcs);
    this.#peerings.reset(saved.peerings);
  }

  #peering(id: string, peeringId: string): Peering {
    const peering = this.#peerings.find(peeringId);
    if (!peering?.vpc_ids.includes(id)) throw notFound(`VPC peering ${peeringId}`);
    return peering;
  }

  /** Checks an ip_range as the reference states it: RFC 1918, /16 to /28, no overlap with the account's other VPCs. */
  #checkRange(ipRange: string): void {
    const cidr = parseCidr(ipRange);
    if (!cidr || cidr.base % 2 ** (32 - cidr.prefix) !== 0)
      throw unprocessable(`ip_range ${ipRange} is not a network in CIDR notation (e.g. 10.10.10.0/24).`);
    if (cidr.prefix < 16 || cidr.prefix > 28)
      throw unprocessable(`ip_range ${ipRange} may not be smaller than /28 nor larger than /16.`);
    const range = span(cidr);
    if (!PRIVATE.map(spanOf).some((p) => p[0] <= range[0] && range[1] <= p[1]))
      throw unprocessable(`ip_range ${ipRange} is not a private (RFC 1918) range.`);
    const clash = this.values().find((v) => overlaps(spanOf(v.ip_range), range));
    if (clash) throw unprocessable(`ip_range ${ipRange} overlaps VPC ${clash.name} (${clash.ip_range}).`);
  }

  /** A /20 in 10.0.0.0/8 that no VPC of the account uses. */
  #freeRange(): string {
    for (let base = (10 << 24) | (16 << 16); ; base += 4096) {
      const range = span({ base, prefix: 20 });
      if (!this.values().some((v) => overlaps(spanOf(v.ip_range), range)))
        return `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join(".")}/20`;
    }
  }
}

export const vpcHandlers: Handlers<"vpcs"> = {
  vpcs_list: (req, state) => ({ status: 200, body: page(state, req, "vpcs", state.vpcs.values()) }),
  vpcs_create: (req, state) => ({ status: 201, body: { vpc: state.vpcs.create(req.body) } }),
  vpcs_get: (req, state) => ({ status: 200, body: { vpc: state.vpcs.get(req.path.vpc_id) } }),
  vpcs_update: (req, state) => ({ status: 200, body: { vpc: state.vpcs.update(req.path.vpc_id, req.body) } }),
  vpcs_patch: (req, state) => ({ status: 200, body: { vpc: state.vpcs.update(req.path.vpc_id, req.body) } }),
  vpcs_delete: (req, state) => {
    state.vpcs.delete(req.path.vpc_id);
    return { status: 204, body: undefined };
  },
  vpcs_list_members: (req, state) => {
    state.vpcs.get(req.path.vpc_id);
    const type = req.query.resource_type;
    return {
      status: 200,
      body: page(state, req, "members", type && type !== "droplet" ? [] : state.vpcs.members(req.path.vpc_id)),
    };
  },
  vpcs_list_peerings: (req, state) => {
    state.vpcs.get(req.path.vpc_id);
    return { status: 200, body: page(state, req, "peerings", state.vpcs.peerings(req.path.vpc_id)) };
  },
  vpcs_create_peering: (req, state) => ({
    status: 202,
    body: { peering: state.vpcs.createPeering(req.path.vpc_id, req.body) },
  }),
  vpcs_patch_peering: (req, state) => ({
    status: 200,
    body: { peering: state.vpcs.patchPeering(req.path.vpc_id, req.path.vpc_peering_id, req.body) },
  }),
};
