// What users automate, run end to end against the fake: a VPC, Droplets in it, waiting until they are active, a
// project, a reserved IPv6, then teardown; and the client's waiters against real state changes. The waiters poll
// until the state changes, so nothing here sleeps for a guessed time.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  collect,
  createDigitalOceanClient,
  unwrap,
  waitFor,
  waitForDropletActive,
  waitForDropletDestroyed,
  waitForPartnerAttachmentActive,
  WaitTimeoutError,
  type DigitalOceanClient,
} from "../src/index.js";
import { startFakeDigitalOcean, type FakeDigitalOcean } from "../src/testing/index.js";

let fake: FakeDigitalOcean;
let client: DigitalOceanClient;
const fast = { intervalMs: 5, timeoutMs: 60_000 };

beforeEach(async () => {
  fake = await startFakeDigitalOcean({ provisionMs: 30 });
  client = createDigitalOceanClient({ baseUrl: fake.url, token: fake.token });
});
afterEach(async () => {
  expect(fake.problems).toEqual([]);
  await fake.close();
});

describe("a workflow against the fake", () => {
  it("VPC → Droplets → active → project → reserved IPv6 → teardown", async () => {
    const { vpc } = await unwrap(
      client.POST("/v2/vpcs", { body: { name: "prod-net", region: "fra1", ip_range: "192.168.40.0/24" } }),
    );
    const { project } = await unwrap(
      client.POST("/v2/projects", { body: { name: "shop", purpose: "Web Application", environment: "Production" } }),
    );
    // New Droplets join the default project: make "shop" the default first.
    await unwrap(
      client.PATCH("/v2/projects/{project_id}", {
        params: { path: { project_id: project!.id! } },
        body: { is_default: true },
      }),
    );

    const created = await unwrap(
      client.POST("/v2/droplets", {
        body: {
          names: ["shop-1", "shop-2"],
          region: "fra1",
          size: "s-1vcpu-1gb",
          image: "ubuntu-24-04-x64",
          vpc_uuid: vpc!.id!,
          ipv6: true,
          tags: ["shop"],
        },
      }),
    );
    const ids = "droplets" in created ? created.droplets.map((d) => d.id) : [];
    expect(ids).toHaveLength(2);
    const droplets = await Promise.all(ids.map((id) => waitForDropletActive(client, id, fast)));
    const privateIps = droplets.map((d) => d.networks.v4?.find((n) => n.type === "private")?.ip_address);
    expect(privateIps).toEqual(["192.168.40.2", "192.168.40.3"]);
    expect(droplets.every((d) => d.networks.v6?.[0]?.ip_address?.startsWith("2001:db8:"))).toBe(true);
    expect(
      (await collect(client, "/v2/vpcs/{vpc_id}/members", { params: { path: { vpc_id: vpc!.id! } } })).map(
        (m) => m.name,
      ),
    ).toEqual(["shop-1", "shop-2"]);

    const { reserved_ipv6 } = await unwrap(client.POST("/v2/reserved_ipv6", { body: { region_slug: "fra1" } }));
    expect(
      (
        await unwrap(
          client.GET("/v2/reserved_ipv6/{reserved_ipv6}", { params: { path: { reserved_ipv6: reserved_ipv6!.ip! } } }),
        )
      ).reserved_ipv6?.region_slug,
    ).toBe("fra1");

    // Teardown in the order the API insists on: what is in use first.
    const vpcWithMembers = await client.DELETE("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: vpc!.id! } } });
    expect(vpcWithMembers.response.status).toBe(403);
    const projectWithResources = await client.DELETE("/v2/projects/{project_id}", {
      params: { path: { project_id: project!.id! } },
    });
    expect(projectWithResources.error?.id).toBe("precondition_failed");

    await unwrap(client.DELETE("/v2/droplets", { params: { query: { tag_name: "shop" } } }));
    await unwrap(
      client.DELETE("/v2/reserved_ipv6/{reserved_ipv6}", { params: { path: { reserved_ipv6: reserved_ipv6!.ip! } } }),
    );
    // fra1's first VPC is its default, which is never deleted; the project goes once it is no longer the default.
    expect(
      (await client.DELETE("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id: vpc!.id! } } })).error?.message,
    ).toMatch(/default VPC of fra1/);
    const { project: original } = await unwrap(client.GET("/v2/projects", { params: { query: { per_page: 1 } } })).then(
      (page) => ({ project: page.projects?.[0] }),
    );
    await unwrap(
      client.PATCH("/v2/projects/{project_id}", {
        params: { path: { project_id: original!.id! } },
        body: { is_default: true },
      }),
    );
    await unwrap(client.DELETE("/v2/projects/{project_id}", { params: { path: { project_id: project!.id! } } }));

    expect((await unwrap(client.GET("/v2/droplets"))).meta.total).toBe(0);
    expect((await unwrap(client.GET("/v2/reserved_ipv6"))).meta.total).toBe(0);
    expect((await unwrap(client.GET("/v2/projects"))).projects?.map((p) => p.name)).toEqual([original?.name]);
  });
});

describe("the waiters, end to end", () => {
  it("waitForDropletActive returns the Droplet once active, after polling while it was new", async () => {
    const created = await unwrap(
      client.POST("/v2/droplets", {
        body: { name: "w", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" },
      }),
    );
    const id = "droplet" in created ? created.droplet.id : 0;
    const droplet = await waitForDropletActive(client, id, fast);
    expect(droplet).toMatchObject({ id, status: "active" });
    const polls = fake.requests.filter((r) => r.operationId === "droplets_get");
    expect(polls.length).toBeGreaterThanOrEqual(1);
  });

  it("waitForDropletDestroyed returns the finished job's status", async () => {
    const created = await unwrap(
      client.POST("/v2/droplets", {
        body: {
          name: "d",
          region: "nyc3",
          size: "s-1vcpu-1gb",
          image: "ubuntu-24-04-x64",
          volumes: ["5f5c0b2e-4e6f-11ec-8c63-0a58ac14d125"],
        },
      }),
    );
    const id = "droplet" in created ? created.droplet.id : 0;
    await unwrap(
      client.DELETE("/v2/droplets/{droplet_id}/destroy_with_associated_resources/dangerous", {
        params: { path: { droplet_id: id }, header: { "X-Dangerous": true } },
      }),
    );
    const status = await waitForDropletDestroyed(client, id, fast);
    expect(status).toMatchObject({
      failures: 0,
      droplet: { id: String(id) },
      resources: { volumes: [{ id: "5f5c0b2e-4e6f-11ec-8c63-0a58ac14d125" }] },
    });
    expect(status.completed_at).toBeTruthy();
    expect(
      (await client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: id } } })).response.status,
    ).toBe(404);
  });

  it("waitForPartnerAttachmentActive returns the attachment once active", async () => {
    const { vpc } = await unwrap(client.POST("/v2/vpcs", { body: { name: "pnc", region: "sgp1" } }));
    const { partner_attachment } = await unwrap(
      client.POST("/v2/partner_network_connect/attachments", {
        body: {
          name: "pnc-1",
          connection_bandwidth_in_mbps: 2000,
          region: "sgp",
          naas_provider: "MEGAPORT",
          vpc_ids: [vpc!.id!],
        },
      }),
    );
    expect(partner_attachment?.state).toBe("CREATED");
    const active = await waitForPartnerAttachmentActive(client, partner_attachment!.id!, fast);
    expect(active).toMatchObject({ id: partner_attachment?.id, state: "active" });
  });

  it("a waiter times out with the last state when the fake takes longer than its timeoutMs", async () => {
    const slow = await startFakeDigitalOcean({ provisionMs: 3_600_000 });
    try {
      const slowClient = createDigitalOceanClient({ baseUrl: slow.url, token: slow.token });
      const created = await unwrap(
        slowClient.POST("/v2/droplets", {
          body: { name: "s", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" },
        }),
      );
      const id = "droplet" in created ? created.droplet.id : 0;
      const error = await waitForDropletActive(slowClient, id, { intervalMs: 5, timeoutMs: 30 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect((error as WaitTimeoutError<{ status: string }>).lastValue.status).toBe("new");
    } finally {
      await slow.close();
    }
  });

  it("waitFor follows a peering from PROVISIONING to ACTIVE", async () => {
    const { vpc: a } = await unwrap(client.POST("/v2/vpcs", { body: { name: "a", region: "tor1" } }));
    const { vpc: b } = await unwrap(client.POST("/v2/vpcs", { body: { name: "b", region: "tor1" } }));
    const { peering } = await unwrap(
      client.POST("/v2/vpcs/{vpc_id}/peerings", {
        params: { path: { vpc_id: a!.id! } },
        body: { name: "a-b", vpc_id: b!.id! },
      }),
    );
    expect(peering?.status).toBe("PROVISIONING");
    const page = await waitFor(
      () => unwrap(client.GET("/v2/vpcs/{vpc_id}/peerings", { params: { path: { vpc_id: b!.id! } } })),
      { ...fast, until: (p) => p.peerings?.[0]?.status === "ACTIVE" },
    );
    expect(page.peerings?.[0]?.id).toBe(peering?.id);
  });

  it("retries an injected 500 and gets the answer", async () => {
    const retrying = createDigitalOceanClient({
      baseUrl: fake.url,
      token: fake.token,
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
    });
    fake.fail("projects_get_default", 500);
    const { project } = await unwrap(retrying.GET("/v2/projects/default"));
    expect(project?.is_default).toBe(true);
    expect(fake.requests.filter((r) => r.operationId === "projects_get_default").map((r) => r.status)).toEqual([
      500, 200,
    ]);
  });
});
