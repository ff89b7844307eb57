// Droplets (seeds: droplets.txt): create (one, or up to ten with `names`), new → active with addresses, lists and
// filters, delete, backups, snapshots, kernels, firewalls, neighbors, and destroy with associated resources. The
// Droplet backend owns the Droplets, their images, the destroy jobs and the volume names creates named, and the
// counters of their ids; it asks the VPC backend for the VPC a Droplet joins, the project backend for its project.
import type { Query, RequestBody } from "../contract.js";
import {
  example,
  FakeError,
  iso,
  ipv4,
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
import type { Image, Region, Size } from "./catalogue.js";
import type { State } from "./state.js";
import type { Vpc } from "./vpcs.js";

type Droplet = Schemas["Droplet"];
/** A snapshot or backup of a Droplet: an image the account owns, which creates Droplets by its id. */
type DropletImage = Schemas["DropletSnapshot"];
type DestroyStatus = Schemas["AssociatedResourceStatus"];

/** Resources a Droplet brings along, which destroy-with-associated-resources can take with it. */
type AssociatedResources = Record<(typeof ASSOCIATED)[number], Schemas["AssociatedResource"][]>;

/** A Droplet as the fake keeps it: the API's object, and what it needs to move it along. */
export interface DropletRecord {
  droplet: Droplet;
  /** When it becomes active (ms since epoch). */
  readyAt: number;
  /** Whether IPv6 was asked for. */
  ipv6: boolean;
  /** Whether it gets public addresses (`public_networking`, default true). */
  publicNetworking: boolean;
  /** The project it belongs to. */
  projectId: string;
  associated: AssociatedResources;
  backupPolicy: Schemas["DropletBackupPolicy"] | undefined;
  /** Its snapshots and backups, oldest first. */
  images: DropletImage[];
}

/** A destroy-with-associated-resources job. */
export interface DestroyJob {
  status: DestroyStatus;
  /** When it completes (ms since epoch). */
  doneAt: number;
}

/** What a saved account holds of this group: its records by kind, and the counters its next ids come from. */
export interface DropletState {
  droplets: DropletRecord[];
  destroys: [number, DestroyJob][];
  /** Volume names the fake has been told, by id: it keeps no volumes, only what Droplet creates named. */
  volumes: [string, string][];
  nextDropletId: number;
  /** The next snapshot or backup id. */
  nextImageId: number;
  nextAddress: number;
}

const DROPLET: Kind<DropletRecord> = {
  name: "droplets",
  key: (r) => r.droplet.id,
  answer: "droplets_get",
  property: "droplet",
  shown: (r) => r.droplet,
};
/** Where a create puts its Droplets, and what it gives them, as the catalogue and the account resolve its body. */
interface Placement {
  region: Region;
  size: Size;
  image: Image;
  vpc: Vpc;
  /** `[id, name]`, the name when the create gave one. */
  volumes: [string, string?][];
}
const ASSOCIATED = ["reserved_ips", "floating_ips", "snapshots", "volumes", "volume_snapshots"] as const;
/** Documentation ranges (RFC 5737, RFC 3849): never someone's real address. */
const PUBLIC_V4 = (203 << 24) + (113 << 8);
/** How far apart a backup plan's windows are. */
const BACKUP_PERIOD: Record<string, number> = { daily: 86_400_000, weekly: 7 * 86_400_000 };

export class DropletBackend implements Backend<DropletState> {
  readonly #account: State;
  readonly #droplets: Records<DropletRecord>;
  #destroys = new Map<number, DestroyJob>();
  #volumes = new Map<string, string>();
  #nextDropletId = 3164444;
  #nextImageId = 67539192;
  #nextAddress = 2;

  constructor(account: State) {
    this.#account = account;
    this.#droplets = new Records(account, DROPLET);
  }

  /** The Droplet of `id` as the fake keeps it; a 404 when the account has none. */
  get(id: number): DropletRecord {
    const record = this.#droplets.find(id);
    if (!record) throw notFound(`Droplet ${id}`);
    return record;
  }

  values(): DropletRecord[] {
    return this.#droplets.values();
  }

  /** The Droplets a list answers, by its filters. */
  list(query: Query<"droplets_list">): Droplet[] {
    if (query.tag_name !== undefined && query.type !== undefined)
      throw unprocessable("type cannot be combined with tag_name.");
    return this.values()
      .map((r) => r.droplet)
      .filter(
        (d) =>
          (query.tag_name === undefined || (d.tags ?? []).includes(query.tag_name)) &&
          (query.name === undefined || d.name === query.name),
      )
      .filter((d) => (query.type === "gpus" ? Boolean(d.gpu_info) : !d.gpu_info || query.tag_name !== undefined));
  }

  inVpc(vpcId: string): Droplet[] {
    return this.values()
      .map((r) => r.droplet)
      .filter((d) => d.vpc_uuid === vpcId);
  }

  inProject(projectId: string): Droplet[] {
    return this.values()
      .filter((r) => r.projectId === projectId)
      .map((r) => r.droplet);
  }

  /** Creates one Droplet, or one per name of `names`, in the VPC it names or its region's default (made if none). */
  create(body: RequestBody<"droplets_create">) {
    const names = "names" in body ? body.names : [body.name];
    if (names.length > 10) throw unprocessable(`names: at most 10 Droplets per request, got ${names.length}.`);
    const { catalogue, vpcs } = this.#account;
    const region = catalogue.region(this.#regionFor(body));
    const placement: Placement = {
      region,
      size: catalogue.size(body.size),
      image: catalogue.image(body.image, this.#ownedImages()),
      vpc: this.#vpcFor(body, region.slug),
      volumes: this.#volumesOf(body.volumes),
    };
    const records = names.map((name, n) => this.#build(this.#nextDropletId + n, name, body, placement));
    vpcs.check(placement.vpc);
    this.#droplets.save(...records);
    vpcs.save(placement.vpc);
    for (const [id, name] of placement.volumes) if (name) this.#volumes.set(id, name);
    this.#nextDropletId += records.length;
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

  delete(id: number): void {
    this.get(id);
    this.#droplets.delete(id);
  }

  deleteByTag(tag: string): void {
    for (const { droplet } of this.values()) if (droplet.tags?.includes(tag)) this.#droplets.delete(droplet.id);
  }

  /** A Droplet's snapshots or backups. */
  images(id: number, type: DropletImage["type"]): DropletImage[] {
    return this.get(id).images.filter((i) => i.type === type);
  }

  /** Starts destroying a Droplet and the associated resources `chosen` picks. */
  destroy(id: number, chosen: (kind: (typeof ASSOCIATED)[number], resourceId: string) => boolean): void {
    const record = this.get(id);
    const running = this.#destroys.get(id);
    if (running && !running.status.completed_at)
      throw new FakeError(409, "conflict", `A destroy of Droplet ${id} is already in progress.`);
    const resources = Object.fromEntries(
      ASSOCIATED.map((kind) => [
        kind,
        record.associated[kind].filter((r) => chosen(kind, r.id!)).map(({ id, name }) => ({ id, name })),
      ]),
    ) as DestroyStatus["resources"];
    this.#destroys.set(id, {
      status: { droplet: { id: String(id), name: record.droplet.name }, resources, failures: 0 },
      doneAt: this.#account.now + this.#account.provisionMs,
    });
  }

  /** The destroy job of a Droplet; a 404 when none was started. */
  destroyJob(id: number): DestroyJob {
    const job = this.#destroys.get(id);
    if (!job) throw notFound(`A destroy of Droplet ${id}`);
    return job;
  }

  /** Droplets get their backups and become active with their addresses; finished destroy jobs remove theirs. */
  advance(): void {
    for (const record of this.values()) {
      if (record.backupPolicy) this.#takeBackups(record);
      if (record.droplet.status === "new" && record.readyAt <= this.#account.now) this.#activate(record);
    }
    for (const [id, job] of this.#destroys)
      if (!job.status.completed_at && job.doneAt <= this.#account.now) this.#finish(id, job);
  }

  snapshot(): DropletState {
    return {
      droplets: this.values(),
      destroys: [...this.#destroys],
      volumes: [...this.#volumes],
      nextDropletId: this.#nextDropletId,
      nextImageId: this.#nextImageId,
      nextAddress: this.#nextAddress,
    };
  }

  restore(saved: DropletState): void {
    this.#droplets.reset(saved.droplets);
    this.#destroys = new Map(saved.destroys);
    this.#volumes = new Map(saved.volumes);
    this.#nextDropletId = saved.nextDropletId;
    this.#nextImageId = saved.nextImageId;
    this.#nextAddress = saved.nextAddress;
  }

  /** The region a Droplet deploys in: the one named, its VPC's, or (as the docs allow) the account's default VPC's or the first the fake knows. */
  #regionFor(body: { region?: string; vpc_uuid?: string }): string {
    const { catalogue, vpcs } = this.#account;
    if (body.region) return catalogue.region(body.region).slug;
    const vpc = body.vpc_uuid ? vpcs.find(body.vpc_uuid) : vpcs.values().find((v) => v.default);
    return vpc?.region ?? catalogue.regions[0]!.slug;
  }

  /** The VPC a new Droplet joins: the one named, or its region's default (drafted, as the API makes it, if the region has none). */
  #vpcFor(body: { vpc_uuid?: string }, region: string): Vpc {
    const { vpcs } = this.#account;
    if (body.vpc_uuid) {
      const vpc = vpcs.find(body.vpc_uuid);
      if (!vpc) throw unprocessable(`vpc_uuid ${body.vpc_uuid} is not a VPC of this account.`);
      if (region !== vpc.region) throw unprocessable(`VPC ${vpc.name} is in ${vpc.region}, not in ${region}.`);
      return vpc;
    }
    return (
      vpcs.values().find((v) => v.region === region && v.default) ?? vpcs.draft({ name: `default-${region}`, region })
    );
  }

  /** The volumes of a create as `[id, name]`, from an id, an `{ id }` or a `{ name }` (a new name gets a new id). */
  #volumesOf(volumes: (string | { id?: string; name?: string })[] = []): [string, string?][] {
    return volumes.map((volume) => {
      if (typeof volume === "string") return [volume];
      if (volume.id) return [volume.id, volume.name];
      const known = [...this.#volumes].find(([, name]) => name === volume.name)?.[0];
      return [known ?? uuid(), volume.name];
    });
  }

  /** A new Droplet of a create, from the reference's example Droplet. */
  #build(id: number, name: string, body: RequestBody<"droplets_create">, placement: Placement): DropletRecord {
    const { now } = this.#account;
    const { region, size, image, vpc, volumes } = placement;
    const { droplet: template } = example(this.#account, "droplets_get");
    const droplet = {
      ...template,
      id,
      name,
      status: "new" as const,
      locked: false,
      kernel: null,
      created_at: iso(now),
      features: [
        ...(body.backups ? ["backups"] : []),
        "private_networking",
        ...(body.ipv6 ? ["ipv6"] : []),
        ...(body.monitoring ? ["monitoring"] : []),
      ],
      backup_ids: [],
      snapshot_ids: [],
      next_backup_window: body.backups
        ? { start: iso(now + 86_400_000), end: iso(now + 86_400_000 + 4 * 3_600_000) }
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
    const associated = Object.fromEntries(ASSOCIATED.map((kind) => [kind, []])) as unknown as AssociatedResources;
    associated.volumes = volumes.map(([volume, name], i) => ({
      id: volume,
      name: name ?? this.#volumes.get(volume) ?? `volume-${region.slug}-${String(i + 1).padStart(2, "0")}`,
      cost: "10.00",
    }));
    return {
      droplet,
      readyAt: now + this.#account.provisionMs,
      ipv6: Boolean(body.ipv6),
      publicNetworking: body.public_networking !== false,
      projectId: this.#account.projects.getDefault().id,
      associated,
      backupPolicy: body.backups
        ? {
            plan: "weekly",
            weekday: "SUN" as const,
            hour: 0,
            window_length_hours: 4,
            retention_period_days: 28,
            ...body.backup_policy,
          }
        : undefined,
      images: [],
    };
  }

  /** The account's snapshots and backups as images a Droplet can be created from. */
  #ownedImages(): Image[] {
    return this.values().flatMap(({ droplet, images }) =>
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

  /** A Droplet with backups gets one at the end of each window that the clock has passed; old ones expire. */
  #takeBackups(record: DropletRecord): void {
    const { now } = this.#account;
    const { droplet, backupPolicy } = record;
    const period = BACKUP_PERIOD[backupPolicy?.plan ?? ""];
    for (let window = droplet.next_backup_window; period && window?.end && Date.parse(window.end) <= now; ) {
      record.images.push({
        id: this.#nextImageId++,
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
    const kept = now - (backupPolicy?.retention_period_days ?? 0) * 86_400_000;
    record.images = record.images.filter((i) => i.type !== "backup" || Date.parse(i.created_at) > kept);
    droplet.backup_ids = record.images.filter((i) => i.type === "backup").map((i) => i.id);
    droplet.snapshot_ids = record.images.filter((i) => i.type === "snapshot").map((i) => i.id);
  }

  /** A new Droplet becomes active, with its private address and, unless it has no public networking, public ones. */
  #activate(record: DropletRecord): void {
    const { droplet } = record;
    const n = this.#nextAddress++;
    const publicV4 = {
      ip_address: ipv4(PUBLIC_V4 + (n % 254) + 1),
      netmask: "255.255.255.0",
      gateway: ipv4(PUBLIC_V4 + 1),
      type: "public" as const,
    };
    const publicV6 = {
      ip_address: `2001:db8:0:${n.toString(16)}::${(droplet.id % 0xffff).toString(16)}`,
      netmask: 64,
      gateway: `2001:db8:0:${n.toString(16)}::1`,
      type: "public" as const,
    };
    droplet.networks = {
      v4: [
        { ...this.#privateAddress(droplet.vpc_uuid!), gateway: "nil", type: "private" },
        ...(record.publicNetworking ? [publicV4] : []),
      ],
      v6: record.ipv6 && record.publicNetworking ? [publicV6] : [],
    };
    droplet.status = "active";
  }

  /** The first address of the VPC's `ip_range` (after the network and gateway) that no Droplet in it has. */
  #privateAddress(vpcId: string): { ip_address: string; netmask: string } {
    const { base, prefix } = parseCidr(this.#account.vpcs.get(vpcId).ip_range)!;
    const used = new Set(this.inVpc(vpcId).flatMap((d) => (d.networks.v4 ?? []).map((n) => n.ip_address)));
    let host = base + 2;
    while (used.has(ipv4(host))) host++;
    return { ip_address: ipv4(host), netmask: ipv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0) };
  }

  /** A destroy job completes: its Droplet and the resources it took are destroyed. */
  #finish(id: number, job: DestroyJob): void {
    const at = iso(job.doneAt);
    job.status.completed_at = at;
    if (job.status.droplet) job.status.droplet.destroyed_at = at;
    for (const kind of ASSOCIATED)
      for (const resource of job.status.resources?.[kind] ?? []) resource.destroyed_at = at;
    this.#droplets.delete(id);
  }
}

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

/** A Droplet's backups, each saying what it is an image of, as the reference's example of the list shows. */
function backupsOf(state: State, id: number) {
  const { distribution } = state.droplets.get(id).droplet.image;
  return state.droplets.images(id, "backup").map((image) => ({ ...image, distribution, public: false, slug: null }));
}

export const dropletHandlers: Handlers<"droplets"> = {
  droplets_list: (req, state) => ({ status: 200, body: page(state, req, "droplets", state.droplets.list(req.query)) }),
  droplets_create: (req, state) => ({ status: 202, body: state.droplets.create(req.body) }),
  droplets_delete_by_tag: (req, state) => {
    state.droplets.deleteByTag(req.query.tag_name);
    return { status: 204, body: undefined };
  },
  droplets_get: (req, state) => ({ status: 200, body: { droplet: state.droplets.get(req.path.droplet_id).droplet } }),
  droplets_delete: (req, state) => {
    state.droplets.delete(req.path.droplet_id);
    return { status: 204, body: undefined };
  },
  droplets_list_backup_policies: (req, state) => {
    const window = page(state, req, "policies", state.droplets.values().map(policyRecord));
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
    body: page(state, req, "snapshots", state.droplets.images(req.path.droplet_id, "snapshot")),
  }),
  // The spec has no operation that makes a firewall.
  droplets_list_firewalls: (req, state) => {
    state.droplets.get(req.path.droplet_id);
    return { status: 200, body: page(state, req, "firewalls", []) };
  },
  droplets_get_backup_policy: (req, state) => ({
    status: 200,
    body: { policy: policyRecord(state.droplets.get(req.path.droplet_id)) },
  }),
  droplets_list_kernels: (req, state) => {
    state.droplets.get(req.path.droplet_id);
    const { kernels = [] } = example(state, "droplets_list_kernels");
    return { status: 200, body: page(state, req, "kernels", kernels) };
  },
  // The fake runs no hypervisors, so no Droplet shares one with another.
  droplets_list_neighbors: (req, state) => {
    state.droplets.get(req.path.droplet_id);
    return { status: 200, body: { droplets: [] } };
  },
  droplets_list_neighbors_ids: () => ({ status: 200, body: { neighbor_ids: [] } }),
  droplets_list_associated_resources: (req, state) => ({
    status: 200,
    body: state.droplets.get(req.path.droplet_id).associated,
  }),
  droplets_destroy_with_all_associated_resources: (req, state) => {
    if (req.headers["x-dangerous"] !== true)
      throw unprocessable("Destroying a Droplet with all its associated resources needs the header X-Dangerous: true.");
    state.droplets.destroy(req.path.droplet_id, () => true);
    return { status: 202, body: undefined };
  },
  droplets_destroy_with_selected_associated_resources: (req, state) => {
    state.droplets.destroy(req.path.droplet_id, (kind, id) => (req.body?.[kind] ?? []).includes(id));
    return { status: 202, body: undefined };
  },
  droplets_get_destroy_associated_resources_status: (req, state) => ({
    status: 200,
    body: state.droplets.destroyJob(req.path.droplet_id).status,
  }),
  droplets_retry_destroy_with_associated_resources: (req, state) => {
    const job = state.droplets.destroyJob(req.path.droplet_id);
    if (!job.status.completed_at)
      throw new FakeError(409, "conflict", `A destroy of Droplet ${req.path.droplet_id} is already in progress.`);
    // The fake's destroys never fail, so a finished one leaves nothing to retry.
    return { status: 202, body: undefined };
  },
};
