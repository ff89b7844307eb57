// Saved state (`fake.snapshot()`, the `state` option, the bin's --state and --save): every account as plain JSON.
// A state is loaded through the check every write passes, so a file edited by hand into something the API could
// not return is a TypeError at start-up, never a fake that breaks later.
import { readFileSync } from "node:fs";
import { check, type DestroyJob, KINDS, type Kind, type State, type Stored } from "./state.js";

/** One account of a {@link FakeState}: its resources, and the counters its next ids come from. */
export type AccountState = { [K in Kind]: Stored[K][] } & {
  destroys: [number, DestroyJob][];
  volumes: [string, string][];
  born: [string | number, number][];
  nextDropletId: number;
  nextImageId: number;
  nextAddress: number;
};

/** The whole state of a fake: its accounts by key (`shared`, or a hash of each token; never a token). */
export interface FakeState {
  version: 1;
  accounts: Record<string, AccountState>;
}

const STORED = Object.keys(KINDS) as Kind[];
const PAIRS = ["destroys", "volumes", "born"] as const;
const COUNTERS = ["nextDropletId", "nextImageId", "nextAddress"] as const;

/** The state of `accounts` as JSON. */
export function saveState(accounts: Map<string, State>): FakeState {
  const saved = (state: State): AccountState =>
    structuredClone({
      ...(Object.fromEntries(STORED.map((kind) => [kind, [...state[kind].values()]])) as {
        [K in Kind]: Stored[K][];
      }),
      destroys: [...state.destroys],
      volumes: [...state.volumes],
      born: [...state.born],
      nextDropletId: state.nextDropletId,
      nextImageId: state.nextImageId,
      nextAddress: state.nextAddress,
    });
  return { version: 1, accounts: Object.fromEntries([...accounts].map(([key, state]) => [key, saved(state)])) };
}

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
    for (const name of [...STORED, ...PAIRS])
      if (!Array.isArray(entry[name])) wrong(`accounts.${key}.${name} is not a list.`);
    for (const name of COUNTERS)
      if (!Number.isSafeInteger(entry[name])) wrong(`accounts.${key}.${name} is not a whole number.`);
    for (const kind of STORED) restore(state, kind, entry[kind], (what) => wrong(`accounts.${key}.${kind}: ${what}`));
    for (const name of PAIRS) (state[name] as Map<unknown, unknown>) = new Map(entry[name] as [unknown, unknown][]);
    for (const name of COUNTERS) state[name] = entry[name];
    accounts.set(key, state);
  }
  return accounts;
}

/** Stores saved resources of one kind as they were, each checked as every write is. */
function restore<K extends Kind>(state: State, kind: K, resources: Stored[K][], wrong: (what: string) => never) {
  try {
    check(state, kind, ...resources);
  } catch (e) {
    wrong((e as Error).message);
  }
  const map = state[kind] as unknown as Map<string | number, Stored[K]>;
  map.clear(); // a new account's own default project gives way to the saved one
  for (const resource of resources) map.set(KINDS[kind].key(resource), resource);
}

/** The state saved in `file` (as `--state` names it); a clear error when it cannot be read as JSON. */
export function readStateFile(file: string): FakeState {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as FakeState;
  } catch (e) {
    throw new Error(`--state ${file}: ${(e as Error).message}`);
  }
}
