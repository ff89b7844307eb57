// Fuzzing the fake: for every operation of the spec, random requests that the spec accepts (generated from the
// operation's parameter and body schemas, with the ids of real resources in paths and id fields), over several
// rounds in a random order. The fake must never answer ≥ 500, never break the spec (fake.problems), and every list
// must still answer 200 at the end. Seeded: FUZZ_SEED=<n> replays a run; the fake's clock moves only by the seed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationsOf } from "../src/spec.js";
import { loadCatalogue } from "../src/testing/catalogue.js";
import { type FakeDigitalOcean, startFakeDigitalOcean } from "../src/testing/index.js";
import { loadSpec, type Operation } from "../src/testing/openapi.js";
import { ROOT } from "./helpers/spec.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_204);
const ROUNDS = 12;
/** Attempts to draw a request the spec accepts before the generator counts as unable to. */
const DRAWS = 40;
const spec = loadSpec();
type Json = Record<string, any>;
/** Each operation's parameters, the path item's included, resolved (the spec module's view). */
const parametersOf = new Map(
  operationsOf(JSON.parse(readFileSync(join(ROOT, "generated/openapi.json"), "utf8"))).map((o) => [
    o.operationId,
    o.parameters as Json[],
  ]),
);

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function generator(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(SEED);
const chance = (p: number) => random() < p;
const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[between(0, 15)]).join("");
const someUuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;

/** Ids of the fake's resources now, by what names them in paths and bodies. */
interface Ids {
  vpc: string[];
  droplet: number[];
  project: string[];
  reservedIpv6: string[];
  attachment: string[];
  /** Peering ids by VPC id. */
  peerings: Map<string, string[]>;
}

/** A string matching `pattern` when it is a single character class (`^[a-zA-Z0-9.-]+$`, the spec's kind). */
function fromPattern(pattern: string, length: number): string | undefined {
  const match = /^\^\[(.+)\][+*]\$$/.exec(pattern);
  if (!match) return undefined;
  const chars: string[] = [];
  const body = match[1]!.replace(/\\(.)/g, "$1");
  for (let i = 0; i < body.length; i++) {
    if (body[i + 1] === "-" && i + 2 < body.length) {
      for (let c = body.charCodeAt(i); c <= body.charCodeAt(i + 2); c++) chars.push(String.fromCharCode(c));
      i += 2;
    } else chars.push(body[i]!);
  }
  return Array.from({ length }, () => pick(chars)).join("");
}

/** What the fake deploys, by the slugs and ids a create names. */
const catalogue = loadCatalogue(spec);
const slugs = (list: { slug?: string | null }[]) => list.flatMap((x) => (x.slug ? [x.slug] : []));

/** Mostly a real value for a field that names a resource or a catalogue entry, by its name; else undefined. */
function known(name: string, ids: Ids): unknown {
  const from: unknown[] | undefined = {
    vpc_uuid: ids.vpc,
    vpc_id: ids.vpc,
    parent_uuid: ids.attachment,
    region: slugs(catalogue.regions),
    region_slug: slugs(catalogue.regions),
    size: slugs(catalogue.sizes),
    image: [...slugs(catalogue.images), ...catalogue.images.map((i) => i.id)],
  }[name];
  return from?.length && chance(0.8) ? pick(from) : undefined;
}

/** A random value of `schema`, often one of its examples. `name` is the property's, for real ids. */
function sample(node: unknown, ids: Ids, name = ""): unknown {
  const schema: Json = spec.resolve(node) ?? {};
  const real = known(name, ids);
  if (real !== undefined) return real;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return pick(schema.enum);
  const examples = [...(schema.examples ?? []), ...(schema.example === undefined ? [] : [schema.example])];
  // Names are unique on the account: an example name is taken after its first use.
  if (examples.length && chance(name === "name" ? 0.2 : 0.6)) return structuredClone(pick(examples));
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches) return sample(pick(branches), ids, name);
  const type = Array.isArray(schema.type) ? pick(schema.type) : (schema.type ?? "object");
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return chance(0.5);
    case "integer":
    case "number":
      return between(schema.minimum ?? 0, Math.min(schema.maximum ?? 1000, (schema.minimum ?? 0) + 1000));
    case "string":
      return string(schema);
    case "array": {
      const count = between(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, (schema.minItems ?? 0) + 3));
      const itemName = name === "vpc_ids" ? "vpc_id" : name;
      return Array.from({ length: count }, () => sample(schema.items, ids, itemName));
    }
    default:
      return object(schema, ids);
  }
}

