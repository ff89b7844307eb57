// Droplets: create (one, or up to ten with `names`), new → active with addresses, lists and filters, delete,
// backups, snapshots, kernels, firewalls, neighbors, and destroy with associated resources (seeds: droplets.txt).
import type { Query, RequestBody } from "../contract.js";
import type { Image } from "./catalogue.js";
import { defaultProject } from "./projects.js";
import {
  check,
  FakeError,
  example,
  iso,
  ipv4,
  notFound,
  page,
  parseCidr,
  save,
  unprocessable,
  uuid,
  type DestroyStatus,
  type DropletImage,
  type DropletRecord,
  type Handlers,
  type State,
  type Vpc,
} from "./state.js";
import { getVpc, newVpc } from "./vpcs.js";

const KINDS = ["reserved_ips", "floating_ips", "snapshots", "volumes", "volume_snapshots"] as const;
/** Documentation ranges (RFC 5737, RFC 3849): never someone's real address. */
const PUBLIC_V4 = (203 << 24) + (113 << 8);

function getDroplet(state: State, id: number): DropletRecord {
  const record = state.droplets.get(id);
  if (!record) throw notFound(`Droplet ${id}`);
  return record;
}

/** The region a Droplet deploys in: the one named, its VPC's, or (as the docs allow) the account's default VPC's or the first the fake knows. */
function regionFor(state: State, body: { region?: string; vpc_uuid?: string }): string {
  if (body.region) return state.catalogue.region(body.region).slug;
  const vpc = body.vpc_uuid ? state.vpcs.get(body.vpc_uuid) : [...state.vpcs.values()].find((v) => v.default);
  return vpc?.region ?? state.catalogue.regions[0]!.slug;
}

/** The VPC a new Droplet joins: the one named, or its region's default (made, as the API does, if the region has none). */
function vpcFor(state: State, body: { vpc_uuid?: string }, region: string): Vpc {
  if (body.vpc_uuid) {
    const vpc = state.vpcs.get(body.vpc_uuid);
    if (!vpc) throw unprocessable(`vpc_uuid ${body.vpc_uuid} is not a VPC of this account.`);
    if (region !== vpc.region) throw unprocessable(`VPC ${vpc.name} is in ${vpc.region}, not in ${region}.`);
    return vpc;
  }
  return (
    [...state.vpcs.values()].find((v) => v.region === region && v.default) ??
    newVpc(state, { name: `default-${region}`, region })
  );
}

/** The volumes of a create as `[id, name]`, from an id, an `{ id }` or a `{ name }` (a new name gets a new id). */
function volumesOf(state: State, volumes: (string | { id?: string; name?: string })[] = []): [string, string?][] {
  return volumes.map((volume) => {
    if (typeof volume === "string") return [volume];
    if (volume.id) return [volume.id, volume.name];
    const known = [...state.volumes].find(([, name]) => name === volume.name)?.[0];
    return [known ?? uuid(), volume.name];
  });
}

