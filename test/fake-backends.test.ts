// The fake's state per resource group (src/testing/: one backend per group, as moto's per-service backends): a file
// saved before the split still loads, each group's part of a snapshot round-trips alone, and a group's time steps
// run only from its own backend.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { unwrap } from "../src/index.js";
import { type FakeDigitalOcean, type FakeState, startFakeDigitalOcean } from "../src/testing/index.js";

/** A state saved by digitalocean-typed 0.2.0 (every group, a destroy in progress, a service key, born resources). */
const SAVED: FakeState = JSON.parse(readFileSync(new URL("fixtures/state/0.2.0.json", import.meta.url), "utf8"));
/** The fixture's clock when it was saved. */
const SAVED_AT = Date.parse("2026-03-09T00:00:01Z");

let fake: FakeDigitalOcean | undefined;
afterEach(async () => {
  expect(fake?.problems).toEqual([]);
  await fake?.close();
  fake = undefined;
});

describe("a state file saved by 0.2.0", () => {
  const load = async () => {
    fake = await startFakeDigitalOcean({
      state: structuredClone(SAVED),
      clock: () => SAVED_AT,
      consistency: { readAfterCreateMs: 500 },
    });
    return fake.client({ retry: false });
  };

  it("loads, and saves again as it was", async () => {
    await load();
    expect(fake!.snapshot()).toEqual(SAVED);
  });

  it("answers with every group's records", async () => {
    const client = await load();
    const { droplets } = await unwrap(client.GET("/v2/droplets"));
    expect(droplets.map((d) => [d.name, d.status])).toEqual([
      ["web", "active"],
      ["worker-1", "active"],
      ["worker-2", "active"],
    ]);
    const web = droplets[0]!;
    expect(
      (await unwrap(client.GET("/v2/droplets/{droplet_id}/backups", { params: { path: { droplet_id: web.id } } })))
        .backups,
    ).toHaveLength(1);
    const destroy = await unwrap(
      client.GET("/v2/droplets/{droplet_id}/destroy_with_associated_resources/status", {
        params: { path: { droplet_id: droplets[2]!.id } },
      }),
    );
    expect(destroy.completed_at).toBeUndefined();
    const { vpcs } = await unwrap(client.GET("/v2/vpcs"));
    expect(vpcs.map((v) => v.name)).toEqual(["app", "db", "default-sfo3"]);
    const { members } = await unwrap(
      client.GET("/v2/vpcs/{vpc_id}/members", { params: { path: { vpc_id: vpcs[0]!.id } } }),
    );
    expect(members.map((m) => m.name)).toEqual(["web"]);
    const { peerings } = await unwrap(
      client.GET("/v2/vpcs/{vpc_id}/peerings", { params: { path: { vpc_id: vpcs[0]!.id } } }),
    );
    expect(peerings.map((p) => p.status)).toEqual(["ACTIVE"]);
    const { projects } = await unwrap(client.GET("/v2/projects"));
    expect(projects.map((p) => p.name)).toEqual(["first-project", "api"]);
    const { reserved_ipv6s } = await unwrap(client.GET("/v2/reserved_ipv6"));
    // The sfo3 address and the child attachment were created as it was saved: still too new to be read.
    expect(reserved_ipv6s.map((r) => r.region_slug)).toEqual(["nyc3"]);
    const { partner_attachments } = await unwrap(client.GET("/v2/partner_network_connect/attachments"));
    expect(partner_attachments.map((a) => [a.name, a.state, a.children])).toEqual([
      ["pa", "active", [expect.any(String)]],
    ]);
    const path = { pa_id: partner_attachments[0]!.id };
    const { service_key } = await unwrap(
      client.GET("/v2/partner_network_connect/attachments/{pa_id}/service_key", { params: { path } }),
    );
    expect(service_key.state).toBe("CREATED");
  });

  it("goes on from its counters: the next Droplet's id, its volume's name", async () => {
    const client = await load();
    const { droplet } = await client.droplets.create({
      name: "next",
      region: "nyc3",
      size: "s-1vcpu-1gb",
      image: "ubuntu-24-04-x64",
      volumes: [{ name: "data" }],
    });
    expect(droplet.id).toBe(SAVED.accounts.shared!.nextDropletId);
    expect(droplet.volume_ids).toEqual([SAVED.accounts.shared!.volumes[0]![0]]);
  });
});