function string(schema: Json): string {
  const length = between(schema.minLength ?? 1, Math.min(schema.maxLength ?? 12, (schema.minLength ?? 1) + 12));
  if (schema.format === "uuid") return someUuid();
  if (schema.format === "date-time") return new Date(between(0, 2e9) * 1000).toISOString();
  if (schema.format === "ipv6") return `2001:db8:${between(1, 9)}:${between(1, 9)}::`;
  if (schema.format === "ipv4") return `10.${between(0, 255)}.${between(0, 255)}.${between(1, 254)}`;
  if (schema.pattern) return fromPattern(schema.pattern, length) ?? "";
  return fromPattern("^[a-z0-9-]+$", length)!;
}

function object(schema: Json, ids: Ids): Json {
  const required = new Set<string>(schema.required ?? []);
  const entries = Object.entries<Json>(schema.properties ?? {}).filter(
    ([key, property]) => required.has(key) || (!spec.resolve(property)?.readOnly && chance(0.5)),
  );
  return Object.fromEntries(entries.map(([key, property]) => [key, sample(property, ids, key)]));
}

/** The real ids a path parameter can take, given the values chosen before it (a peering, of the VPC chosen). */
function resources(name: string, ids: Ids, chosen: Json): unknown[] {
  const real: Record<string, unknown[]> = {
    vpc_id: ids.vpc,
    droplet_id: ids.droplet,
    project_id: ids.project,
    reserved_ipv6: ids.reservedIpv6,
    pa_id: ids.attachment,
    vpc_peering_id: ids.peerings.get(chosen.vpc_id) ?? [],
  };
  return real[name] ?? [];
}

/** A path parameter's value: mostly a real resource's id, sometimes any value of its type (a 404). */
function pathValue(parameter: Json, chosen: Json, ids: Ids): unknown {
  const real = resources(parameter.name, ids, chosen);
  return real.length && chance(0.9) ? pick(real) : sample(parameter.schema, ids);
}

interface Draw {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** A request to `operation` that the spec accepts, or undefined when none was drawn in {@link DRAWS} tries. */
function draw(operation: Operation, ids: Ids): Draw | undefined {
  const parameters: Json[] = parametersOf.get(operation.operationId)!;
  const requestBody = spec.resolve(operation.spec.requestBody);
  for (let attempt = 0; attempt < DRAWS; attempt++) {
    const path: Json = {};
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    for (const parameter of parameters.filter((p) => p.in === "path"))
      path[parameter.name] = pathValue(parameter, path, ids);
    for (const parameter of parameters.filter((p) => p.in !== "path" && (p.required || chance(0.5)))) {
      const value = String(sample(parameter.schema, ids));
      if (parameter.in === "query") query.append(parameter.name, value);
      else headers[parameter.name.toLowerCase()] = value;
    }
    const body =
      requestBody && (requestBody.required || chance(0.8))
        ? sample(requestBody.content["application/json"].schema, ids)
        : undefined;
    const raw = { path: Object.fromEntries(Object.entries(path).map(([k, v]) => [k, String(v)])), query, headers };
    if (typeof spec.parameters(operation, raw) === "string" || spec.body(operation, body).refused) continue;
    const url = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(String(path[name])).replace(/%3A/gi, ":"),
    );
    return { method: operation.method, path: query.size ? `${url}?${query}` : url, headers, body };
  }
  return undefined;
}

/** Whether an operation lists: its answer is paginated (`meta`), or it takes no id. */
function isList(operation: Operation): boolean {
  const example = spec.resolve(operation.spec.responses["200"])?.content?.["application/json"]?.example;
  return "meta" in (example ?? {}) || !operation.path.includes("{");
}

