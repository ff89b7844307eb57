// Type tests for src/contract.ts: one contract per operationId, derived from generated/schema.d.ts and the table.
// Checked by `tsc --noEmit` (npm run typecheck, part of npm test); never executed.
import type { operations } from "../../generated/schema.js";
import type {
  Answer,
  Contracts,
  MethodName,
  OperationId,
  OperationOf,
  ResourceName,
  SuccessBody,
} from "../../src/contract.js";
import type { Schema } from "../../src/index.js";
import { expectType, type Equal } from "./assert.js";

// The table has a row for every operation of the schema, and no other.
expectType<Equal<OperationId, keyof operations>>(true);
expectType<Equal<ResourceName, "droplets" | "vpcs" | "partnerNetworkConnect" | "projects" | "reservedIpv6">>(true);
expectType<Equal<OperationOf<"partnerNetworkConnect", "getBgpAuthKey">, "partner_network_connect_get_bgp_auth_key">>(
  true,
);
expectType<Equal<OperationOf<"droplets", "listBackups">, "droplets_list_backups">>(true);
expectType<"listMembers" extends MethodName<"vpcs"> ? true : false>(true);
// @ts-expect-error vpcs has no listBackups
export type NoSuchMethod = OperationOf<"vpcs", "listBackups">;

type DropletGet = Contracts["droplets_get"];
expectType<Equal<DropletGet["path"], { droplet_id: number }>>(true);
expectType<Equal<DropletGet["query"], Record<string, never>>>(true);
expectType<Equal<DropletGet["body"], never>>(true);
expectType<Equal<DropletGet["errorStatus"], 401 | 404 | 429 | 500>>(true);
expectType<Equal<DropletGet["successStatus"], 200>>(true);
expectType<Equal<Contracts["droplets_list"]["query"]["tag_name"], string | undefined>>(true);
expectType<Equal<Contracts["droplets_delete"]["success"], undefined>>(true);
expectType<Equal<Contracts["droplets_destroy_with_all_associated_resources"]["header"], { "X-Dangerous": true }>>(true);
expectType<Equal<Contracts["projects_delete"]["errorStatus"], 401 | 404 | 412 | 429 | 500>>(true);
expectType<Equal<NonNullable<SuccessBody<"vpcs_get">["vpc"]>, Schema<"Vpc">>>(true);

// A documented answer: the success body at its status, the error body at an error status; nothing else.
export const found: Answer<"vpcs_get"> = { status: 404, body: { id: "not_found", message: "no such VPC" } };
// @ts-expect-error 409 is not documented for vpcs_get
export const conflict: Answer<"vpcs_get"> = { status: 409, body: { id: "conflict", message: "no" } };
// @ts-expect-error a 200 carries the VPC, not an error
export const wrong: Answer<"vpcs_get"> = { status: 200, body: { id: "not_found", message: "no such VPC" } };
