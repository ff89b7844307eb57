// Type tests for generated/schema.d.ts through the client: natural code compiles, wrong code does not.
// Checked by `tsc --noEmit` (npm run typecheck, part of npm test); never executed.
import {
  createDigitalOceanClient,
  paginate,
  unwrap,
  type components,
  type ListItem,
  type ListPath,
  type Schema,
} from "../../src/index.js";
import { expectType, type Equal } from "./assert.js";

type Schemas = components["schemas"];
const client = createDigitalOceanClient({
  token: "dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
});

export async function droplets() {
  // Create with just the required fields: fields with defaults are optional.
  await client.POST("/v2/droplets", {
    body: { name: "web-1", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" },
  });
  await client.POST("/v2/droplets", { body: { names: ["web-1", "web-2"], size: "s-1vcpu-1gb", image: 12345 } });
  await client.POST("/v2/droplets", {
    // @ts-expect-error an unknown body field is rejected
    body: { name: "web-1", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64", colour: "blue" },
  });
  // @ts-expect-error image is required
  await client.POST("/v2/droplets", { body: { name: "web-1", size: "s-1vcpu-1gb" } });

  // @ts-expect-error droplet_id is an integer, not a string
  await client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: "3164444" } } });
  const { droplet } = await unwrap(
    client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 3164444 } } }),
  );
  expectType<Equal<typeof droplet.status, "new" | "active" | "off" | "archive">>(true);
  expectType<Equal<typeof droplet.networks.v4, Schemas["NetworkV4"][]>>(true);
  const ip = droplet.networks.v4[0]?.ip_address;
  expectType<Equal<typeof ip, string | undefined>>(true);
  expectType<Equal<Schemas["NetworkV4"]["ip_address"], string>>(true);
  expectType<Equal<typeof droplet.id, number>>(true);

  const list = await unwrap(client.GET("/v2/droplets", { params: { query: { per_page: 50, page: 2 } } }));
  const next = list.links?.pages?.next;
  expectType<Equal<typeof next, string | undefined>>(true);
  expectType<Equal<typeof list.meta.total, number>>(true);
  // @ts-expect-error per_page is a number
  await client.GET("/v2/droplets", { params: { query: { per_page: "50" } } });
  // @ts-expect-error the query has no such parameter
  await client.GET("/v2/droplets", { params: { query: { colour: "blue" } } });

  // The 202 of a create is one Droplet or many.
  const created = await unwrap(client.POST("/v2/droplets", { body: { name: "a", size: "s", image: 1 } }));
  if ("droplet" in created) expectType<Equal<typeof created.droplet.name, string>>(true);
  else expectType<Equal<typeof created.droplets, Schemas["Droplet"][]>>(true);

  // The dangerous destroy needs its confirmation header.
  await client.DELETE("/v2/droplets/{droplet_id}/destroy_with_associated_resources/dangerous", {
    params: { path: { droplet_id: 1 }, header: { "X-Dangerous": true } },
  });
}

export async function networking() {
  await client.POST("/v2/vpcs", { body: { name: "env.prod-vpc", region: "nyc1", ip_range: "10.10.10.0/24" } });
  await client.PATCH("/v2/vpcs/{vpc_id}", {
    params: { path: { vpc_id: "5a4981aa-9653-4bd1-bef5-d6bff52042e4" } },
    // @ts-expect-error a read-only field cannot be sent
    body: { id: "x" },
  });
  const { reserved_ipv6 } = await unwrap(
    client.GET("/v2/reserved_ipv6/{reserved_ipv6}", {
      params: { path: { reserved_ipv6: "2409:40d0:f7:1017:74b4:3a96:105e:4c6e" } },
    }),
  );
  expectType<Equal<typeof reserved_ipv6.droplet, Schemas["Droplet"] | null | undefined>>(true);
  const { partner_attachment } = await unwrap(
    client.GET("/v2/partner_network_connect/attachments/{pa_id}", { params: { path: { pa_id: "x" } } }),
  );
  expectType<Equal<typeof partner_attachment.state, string>>(true);
  // @ts-expect-error the path does not exist
  await client.GET("/v2/vpcs/{vpc_id}/nope");
}