function createDroplets(state: State, body: RequestBody<"droplets_create">) {
  const names = "names" in body ? body.names : [body.name];
  if (names.length > 10) throw unprocessable(`names: at most 10 Droplets per request, got ${names.length}.`);
  const region = state.catalogue.region(regionFor(state, body));
  const size = state.catalogue.size(body.size);
  const image = state.catalogue.image(body.image, ownedImages(state));
  const vpc = vpcFor(state, body, region.slug);
  const volumes = volumesOf(state, body.volumes);
  const { droplet: template } = example(state, "droplets_get");
  const records = names.map((name, n): DropletRecord => {
    const id = state.nextDropletId + n;
    const features = [
      ...(body.backups ? ["backups"] : []),
      "private_networking",
      ...(body.ipv6 ? ["ipv6"] : []),
      ...(body.monitoring ? ["monitoring"] : []),
    ];
    const droplet = {
      ...template,
      id,
      name,
      status: "new" as const,
      locked: false,
      kernel: null,
      created_at: iso(state.now),
      features,
      backup_ids: [],
      snapshot_ids: [],
      next_backup_window: body.backups
        ? { start: iso(state.now + 86_400_000), end: iso(state.now + 86_400_000 + 4 * 3_600_000) }
        : null,
      image,
      volume_ids: volumes.map(([id]) => id),
      size,
      size_slug: size.slug,
      memory: size.memory,
      vcpus: size.vcpus,
      disk: size.disk,
      disk_info: [{ type: "local" as const, size: { amount: size.disk, unit: "gib" } }],
      networks: { v4: [], v6: [] },
      region,
      tags: body.tags ?? [],
      vpc_uuid: vpc.id,
    };
    if (size.gpu_info) droplet.gpu_info = size.gpu_info;
    else delete droplet.gpu_info;
    const associated = Object.fromEntries(KINDS.map((kind) => [kind, []])) as unknown as DropletRecord["associated"];
    associated.volumes = volumes.map(([volume, name], i) => ({
      id: volume,
      name: name ?? state.volumes.get(volume) ?? `volume-${region.slug}-${String(i + 1).padStart(2, "0")}`,
      cost: "10.00",
    }));
    const backupPolicy = body.backups
      ? {
          plan: "weekly",
          weekday: "SUN" as const,
          hour: 0,
          window_length_hours: 4,
          retention_period_days: 28,
          ...body.backup_policy,
        }
      : undefined;
    return {
      droplet,
      readyAt: state.now + state.provisionMs,
      ipv6: Boolean(body.ipv6),
      publicNetworking: body.public_networking !== false,
      projectId: defaultProject(state).id,
      associated,
      backupPolicy,
      images: [],
    };
  });
  if (!state.vpcs.has(vpc.id)) check(state, "vpcs", vpc);
  save(state, "droplets", ...records);
  save(state, "vpcs", vpc);
  for (const [id, name] of volumes) if (name) state.volumes.set(id, name);
  state.nextDropletId += records.length;
  const created = records.map((r) => r.droplet);
  const links = {
    actions: created.map((d) => ({
      id: d.id + 36_000_000,
      rel: "create",
      href: `https://api.digitalocean.com/v2/actions/${d.id + 36_000_000}`,
    })),
  };
  return "names" in body ? { droplets: created, links } : { droplet: created[0]!, links };
}

/** The account's snapshots and backups as images a Droplet can be created from. */
function ownedImages(state: State): Image[] {
  return [...state.droplets.values()].flatMap(({ droplet, images }) =>
    images.map((image) => ({
      ...image,
      distribution: droplet.image.distribution,
      slug: null,
      public: false,
      description: "",
      tags: [],
      status: "available",
      error_message: "",
    })),
  );
}

/** How far apart a backup plan's windows are. */
const BACKUP_PERIOD: Record<string, number> = { daily: 86_400_000, weekly: 7 * 86_400_000 };

/** A Droplet with backups gets one at the end of each window that the clock has passed; old ones expire. */
function takeBackups(state: State, record: DropletRecord): void {
  const { droplet, backupPolicy } = record;
  const period = BACKUP_PERIOD[backupPolicy?.plan ?? ""];
  for (let window = droplet.next_backup_window; period && window?.end && Date.parse(window.end) <= state.now; ) {
    const id = state.nextImageId++;
    record.images.push({
      id,
      name: `${droplet.name} ${window.end.slice(0, 10)}`,
      created_at: window.end,
      regions: [droplet.region.slug],
      min_disk_size: droplet.disk,
      size_gigabytes: droplet.disk / 10,
      type: "backup",
    });
    window = { start: iso(Date.parse(window.start!) + period), end: iso(Date.parse(window.end) + period) };
    droplet.next_backup_window = window;
  }
  const kept = state.now - (backupPolicy?.retention_period_days ?? 0) * 86_400_000;
  record.images = record.images.filter((i) => i.type !== "backup" || Date.parse(i.created_at) > kept);
  droplet.backup_ids = record.images.filter((i) => i.type === "backup").map((i) => i.id);
  droplet.snapshot_ids = record.images.filter((i) => i.type === "snapshot").map((i) => i.id);
}

