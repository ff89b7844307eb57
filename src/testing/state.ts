// The fake's account: plain objects in maps, and the helpers every resource group shares (errors, pagination,
// ids, addresses). Time-based transitions (new → active, PROVISIONING → ACTIVE, …) are computed from each
// resource's creation time when a request arrives, so nothing runs between requests and close() has no timers to stop.
import { randomBytes, randomUUID } from "node:crypto";
import type { components } from "../../generated/schema.js";
import type { Schema } from "../client.js";
import type { Catalogue } from "./catalogue.js";
import type { Spec } from "./openapi.js";
import type {
  Answer,
  HeaderParams,
  OperationId,
  OperationInfo,
  PathParams,
  Query,
  RequestBody,
  SuccessBody,
} from "../contract.js";

/** The API's objects as it returns them (read-only fields included). */
type Schemas = { [N in keyof components["schemas"]]: Schema<N> };
type Droplet = Schemas["Droplet"];
export type Vpc = Schemas["Vpc"] & {
  id: string;
  region: string;
  ip_range: string;
  default: boolean;
  created_at: string;
};
export type Project = Schemas["Project"] & { id: string; is_default: boolean };
type Peering = Schemas["VpcPeering"] & {
  id: string;
  vpc_ids: string[];
  status: "PROVISIONING" | "ACTIVE" | "DELETING";
};
type PartnerAttachment = Schemas["PartnerAttachment"] & { id: string; vpc_ids: string[]; state: string };
/** A partner attachment as the fake keeps it: the API's object, its keys, and when it changes state. */
export interface AttachmentRecord {
  attachment: PartnerAttachment;
  readyAt: number;
  goneAt?: number;
  serviceKey?: Schemas["PartnerAttachmentServiceKey"];
  bgpAuthKey: string;
}
export type ReservedIpv6 = Schemas["ReservedIpv6"] & { ip: string };
/** A snapshot or backup of a Droplet: an image the account owns, which creates Droplets by its id. */
export type DropletImage = Schemas["DropletSnapshot"];
export type DestroyStatus = Schemas["AssociatedResourceStatus"];
type Associated = Schemas["AssociatedResource"];

/** Resources a Droplet brings along, which destroy-with-associated-resources can take with it. */
type AssociatedResources = Record<
  "reserved_ips" | "floating_ips" | "snapshots" | "volumes" | "volume_snapshots",
  Associated[]
>;

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

/** An error answer: a status the operation documents and DigitalOcean's `{ id, message }`. */
export class FakeError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new FakeError(404, "not_found", `${what} could not be found.`);
export const unprocessable = (message: string) => new FakeError(422, "unprocessable_entity", message);

/** An object without the `null` its fields may be. */
type WithoutNulls<T> = { [K in keyof T]: Exclude<T[K], null> };

/** A request of operation `Id` as its handler sees it: parameters and body as the spec types them. */
export interface FakeRequest<Id extends OperationId = OperationId> {
  path: PathParams<Id>;
  query: Query<Id>;
  /** Header parameters, by lower-case name, as Node.js reads them. */
  headers: { [K in keyof HeaderParams<Id> as Lowercase<K & string>]: HeaderParams<Id>[K] };
  /** The body; a PATCH's without its `null` fields, which the fake takes as "unchanged", as the API does. */
  body: OperationInfo<Id>["httpMethod"] extends "PATCH" ? WithoutNulls<RequestBody<Id>> : RequestBody<Id>;
  /** The fake's base URL, for pagination links. */
  origin: string;
  /** The request's path, for pagination links. */
  pathname: string;
}

/** What a handler answers: a documented status and body (none for 202/204 without content). */
export interface Reply {
  status: number;
  body?: unknown;
  /** Headers over the fake's own `ratelimit-*` (an injected failure's). */
  headers?: Record<string, string>;
}

/**
 * The handler of operation `Id`: it gets the request as the spec types it, and must return one of the operation's
 * documented answers (or throw a {@link FakeError}), so a reply that breaks the spec fails `tsc`.
 */
export type Handler<Id extends OperationId = OperationId> = (request: FakeRequest<Id>, state: State) => Answer<Id>;