export async function pagination() {
  // Items are typed from the path; only list paths are accepted.
  for await (const droplet of paginate(client, "/v2/droplets", { params: { query: { tag_name: "web" } } })) {
    expectType<Equal<typeof droplet, Schemas["Droplet"]>>(true);
  }
  for await (const member of paginate(client, "/v2/vpcs/{vpc_id}/members", {
    params: { path: { vpc_id: "5a4981aa-9653-4bd1-bef5-d6bff52042e4" } },
  })) {
    expectType<Equal<typeof member, Schemas["VpcMember"]>>(true);
  }
  expectType<Equal<ListItem<"/v2/projects">, Schema<"Project">>>(true);
  // Backup policies come as a map keyed by Droplet ID; its values are the items.
  expectType<Equal<ListItem<"/v2/droplets/backups/policies">, Schema<"DropletBackupPolicyRecord">>>(true);
  // @ts-expect-error a single-resource path is not a list
  paginate(client, "/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } });
  // @ts-expect-error nor is it a ListPath
  const notAList: ListPath = "/v2/droplets/{droplet_id}";
  return notAList;
}

// What DigitalOcean's own clients send (issue 20) is accepted, and the common case reads as before.
export async function realClients() {
  const droplet = { name: "web-1", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64" };
  await client.POST("/v2/droplets", { body: { ...droplet, ssh_keys: [] } });
  await client.POST("/v2/droplets", { body: droplet });
  await client.POST("/v2/droplets", { body: { ...droplet, ssh_keys: null, public_networking: false } });
  const volume = "12e97116-7280-11ed-b3d0-0a58ac146812";
  await client.POST("/v2/droplets", { body: { ...droplet, volumes: [volume, { id: volume }, { name: "logs" }] } });
  // @ts-expect-error a volume object names it by id or by name, nothing else
  await client.POST("/v2/droplets", { body: { ...droplet, volumes: [{ size: 10 }] } });
  // @ts-expect-error ssh_keys is a list or null, not one key
  await client.POST("/v2/droplets", { body: { ...droplet, ssh_keys: 289794 } });

  // A PATCH field left alone may be null, as the Go client sends it; a set field keeps its type.
  const project_id = "4e1bfbc3-dc3e-41f2-a18f-1b4d7ba71679";
  const patch = { name: "renamed", description: null, purpose: null, environment: null, is_default: null };
  await client.PATCH("/v2/projects/{project_id}", { params: { path: { project_id } }, body: patch });
  await client.PATCH("/v2/projects/default", { body: { is_default: null, name: "default" } });
  // @ts-expect-error name is a string or null
  await client.PATCH("/v2/projects/default", { body: { name: 5 } });
  const vpc_id = "5a4981aa-9653-4bd1-bef5-d6bff52042e4";
  await client.PATCH("/v2/vpcs/{vpc_id}", { params: { path: { vpc_id } }, body: { name: null, default: null } });
  await client.PATCH("/v2/partner_network_connect/attachments/{pa_id}", {
    params: { path: { pa_id: vpc_id } },
    body: { name: "renamed", vpc_ids: null },
  });

  // What the API answers and its reference left out: the types make code handle it.
  const { droplet: got } = await unwrap(
    client.GET("/v2/droplets/{droplet_id}", { params: { path: { droplet_id: 1 } } }),
  );
  expectType<Equal<typeof got.image.slug, string | null>>(true);
  expectType<Equal<typeof got.image.tags, string[] | null>>(true);
  expectType<Equal<typeof got.image.min_disk_size, number | null>>(true);
  expectType<Equal<typeof got.image.size_gigabytes, number | null>>(true);
  expectType<Equal<Schemas["DiskInfo"]["type"], "local" | "scratch" | "boot">>(true);
  expectType<Equal<Schemas["Firewall"]["tags"], string[] | null>>(true);
  expectType<Equal<Schemas["FirewallRuleTarget"]["kubernetes_ids"], string[] | undefined>>(true);
  expectType<
    Equal<
      Schemas["DropletBackupPolicyRecord"]["next_backup_window"],
      Schemas["DropletNextBackupWindow"] | null | undefined
    >
  >(true);
}

// The shared path parameters (spec/components/parameters/) type the paths as their inline copies did.
export function sharedParameters() {
  type Parameters = components["parameters"];
  expectType<Equal<Parameters["droplet_id"], number>>(true);
  expectType<Equal<Parameters["vpc_id"] | Parameters["vpc_peering_id"] | Parameters["pa_id"], string>>(true);
  expectType<Equal<Parameters["project_id"] | Parameters["reserved_ipv6"], string>>(true);
  client.GET("/v2/vpcs/{vpc_id}/peerings", { params: { path: { vpc_id: "x" } } });
  // @ts-expect-error the path parameter is still required
  client.GET("/v2/droplets/{droplet_id}/kernels", { params: { path: {} } });
}
