// The fake DigitalOcean (src/testing/): every operation of the spec, driven through the typed client, each answer
// checked against generated/openapi.yaml by the same ajv checks as the contract tests and by the conformance
// middleware (throw: true); a coverage guard; bad input.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { conformance, type Problem } from "../src/conformance/index.js";
import { createDigitalOceanClient, type DigitalOceanClient } from "../src/index.js";
import { FAKE_OPERATIONS, startFakeDigitalOcean, type FakeDigitalOcean } from "../src/testing/index.js";
import { loadSpec } from "../src/testing/openapi.js";
import { responseProblems, type CallResult } from "./helpers/contract.js";
import { operations } from "./helpers/spec.js";

let fake: FakeDigitalOcean;
/** The fake's clock: it moves only when a test says so, so what is still provisioning and what is done never depends on the machine's speed. */
let now = Date.parse("2026-01-01T00:00:00Z");
const PROVISION_MS = 1_000;
/** Lets the provisioning time pass. */
const provisioned = () => (now += PROVISION_MS);
let client: DigitalOceanClient;
/** For the request below that breaks the spec on purpose: only its answer is checked by the middleware. */
let invalidClient: DigitalOceanClient;
/** operationId → statuses it answered with, each answer valid against the spec. */
const checked = new Map<string, number[]>();
/** Every typed call and its answer also goes through the conformance middleware: a mismatch fails the call. */
const undocumented: Problem[] = [];
const conforms = conformance({ throw: true, onProblem: (p) => undocumented.push(p) });

beforeAll(async () => {
  fake = await startFakeDigitalOcean({ provisionMs: PROVISION_MS, clock: () => now });
  client = createDigitalOceanClient({ baseUrl: fake.url, token: fake.token, retry: false });
  client.use(conforms);
  invalidClient = createDigitalOceanClient({ baseUrl: fake.url, token: fake.token, retry: false });
  invalidClient.use({ onResponse: conforms.onResponse! });
});
afterAll(() => fake?.close());

/** Awaits a call, checks its answer against the spec's operation and the expected status; returns the data. */
async function expectAnswer<T extends CallResult>(
  operationId: string,
  status: number,
  call: Promise<T>,
): Promise<NonNullable<T["data"]>> {
  const result = await call;
  const operation = operations.find((o) => o.operationId === operationId)!;
  expect(fake.requests.at(-1)?.operationId).toBe(operationId);
  expect(result.response.status, JSON.stringify(result.error)).toBe(status);
  expect(responseProblems(operation, result)).toEqual([]);
  checked.set(operationId, [...(checked.get(operationId) ?? []), status]);
  return result.data as NonNullable<T["data"]>;
}

/** Checks that `get` does not show `until` yet, lets the provisioning time pass, and checks that it does now; returns that value. */
async function transition<T>(get: () => Promise<T>, until: (value: T) => boolean): Promise<T> {
  expect(until(await get())).toBe(false);
  provisioned();
  const value = await get();
  expect(until(value)).toBe(true);
  return value;
}

