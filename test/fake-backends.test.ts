// The fake's state per resource group (src/testing/: one backend per group, as moto's per-service backends): a file
// saved before the split still loads, each group's part of a snapshot round-trips alone, and a group's time steps
// run only from its own backend.
import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { unwrap } from "../src/index.js";
import { loadCatalogue } from "../src/testing/catalogue.js";
import { type FakeDigitalOcean, type FakeState, startFakeDigitalOcean } from "../src/testing/index.js";
import { loadSpec } from "../src/testing/openapi.js";
import { saveState } from "../src/testing/snapshot.js";
import { advance, backends, newAccount, type State } from "../src/testing/state.js";

/** A state saved by digitalocean-typed 0.2.0 (every group, a destroy in progress, a service key, born resources). */
const SAVED: FakeState = JSON.parse(readFileSync(new URL("fixtures/state/0.2.0.json", import.meta.url), "utf8"));
/** The fixture's clock when it was saved. */
const SAVED_AT = Date.parse("2026-03-09T00:00:01Z");

let fake: FakeDigitalOcean | undefined;
afterEach(async () => {
  if (!fake) return;
  expect(fake.problems).toEqual([]);
  await fake.close();
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

const spec = loadSpec();
const catalogue = loadCatalogue(spec);
const START = Date.parse("2026-03-01T00:00:00Z");
/** A new account whose clock reads START. */
const account = () => newAccount(spec, catalogue, 1_000, START);

describe("one backend per resource group", () => {
  /** An account with records in every group, all of them still provisioning. */
  function populated(): State {
    const state = account();
    const vpc = state.vpcs.create({ name: "app", region: "nyc3" });
    const other = state.vpcs.create({ name: "db", region: "nyc3" });
    state.vpcs.createPeering(vpc.id, { name: "link", vpc_id: other.id });
    state.droplets.create({
      name: "web",
      region: "nyc3",
      size: "s-1vcpu-1gb",
      image: "ubuntu-24-04-x64",
      backups: true,
    });
    state.projects.create({ name: "api", purpose: "Service or API" });
    state.reservedIpv6.create("nyc3");
    state.partnerNetworkConnect.create({
      name: "pa",
      connection_bandwidth_in_mbps: 1000,
      region: "nyc",
      naas_provider: "MEGAPORT",
      vpc_ids: [vpc.id],
    });
    return state;
  }
  /** What each group shows of its records that moves with time. */
  const progress = (state: State) => ({
    droplets: state.droplets.values().map((r) => r.droplet.status),
    peerings: state.vpcs.peerings(state.vpcs.values()[0]!.id).map((p) => p.status),
    attachments: state.partnerNetworkConnect.values().map((r) => r.attachment.state),
  });

  it("moves a group's records only in its own backend's time step", () => {
    const state = populated();
    state.now = START + 8 * 86_400_000;
    state.droplets.advance();
    expect(progress(state)).toEqual({
      droplets: ["active"],
      peerings: ["PROVISIONING"],
      attachments: ["CREATED"],
    });
    expect(state.droplets.get(state.droplets.values()[0]!.droplet.id).images.map((i) => i.type)).toEqual(["backup"]);
    state.vpcs.advance();
    expect(progress(state)).toMatchObject({ peerings: ["ACTIVE"], attachments: ["CREATED"] });
    state.partnerNetworkConnect.advance();
    expect(progress(state)).toMatchObject({ attachments: ["active"] });
  });

  it("moves every group on when the account is advanced to the clock's time", () => {
    const state = advance(populated(), START + 1_000);
    expect(progress(state)).toEqual({
      droplets: ["active"],
      peerings: ["ACTIVE"],
      attachments: ["active"],
    });
  });

  it("saves each group's part apart: restored alone into a new account, it saves again as it was, and nothing else", () => {
    const state = advance(populated(), START + 8 * 86_400_000);
    for (const [n, backend] of backends(state).entries()) {
      const part = structuredClone(backend.snapshot());
      const fresh = account();
      const others = () => backends(fresh).flatMap((other, m) => (m === n ? [] : [structuredClone(other.snapshot())]));
      const before = others();
      backends(fresh)[n]!.restore(structuredClone(part));
      expect(backends(fresh)[n]!.snapshot()).toEqual(part);
      expect(others()).toEqual(before);
    }
  });

  it("gives each field of a saved account to one group", () => {
    const parts = backends(account()).map((backend) => Object.keys(backend.snapshot()));
    const fields = parts.flat();
    expect(new Set(fields).size).toBe(fields.length);
    expect([...fields, "born"].sort()).toEqual(
      Object.keys(saveState(new Map([["shared", account()]])).accounts.shared!).sort(),
    );
  });

  it("refuses a saved account missing a group's list, or with a counter that is not a whole number", async () => {
    const missing = structuredClone(SAVED);
    delete (missing.accounts.shared as Partial<typeof missing.accounts.shared>)!.peerings;
    await expect(startFakeDigitalOcean({ state: missing })).rejects.toThrow(
      "startFakeDigitalOcean: state: accounts.shared.peerings is not a list.",
    );
    const fractional = structuredClone(SAVED);
    fractional.accounts.shared!.nextImageId = 1.5;
    await expect(startFakeDigitalOcean({ state: fractional })).rejects.toThrow(
      "startFakeDigitalOcean: state: accounts.shared.nextImageId is not a whole number.",
    );
  });
});

describe("the group modules", () => {
  const dir = new URL("../src/testing/", import.meta.url);
  const source = (name: string) => readFileSync(new URL(`${name}.ts`, dir), "utf8");
  /** The modules of src/testing/ with a group's handlers (`export const …Handlers: Handlers<"group">`). */
  const groups = readdirSync(dir)
    .map((file) => file.replace(/\.ts$/, ""))
    .filter((name) => /^export const \w+Handlers: Handlers<"\w+">/m.test(source(name)));

  it("import no value from one another, nor the account: a group asks another's backend, through the account", () => {
    expect(groups).toHaveLength(backends(account()).length);
    for (const name of groups) {
      const imported = [...source(name).matchAll(/^import (?!type )[^;]*? from "\.\/([\w-]+)\.js";/gms)].map(
        (m) => m[1],
      );
      expect(
        imported.filter((other) => other === "state" || groups.includes(other!)),
        name,
      ).toEqual([]);
    }
  });
});
