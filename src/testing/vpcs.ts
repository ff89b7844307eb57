// VPCs, their members and peerings (seeds: vpcs.txt).
import {
  FakeError,
  iso,
  notFound,
  page,
  parseCidr,
  save,
  unprocessable,
  uuid,
  type Handlers,
  type State,
  type Vpc,
} from "./state.js";

/** RFC 1918 private ranges, where every VPC's ip_range must lie. */
const PRIVATE = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c)!);
const span = ({ base, prefix }: { base: number; prefix: number }) => [base, base + 2 ** (32 - prefix) - 1] as const;
const overlaps = (a: readonly [number, number], b: readonly [number, number]) => a[0] <= b[1] && b[0] <= a[1];

export function getVpc(state: State, id: string): Vpc {
  const vpc = state.vpcs.get(id);
  if (!vpc) throw notFound(`VPC ${id}`);
  return vpc;
}

/** Checks an ip_range as the reference states it: RFC 1918, /16 to /28, no overlap with the account's other VPCs. */
function checkRange(state: State, ipRange: string): void {
  const cidr = parseCidr(ipRange);
  if (!cidr || cidr.base % 2 ** (32 - cidr.prefix) !== 0)
    throw unprocessable(`ip_range ${ipRange} is not a network in CIDR notation (e.g. 10.10.10.0/24).`);
  if (cidr.prefix < 16 || cidr.prefix > 28)
    throw unprocessable(`ip_range ${ipRange} may not be smaller than /28 nor larger than /16.`);
  const range = span(cidr);
  if (!PRIVATE.some((p) => overlaps(span(p), range) && span(p)[0] <= range[0] && range[1] <= span(p)[1]))
    throw unprocessable(`ip_range ${ipRange} is not a private (RFC 1918) range.`);
  const clash = [...state.vpcs.values()].find((v) => overlaps(span(parseCidr(v.ip_range)!), range));
  if (clash) throw unprocessable(`ip_range ${ipRange} overlaps VPC ${clash.name} (${clash.ip_range}).`);
}

/** A /20 in 10.0.0.0/8 that no VPC of the account uses. */
function freeRange(state: State): string {
  for (let base = (10 << 24) | (16 << 16); ; base += 4096) {
    const range = span({ base, prefix: 20 });
    if (![...state.vpcs.values()].some((v) => overlaps(span(parseCidr(v.ip_range)!), range)))
      return `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join(".")}/20`;
  }
}

/** A new VPC, not stored yet; a region's first VPC becomes its default. */
export function newVpc(
  state: State,
  body: { name: string; region: string; description?: string; ip_range?: string },
): Vpc {
  const region = state.catalogue.region(body.region).slug;
  if (body.ip_range !== undefined) checkRange(state, body.ip_range);
  if ([...state.vpcs.values()].some((v) => v.name === body.name))
    throw unprocessable(`A VPC named ${body.name} already exists.`);
  const id = uuid();
  const vpc: Vpc = {
    id,
    urn: `do:vpc:${id}`,
    name: body.name,
    description: body.description ?? "",
    region,
    ip_range: body.ip_range ?? freeRange(state),
    default: ![...state.vpcs.values()].some((v) => v.region === region),
    created_at: iso(state.now),
  };
  return vpc;
}

const createVpc = (state: State, body: Parameters<typeof newVpc>[1]) => {
  const vpc = newVpc(state, body);
  save(state, "vpcs", vpc);
  return vpc;
};

/** The Droplets in a VPC, as members. */
const members = (state: State, vpcId: string) =>
  [...state.droplets.values()]
    .filter((r) => r.droplet.vpc_uuid === vpcId)
    .map(({ droplet }) => ({ urn: `do:droplet:${droplet.id}`, name: droplet.name, created_at: droplet.created_at }));