describe("all operations, with state", () => {
  it("VPCs: create, list, get, update, patch, members, peerings, delete", async () => {
    const { vpc: first } = await expectAnswer(
      "vpcs_create",
      201,
      client.POST("/v2/vpcs", { body: { name: "alpha", region: "nyc1", ip_range: "10.100.0.0/24" } }),
    );
    expect(first).toMatchObject({ name: "alpha", region: "nyc1", ip_range: "10.100.0.0/24", default: true });
    const { vpc: second } = await expectAnswer(
      "vpcs_create",
      201,
      client.POST("/v2/vpcs", { body: { name: "beta", region: "nyc1", description: "second" } }),
    );
    expect(second?.default).toBe(false);
    expect(second?.ip_range).toMatch(/^10\.\d+\.\d+\.0\/20$/);
    const list = await expectAnswer("vpcs_list", 200, client.GET("/v2/vpcs", { params: { query: { per_page: 1 } } }));
    expect(list.meta.total).toBe(2);
    expect(list.vpcs?.map((v) => v.name)).toEqual(["alpha"]);
    expect(list.links?.pages?.next).toBe(`${fake.url}/v2/vpcs?per_page=1&page=2`);
    const ids = { first: first!.id!, second: second!.id! };
    expect(
      (
        await expectAnswer(
          "vpcs_get",
          200,
          client.GET("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: ids.second } } }),
        )
      ).vpc?.description,
    ).toBe("second");
    await expectAnswer(
      "vpcs_update",
      200,
      client.PUT("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: ids.second } }, body: { name: "beta-2" } }),
    );
    // Making beta the default takes it from alpha: one default per region.
    const { vpc: patched } = await expectAnswer(
      "vpcs_patch",
      200,
      client.PATCH("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: ids.second } }, body: { default: true } }),
    );
    expect(patched).toMatchObject({ name: "beta-2", default: true });
    expect(
      (await client.GET("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: ids.first } } })).data?.vpc?.default,
    ).toBe(false);
    expect(
      (
        await expectAnswer(
          "vpcs_list_members",
          200,
          client.GET("/v2/vpcs/{vpc_id}/members", { params: { path: { vpc_id: ids.first } } }),
        )
      ).members,
    ).toEqual([]);

    const { peering } = await expectAnswer(
      "vpcs_create_peering",
      202,
      client.POST("/v2/vpcs/{vpc_id}/peerings", {
        params: { path: { vpc_id: ids.first } },
        body: { name: "alpha-beta", vpc_id: ids.second },
      }),
    );
    expect(peering).toMatchObject({ status: "PROVISIONING", vpc_ids: [ids.first, ids.second] });
    const active = await transition(
      () =>
        expectAnswer(
          "vpcs_list_peerings",
          200,
          client.GET("/v2/vpcs/{vpc_id}/peerings", { params: { path: { vpc_id: ids.second } } }),
        ),
      (page) => page.peerings?.[0]?.status === "ACTIVE",
    );
    expect(active.peerings?.map((p) => p.id)).toEqual([peering?.id]);
    const renamed = await expectAnswer(
      "vpcs_patch_peering",
      200,
      client.PATCH("/v2/vpcs/{vpc_id}/peerings/{vpc_peering_id}", {
        params: { path: { vpc_id: ids.first, vpc_peering_id: peering!.id! } },
        body: { name: "renamed" },
      }),
    );
    expect(renamed.peering?.name).toBe("renamed");

    await expectAnswer(
      "vpcs_delete",
      204,
      client.DELETE("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: ids.first } } }),
    );
    await expectAnswer("vpcs_get", 404, client.GET("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: ids.first } } }));
    const refused = await expectAnswer(
      "vpcs_delete",
      403,
      client.DELETE("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: ids.second } } }),
    );
    expect(refused).toBeUndefined();
  });
});

describe("all operations, with state (continued)", () => {
  it("Droplets: create one and several, new → active with addresses, filters, pagination, the per-Droplet lists", async () => {
    const { vpc } = await expectAnswer(
      "vpcs_create",
      201,
      client.POST("/v2/vpcs", { body: { name: "droplets", region: "sfo3", ip_range: "10.200.0.0/24" } }),
    );
    const single = await expectAnswer(
      "droplets_create",
      202,
      client.POST("/v2/droplets", {
        body: {
          name: "db-1",
          region: "sfo3",
          size: "s-1vcpu-1gb",
          image: "ubuntu-24-04-x64",
          vpc_uuid: vpc!.id!,
          backups: true,
        },
      }),
    );
    const db = "droplet" in single ? single.droplet : undefined;
    expect(db).toMatchObject({ name: "db-1", status: "new", vpc_uuid: vpc?.id, networks: { v4: [], v6: [] } });
    const multiple = await expectAnswer(
      "droplets_create",
      202,
      client.POST("/v2/droplets", {
        body: {
          names: ["web-1", "web-2", "web-3"],
          region: "sfo3",
          size: "s-1vcpu-1gb",
          image: 63663980,
          ipv6: true,
          tags: ["web"],
        },
      }),
    );
    const webs = "droplets" in multiple ? multiple.droplets : [];
    expect(webs.map((d) => d.name)).toEqual(["web-1", "web-2", "web-3"]);
    // Without vpc_uuid, Droplets join the region's default VPC, which is the one created above (the region's first).
    expect(webs.map((d) => d.vpc_uuid)).toEqual([vpc?.id, vpc?.id, vpc?.id]);

    const ready = await transition(
      () =>
        expectAnswer(
          "droplets_get",
          200,
          client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: webs[0]!.id } } }),
        ),
      ({ droplet }) => droplet?.status === "active",
    );
    const [privateV4, publicV4] = ready.droplet!.networks.v4!;
    expect(privateV4).toMatchObject({ type: "private", netmask: "255.255.255.0" });
    expect(privateV4!.ip_address).toMatch(/^10\.200\.0\.\d+$/);
    expect(publicV4?.type).toBe("public");
    expect(ready.droplet!.networks.v6).toEqual([expect.objectContaining({ type: "public", netmask: 64 })]);

    const tagged = await expectAnswer(
      "droplets_list",
      200,
      client.GET("/v2/droplets", { params: { query: { tag_name: "web", per_page: 2, page: 2 } } }),
    );
    expect(tagged.droplets?.map((d) => d.name)).toEqual(["web-3"]);
    expect(tagged.meta.total).toBe(3);
    expect(tagged.links?.pages).toEqual({
      first: `${fake.url}/v2/droplets?tag_name=web&per_page=2&page=1`,
      prev: `${fake.url}/v2/droplets?tag_name=web&per_page=2&page=1`,
    });
    const named = await expectAnswer(
      "droplets_list",
      200,
      client.GET("/v2/droplets", { params: { query: { name: "db-1" } } }),
    );
    expect(named.droplets?.map((d) => d.id)).toEqual([db?.id]);
    expect(
      (await expectAnswer("droplets_list", 200, client.GET("/v2/droplets", { params: { query: { type: "gpus" } } })))
        .meta.total,
    ).toBe(0);
    const members = await expectAnswer(
      "vpcs_list_members",
      200,
      client.GET("/v2/vpcs/{vpc_id}/members", { params: { path: { vpc_id: vpc!.id! } } }),
    );
    expect(members.members?.map((m) => m.name).sort()).toEqual(["db-1", "web-1", "web-2", "web-3"]);

    const droplet_id = db!.id;
    const path = { droplet_id };
    expect(
      (
        await expectAnswer(
          "droplets_get_backup_policy",
          200,
          client.GET("/v2/droplets/{droplet_id}/backups/policy", { params: { path } }),
        )
      ).policy,
    ).toMatchObject({ droplet_id, backup_enabled: true });
    const policies = await expectAnswer(
      "droplets_list_backup_policies",
      200,
      client.GET("/v2/droplets/backups/policies"),
    );
    expect(policies.policies?.[String(droplet_id)]).toMatchObject({ backup_enabled: true });
    expect(policies.policies?.[String(webs[0]!.id)]).toMatchObject({ backup_enabled: false });
    expect(
      (
        await expectAnswer(
          "droplets_list_supported_backup_policies",
          200,
          client.GET("/v2/droplets/backups/supported_policies"),
        )
      ).supported_policies?.length,
    ).toBeGreaterThan(0);
    expect(
      (
        await expectAnswer(
          "droplets_list_backups",
          200,
          client.GET("/v2/droplets/{droplet_id}/backups", { params: { path } }),
        )
      ).backups,
    ).toEqual([]);
    expect(
      (
        await expectAnswer(
          "droplets_list_snapshots",
          200,
          client.GET("/v2/droplets/{droplet_id}/snapshots", { params: { path } }),
        )
      ).snapshots,
    ).toEqual([]);
    expect(
      (
        await expectAnswer(
          "droplets_list_firewalls",
          200,
          client.GET("/v2/droplets/{droplet_id}/firewalls", { params: { path } }),
        )
      ).firewalls,
    ).toEqual([]);
    expect(
      (
        await expectAnswer(
          "droplets_list_kernels",
          200,
          client.GET("/v2/droplets/{droplet_id}/kernels", { params: { path } }),
        )
      ).kernels?.length,
    ).toBeGreaterThan(0);
    expect(
      (
        await expectAnswer(
          "droplets_list_neighbors",
          200,
          client.GET("/v2/droplets/{droplet_id}/neighbors", { params: { path } }),
        )
      ).droplets,
    ).toEqual([]);
    expect(
      (await expectAnswer("droplets_list_neighbors_ids", 200, client.GET("/v2/reports/droplet_neighbors_ids")))
        .neighbor_ids,
    ).toEqual([]);

    await expectAnswer(
      "droplets_delete",
      204,
      client.DELETE("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: webs[2]!.id } } }),
    );
    await expectAnswer(
      "droplets_get",
      404,
      client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: webs[2]!.id } } }),
    );
    await expectAnswer(
      "droplets_delete_by_tag",
      204,
      client.DELETE("/v2/droplets", { params: { query: { tag_name: "web" } } }),
    );
    expect((await client.GET("/v2/droplets")).data?.droplets?.map((d) => d.name)).toEqual(["db-1"]);
  });

  it("Droplets: destroy with associated resources (list, selective, dangerous, status, retry)", async () => {
    const volumes = ["0ba4e4a4-4e6f-11ec-8c63-0a58ac14d123", "1cb5f5b5-4e6f-11ec-8c63-0a58ac14d124"];
    const created = await client.POST("/v2/droplets", {
      body: {
        names: ["keep-volumes", "take-all"],
        region: "ams3",
        size: "s-1vcpu-1gb",
        image: "ubuntu-24-04-x64",
        volumes,
      },
    });
    const [keep, take] = created.data && "droplets" in created.data ? created.data.droplets : [];
    const associated = await expectAnswer(
      "droplets_list_associated_resources",
      200,
      client.GET("/v2/droplets/{droplet_id}/destroy_with_associated_resources", {
        params: { path: { droplet_id: keep!.id } },
      }),
    );
    expect(associated.volumes?.map((v) => v.id)).toEqual(volumes);

    await expectAnswer(
      "droplets_get_destroy_associated_resources_status",
      404,
      client.GET("/v2/droplets/{droplet_id}/destroy_with_associated_resources/status", {
        params: { path: { droplet_id: keep!.id } },
      }),
    );
    await expectAnswer(
      "droplets_retry_destroy_with_associated_resources",
      404,
      client.POST("/v2/droplets/{droplet_id}/destroy_with_associated_resources/retry", {
        params: { path: { droplet_id: keep!.id } },
      }),
    );
    await expectAnswer(
      "droplets_destroy_with_selected_associated_resources",
      202,
      client.DELETE("/v2/droplets/{droplet_id}/destroy_with_associated_resources/selective", {
        params: { path: { droplet_id: keep!.id } },
        body: { volumes: [volumes[0]!] },
      }),
    );
    // Only one destroy at a time per Droplet: a retry while it runs is a 409.
    await expectAnswer(
      "droplets_retry_destroy_with_associated_resources",
      409,
      client.POST("/v2/droplets/{droplet_id}/destroy_with_associated_resources/retry", {
        params: { path: { droplet_id: keep!.id } },
      }),
    );
    const done = await transition(
      () =>
        expectAnswer(
          "droplets_get_destroy_associated_resources_status",
          200,
          client.GET("/v2/droplets/{droplet_id}/destroy_with_associated_resources/status", {
            params: { path: { droplet_id: keep!.id } },
          }),
        ),
      (status) => Boolean(status.completed_at),
    );
    expect(done).toMatchObject({
      failures: 0,
      droplet: { id: String(keep!.id), name: "keep-volumes" },
      resources: { volumes: [{ id: volumes[0] }] },
    });
    expect(done.droplet?.destroyed_at).toBe(done.completed_at);
    await expectAnswer(
      "droplets_retry_destroy_with_associated_resources",
      202,
      client.POST("/v2/droplets/{droplet_id}/destroy_with_associated_resources/retry", {
        params: { path: { droplet_id: keep!.id } },
      }),
    );
    expect(
      (await client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: keep!.id } } })).response.status,
    ).toBe(404);

    // Dangerous needs X-Dangerous: true; false is refused and destroys nothing.
    const path = { droplet_id: take!.id };
    await expectAnswer(
      "droplets_destroy_with_all_associated_resources",
      422,
      invalidClient.DELETE("/v2/droplets/{droplet_id}/destroy_with_associated_resources/dangerous", {
        // @ts-expect-error the types only allow `true`, and the fake agrees
        params: { path, header: { "X-Dangerous": false } },
      }),
    );
    await expectAnswer(
      "droplets_destroy_with_all_associated_resources",
      202,
      client.DELETE("/v2/droplets/{droplet_id}/destroy_with_associated_resources/dangerous", {
        params: { path, header: { "X-Dangerous": true } },
      }),
    );
    const all = await transition(
      () =>
        client
          .GET("/v2/droplets/{droplet_id}/destroy_with_associated_resources/status", { params: { path } })
          .then((r) => r.data!),
      (status) => Boolean(status.completed_at),
    );
    expect(all.resources?.volumes?.map((v) => v.id)).toEqual(volumes);
  });

  it("Projects: the default project, create, get, update, patch, 412 on delete with resources, delete", async () => {
    const { project: first } = await expectAnswer("projects_get_default", 200, client.GET("/v2/projects/default"));
    expect(first).toMatchObject({ is_default: true });
    const { project } = await expectAnswer(
      "projects_create",
      201,
      client.POST("/v2/projects", { body: { name: "web", purpose: "Web Application", environment: "Production" } }),
    );
    expect(project).toMatchObject({ name: "web", purpose: "Web Application", is_default: false });
    const id = project!.id!;
    const list = await expectAnswer("projects_list", 200, client.GET("/v2/projects"));
    expect(list.projects?.map((p) => p.name)).toEqual([first?.name, "web"]);
    expect(
      (
        await expectAnswer(
          "projects_get",
          200,
          client.GET("/v2/projects/{project_id}", { params: { path: { project_id: id } } }),
        )
      ).project?.name,
    ).toBe("web");
    await expectAnswer(
      "projects_update",
      200,
      client.PUT("/v2/projects/{project_id}", {
        params: { path: { project_id: id } },
        body: {
          name: "web",
          description: "the site",
          purpose: "Web Application",
          environment: "Staging",
          is_default: false,
        },
      }),
    );
    // The new default takes the next Droplets.
    const { project: patched } = await expectAnswer(
      "projects_patch",
      200,
      client.PATCH("/v2/projects/{project_id}", { params: { path: { project_id: id } }, body: { is_default: true } }),
    );
    expect(patched).toMatchObject({ description: "the site", environment: "Staging", is_default: true });
    const created = await client.POST("/v2/droplets", {
      body: { name: "in-web", region: "lon1", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" },
    });
    const droplet = created.data && "droplet" in created.data ? created.data.droplet : undefined;
    await expectAnswer(
      "projects_update_default",
      200,
      client.PUT("/v2/projects/default", {
        body: {
          name: "web",
          description: "the site",
          purpose: "Web Application",
          environment: "Production",
          is_default: true,
        },
      }),
    );
    await expectAnswer(
      "projects_patch_default",
      200,
      client.PATCH("/v2/projects/default", { body: { description: "ours" } }),
    );
    await expectAnswer(
      "projects_patch",
      200,
      client.PATCH("/v2/projects/{project_id}", {
        params: { path: { project_id: first!.id! } },
        body: { is_default: true },
      }),
    );
    const refused = await client.DELETE("/v2/projects/{project_id}", { params: { path: { project_id: id } } });
    expect(refused.error).toMatchObject({ id: "precondition_failed", message: expect.stringContaining("1 resource") });
    await expectAnswer("projects_delete", 412, Promise.resolve(refused));
    await client.DELETE("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: droplet!.id } } });
    await expectAnswer(
      "projects_delete",
      204,
      client.DELETE("/v2/projects/{project_id}", { params: { path: { project_id: id } } }),
    );
    await expectAnswer(
      "projects_get",
      404,
      client.GET("/v2/projects/{project_id}", { params: { path: { project_id: id } } }),
    );
  });

  it("Reserved IPv6: create allocates an address in the region; list, get by address with colons, delete", async () => {
    const { reserved_ipv6: a } = await expectAnswer(
      "reserved_ipv6_create",
      201,
      client.POST("/v2/reserved_ipv6", { body: { region_slug: "nyc3" } }),
    );
    const { reserved_ipv6: b } = await expectAnswer(
      "reserved_ipv6_create",
      201,
      client.POST("/v2/reserved_ipv6", { body: { region_slug: "nyc3" } }),
    );
    const { reserved_ipv6: c } = await expectAnswer(
      "reserved_ipv6_create",
      201,
      client.POST("/v2/reserved_ipv6", { body: { region_slug: "fra1" } }),
    );
    expect(new Set([a?.ip, b?.ip, c?.ip]).size).toBe(3);
    expect(a).toMatchObject({ region_slug: "nyc3", droplet: null });
    expect(
      (await expectAnswer("reserved_ipv6_list", 200, client.GET("/v2/reserved_ipv6"))).reserved_ipv6s?.map((r) => r.ip),
    ).toEqual([a?.ip, b?.ip, c?.ip]);
    const ip = a!.ip!;
    expect(ip).toContain("::");
    expect(
      (
        await expectAnswer(
          "reserved_ipv6_get",
          200,
          client.GET("/v2/reserved_ipv6/{reserved_ipv6}", { params: { path: { reserved_ipv6: ip } } }),
        )
      ).reserved_ipv6?.ip,
    ).toBe(ip);
    expect(fake.requests.at(-1)?.path).toBe(`/v2/reserved_ipv6/${ip}`);
    await expectAnswer(
      "reserved_ipv6_delete",
      204,
      client.DELETE("/v2/reserved_ipv6/{reserved_ipv6}", { params: { path: { reserved_ipv6: ip } } }),
    );
    await expectAnswer(
      "reserved_ipv6_get",
      404,
      client.GET("/v2/reserved_ipv6/{reserved_ipv6}", { params: { path: { reserved_ipv6: ip } } }),
    );
  });

  it("Partner Network Connect: create → active, patch, keys, routes, delete", async () => {
    const { vpc } = await client.POST("/v2/vpcs", { body: { name: "partner", region: "fra1" } }).then((r) => r.data!);
    const body = {
      name: "to-megaport",
      connection_bandwidth_in_mbps: 1000 as const,
      region: "fra" as const,
      naas_provider: "MEGAPORT",
      vpc_ids: [vpc!.id!],
    };
    await expectAnswer(
      "partner_network_connect_create",
      422,
      client.POST("/v2/partner_network_connect/attachments", {
        body: { ...body, vpc_ids: ["2f1e6ad8-0e5c-4d2b-9b3c-000000000000"] },
      }),
    );
    const { partner_attachment: created } = await expectAnswer(
      "partner_network_connect_create",
      202,
      client.POST("/v2/partner_network_connect/attachments", {
        body: {
          ...body,
          bgp: {
            auth_key: "secret-key",
            local_router_ip: "169.254.0.1/29",
            peer_router_asn: 133937,
            peer_router_ip: "169.254.0.6/29",
          },
        },
      }),
    );
    expect(created).toMatchObject({ state: "CREATED", name: "to-megaport", bgp: { peer_asn: 133937 } });
    const pa_id = created!.id!;
    const path = { pa_id };
    const active = await transition(
      () =>
        expectAnswer(
          "partner_network_connect_get",
          200,
          client.GET("/v2/partner_network_connect/attachments/{pa_id}", { params: { path } }),
        ),
      (r) => r.partner_attachment?.state === "active",
    );
    expect(active.partner_attachment?.id).toBe(pa_id);
    expect(
      (
        await expectAnswer("partner_network_connect_list", 200, client.GET("/v2/partner_network_connect/attachments"))
      ).partner_attachments?.map((a) => a.id),
    ).toEqual([pa_id]);
    expect(
      (
        await expectAnswer(
          "partner_network_connect_patch",
          202,
          client.PATCH("/v2/partner_network_connect/attachments/{pa_id}", {
            params: { path },
            body: { name: "renamed", vpc_ids: [vpc!.id!] },
          }),
        )
      ).partner_attachment?.name,
    ).toBe("renamed");
    expect(
      (
        await expectAnswer(
          "partner_network_connect_get_bgp_auth_key",
          200,
          client.GET("/v2/partner_network_connect/attachments/{pa_id}/bgp_auth_key", { params: { path } }),
        )
      ).bgp_auth_key?.value,
    ).toBe("secret-key");
    expect(
      (
        await expectAnswer(
          "partner_network_connect_list_remote_routes",
          200,
          client.GET("/v2/partner_network_connect/attachments/{pa_id}/remote_routes", { params: { path } }),
        )
      ).meta.total,
    ).toBe(0);
    await expectAnswer(
      "partner_network_connect_get_service_key",
      404,
      client.GET("/v2/partner_network_connect/attachments/{pa_id}/service_key", { params: { path } }),
    );
    expect(
      await expectAnswer(
        "partner_network_connect_create_service_key",
        202,
        client.POST("/v2/partner_network_connect/attachments/{pa_id}/service_key", { params: { path } }),
      ),
    ).toEqual({});
    const { service_key } = await expectAnswer(
      "partner_network_connect_get_service_key",
      200,
      client.GET("/v2/partner_network_connect/attachments/{pa_id}/service_key", { params: { path } }),
    );
    expect(service_key?.value).toBeTruthy();
    expect(
      (
        await expectAnswer(
          "partner_network_connect_delete",
          202,
          client.DELETE("/v2/partner_network_connect/attachments/{pa_id}", { params: { path } }),
        )
      ).partner_attachment?.state,
    ).toBe("DELETING");
    await transition(
      () => client.GET("/v2/partner_network_connect/attachments/{pa_id}", { params: { path } }),
      (r) => r.response.status === 404,
    );
  });
});

