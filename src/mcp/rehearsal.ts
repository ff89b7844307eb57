// A rehearsal: the tools call an in-process fake of the API instead of the account, and what the writes and
// deletes would have done is kept for a summary.
import type { DigitalOceanClient } from "../client.js";
import type { FakeState } from "../testing/index.js";
import type { OperationTool } from "./tools.js";

/** One change a rehearsed call made: which operation, on what. */
export interface RehearsedChange {
  operation: string;
  /** What it acted on: the path's ids, and the name or id the answer gave. */
  target: string;
}

/** What the rehearsal would have done, by kind. */
export interface RehearsalSummary {
  created: RehearsedChange[];
  changed: RehearsedChange[];
  deleted: RehearsedChange[];
  note: string;
}

export interface Rehearsal {
  client: DigitalOceanClient;
  /** Notes a call's effect (reads are not kept). */
  record(tool: OperationTool, args: Record<string, unknown>, answer: Record<string, any> | undefined): void;
  summary(): RehearsalSummary;
  close(): Promise<void>;
}

/** Starts the fake the rehearsal runs on: a new account, or `state` (a fake's `snapshot()`). */
export async function startRehearsal(state?: FakeState): Promise<Rehearsal> {
  // Loaded only for a rehearsal: the fake is the largest part of the package.
  const { startFakeDigitalOcean } = await import("../testing/index.js");
  const fake = await startFakeDigitalOcean(state ? { state } : {});
  const summary: RehearsalSummary = {
    created: [],
    changed: [],
    deleted: [],
    note: "A rehearsal on an in-process fake: nothing real changed.",
  };
  return {
    client: fake.client({ retry: false }),
    record(tool, args, answer) {
      if (tool.access === "read") return;
      const kind = tool.access === "destructive" ? "deleted" : tool.method === "POST" ? "created" : "changed";
      summary[kind].push({ operation: tool.name, target: targetOf(tool, args, answer) });
    },
    summary: () => structuredClone(summary),
    close: () => fake.close(),
  };
}

/** The path's ids, then the name (or id) of the object the answer holds: `droplet_id=3164444 web-01`. */
function targetOf(tool: OperationTool, args: Record<string, unknown>, answer: Record<string, any> | undefined) {
  const ids = tool.pathParams.map((name) => `${name}=${args[name]}`);
  const named = Object.values(answer ?? {}).find((value) => value && typeof value === "object" && "name" in value);
  if (named) ids.push(`${named.name}${named.id === undefined ? "" : ` (${named.id})`}`);
  return ids.join(" ") || tool.path;
}