/** The handlers of a resource group: one for every operation whose id starts with `Group`. */
export type Handlers<Group extends string> = { [Id in Extract<OperationId, `${Group}_${string}`>]: Handler<Id> };

/** Handlers `npm run new-operation` scaffolded and nobody has written yet: FAKE_OPERATIONS leaves them out. */
export const unwritten = new WeakSet<object>();

/** The stub of a scaffolded operation's handler: a 500 that says so, until the handler is written. */
export function notImplemented<Id extends OperationId>(operationId: Id): Handler<Id> {
  const handler = (): never => {
    throw new FakeError(500, "server_error", `${operationId} is not implemented by the fake yet (src/testing/).`);
  };
  unwritten.add(handler);
  return handler;
}

/** The account: every resource, and the clock that moves them along. */
export interface State {
  now: number;
  provisionMs: number;
  spec: Spec;
  catalogue: Catalogue;
  vpcs: Map<string, Vpc>;
  peerings: Map<string, Peering>;
  droplets: Map<number, DropletRecord>;
  destroys: Map<number, DestroyJob>;
  projects: Map<string, Project>;
  reservedIpv6: Map<string, ReservedIpv6>;
  attachments: Map<string, AttachmentRecord>;
  /** Volume names the fake has been told, by id: it keeps no volumes, only what Droplet creates named. */
  volumes: Map<string, string>;
  /** How long a new resource stays invisible to GETs and lists (`consistency.readAfterCreateMs`; 0: not at all). */
  readAfterCreateMs: number;
  /** When each resource still invisible was created, by its key. */
  born: Map<string | number, number>;
  nextDropletId: number;
  /** The next snapshot or backup id. */
  nextImageId: number;
  nextAddress: number;
}

export const OWNER_UUID = randomBytes(20).toString("hex");
export const OWNER_ID = 258992;
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
export const uuid = () => randomUUID();

/** A new account: no resources but its default project. */
export function newAccount(
  spec: Spec,
  catalogue: Catalogue,
  provisionMs: number,
  now: number,
  readAfterCreateMs = 0,
): State {
  const project: Project = {
    id: uuid(),
    owner_uuid: OWNER_UUID,
    owner_id: OWNER_ID,
    name: "first-project",
    description: "Update your project information under Settings",
    purpose: "Just trying out DigitalOcean",
    environment: "Development",
    is_default: true,
    created_at: iso(now),
    updated_at: iso(now),
  };
  return {
    now,
    provisionMs,
    spec,
    catalogue,
    vpcs: new Map(),
    peerings: new Map(),
    droplets: new Map(),
    destroys: new Map(),
    projects: new Map([[project.id, project]]),
    reservedIpv6: new Map(),
    attachments: new Map(),
    volumes: new Map(),
    readAfterCreateMs,
    born: new Map(),
    nextDropletId: 3164444,
    nextImageId: 67539192,
    nextAddress: 2,
  };
}

/** What the fake stores, by the map it is stored in. */
export interface Stored {
  vpcs: Vpc;
  peerings: Peering;
  droplets: DropletRecord;
  projects: Project;
  reservedIpv6: ReservedIpv6;
  attachments: AttachmentRecord;
}
export type Kind = keyof Stored;

/** Each kind's key in its map, and the answer (operation and property) its objects are checked in before they are stored. */
export const KINDS: {
  [K in Kind]: {
    key: (r: Stored[K]) => string | number;
    answer: string;
    property: string;
    shown?: (r: Stored[K]) => unknown;
  };
} = {
  vpcs: { key: (v) => v.id, answer: "vpcs_get", property: "vpc" },
  peerings: { key: (p) => p.id, answer: "vpcs_patch_peering", property: "peering" },
  droplets: { key: (r) => r.droplet.id, answer: "droplets_get", property: "droplet", shown: (r) => r.droplet },
  projects: { key: (p) => p.id, answer: "projects_get", property: "project" },
  reservedIpv6: { key: (r) => r.ip, answer: "reserved_ipv6_get", property: "reserved_ipv6" },
  attachments: {
    key: (r) => r.attachment.id,
    answer: "partner_network_connect_get",
    property: "partner_attachment",
    shown: (r) => r.attachment,
  },
};
/** Headers valid on every answer, for checking a body alone. */
const ANY_HEADERS = { "ratelimit-limit": "5000", "ratelimit-remaining": "5000", "ratelimit-reset": "0" };