describe("requests that break the spec, or HTTP", () => {
  const raw = (path: string, init: RequestInit = {}) =>
    fetch(`${fake.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${fake.token}`,
        "content-type": "application/json",
        ...(init.headers as Record<string, string>),
      },
    });
  /** The answer's status and body, after checking it has the DigitalOcean error shape and the ratelimit-* headers. */
  async function errorOf(response: Response) {
    const body = (await response.json()) as { id: string; message: string; request_id: string };
    expect(Object.keys(body).sort()).toEqual(["id", "message", "request_id"]);
    expect(typeof body.message).toBe("string");
    expect(body.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    for (const name of ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"])
      expect(Number(response.headers.get(name))).toBeGreaterThanOrEqual(0);
    return { status: response.status, ...body };
  }
  /** The fake still works: a valid request after a bad one gets its normal answer. */
  const stillWorks = async () => expect((await raw("/v2/projects/default")).status).toBe(200);

  it("answers a missing or wrong token with the documented 401", async () => {
    const other = createDigitalOceanClient({ baseUrl: fake.url, token: `dop_v1_${"f".repeat(64)}`, retry: false });
    other.use(conforms);
    await expectAnswer(
      "droplets_get",
      401,
      other.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } }),
    );
    expect(await errorOf(await fetch(`${fake.url}/v2/vpcs`))).toMatchObject({ status: 401, id: "unauthorized" });
  });

  it.each([
    [
      "a missing required field",
      "/v2/reserved_ipv6",
      { method: "POST", body: "{}" },
      /body\/region_slug: required property "region_slug" is missing/,
    ],
    ["a wrong type", "/v2/droplets/abc", {}, /path\/droplet_id: must be integer, got string/],
    // JavaScript reads these as numbers; an integer id is decimal digits.
    ["a hexadecimal id", "/v2/droplets/0x10", {}, /path\/droplet_id: "0x10" is not an integer in decimal digits/],
    ["Infinity as an id", "/v2/droplets/Infinity", {}, /path\/droplet_id: "Infinity" is not an integer/],
    ["an id in exponent form", "/v2/droplets/1e400", {}, /path\/droplet_id: "1e400" is not an integer/],
    ["an id too large to be exact", "/v2/droplets/9007199254740993", {}, /droplet_id: .* is too large/],
    ["a page number in exponent form", "/v2/droplets?page=1e1", {}, /query\/page: "1e1" is not an integer/],
    ["per_page=201", "/v2/droplets?per_page=201", {}, /query\/per_page: 201 must be ≤ 200/],
    ["an unknown enum value", "/v2/droplets?type=tpus", {}, /query\/type: "tpus" is not one of/],
    [
      "a body field of the wrong type",
      "/v2/reserved_ipv6",
      { method: "POST", body: JSON.stringify({ region_slug: 3 }) },
      /body\/region_slug: must be string, got integer/,
    ],
    [
      "a missing required header",
      "/v2/droplets/1/destroy_with_associated_resources/dangerous",
      { method: "DELETE" },
      /header\/x-dangerous: required property "x-dangerous" is missing/,
    ],
  ] as const)("refuses %s with 422 and a DigitalOcean error body", async (_what, path, init, message) => {
    expect(await errorOf(await raw(path, init))).toMatchObject({
      status: 422,
      id: "unprocessable_entity",
      message: expect.stringMatching(message),
    });
    await stillWorks();
  });

  it("answers unknown paths with 404 and a known path's unknown method with 405, in the same shape", async () => {
    expect(await errorOf(await raw("/v2/nothing-here"))).toMatchObject({ status: 404, id: "not_found" });
    expect(await errorOf(await raw("/v2/vpcs", { method: "PROPFIND" }))).toMatchObject({
      status: 405,
      id: "method_not_allowed",
      message: expect.stringContaining("GET, POST"),
    });
    await stillWorks();
  });

  it("survives malformed JSON, a body that is not JSON, a huge body and a method HTTP does not know", async () => {
    expect(await errorOf(await raw("/v2/vpcs", { method: "POST", body: '{"name": "x",' }))).toMatchObject({
      status: 400,
      id: "bad_request",
    });
    expect(
      await errorOf(
        await raw("/v2/vpcs", {
          method: "POST",
          body: "name=x",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
      ),
    ).toMatchObject({ status: 415 });
    // JSON, but not the media type the API takes.
    const patch = { method: "POST", body: '{"name": "x"}', headers: { "content-type": "application/json-patch+json" } };
    expect(await errorOf(await raw("/v2/vpcs", patch))).toMatchObject({ status: 415, id: "unsupported_media_type" });
    expect(
      await errorOf(await raw("/v2/vpcs", { method: "POST", body: `{"name": "${"x".repeat(2 << 20)}"}` })),
    ).toMatchObject({ status: 413 });
    await stillWorks();
    const answer = await new Promise<string>((resolve, reject) => {
      let text = "";
      const socket = connect(Number(new URL(fake.url).port), "127.0.0.1", () =>
        socket.end("BREW /v2/vpcs HTTP/1.1\r\nHost: x\r\n\r\n"),
      );
      socket
        .on("data", (chunk) => (text += chunk))
        .on("end", () => resolve(text))
        .on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\nratelimit-remaining: \d+\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toMatchObject({ id: "bad_request" });
    await stillWorks();
  });

  it("records a request whose body ends early (the client closed the connection) as the client's fault", async () => {
    const before = fake.requests.length;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(new URL(fake.url).port), "127.0.0.1", () =>
        socket.end(
          `POST /v2/vpcs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${fake.token}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name": "x",',
        ),
      );
      socket
        .on("close", () => resolve())
        .on("error", reject)
        .resume();
    });
    // The fake records the request once it has seen the connection end.
    await vi.waitFor(() => expect(fake.requests.length).toBe(before + 1), { timeout: 30_000 });
    expect(fake.requests.at(-1)).toEqual({ method: "POST", path: "/v2/vpcs", operationId: "vpcs_create", status: 400 });
    expect(fake.problems).toEqual([]);
    await stillWorks();
  });

  it("fails on demand (fake.fail) with the status asked for, then answers normally again", async () => {
    fake.fail("projects_get_default", 500, { times: 2 });
    expect((await errorOf(await raw("/v2/projects/default"))).status).toBe(500);
    expect((await errorOf(await raw("/v2/projects/default"))).status).toBe(500);
    await stillWorks();
    // A number is short for { times }.
    fake.fail("projects_get_default", 404, 1);
    expect((await errorOf(await raw("/v2/projects/default"))).status).toBe(404);
    await stillWorks();
  });

  it("fails with the headers asked for, over its own ratelimit-*", async () => {
    const reset = String(Math.ceil(now / 1000) + 30);
    fake.fail("vpcs_list", 429, {
      headers: { "Retry-After": "3", "ratelimit-remaining": "0", "ratelimit-reset": reset },
    });
    const refused = await raw("/v2/vpcs");
    expect(refused.headers.get("retry-after")).toBe("3");
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(refused.headers.get("ratelimit-reset")).toBe(reset);
    expect(await errorOf(refused)).toMatchObject({ status: 429, id: "too_many_requests" });
    const next = await raw("/v2/vpcs");
    expect(next.status).toBe(200);
    expect(next.headers.get("retry-after")).toBeNull();
  });

  it("refuses to fail with a status the operation does not document, or an unknown operation", () => {
    expect(() => fake.fail("projects_get_default", 418)).toThrow(
      new TypeError("fake.fail: projects_get_default does not document status 418; it documents 401, 404, 429, 500."),
    );
    expect(() => fake.fail("projects_get_default", 200)).toThrow(TypeError);
    expect(() => fake.fail("nope", 500)).toThrow(/unknown operationId nope/);
    expect(() => fake.fail("projects_get_default", 500, { times: 0 })).toThrow(/times must be a whole number ≥ 1/);
  });

  it("counts requests down in ratelimit-remaining", async () => {
    const before = Number((await raw("/v2/projects/default")).headers.get("ratelimit-remaining"));
    const after = Number((await raw("/v2/projects/default")).headers.get("ratelimit-remaining"));
    expect(after).toBe(before - 1);
  });
});

describe("the fake itself", () => {
  it("checks its own answers: a body, status or header that breaks the spec is caught", () => {
    const spec = loadSpec();
    const droplets = spec.operations.find((o) => o.operationId === "droplets_get")!;
    const headers = { "ratelimit-limit": "5000", "ratelimit-remaining": "4999", "ratelimit-reset": "1700000000" };
    expect(spec.response(droplets, 404, { id: "not_found", message: "gone" }, headers)).toEqual([]);
    expect(spec.response(droplets, 200, { droplet: { id: "not-a-number" } }, headers).join()).toMatch(
      /body\/droplet\/id: must be integer, got string/,
    );
    const error = { id: "not_found", message: "gone" };
    expect(spec.response(droplets, 404, error, { ...headers, "ratelimit-limit": "many" }).join()).toMatch(
      /header\/ratelimit-limit: must be integer, got string/,
    );
    // `default` covers errors, never an undocumented success.
    expect(spec.response(droplets, 201, undefined, headers)).toEqual([
      expect.stringMatching(/^status 201 is not documented \(documented: 200, 401, 404/),
    ]);
  });

  it("refuses bad options with a clear TypeError", async () => {
    await expect(startFakeDigitalOcean({ port: -1 })).rejects.toThrow(
      /port must be an integer from 0 to 65535, got -1/,
    );
    await expect(startFakeDigitalOcean({ provisionMs: Number.NaN })).rejects.toThrow(
      /provisionMs must be a number of milliseconds ≥ 0, got NaN/,
    );
  });

  it("accepts a fixed token, and refuses one that cannot be sent, without echoing it", async () => {
    const fixed = await startFakeDigitalOcean({ token: "dop_v1_configured_ahead" });
    try {
      expect(fixed.token).toBe("dop_v1_configured_ahead");
      const answer = await fetch(`${fixed.url}/v2/vpcs`, {
        headers: { authorization: "Bearer dop_v1_configured_ahead" },
      });
      expect(answer.status).toBe(200);
    } finally {
      await fixed.close();
    }
    const refused = startFakeDigitalOcean({ token: "dop_v1 secret" });
    await expect(refused).rejects.toThrow(/token must be a non-empty string of printable ASCII without spaces/);
    await expect(refused).rejects.not.toThrow(/secret/);
  });

  it("says which port is taken, and close() frees its port", async () => {
    const other = await startFakeDigitalOcean();
    const port = Number(new URL(other.url).port);
    await expect(startFakeDigitalOcean({ port })).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`);
    await other.close();
    const again = await startFakeDigitalOcean({ port });
    expect(again.url).toBe(other.url);
    expect(again.token).not.toBe(other.token);
    await again.close();
  });
});

describe("coverage guard", () => {
  it("implements every operation of generated/openapi.yaml, and nothing else", () => {
    expect([...FAKE_OPERATIONS].sort()).toEqual(operations.map((o) => o.operationId).sort());
  });

  // Runs last in this file: every operation was driven above and answered as the spec says.
  it("drove every operation of the spec with a 2xx answer that matches it", () => {
    const succeeded = [...checked].filter(([, statuses]) => statuses.some((s) => s < 300)).map(([id]) => id);
    expect(succeeded.sort()).toEqual(operations.map((o) => o.operationId).sort());
    expect(fake.problems).toEqual([]);
    // …and the conformance middleware saw them all: not even a field the spec does not describe.
    expect(undocumented).toEqual([]);
  });
});
