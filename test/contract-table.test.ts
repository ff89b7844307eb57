// The operation table (scripts/contract.mjs → generated/contract.js, read through src/contract.ts): each
// operationId's resource and method name, request shape, scopes and list key, derived from the spec alone.
import { describe, expect, it } from "vitest";
import { contractTable } from "../scripts/contract.mjs";
import { OPERATIONS } from "../src/contract.js";
import { bundle, operations } from "./helpers/spec.js";

const call = (id: keyof typeof OPERATIONS) => `${OPERATIONS[id].resource}.${OPERATIONS[id].method}`;

/** A copy of the bundled spec with one operation changed. */
function editedSpec(path: string, method: string, change: (operation: any) => void) {
  const document = structuredClone(bundle);
  change(document.paths[path][method]);
  return document;
}

describe("the operation table", () => {
  it("is what the spec gives now (generated/contract.js is current)", () => {
    expect(OPERATIONS).toEqual(contractTable(bundle));
  });

  it("has one row per operation of the spec, with its method, path, scopes and parameters", () => {
    expect(Object.keys(OPERATIONS)).toEqual(operations.map((o) => o.operationId));
    for (const o of operations) {
      const row = OPERATIONS[o.operationId as keyof typeof OPERATIONS];
      expect(row, o.operationId).toMatchObject({
        httpMethod: o.method.toUpperCase(),
        path: o.path,
        body: Boolean(o.requestBody),
        scopes: o.op["x-required-scopes"],
      });
      // The rows derive these (src/table.js); the spec's parameter lists say what they must be.
      const names = (place: string) => o.parameters.filter((p: any) => p.in === place).map((p: any) => p.name);
      expect([...row.pathParams].sort(), o.operationId).toEqual(names("path").sort());
      expect(row.query, o.operationId).toEqual(names("query"));
      expect(row.header, o.operationId).toEqual(names("header"));
    }
  });

  it("names resources and methods as DigitalOcean's Python client does, in camelCase", () => {
    expect(call("droplets_list_backups")).toBe("droplets.listBackups");
    expect(call("droplets_delete_by_tag")).toBe("droplets.deleteByTag");
    expect(call("partner_network_connect_get_bgp_auth_key")).toBe("partnerNetworkConnect.getBgpAuthKey");
    expect(call("projects_get_default")).toBe("projects.getDefault");
    expect(call("reserved_ipv6_create")).toBe("reservedIpv6.create");
    expect(call("vpcs_patch_peering")).toBe("vpcs.patchPeering");
    expect(new Set(Object.keys(OPERATIONS).map((id) => call(id as keyof typeof OPERATIONS))).size).toBe(
      operations.length,
    );
  });

  it("lists path parameters in path order, query and header names, and the body", () => {
    expect(OPERATIONS.vpcs_patch_peering).toMatchObject({
      pathParams: ["vpc_id", "vpc_peering_id"],
      query: [],
      body: true,
    });
    expect([...OPERATIONS.droplets_list.query].sort()).toEqual(["name", "page", "per_page", "tag_name", "type"]);
    expect(OPERATIONS.droplets_destroy_with_all_associated_resources.header).toEqual(["X-Dangerous"]);
    expect(OPERATIONS.droplets_delete_by_tag).toMatchObject({ query: ["tag_name"], body: false });
  });

  it("gives the success statuses whose answer has a JSON body: none for a 204, nor for a 202 without content", () => {
    expect(OPERATIONS.droplets_get.successBody).toEqual([200]);
    expect(OPERATIONS.droplets_create.successBody).toEqual([202]);
    expect(OPERATIONS.droplets_delete.successBody).toEqual([]);
    expect(OPERATIONS.droplets_destroy_with_all_associated_resources.successBody).toEqual([]);
  });

  it("gives a list its items' key, and nothing else one", () => {
    expect(OPERATIONS.droplets_list).toMatchObject({ items: "droplets" });
    expect(OPERATIONS.vpcs_list_members).toMatchObject({ items: "members" });
    expect(OPERATIONS.droplets_list_backup_policies).toMatchObject({ items: "policies" });
    // No meta, so not paginated: the neighbors come in one answer.
    expect(OPERATIONS.droplets_list_neighbors).not.toHaveProperty("items");
    expect(OPERATIONS.droplets_get).not.toHaveProperty("items");
  });

  it("refuses an operationId that does not start with its tag's name", () => {
    const document = editedSpec("/v2/vpcs", "get", (op) => {
      op.operationId = "list_vpcs";
    });
    expect(() => contractTable(document)).toThrow(
      "GET /v2/vpcs: operationId list_vpcs does not start with its tag's name, vpcs_.",
    );
  });

  it("refuses an operation without a tag, and two operations called by one name", () => {
    const untagged = editedSpec("/v2/vpcs", "get", (op) => {
      op.tags = undefined;
    });
    expect(() => contractTable(untagged)).toThrow("GET /v2/vpcs (vpcs_list) has no tag");
    const twice = editedSpec("/v2/vpcs/{vpc_id}", "get", (op) => {
      op.operationId = "vpcs_listMembers";
    });
    expect(() => contractTable(twice)).toThrow(
      "vpcs_list_members and vpcs_listMembers would both be vpcs.listMembers.",
    );
  });
});