/** The URL paths of an operation for every real resource it takes (peerings by each VPC's). */
function paths(operation: Operation, ids: Ids): string[] {
  const names = [...operation.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const choices: Json[] = [{}];
  for (const name of names) {
    const next: Json[] = [];
    for (const chosen of choices) for (const id of resources(name, ids, chosen)) next.push({ ...chosen, [name]: id });
    choices.splice(0, choices.length, ...next);
  }
  return choices.map((chosen) => operation.path.replace(/\{(\w+)\}/g, (_, name: string) => String(chosen[name])));
}

let fake: FakeDigitalOcean;
let now = Date.parse("2026-01-01T00:00:00Z");
beforeAll(async () => {
  fake = await startFakeDigitalOcean({ provisionMs: 1_000, clock: () => now });
});
afterAll(() => fake?.close());

async function send({ method, path, headers, body }: Draw) {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${fake.token}`,
      ...headers,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text };
}
const list = async (path: string, key: string): Promise<Json[]> =>
  (JSON.parse((await send({ method: "GET", path: `${path}?per_page=200`, headers: {} })).text)[key] ?? []) as Json[];

async function currentIds(): Promise<Ids> {
  const vpcs = await list("/v2/vpcs", "vpcs");
  const peerings = new Map<string, string[]>();
  for (const vpc of vpcs)
    peerings.set(
      vpc.id,
      (await list(`/v2/vpcs/${vpc.id}/peerings`, "peerings")).map((p) => p.id),
    );
  return {
    vpc: vpcs.map((v) => v.id),
    droplet: (await list("/v2/droplets", "droplets")).map((d) => d.id),
    project: (await list("/v2/projects", "projects")).map((p) => p.id),
    reservedIpv6: (await list("/v2/reserved_ipv6", "reserved_ipv6s")).map((r) => r.ip),
    attachment: (await list("/v2/partner_network_connect/attachments", "partner_attachments")).map((a) => a.id),
    peerings,
  };
}

describe(`fuzzing the fake (FUZZ_SEED=${SEED})`, () => {
  it("answers random spec-valid requests to every operation without a 5xx or a broken answer, and stays sound", async () => {
    const failures: string[] = [];
    const statuses = new Map<string, number[]>();
    const undrawn = new Set(spec.operations.map((o) => o.operationId));
    let ids = await currentIds();
    for (let round = 0; round < ROUNDS; round++) {
      const order = [...spec.operations].sort(() => random() - 0.5);
      for (const operation of order) {
        now += between(0, 1_500);
        const request = draw(operation, ids);
        if (!request) continue;
        undrawn.delete(operation.operationId);
        const { status, text } = await send(request);
        if (process.env.FUZZ_LOG) console.log(status, request.method, request.path, JSON.stringify(request.body), text);
        statuses.set(operation.operationId, [...(statuses.get(operation.operationId) ?? []), status]);
        if (status >= 500)
          failures.push(`${status} ${request.method} ${request.path} ${JSON.stringify(request.body)}: ${text}`);
        if (request.method !== "GET" && status < 300) ids = await currentIds();
      }
    }
    const replay = `(replay with FUZZ_SEED=${SEED})`;
    expect(failures, replay).toEqual([]);
    expect(fake.problems, replay).toEqual([]);
    expect([...undrawn], `the generator drew no spec-valid request for these ${replay}`).toEqual([]);
    // The fuzz reached state, not just refusals: most operations succeeded at least once.
    const succeeded = [...statuses].filter(([, s]) => s.some((status) => status < 300)).length;
    expect(succeeded, JSON.stringify(Object.fromEntries(statuses))).toBeGreaterThan(spec.operations.length / 2);

    // Every list still answers 200, for every resource it can list; every other GET of a resource left, < 500.
    ids = await currentIds();
    for (const operation of spec.operations.filter((o) => o.method === "GET")) {
      for (const path of paths(operation, ids)) {
        const { status, text } = await send({ method: "GET", path, headers: {} });
        if (status >= 500 || (isList(operation) && status !== 200)) failures.push(`${status} GET ${path}: ${text}`);
      }
    }
    expect(failures, replay).toEqual([]);
    expect(fake.problems, replay).toEqual([]);
  }, 50_000);
});
