// The regions, sizes and images the fake knows: the objects in the spec's examples, the region and size slugs
// those examples list (each built from its example's object, with what its slug says), public distribution images
// named like the example's (`ubuntu-24-04-x64`), and what a test adds with the `catalogue` option.
import type { Schema } from "../client.js";
import type { Spec } from "./openapi.js";
import { answerProblems, unprocessable } from "./backend.js";

export type Region = Schema<"Region">;
export type Size = Schema<"Size">;
export type Image = Schema<"Image">;

/** Regions, sizes and images a test adds to the fake's own; each is checked against the spec at start-up. */
export interface CatalogueOptions {
  /** Regions by slug; missing fields are taken from the spec's example region. */
  regions?: (Partial<Region> & { slug: string })[];
  /** Sizes by slug; missing fields are taken from the spec's example size. */
  sizes?: (Partial<Size> & { slug: string })[];
  /** Images by id, slug or both (a custom image or snapshot has no slug); missing fields from the example image. */
  images?: (Partial<Image> & ({ id: number } | { slug: string }))[];
  /**
   * Refuse, with the API's 422, a numeric image id the fake does not know (default false: any other id is taken
   * for a private image or snapshot of the account, as a real account may have).
   */
  strictImages?: boolean;
}

/** What the fake can deploy, and the lookups that refuse anything else as the API does. */
export interface Catalogue {
  regions: Region[];
  sizes: Size[];
  images: Image[];
  /** The region of a slug, or of a slug prefix such as `nyc` (its first datacenter). */
  region(slug: string): Region;
  size(slug: string): Size;
  /** The image of an id or a slug; `owned` are the account's own images, known beside the catalogue's. */
  image(idOrSlug: number | string, owned?: Image[]): Image;
}

/** City names of the region slugs in the spec's examples (the examples name only nyc3). */
const CITIES: Record<string, string> = {
  ams: "Amsterdam",
  blr: "Bangalore",
  fra: "Frankfurt",
  lon: "London",
  nyc: "New York",
  sfo: "San Francisco",
  sgp: "Singapore",
  tor: "Toronto",
};
const DISTRIBUTIONS: Record<string, string> = {
  ubuntu: "Ubuntu",
  debian: "Debian",
  fedora: "Fedora",
  centos: "CentOS",
  rockylinux: "Rocky Linux",
  almalinux: "AlmaLinux",
};
const SIZE_SLUG = /^s-(\d+)vcpu-(\d+)gb?$/;
/** A GPU size, `gpu-<chip>x<count>-<vram>gb` (`gpu-h100x1-80gb`): what its `gpu_info` says, in its slug. */
const GPU_SLUG = /^gpu-([a-z0-9]+)x(\d+)-(\d+)gb$/;
const IMAGE_SLUG = /^([a-z]+)-(\d+(?:-\d+)?)-x64$/;

/** Every object under `key` in the spec's response examples that has a slug or an id, first of each first. */
function examples(spec: Spec, key: "region" | "size" | "image"): any[] {
  const found = new Map<string, any>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    for (const [name, value] of Object.entries(node)) {
      if (name === key && value && typeof value === "object" && !Array.isArray(value)) {
        const identity = `${value.slug ?? ""} ${value.id ?? ""}`;
        if (identity !== " " && !found.has(identity)) found.set(identity, structuredClone(value));
      }
      walk(value);
    }
  };
  for (const operation of spec.operations)
    for (const response of Object.values<any>(operation.spec.responses))
      walk(spec.resolve(response)?.content?.["application/json"]?.example);
  return [...found.values()];
}

/** A number for a derived image's id: the same slug gets the same id in every run. */
const imageId = (slug: string) => [...slug].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 900_000_000, 7) + 100_000_000;

function unknown(what: string, asked: number | string, known: string[]): never {
  throw unprocessable(
    `You specified an invalid ${what}: ${JSON.stringify(asked)}. The fake knows ${known.join(", ")}; ` +
      "add others with startFakeDigitalOcean({ catalogue }).",
  );
}

/** Refuses, with a TypeError, an added region, size or image that a Droplet's answer could not show. */
function checkAdded(spec: Spec, catalogue: Pick<Catalogue, "regions" | "sizes" | "images">, added: CatalogueOptions) {
  const operation = spec.operations.find((o) => o.operationId === "droplets_get")!;
  const { droplet } = spec.resolve(operation.spec.responses["200"]).content["application/json"].example;
  for (const key of ["regions", "sizes", "images"] as const) {
    const list: { slug?: string | null; id?: number }[] = catalogue[key];
    for (const entry of list.slice(list.length - (added[key]?.length ?? 0))) {
      const problems = answerProblems(spec, "droplets_get", { droplet: { ...droplet, [key.slice(0, -1)]: entry } });
      if (problems.length)
        throw new TypeError(
          `startFakeDigitalOcean: catalogue.${key}: ${JSON.stringify(entry.slug ?? entry.id)} breaks the spec: ${problems.join("; ")}`,
        );
    }
  }
}