/** What is wrong with `body` as the success answer of `operationId`; [] when the spec allows it. */
export function answerProblems(spec: Spec, operationId: string, body: unknown): string[] {
  const operation = spec.operations.find((o) => o.operationId === operationId)!;
  const status = Number(Object.keys(operation.spec.responses).find((s) => s.startsWith("2")));
  return spec.response(operation, status, body, ANY_HEADERS);
}

/** Refuses, with a 422, resources the spec forbids, as their GET answer would show them. */
export function check<K extends Kind>(state: State, kind: K, ...resources: Stored[K][]): void {
  const { answer, property, shown = (r: Stored[K]) => r } = KINDS[kind];
  for (const resource of resources) {
    const problems = answerProblems(state.spec, answer, { [property]: shown(resource) });
    if (problems.length)
      throw unprocessable(`The request would leave a ${property} the API cannot return: ${problems.join("; ")}`);
  }
}

/**
 * The one way resources are written: built anew by the handler, checked against the spec, and stored only when all
 * are valid. A request that would store what the spec forbids gets a 422, and nothing changes.
 */
export function save<K extends Kind>(state: State, kind: K, ...resources: Stored[K][]): void {
  check(state, kind, ...resources);
  const map = state[kind] as unknown as Map<string | number, Stored[K]>;
  for (const resource of resources) {
    const key = KINDS[kind].key(resource);
    if (state.readAfterCreateMs && !map.has(key)) state.born.set(key, state.now);
    map.set(key, resource);
  }
}

/** Whether the resource of `key` is too new to be read yet (`consistency`); forgets those old enough. */
export function unseen(state: State, key: unknown): boolean {
  const born = state.born.get(key as string);
  if (born === undefined) return false;
  if (born + state.readAfterCreateMs > state.now) return true;
  state.born.delete(key as string);
  return false;
}

/**
 * The `per_page`/`page` window of `items` with the API's `links.pages` and `meta.total`, under `key`; without the
 * resources too new to be read.
 */
export function page<K extends string, T extends object>(
  state: State,
  request: Listing,
  key: K,
  all: T[],
): { [P in K]: T[] } & { links: PageLinks; meta: { total: number } } {
  const items = all.filter((item) => !unseen(state, "id" in item ? item.id : "ip" in item ? item.ip : undefined));
  const { per_page: perPage = 20, page: current = 1 } = request.query;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number) => {
    const url = new URL(request.pathname, request.origin);
    for (const [name, value] of Object.entries(request.query)) url.searchParams.set(name, String(value));
    url.searchParams.set("page", String(n));
    url.searchParams.set("per_page", String(perPage));
    return url.href;
  };
  const pages = {
    ...(current > 1 ? { first: link(1), prev: link(Math.min(current - 1, last)) } : {}),
    ...(current < last ? { next: link(current + 1), last: link(last) } : {}),
  };
  const window = { [key]: items.slice((current - 1) * perPage, current * perPage) } as { [P in K]: T[] };
  return { ...window, links: Object.keys(pages).length ? { pages } : {}, meta: { total: items.length } };
}

/** What {@link page} reads of a list request. */
interface Listing {
  query: { per_page?: number; page?: number };
  origin: string;
  pathname: string;
}
type PageLinks = Schemas["PageLinks"];

/**
 * The documented example of an operation's success answer, for catalogue data (sizes, images, kernels) the fake
 * does not invent. The spec's lint checks every example against its schema, so it has the answer's type.
 */
export function example<Id extends OperationId>(state: State, operationId: Id): NonNullable<SuccessBody<Id>> {
  const operation = state.spec.operations.find((o) => o.operationId === operationId)!;
  const status = Object.keys(operation.spec.responses).find((s) => s.startsWith("2"));
  return structuredClone(state.spec.resolve(operation.spec.responses[status!]).content["application/json"].example);
}

/** An IPv4 address as a dotted string. */
export const ipv4 = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join(".");

/** Parses `a.b.c.d/n`; undefined when malformed. */
export function parseCidr(cidr: string): { base: number; prefix: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((n, o) => n * 256 + o, 0);
  return { base, prefix };
}
