// Projects (seeds: projects.txt): the default project, CRUD, and 412 for deleting one that still has resources. The
// project backend owns the projects; new Droplets join the default project, as they do in the API when no project is
// named, and it asks the Droplet backend which Droplets a project has.
import { randomBytes } from "node:crypto";
import {
  FakeError,
  iso,
  notFound,
  page,
  Records,
  unprocessable,
  uuid,
  type Backend,
  type Handlers,
  type Kind,
  type Schemas,
} from "./backend.js";
import type { State } from "./state.js";

export type Project = Schemas["Project"] & { id: string; is_default: boolean };
/** What a saved account holds of this group. */
export interface ProjectState {
  projects: Project[];
}

const PROJECT: Kind<Project> = { name: "projects", key: (p) => p.id, answer: "projects_get", property: "project" };
/** A new account's default project, as the reference's example shows it. */
const FIRST_PROJECT = {
  name: "first-project",
  description: "Update your project information under Settings",
  purpose: "Just trying out DigitalOcean",
  environment: "Development",
} as const;
const OWNER_UUID = randomBytes(20).toString("hex");
const OWNER_ID = 258992;

export class ProjectBackend implements Backend<ProjectState> {
  readonly #account: State;
  readonly #projects: Records<Project>;

  /** A new account's backend: its default project only. */
  constructor(account: State) {
    this.#account = account;
    this.#projects = new Records(account, PROJECT);
    this.#projects.reset([this.#draft(FIRST_PROJECT, true)]);
  }

  /** The project of `id`; a 404 when the account has none. */
  get(id: string): Project {
    const project = this.#projects.find(id);
    if (!project) throw notFound(`Project ${id}`);
    return project;
  }

  getDefault(): Project {
    return this.values().find((p) => p.is_default)!;
  }

  values(): Project[] {
    return this.#projects.values();
  }

  create(body: { name: string; description?: string; purpose: string; environment?: Project["environment"] }): Project {
    if (this.values().some((p) => p.name === body.name))
      throw unprocessable(`A project named ${body.name} already exists.`);
    const project = this.#draft(body, false);
    this.#projects.save(project);
    return project;
  }

  /** Applies the writable fields of a PUT or PATCH body; `is_default: true` moves the default here. */
  update(project: Project, body: Partial<Project>): Project {
    if (body.is_default === false && project.is_default)
      throw unprocessable(
        "The default project cannot stop being the default; make another project the default instead.",
      );
    const updated = { ...project, updated_at: iso(this.#account.now) };
    for (const key of ["name", "description", "purpose", "environment", "is_default"] as const)
      if (body[key] !== undefined) Object.assign(updated, { [key]: body[key] });
    const undone = this.values().filter((p) => updated.is_default && p !== project && p.is_default);
    this.#projects.save(updated, ...undone.map((p) => ({ ...p, is_default: false })));
    return updated;
  }

  /** Deletes a project; a 412 while it has resources, or is the default. */
  delete(id: string): void {
    const project = this.get(id);
    const resources = this.#account.droplets.inProject(project.id).length;
    if (resources)
      throw new FakeError(
        412,
        "precondition_failed",
        `Project ${project.name} still has ${resources} resource(s): move or remove them first.`,
      );
    if (project.is_default)
      throw new FakeError(
        412,
        "precondition_failed",
        `Project ${project.name} is the default project: make another project the default first.`,
      );
    this.#projects.delete(project.id);
  }

  snapshot(): ProjectState {
    return { projects: this.values() };
  }

  restore(saved: ProjectState): void {
    this.#projects.reset(saved.projects);
  }

  #draft(
    { name, description, purpose, environment }: Parameters<ProjectBackend["create"]>[0],
    isDefault: boolean,
  ): Project {
    const { now } = this.#account;
    return {
      id: uuid(),
      owner_uuid: OWNER_UUID,
      owner_id: OWNER_ID,
      name,
      description: description ?? "",
      purpose,
      ...(environment ? { environment } : {}),
      is_default: isDefault,
      created_at: iso(now),
      updated_at: iso(now),
    };
  }
}

export const projectHandlers: Handlers<"projects"> = {
  projects_list: (req, state) => ({ status: 200, body: page(state, req, "projects", state.projects.values()) }),
  projects_create: (req, state) => ({ status: 201, body: { project: state.projects.create(req.body) } }),
  projects_get_default: (_req, state) => ({ status: 200, body: { project: state.projects.getDefault() } }),
  projects_update_default: (req, state) => ({
    status: 200,
    body: { project: state.projects.update(state.projects.getDefault(), req.body) },
  }),
  projects_patch_default: (req, state) => ({
    status: 200,
    body: { project: state.projects.update(state.projects.getDefault(), req.body) },
  }),
  projects_get: (req, state) => ({ status: 200, body: { project: state.projects.get(req.path.project_id) } }),
  projects_update: (req, state) => ({
    status: 200,
    body: { project: state.projects.update(state.projects.get(req.path.project_id), req.body) },
  }),
  projects_patch: (req, state) => ({
    status: 200,
    body: { project: state.projects.update(state.projects.get(req.path.project_id), req.body) },
  }),
  projects_delete: (req, state) => {
    state.projects.delete(req.path.project_id);
    return { status: 204, body: undefined };
  },
};
