// The contract of every operation, in one module: how to call it (the table `npm run generate` writes from the
// spec, generated/contract.js) and what it takes and returns (types from generated/schema.d.ts's `operations`).
// The client's resource methods, the fake, the docs samples and tools built on the client all read it here.
import type { ErrorResponse, Readable, ResponseObjectMap, SuccessResponse, Writable } from "openapi-typescript-helpers";
import { STORED_TABLE, type OperationTable } from "../generated/contract.js";
import type { operations } from "../generated/schema.js";
import { rowsOf } from "./table.js";

/** The table of operations: `OPERATIONS[id]` is how operation `id` is called. */
export type { OperationTable };
/** How each operation is called, by operationId: `OPERATIONS.droplets_get.path`. */
export const OPERATIONS = rowsOf(STORED_TABLE) as OperationTable;
/** Every operationId of the spec: `"droplets_get"`, `"vpcs_list_members"`, … */
export type OperationId = keyof OperationTable & keyof operations;
/**
 * How one operation is called: its resource and method name (`client.droplets.listBackups`), HTTP method and path,
 * path parameters in path order, query and header parameter names, whether it takes a body, the scopes its token
 * needs (`x-required-scopes`) and, for a list, the key of its items.
 */
export type OperationInfo<Id extends OperationId = OperationId> = OperationTable[Id];

/** One row of the table, as code that reads any row sees it. */
export interface OperationRow {
  resource: string;
  method: string;
  httpMethod: "GET" | "PUT" | "POST" | "DELETE" | "PATCH";
  path: string;
  pathParams: readonly string[];
  query: readonly string[];
  header: readonly string[];
  body: boolean;
  scopes: readonly string[];
  successBody: readonly number[];
  items?: string;
}

/** A resource of the client: `"droplets"`, `"vpcs"`, `"partnerNetworkConnect"`, … */
export type ResourceName = OperationInfo["resource"];
/** The method names of resource `R`: `"get"`, `"list"`, `"listBackups"`, … */
export type MethodName<R extends ResourceName> = Extract<OperationInfo, { resource: R }>["method"];
/** The operationId called as `client[R][M]`. */
export type OperationOf<R extends ResourceName, M extends MethodName<R>> = {
  [Id in OperationId]: OperationTable[Id] extends { resource: R; method: M } ? Id : never;
}[OperationId];

type Parameters<Id extends OperationId> = operations[Id]["parameters"];
/** `T`, or an object with no keys when `T` is `never`/`undefined` (the operation has none). */
type OrEmpty<T> = [NonNullable<T>] extends [never] ? Record<string, never> : NonNullable<T>;

/** The path parameters of operation `Id`, by name (`{ droplet_id: number }`); no keys when it has none. */
export type PathParams<Id extends OperationId> = OrEmpty<Parameters<Id>["path"]>;
/** The query parameters of operation `Id` (`{ per_page?: number; page?: number }`); no keys when it has none. */
export type Query<Id extends OperationId> = OrEmpty<Parameters<Id>["query"]>;
/** The header parameters of operation `Id` (`{ "X-Dangerous": true }`); no keys when it has none. */
export type HeaderParams<Id extends OperationId> = OrEmpty<Parameters<Id>["header"]>;
/** The JSON content of a request body or an answer; `never` when it has none. */
type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;
/** The JSON body operation `Id` takes, as a request may send it (read-only fields left out); `never` when none. */
export type RequestBody<Id extends OperationId> = Writable<Json<NonNullable<operations[Id]["requestBody"]>>>;
/** The body of operation `Id`'s success answer, as the API sends it; `undefined` when it has none (204, 202). */
export type SuccessBody<Id extends OperationId> =
  Readable<SuccessResponse<ResponseObjectMap<operations[Id]>, "application/json">> extends infer B
    ? [B] extends [never]
      ? undefined
      : B
    : never;
/** The body of operation `Id`'s documented error answers (`{ id, message, request_id? }`). */
export type ErrorResponseBody<Id extends OperationId> = Readable<
  ErrorResponse<ResponseObjectMap<operations[Id]>, "application/json">
>;

type Responses<Id extends OperationId> = operations[Id]["responses"];
type StatusOf<S, First extends string> = S extends number ? (`${S}` extends `${First}${string}` ? S : never) : never;
/** The success statuses operation `Id` documents (`200`, `201`, `202` or `204`). */
export type SuccessStatus<Id extends OperationId> = StatusOf<keyof Responses<Id>, "2">;
/** The error statuses operation `Id` documents (`401 | 404 | 429 | 500`); a `default` answer is not a status. */
export type ErrorStatus<Id extends OperationId> = StatusOf<keyof Responses<Id>, "4" | "5">;

/** The JSON body of one answer, or `undefined` when the answer has none. */
type BodyOf<R> = [Json<R>] extends [never] ? undefined : Readable<Json<R>>;
/**
 * One documented answer of operation `Id`, by status: `{ status: 200; body: { droplet: Droplet } } | { status:
 * 404; body: Error } | …`. What a handler of the fake may return.
 */
export type Answer<Id extends OperationId> = {
  [S in keyof Responses<Id>]: S extends number ? { status: S; body: BodyOf<Responses<Id>[S]> } : never;
}[keyof Responses<Id>];

/** Everything operation `Id` takes and returns, as the spec says. */
export interface Contract<Id extends OperationId> {
  path: PathParams<Id>;
  query: Query<Id>;
  header: HeaderParams<Id>;
  body: RequestBody<Id>;
  success: SuccessBody<Id>;
  successStatus: SuccessStatus<Id>;
  errorStatus: ErrorStatus<Id>;
  answer: Answer<Id>;
}

/** One {@link Contract} per operationId: `Contracts["droplets_get"]["success"]` is `{ droplet: Droplet }`. */
export type Contracts = { [Id in OperationId]: Contract<Id> };

/**
 * The operationId a request is for (`"droplets_get"`), from its method and URL; `undefined` when none matches. A
 * literal segment wins over a parameter (`/v2/projects/default` is projects_get_default, not projects_get).
 */
export function operationIdAt(method: string, url: string): OperationId | undefined {
  if (!URL.canParse(url)) return undefined;
  // The API's paths start at /v2/, whatever the baseUrl puts before them.
  const { pathname } = new URL(url);
  const segments = pathname.slice(pathname.indexOf("/v2/")).split("/");
  let found: OperationId | undefined;
  let literals = -1;
  for (const id of Object.keys(OPERATIONS) as OperationId[]) {
    const template = OPERATIONS[id].path.split("/");
    if (OPERATIONS[id].httpMethod !== method || template.length !== segments.length) continue;
    const isParameter = (part: string) => part.startsWith("{");
    if (!template.every((part, i) => (isParameter(part) ? segments[i] : part === segments[i]))) continue;
    const count = template.filter((part) => !isParameter(part)).length;
    if (count > literals) [found, literals] = [id, count];
  }
  return found;
}
