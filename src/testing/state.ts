// The fake's account: the part every resource group shares (the clock, the spec, the catalogue, eventual
// consistency) and one backend per group, in the group's module, that owns its records, id counters and time steps,
// as moto's per-service backends do: a group asks another's backend, never reads its records. Time steps (new →
// active, PROVISIONING → ACTIVE, …) are computed from the clock when a request arrives, so nothing runs between
// requests and close() has no timers to stop.
import type { Backend, Key } from "./backend.js";
import type { Catalogue } from "./catalogue.js";
import { DropletBackend } from "./droplets.js";
import type { Spec } from "./openapi.js";
import { PartnerNetworkConnectBackend } from "./partner-network-connect.js";
import { ProjectBackend } from "./projects.js";
import { ReservedIpv6Backend } from "./reserved-ipv6.js";
import { VpcBackend } from "./vpcs.js";

/** What an account's backends share: the clock, what requests may name, and eventual consistency. */
export interface Shared {
  /** The clock's time when the request being served arrived (ms since epoch). */
  now: number;
  provisionMs: number;
  spec: Spec;
  catalogue: Catalogue;
  /** How long a new resource stays invisible to GETs and lists (`consistency.readAfterCreateMs`; 0: not at all). */
  readAfterCreateMs: number;
  /** When each resource still invisible was created, by its key. */
  born: Map<Key, number>;
}

/** An account's backends: one per resource group, each owning its records and its time steps. */
export interface Backends {
  projects: ProjectBackend;
  vpcs: VpcBackend;
  droplets: DropletBackend;
  reservedIpv6: ReservedIpv6Backend;
  partnerNetworkConnect: PartnerNetworkConnectBackend;
}

/** An account: the shared part, and the backend of each resource group. */
export type State = Shared & Backends;

/** A new account: no resources but its default project. */
export function newAccount(
  spec: Spec,
  catalogue: Catalogue,
  provisionMs: number,
  now: number,
  readAfterCreateMs = 0,
): State {
  const state = { now, provisionMs, spec, catalogue, readAfterCreateMs, born: new Map() } as Shared as State;
  return Object.assign(state, {
    projects: new ProjectBackend(state),
    vpcs: new VpcBackend(state),
    droplets: new DropletBackend(state),
    reservedIpv6: new ReservedIpv6Backend(state),
    partnerNetworkConnect: new PartnerNetworkConnectBackend(state),
  } satisfies Backends);
}

/** An account's backends, in the order their time steps run. */
export const backends = (state: State): Backend[] => [
  state.projects,
  state.vpcs,
  state.droplets,
  state.reservedIpv6,
  state.partnerNetworkConnect,
];

/** The account at the clock's time `now`, each group moved on by its own backend. */
export function advance(state: State, now: number): State {
  state.now = now;
  for (const backend of backends(state)) backend.advance?.();
  return state;
}