/** The first address of `ip_range` (after the network and gateway) that no Droplet in the VPC has. */
function privateAddress(state: State, vpcId: string): { ip_address: string; netmask: string } {
  const { base, prefix } = parseCidr(getVpc(state, vpcId).ip_range)!;
  const used = new Set(
    [...state.droplets.values()].flatMap((r) =>
      r.droplet.vpc_uuid === vpcId ? (r.droplet.networks.v4 ?? []).map((n) => n.ip_address) : [],
    ),
  );
  let host = base + 2;
  while (used.has(ipv4(host))) host++;
  return { ip_address: ipv4(host), netmask: ipv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0) };
}

/** Droplets become active with their addresses; finished destroy jobs remove theirs. */
export function advanceDroplets(state: State): void {
  for (const record of state.droplets.values()) {
    const { droplet } = record;
    if (record.backupPolicy) takeBackups(state, record);
    if (droplet.status !== "new" || record.readyAt > state.now) continue;
    const n = state.nextAddress++;
    droplet.networks = {
      v4: [
        { ...privateAddress(state, droplet.vpc_uuid!), gateway: "nil", type: "private" },
        ...(record.publicNetworking
          ? [
              {
                ip_address: ipv4(PUBLIC_V4 + (n % 254) + 1),
                netmask: "255.255.255.0",
                gateway: ipv4(PUBLIC_V4 + 1),
                type: "public" as const,
              },
            ]
          : []),
      ],
      v6:
        record.ipv6 && record.publicNetworking
          ? [
              {
                ip_address: `2001:db8:0:${n.toString(16)}::${(droplet.id % 0xffff).toString(16)}`,
                netmask: 64,
                gateway: `2001:db8:0:${n.toString(16)}::1`,
                type: "public",
              },
            ]
          : [],
    };
    droplet.status = "active";
  }
  for (const [id, job] of state.destroys) {
    if (job.status.completed_at || job.doneAt > state.now) continue;
    const at = iso(job.doneAt);
    job.status.completed_at = at;
    if (job.status.droplet) job.status.droplet.destroyed_at = at;
    for (const kind of KINDS) for (const resource of job.status.resources?.[kind] ?? []) resource.destroyed_at = at;
    state.droplets.delete(id);
  }
}

/** Starts destroying a Droplet and the associated resources `chosen` picks. */
function destroy(state: State, id: number, chosen: (kind: (typeof KINDS)[number], resourceId: string) => boolean) {
  const record = getDroplet(state, id);
  const running = state.destroys.get(id);
  if (running && !running.status.completed_at)
    throw new FakeError(409, "conflict", `A destroy of Droplet ${id} is already in progress.`);
  const resources = Object.fromEntries(
    KINDS.map((kind) => [
      kind,
      record.associated[kind].filter((r) => chosen(kind, r.id!)).map(({ id, name }) => ({ id, name })),
    ]),
  ) as DestroyStatus["resources"];
  state.destroys.set(id, {
    status: { droplet: { id: String(id), name: record.droplet.name }, resources, failures: 0 },
    doneAt: state.now + state.provisionMs,
  });
  return { status: 202 as const, body: undefined };
}

const listed = (state: State, query: Query<"droplets_list">) => {
  if (query.tag_name !== undefined && query.type !== undefined)
    throw unprocessable("type cannot be combined with tag_name.");
  return [...state.droplets.values()]
    .map((r) => r.droplet)
    .filter(
      (d) =>
        (query.tag_name === undefined || (d.tags ?? []).includes(query.tag_name)) &&
        (query.name === undefined || d.name === query.name),
    )
    .filter((d) => (query.type === "gpus" ? Boolean(d.gpu_info) : !d.gpu_info || query.tag_name !== undefined));
};

/** A Droplet's backup policy record, as the policy endpoints show it. */
const policyRecord = ({ droplet, backupPolicy }: DropletRecord) =>
  backupPolicy
    ? {
        droplet_id: droplet.id,
        backup_enabled: true,
        backup_policy: backupPolicy,
        ...(droplet.next_backup_window ? { next_backup_window: droplet.next_backup_window } : {}),
      }
    : { droplet_id: droplet.id, backup_enabled: false };

/** A Droplet's snapshots or backups. */
const imagesOf = (state: State, id: number, type: DropletImage["type"]) =>
  getDroplet(state, id).images.filter((i) => i.type === type);

