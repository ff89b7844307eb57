// waitFor and the ready-made waiters, polling a real server whose resource changes state.
import { describe, expect, it } from "vitest";
import {
  ApiError,
  waitFor,
  waitForDropletActive,
  waitForDropletDestroyed,
  waitForPartnerAttachmentActive,
  WaitTimeoutError,
} from "../src/index.js";
import { useServers } from "./helpers/server.js";

const { serve: setup } = useServers({ retry: false });

// Polls come fast; the timeout only has to be far beyond what the few polls of a test take on a loaded machine.
const fast = { intervalMs: 10, timeoutMs: 60_000 };

describe("waitFor", () => {
  it("polls until the condition holds and returns that value", async () => {
    let n = 0;
    const value = await waitFor(async () => ++n, { until: (v) => v === 3, intervalMs: 5 });
    expect(value).toBe(3);
  });

  it("times out with the last value", async () => {
    const error = await waitFor(async () => "pending", { until: () => false, intervalMs: 10, timeoutMs: 50 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 50, lastValue: "pending" });
    expect((error as Error).message).toMatch(/Timed out after 50 ms waiting for the condition/);
  });

  it("stops when its signal aborts", async () => {
    const controller = new AbortController();
    let polls = 0;
    // A minute between polls: only an abort that ends the pause lets this finish within the test's timeout.
    // The abort comes once the first poll was judged, when the pause has begun.
    const cancelSoon = () => setImmediate(() => controller.abort(new Error("user cancelled")));
    const waiting = waitFor(async () => ++polls, {
      until: () => {
        cancelSoon();
        return false;
      },
      intervalMs: 60_000,
      signal: controller.signal,
    });
    await expect(waiting).rejects.toThrow("user cancelled");
    expect(polls).toBe(1);
  });

  it("ends on the first error from the poll", async () => {
    let n = 0;
    await expect(
      waitFor(async () => (++n === 2 ? Promise.reject(new Error("boom")) : n), { until: () => false, intervalMs: 1 }),
    ).rejects.toThrow("boom");
    expect(n).toBe(2);
  });
});

describe("number options", () => {
  // The TypeErrors createDigitalOceanClient gives: "where: name must be …", before anything is polled.
  const poll = async () => 1;
  it.each([
    [{ intervalMs: Number.NaN }, "waitFor: intervalMs must be a number ≥ 0."],
    [{ intervalMs: -1 }, "waitFor: intervalMs must be a number ≥ 0."],
    [{ intervalMs: "10" }, "waitFor: intervalMs must be a number ≥ 0."],
    [{ timeoutMs: Number.NaN }, "waitFor: timeoutMs must be a number ≥ 0."],
    [{ timeoutMs: Number.POSITIVE_INFINITY }, "waitFor: timeoutMs must be a number ≥ 0."],
    [{ signal: "stop" }, "waitFor: signal must be an AbortSignal."],
  ])("waitFor refuses %o", async (options, message) => {
    let polls = 0;
    const counted = async () => ++polls;
    await expect(waitFor(counted, { until: () => true, ...(options as object) })).rejects.toThrow(
      new TypeError(message),
    );
    expect(polls).toBe(0);
    await expect(waitFor(poll, { until: () => true, intervalMs: 0, timeoutMs: 0 })).resolves.toBe(1);
  });

  it("the waiters check the Droplet id and their options before any request", async () => {
    const { server, client } = await setup(() => ({ status: 200, body: { droplet: { id: 7, status: "active" } } }));
    await expect(waitForDropletActive(client, Number.NaN)).rejects.toThrow(
      new TypeError("waitForDropletActive: dropletId must be an integer ≥ 1."),
    );
    await expect(waitForDropletDestroyed(client, 1.5)).rejects.toThrow(
      new TypeError("waitForDropletDestroyed: dropletId must be an integer ≥ 1."),
    );
    await expect(waitForDropletActive(client, 7, { intervalMs: Number.NaN })).rejects.toThrow(
      new TypeError("waitFor: intervalMs must be a number ≥ 0."),
    );
    expect(server.seen).toHaveLength(0);
  });
});

describe("ready-made waiters", () => {
  it("waits for a Droplet to become active", async () => {
    const statuses = ["new", "new", "active"];
    const { server, client } = await setup((_r, i) => ({
      status: 200,
      body: { droplet: { id: 7, name: "web-1", status: statuses[i] } },
    }));
    const droplet = await waitForDropletActive(client, 7, fast);
    expect(droplet).toMatchObject({ id: 7, status: "active" });
    expect(server.seen.map((r) => r.url)).toEqual(Array(3).fill("/v2/droplets/7"));
  });

  it("names the Droplet when it does not become active in time", async () => {
    const { client } = await setup(() => ({ status: 200, body: { droplet: { id: 7, status: "new" } } }));
    await expect(waitForDropletActive(client, 7, { intervalMs: 10, timeoutMs: 60 })).rejects.toThrow(
      /waiting for Droplet 7 to become active/,
    );
  });

  it("surfaces an API error while polling", async () => {
    const { client } = await setup(() => ({
      status: 404,
      body: { id: "not_found", message: "The resource you requested could not be found." },
    }));
    await expect(waitForDropletActive(client, 7, fast)).rejects.toBeInstanceOf(ApiError);
  });

  it("waits for a destroy with associated resources to complete", async () => {
    const { server, client } = await setup((_r, i) => ({
      status: 200,
      body:
        i < 2
          ? { droplet: { id: "7", name: "web-1" }, failures: 0 }
          : { droplet: { id: "7", name: "web-1" }, completed_at: "2020-04-01T18:11:49Z", failures: 0 },
    }));
    const status = await waitForDropletDestroyed(client, 7, fast);
    expect(status).toMatchObject({ completed_at: "2020-04-01T18:11:49Z", failures: 0 });
    expect(server.seen[0]?.url).toBe("/v2/droplets/7/destroy_with_associated_resources/status");
    expect(server.seen).toHaveLength(3);
  });

  it("waits for a partner attachment to become active", async () => {
    const states = ["CREATED", "active"];
    const { server, client } = await setup((_r, i) => ({
      status: 200,
      body: { partner_attachment: { id: "pa-1", state: states[i] } },
    }));
    const attachment = await waitForPartnerAttachmentActive(client, "pa-1", fast);
    expect(attachment).toMatchObject({ id: "pa-1", state: "active" });
    expect(server.seen.map((r) => r.url)).toEqual(Array(2).fill("/v2/partner_network_connect/attachments/pa-1"));
  });
});
