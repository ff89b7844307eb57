import type { components } from "../generated/schema.js";
import type { DigitalOceanClient } from "./client.js";
import { checkNumber } from "./check.js";
import { unwrap } from "./errors.js";
import { pause } from "./signals.js";

/** Options of {@link waitFor} and the ready-made waiters. */
export interface WaitOptions<T> {
  /** Returns true when `value` is what we are waiting for. */
  until: (value: T) => boolean;
  /** Pause between polls in milliseconds (default 5,000). */
  intervalMs?: number;
  /** Give up after this many milliseconds (default 600,000). */
  timeoutMs?: number;
  /** Stops waiting when aborted. */
  signal?: AbortSignal;
}

/** Options of the ready-made waiters: {@link WaitOptions} without `until`. */
export type WaiterOptions = Omit<WaitOptions<never>, "until">;

/** A wait that ran past its `timeoutMs`; `lastValue` is what the last poll returned. */
export class WaitTimeoutError<T = unknown> extends Error {
  override name = "WaitTimeoutError";
  constructor(
    readonly timeoutMs: number,
    /** The last polled value. */
    readonly lastValue: T,
    what = "the condition",
  ) {
    super(`Timed out after ${timeoutMs} ms waiting for ${what}; raise timeoutMs to wait longer.`);
  }
}

/**
 * Calls `poll` until `until(value)` holds, pausing `intervalMs` between calls, and returns that value.
 * Errors from `poll` end the wait. Throws {@link WaitTimeoutError} after `timeoutMs`.
 */
export async function waitFor<T>(poll: () => Promise<T>, options: WaitOptions<T>, what?: string): Promise<T> {
  const { until, intervalMs = 5_000, timeoutMs = 600_000, signal } = options;
  if (typeof until !== "function") throw new TypeError("waitFor: until must be a function.");
  checkNumber("waitFor", "intervalMs", intervalMs, "a number ≥ 0");
  checkNumber("waitFor", "timeoutMs", timeoutMs, "a number ≥ 0");
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new TypeError("waitFor: signal must be an AbortSignal.");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const value = await poll();
    if (until(value)) return value;
    const left = deadline - Date.now();
    if (left <= 0) throw new WaitTimeoutError(timeoutMs, value, what);
    await pause(Math.min(intervalMs, left), signal ? [signal] : []); // an abort is thrown at the top of the loop
  }
}

type DestroyStatus = components["schemas"]["AssociatedResourceStatus"];

/** Waits until a Droplet's `status` is `active` (after create or power-on) and returns it. */
export async function waitForDropletActive(client: DigitalOceanClient, dropletId: number, options: WaiterOptions = {}) {
  checkNumber("waitForDropletActive", "dropletId", dropletId, "an integer ≥ 1");
  return waitFor(
    async () =>
      (await unwrap(client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: dropletId } } }))).droplet,
    { ...options, until: (d) => d.status === "active" },
    `Droplet ${dropletId} to become active`,
  );
}

/**
 * Waits until a destroy-with-associated-resources job has finished (`completed_at` is set) and returns its
 * status; check `failures` and each resource's `error_message` for what could not be destroyed.
 */
export async function waitForDropletDestroyed(
  client: DigitalOceanClient,
  dropletId: number,
  options: WaiterOptions = {},
): Promise<DestroyStatus> {
  checkNumber("waitForDropletDestroyed", "dropletId", dropletId, "an integer ≥ 1");
  return waitFor(
    () =>
      unwrap(
        client.GET("/v2/droplets/{droplet_id}/destroy_with_associated_resources/status", {
          params: { path: { droplet_id: dropletId } },
        }),
      ),
    { ...options, until: (s) => Boolean(s.completed_at) },
    `the destroy of Droplet ${dropletId} and its associated resources to complete`,
  );
}

/** Waits until a partner attachment's `state` is `active` and returns it. */
export function waitForPartnerAttachmentActive(client: DigitalOceanClient, paId: string, options: WaiterOptions = {}) {
  return waitFor(
    async () =>
      (
        await unwrap(
          client.GET("/v2/partner_network_connect/attachments/{pa_id}", { params: { path: { pa_id: paId } } }),
        )
      ).partner_attachment,
    { ...options, until: (a) => a.state === "active" },
    `partner attachment ${paId} to become active`,
  );
}
