// What DigitalOcean's own clients send, and what the API answers beyond its reference (issue 20), through the
// typed client with conformance checks: requests against Prism and the fake, recorded answers read back.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mock, startMock } from "../scripts/mock.js";
import { ConformanceError, conformance } from "../src/conformance/index.js";
import { createDigitalOceanClient, type DigitalOceanClient, unwrap } from "../src/index.js";
import { startFakeDigitalOcean } from "../src/testing/index.js";
import { FAKE_TOKEN } from "./helpers/contract.js";
import { ROOT } from "./helpers/spec.js";

/** Ids of resources the requests name; the fake's are created by the test. */
interface Ids {
  project_id: string;
  vpc_id: string;
  pa_id: string;
  volume: string;
}

/** What the official Go client (godo) sends, as [what, method, path, init]. */
const sent = (ids: Ids) =>
  [
    [
      "PATCH a project with null for the fields it leaves alone",
      "PATCH",
      "/v2/projects/{project_id}",
      {
        params: { path: { project_id: ids.project_id } },
        body: { name: "renamed", description: null, purpose: null, environment: null, is_default: null },
      },
    ],
    [
      "PATCH the default project with null for the fields it leaves alone",
      "PATCH",
      "/v2/projects/default",
      { body: { name: null, description: "changed", purpose: null, environment: null, is_default: null } },
    ],
    [
      "PATCH a VPC with null for the fields it leaves alone",
      "PATCH",
      "/v2/vpcs/{vpc_id}",
      { params: { path: { vpc_id: ids.vpc_id } }, body: { name: null, description: "changed", default: null } },
    ],
    [
      "PATCH a partner attachment with null for the fields it leaves alone",
      "PATCH",
      "/v2/partner_network_connect/attachments/{pa_id}",
      { params: { path: { pa_id: ids.pa_id } }, body: { name: "renamed", vpc_ids: null } },
    ],
    [
      'create a Droplet with "ssh_keys": null, a volume as { id }, public_networking and no region',
      "POST",
      "/v2/droplets",
      {
        body: {
          name: "web-1",
          size: "s-1vcpu-1gb",
          image: "ubuntu-20-04-x64",
          ssh_keys: null,
          volumes: [{ id: ids.volume }],
          public_networking: true,
        },
      },
    ],
    [
      "create Droplets with a volume as { name }, as older Go clients send it",
      "POST",
      "/v2/droplets",
      {
        body: {
          names: ["web-2"],
          region: "nyc3",
          size: "s-1vcpu-1gb",
          image: "ubuntu-20-04-x64",
          volumes: [{ name: "logs" }],
        },
      },
    ],
    [
      "create a Droplet from a private image's id, as godo's tests do",
      "POST",
      "/v2/droplets",
      { body: { name: "from-image", region: "nyc3", size: "s-1vcpu-1gb", image: 123456 } },
    ],
    [
      "create a GPU Droplet, as gradient's examples do",
      "POST",
      "/v2/droplets",
      { body: { name: "gpu-1", region: "nyc3", size: "gpu-h100x1-80gb", image: "ubuntu-24-04-x64" } },
    ],
    ["list the GPU Droplets", "GET", "/v2/droplets", { params: { query: { type: "gpus" } }, body: undefined }],
  ] as const;

type Init = { params?: { path?: Record<string, unknown>; query?: Record<string, unknown> }; body: unknown };
/** Calls `path` through the typed client (typed loosely: the table holds several paths). */
const call = (client: DigitalOceanClient, method: string, path: string, init: Init) =>
  (client[method as "PATCH"] as unknown as (p: string, i: Init) => Promise<{ response: Response; error?: unknown }>)(
    path,
    init,
  );

/** A client whose requests and answers must match the spec: a mismatch throws a ConformanceError. */
function checkedClient(baseUrl: string, token: string, fetch?: (request: Request) => Promise<Response>) {
  const client = createDigitalOceanClient({ token, baseUrl, retry: false, pacing: false, ...(fetch ? { fetch } : {}) });
  client.use(conformance({ throw: true, onProblem: () => {} }));
  return client;
}

describe("requests real clients send, against Prism", () => {
  let mock: Mock;
  let client: DigitalOceanClient;
  beforeAll(async () => {
    mock = await startMock();
    client = checkedClient(mock.url, FAKE_TOKEN);
  }, 60_000);
  afterAll(() => mock?.stop());

  const ids: Ids = {
    project_id: "4e1bfbc3-dc3e-41f2-a18f-1b4d7ba71679",
    vpc_id: "5a4981aa-9653-4bd1-bef5-d6bff52042e4",
    pa_id: "5a4981aa-9653-4bd1-bef5-d6bff52042e4",
    volume: "12e97116-7280-11ed-b3d0-0a58ac146812",
  };
  it.each(sent(ids))("%s: a documented 2xx", { timeout: 30_000 }, async (_what, method, path, init) => {
    const { response, error } = await call(client, method, path, init);
    expect(response.status, `${JSON.stringify(error)}\n${mock.log().split("\n").slice(-5).join("\n")}`).toBeLessThan(
      300,
    );
  });
});