/** A Droplet's backups, each saying what it is an image of, as the reference's example of the list shows. */
function backupsOf(state: State, id: number) {
  const { distribution } = getDroplet(state, id).droplet.image;
  return imagesOf(state, id, "backup").map((image) => ({ ...image, distribution, public: false, slug: null }));
}

export const dropletHandlers: Handlers<"droplets"> = {
  droplets_list: (req, state) => ({ status: 200, body: page(state, req, "droplets", listed(state, req.query)) }),
  droplets_create: (req, state) => ({ status: 202, body: createDroplets(state, req.body) }),
  droplets_delete_by_tag: (req, state) => {
    for (const [id, { droplet }] of state.droplets)
      if (droplet.tags?.includes(req.query.tag_name)) state.droplets.delete(id);
    return { status: 204, body: undefined };
  },
  droplets_get: (req, state) => ({ status: 200, body: { droplet: getDroplet(state, req.path.droplet_id).droplet } }),
  droplets_delete: (req, state) => {
    getDroplet(state, req.path.droplet_id);
    state.droplets.delete(req.path.droplet_id);
    return { status: 204, body: undefined };
  },
  droplets_list_backup_policies: (req, state) => {
    const window = page(state, req, "policies", [...state.droplets.values()].map(policyRecord));
    return {
      status: 200,
      body: {
        ...window,
        policies: Object.fromEntries(window.policies.map((p) => [String(p.droplet_id), p])),
      },
    };
  },
  droplets_list_supported_backup_policies: (_req, state) => ({
    status: 200,
    body: example(state, "droplets_list_supported_backup_policies"),
  }),
  droplets_list_backups: (req, state) => ({
    status: 200,
    body: page(state, req, "backups", backupsOf(state, req.path.droplet_id)),
  }),
  droplets_list_snapshots: (req, state) => ({
    status: 200,
    body: page(state, req, "snapshots", imagesOf(state, req.path.droplet_id, "snapshot")),
  }),
  // The spec has no operation that makes a firewall.
  droplets_list_firewalls: (req, state) => {
    getDroplet(state, req.path.droplet_id);
    return { status: 200, body: page(state, req, "firewalls", []) };
  },
  droplets_get_backup_policy: (req, state) => ({
    status: 200,
    body: { policy: policyRecord(getDroplet(state, req.path.droplet_id)) },
  }),
  droplets_list_kernels: (req, state) => {
    getDroplet(state, req.path.droplet_id);
    const { kernels = [] } = example(state, "droplets_list_kernels");
    return { status: 200, body: page(state, req, "kernels", kernels) };
  },
  // The fake runs no hypervisors, so no Droplet shares one with another.
  droplets_list_neighbors: (req, state) => {
    getDroplet(state, req.path.droplet_id);
    return { status: 200, body: { droplets: [] } };
  },
  droplets_list_neighbors_ids: () => ({ status: 200, body: { neighbor_ids: [] } }),
  droplets_list_associated_resources: (req, state) => ({
    status: 200,
    body: getDroplet(state, req.path.droplet_id).associated,
  }),
  droplets_destroy_with_all_associated_resources: (req, state) => {
    if (req.headers["x-dangerous"] !== true)
      throw unprocessable("Destroying a Droplet with all its associated resources needs the header X-Dangerous: true.");
    return destroy(state, req.path.droplet_id, () => true);
  },
  droplets_destroy_with_selected_associated_resources: (req, state) =>
    destroy(state, req.path.droplet_id, (kind, id) => (req.body?.[kind] ?? []).includes(id)),
  droplets_get_destroy_associated_resources_status: (req, state) => {
    const job = state.destroys.get(req.path.droplet_id);
    if (!job) throw notFound(`A destroy of Droplet ${req.path.droplet_id}`);
    return { status: 200, body: job.status };
  },
  droplets_retry_destroy_with_associated_resources: (req, state) => {
    const job = state.destroys.get(req.path.droplet_id);
    if (!job) throw notFound(`A destroy of Droplet ${req.path.droplet_id}`);
    if (!job.status.completed_at)
      throw new FakeError(409, "conflict", `A destroy of Droplet ${req.path.droplet_id} is already in progress.`);
    // The fake's destroys never fail, so a finished one leaves nothing to retry.
    return { status: 202, body: undefined };
  },
};