function update(state: State, vpc: Vpc, body: { name?: string; description?: string; default?: boolean }): Vpc {
  if (body.name !== undefined && body.name !== vpc.name && [...state.vpcs.values()].some((v) => v.name === body.name))
    throw unprocessable(`A VPC named ${body.name} already exists.`);
  if (body.default === false && vpc.default)
    throw unprocessable(
      "The default field cannot be unset from true; make another VPC of the region its default instead.",
    );
  const updated = { ...vpc, name: body.name ?? vpc.name, description: body.description ?? vpc.description };
  updated.default = body.default ?? vpc.default;
  const undone = [...state.vpcs.values()].filter((v) => updated.default && v !== vpc && v.region === vpc.region);
  save(state, "vpcs", updated, ...undone.map((v) => ({ ...v, default: false })));
  return updated;
}

function getPeering(state: State, vpcId: string, peeringId: string) {
  const peering = state.peerings.get(peeringId);
  if (!peering?.vpc_ids.includes(vpcId)) throw notFound(`VPC peering ${peeringId}`);
  return peering;
}

/** Peerings become ACTIVE once provisioned. */
export function advanceVpcs(state: State): void {
  for (const peering of state.peerings.values())
    if (peering.status === "PROVISIONING" && Date.parse(peering.created_at!) + state.provisionMs <= state.now)
      peering.status = "ACTIVE";
}

export const vpcHandlers: Handlers<"vpcs"> = {
  vpcs_list: (req, state) => ({ status: 200, body: page(state, req, "vpcs", [...state.vpcs.values()]) }),
  vpcs_create: (req, state) => ({ status: 201, body: { vpc: createVpc(state, req.body) } }),
  vpcs_get: (req, state) => ({ status: 200, body: { vpc: getVpc(state, req.path.vpc_id) } }),
  vpcs_update: (req, state) => ({
    status: 200,
    body: { vpc: update(state, getVpc(state, req.path.vpc_id), req.body) },
  }),
  vpcs_patch: (req, state) => ({ status: 200, body: { vpc: update(state, getVpc(state, req.path.vpc_id), req.body) } }),
  vpcs_delete: (req, state) => {
    const vpc = getVpc(state, req.path.vpc_id);
    if (vpc.default)
      throw new FakeError(
        403,
        "forbidden",
        `VPC ${vpc.name} is the default VPC of ${vpc.region} and cannot be deleted.`,
      );
    const count = members(state, vpc.id).length;
    if (count)
      throw new FakeError(403, "forbidden", `VPC ${vpc.name} still has ${count} member(s); delete or move them first.`);
    state.vpcs.delete(vpc.id);
    for (const [id, peering] of state.peerings) if (peering.vpc_ids.includes(vpc.id)) state.peerings.delete(id);
    return { status: 204, body: undefined };
  },
  vpcs_list_members: (req, state) => {
    getVpc(state, req.path.vpc_id);
    const type = req.query.resource_type;
    return {
      status: 200,
      body: page(state, req, "members", type && type !== "droplet" ? [] : members(state, req.path.vpc_id)),
    };
  },
  vpcs_list_peerings: (req, state) => {
    getVpc(state, req.path.vpc_id);
    return {
      status: 200,
      body: page(
        state,
        req,
        "peerings",
        [...state.peerings.values()].filter((p) => p.vpc_ids.includes(req.path.vpc_id)),
      ),
    };
  },
  vpcs_create_peering: (req, state) => {
    const vpc = getVpc(state, req.path.vpc_id);
    const other = state.vpcs.get(req.body.vpc_id);
    if (!other) throw unprocessable(`vpc_id ${req.body.vpc_id} is not a VPC of this account.`);
    if (other.id === vpc.id) throw unprocessable("A VPC cannot be peered with itself.");
    if ([...state.peerings.values()].some((p) => p.vpc_ids.includes(vpc.id) && p.vpc_ids.includes(other.id)))
      throw unprocessable(`VPCs ${vpc.name} and ${other.name} are already peered.`);
    const peering = {
      id: uuid(),
      name: req.body.name,
      vpc_ids: [vpc.id, other.id],
      status: "PROVISIONING" as const,
      created_at: iso(state.now),
    };
    save(state, "peerings", peering);
    return { status: 202, body: { peering } };
  },
  vpcs_patch_peering: (req, state) => {
    const peering = { ...getPeering(state, req.path.vpc_id, req.path.vpc_peering_id) };
    if (req.body.name !== undefined) peering.name = req.body.name;
    save(state, "peerings", peering);
    return { status: 200, body: { peering } };
  },
};