describe("requests real clients send, against the fake", () => {
  /** A fresh fake with a project, a VPC and a partner attachment to name, and a client for it. */
  async function account() {
    const fake = await startFakeDigitalOcean({ provisionMs: 0 });
    const client = checkedClient(fake.url, fake.token);
    const { project } = await unwrap(client.POST("/v2/projects", { body: { name: "api", purpose: "Service or API" } }));
    const { vpc } = await unwrap(client.POST("/v2/vpcs", { body: { name: "prod", region: "nyc1" } }));
    const { partner_attachment } = await unwrap(
      client.POST("/v2/partner_network_connect/attachments", {
        body: {
          name: "pa-1",
          connection_bandwidth_in_mbps: 1000,
          region: "nyc",
          naas_provider: "MEGAPORT",
          vpc_ids: [vpc!.id!],
        },
      }),
    );
    const ids = {
      project_id: project!.id!,
      vpc_id: vpc!.id!,
      pa_id: partner_attachment!.id!,
      volume: "12e97116-7280-11ed-b3d0-0a58ac146812",
    };
    return { fake, client, ids };
  }

  // The fake validates requests against the spec and stores them as the API does (nulls leave fields unchanged,
  // volume objects become ids, a create without region deploys in a region the fake knows).
  const byTheFake = sent({ project_id: "", vpc_id: "", pa_id: "", volume: "" }).map((c, i) => [c[0], i] as const);
  it.each(byTheFake)("%s: a documented 2xx, and answers that match the spec", async (_what, i) => {
    const { fake, client, ids } = await account();
    try {
      const [, method, path, init] = sent(ids)[i]!;
      const { response, error } = await call(client, method, path, init);
      expect(response.status, JSON.stringify(error)).toBeLessThan(300);
      expect(fake.problems).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

/** Answers recorded from the API, with the nulls and values its reference leaves out. */
const recorded: { path: string; params: { path: Record<string, string | number> }; body: any }[] = JSON.parse(
  readFileSync(`${ROOT}/test/fixtures/recorded/issue-20-answers.json`, "utf8"),
);
const headers = { "content-type": "application/json", "ratelimit-limit": "5000", "ratelimit-remaining": "4999" };
const replay = (body: unknown) =>
  checkedClient(
    "https://api.digitalocean.com",
    FAKE_TOKEN,
    async () =>
      new Response(JSON.stringify(body), { status: 200, headers: { ...headers, "ratelimit-reset": "1444931833" } }),
  );

describe("recorded answers the reference did not describe", () => {
  it.each(recorded.map((entry) => [entry.path, entry] as const))(
    "GET %s reads through the typed client and matches the spec",
    async (path, entry) => {
      const data = await unwrap(
        call(replay(entry.body), "GET", path, { params: entry.params, body: undefined }) as never,
      );
      expect(data).toEqual(entry.body);
    },
  );

  it("holds the facts the spec now states: image nulls, a boot disk, null tags, kubernetes_ids, no backup window", async () => {
    const [droplet, firewalls, policy, reserved] = recorded;
    const { droplet: got } = await unwrap(
      replay(droplet!.body).GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } }),
    );
    const { slug, min_disk_size, size_gigabytes, tags } = got!.image;
    expect([slug, min_disk_size, size_gigabytes, tags]).toEqual([null, null, null, null]);
    expect(got!.disk_info?.map((disk) => disk.type)).toContain("boot");
    const { firewalls: list } = await unwrap(
      replay(firewalls!.body).GET("/v2/droplets/{droplet_id}/firewalls", { params: { path: { droplet_id: 1 } } }),
    );
    expect(list?.[0]?.tags).toBeNull();
    expect(list?.[0]?.inbound_rules?.[0]?.sources.kubernetes_ids).toHaveLength(1);
    const { policy: record } = await unwrap(
      replay(policy!.body).GET("/v2/droplets/{droplet_id}/backups/policy", { params: { path: { droplet_id: 1 } } }),
    );
    expect(record?.next_backup_window).toBeNull();
    expect(reserved!.body.reserved_ipv6.droplet.image.slug).toBeNull();
  });

  it("still fails an answer that breaks the spec (the check can fail)", async () => {
    const broken = structuredClone(recorded[0]!.body);
    broken.droplet.image.slug = 5;
    await expect(
      replay(broken).GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } }),
    ).rejects.toBeInstanceOf(ConformanceError);
  });
});