/** The catalogue from the spec's examples and `added`; a TypeError when an added entry breaks the spec. */
export function loadCatalogue(spec: Spec, added: CatalogueOptions = {}): Catalogue {
  const [region] = examples(spec, "region") as Region[];
  const [size] = examples(spec, "size") as Size[];
  const images = examples(spec, "image") as Image[];
  const [image] = images;
  if (!region || !size || !image) throw new Error("The spec's examples have no region, size and image.");
  const regionSlugs = [...new Set([region.slug, ...size.regions, ...images.flatMap((i) => i.regions ?? [])])];
  const sizeSlugs = [...new Set([size.slug, ...region.sizes])];

  const regionOf = (slug: string): Region => {
    const city = CITIES[slug.replace(/\d+$/, "")];
    const name = slug === region.slug ? region.name : city ? `${city} ${slug.replace(/^\D+/, "")}` : slug;
    return { ...region, slug, name, sizes: sizeSlugs };
  };
  const gpu = spec.resolve({ $ref: "#/components/schemas/GpuInfo" }) as { properties: { model: { example: string } } };
  const vendor = gpu.properties.model.example.replace(/_.*$/, "");
  const gpuOf = (slug: string): Size | undefined => {
    const [, chip, count, vram] = GPU_SLUG.exec(slug) ?? [];
    if (!chip) return undefined;
    const gpu_info = { count: Number(count), model: `${vendor}_${chip}`, vram: { amount: Number(vram), unit: "gib" } };
    return { ...size, slug, description: "GPU", gpu_info, regions: regionSlugs };
  };
  const sizeOf = (slug: string): Size => {
    if (slug === size.slug) return { ...size, regions: regionSlugs };
    const [, vcpus, gigabytes] = SIZE_SLUG.exec(slug)!.map(Number) as [number, number, number];
    const scale = (n: number) => n * (gigabytes / (size.memory / 1024));
    return {
      ...size,
      slug,
      vcpus,
      memory: gigabytes * 1024,
      disk: scale(size.disk),
      transfer: scale(size.transfer),
      price_monthly: scale(size.price_monthly),
      price_hourly: scale(size.price_hourly),
      regions: regionSlugs,
    };
  };
  const distribution = (slug: string): Image | undefined => {
    const [, name = "", version = ""] = IMAGE_SLUG.exec(slug) ?? [];
    if (!DISTRIBUTIONS[name]) return undefined;
    return {
      ...image,
      id: imageId(slug),
      slug,
      distribution: DISTRIBUTIONS[name],
      name: `${version.replace("-", ".")} x64`,
      type: "base",
      regions: regionSlugs,
    };
  };

  // An image of the account the fake was not told about: all it knows is the id.
  const privateImage = (id: number): Image => ({
    ...image,
    id,
    name: `private-image-${id}`,
    type: "snapshot",
    slug: null,
    public: false,
    regions: regionSlugs,
  });

  const catalogue = {
    regions: [...regionSlugs.map(regionOf), ...(added.regions ?? []).map((r) => ({ ...regionOf(r.slug), ...r }))],
    sizes: [
      ...sizeSlugs.map(sizeOf),
      ...(added.sizes ?? []).map((s) => ({ ...(gpuOf(s.slug) ?? size), regions: regionSlugs, ...s })),
    ],
    images: [...images, ...(added.images ?? []).map((i) => ({ ...image, slug: null, ...i }) as Image)],
  };
  checkAdded(spec, catalogue, added);
  const last = <T extends { slug?: string | null }>(list: T[], slug: string) => list.findLast((x) => x.slug === slug);
  const known = <T>(list: T[], name: (x: T) => unknown) => [...new Set(list.map(name).filter(Boolean))] as string[];
  return {
    ...catalogue,
    region: (slug) =>
      last(catalogue.regions, slug) ??
      catalogue.regions.find((r) => r.slug.replace(/\d+$/, "") === slug) ??
      unknown(
        "region",
        slug,
        known(catalogue.regions, (r) => r.slug),
      ),
    size: (slug) =>
      last(catalogue.sizes, slug) ??
      (SIZE_SLUG.test(slug) ? sizeOf(slug) : gpuOf(slug)) ??
      unknown("size", slug, [...known(catalogue.sizes, (s) => s.slug), "GPU slugs such as gpu-h100x1-80gb"]),
    image: (asked, owned = []) =>
      (typeof asked === "number"
        ? (catalogue.images.findLast((i) => i.id === asked) ??
          owned.find((i) => i.id === asked) ??
          (added.strictImages ? undefined : privateImage(asked)))
        : (last(catalogue.images, asked) ?? distribution(asked))) ??
      unknown("image", asked, [
        ...known(catalogue.images, (i) => i.slug),
        ...known(catalogue.images, (i) => i.id),
        "public distribution slugs such as ubuntu-24-04-x64",
      ]),
  };
}
