// Saved state (`fake.snapshot()`, the `state` option, the bin's --state and --save): every account as plain JSON,
// each resource group's backend saving and restoring its own part. A state is loaded through the check every write
// passes, so a file edited by hand into something the API could not return is a TypeError at start-up, never a fake
// that breaks later.
import { readFileSync } from "node:fs";
import type { Key } from "./backend.js";
import type { DropletState } from "./droplets.js";
import type { PartnerNetworkConnectState } from "./partner-network-connect.js";
import type { ProjectState } from "./projects.js";
import type { ReservedIpv6State } from "./reserved-ipv6.js";
import { backends, type State } from "./state.js";
import type { VpcState } from "./vpcs.js";

/** One account of a {@link FakeState}: each group's resources and the counters its next ids come from. */
export type AccountState = VpcState &
  DropletState &
  ProjectState &
  ReservedIpv6State &
  PartnerNetworkConnectState & {
    /** When each resource still too new to be read was created, by its key (`consistency`). */
    born: [Key, number][];
  };

/** The whole state of a fake: its accounts by key (`shared`, or a hash of each token; never a token). */
export interface FakeState {
  version: 1;
  accounts: Record<string, AccountState>;
}

/** The state of `accounts` as JSON. */
export function saveState(accounts: Map<string, State>): FakeState {
  return { version: 1, accounts: Object.fromEntries([...accounts].map(([key, state]) => [key, accountState(state)])) };
}

/** One account as JSON: each backend's part, and the resources still too new to be read. */
const accountState = (state: State): AccountState =>
  structuredClone(Object.assign({ born: [...state.born] }, ...backends(state).map((backend) => backend.snapshot())));

/** The accounts of a saved state, each made by `account` and filled; a TypeError says what is wrong with it. */
export function loadState(saved: FakeState, account: () => State): Map<string, State> {
  const wrong = (what: string): never => {
    throw new TypeError(`startFakeDigitalOcean: state: ${what}`);
  };
  if (saved?.version !== 1 || typeof saved.accounts !== "object" || !saved.accounts)
    wrong("not a state from fake.snapshot() (it has version: 1 and accounts).");
  const accounts = new Map<string, State>();
  for (const [key, entry] of Object.entries(structuredClone(saved.accounts))) {
    const state = account();
    checkShape(state, entry, (what) => wrong(`accounts.${key}.${what}`));
    try {
      for (const backend of backends(state)) backend.restore(entry);
    } catch (e) {
      if (e instanceof TypeError) wrong(`accounts.${key}.${e.message}`);
      throw e;
    }
    state.born = new Map(entry.born);
    accounts.set(key, state);
  }
  return accounts;
}

/** Refuses an account whose fields are not what a new account's own snapshot has: lists, and whole numbers. */
function checkShape(state: State, entry: AccountState, wrong: (what: string) => never): void {
  for (const [name, value] of Object.entries(accountState(state))) {
    const field = entry[name as keyof AccountState];
    if (Array.isArray(value) && !Array.isArray(field)) wrong(`${name} is not a list.`);
    if (typeof value === "number" && !Number.isSafeInteger(field)) wrong(`${name} is not a whole number.`);
  }
}

/** The state saved in `file` (as `--state` names it); a clear error when it cannot be read as JSON. */
export function readStateFile(file: string): FakeState {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as FakeState;
  } catch (e) {
    throw new Error(`--state ${file}: ${(e as Error).message}`);
  }
}
