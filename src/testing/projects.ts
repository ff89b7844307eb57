// Projects: the default project, CRUD, and 412 for deleting one that still has resources (seeds: projects.txt).
// New Droplets join the default project, as they do in the API when no project is named.
import {
  FakeError,
  iso,
  notFound,
  OWNER_ID,
  OWNER_UUID,
  page,
  save,
  unprocessable,
  uuid,
  type Handlers,
  type Project,
  type State,
} from "./state.js";

export function defaultProject(state: State): Project {
  return [...state.projects.values()].find((p) => p.is_default)!;
}

function getProject(state: State, id: string): Project {
  const project = state.projects.get(id);
  if (!project) throw notFound(`Project ${id}`);
  return project;
}

/** Applies the writable fields of a PUT or PATCH body; `is_default: true` moves the default here. */
function update(state: State, project: Project, body: Partial<Project>): Project {
  if (body.is_default === false && project.is_default)
    throw unprocessable("The default project cannot stop being the default; make another project the default instead.");
  const updated = { ...project, updated_at: iso(state.now) };
  for (const key of ["name", "description", "purpose", "environment", "is_default"] as const)
    if (body[key] !== undefined) Object.assign(updated, { [key]: body[key] });
  const undone = [...state.projects.values()].filter((p) => updated.is_default && p !== project && p.is_default);
  save(state, "projects", updated, ...undone.map((p) => ({ ...p, is_default: false })));
  return updated;
}

export const projectHandlers: Handlers<"projects"> = {
  projects_list: (req, state) => ({ status: 200, body: page(state, req, "projects", [...state.projects.values()]) }),
  projects_create: (req, state) => {
    const { name, description = "", purpose, environment } = req.body;
    if ([...state.projects.values()].some((p) => p.name === name))
      throw unprocessable(`A project named ${name} already exists.`);
    const project: Project = {
      id: uuid(),
      owner_uuid: OWNER_UUID,
      owner_id: OWNER_ID,
      name,
      description,
      purpose,
      ...(environment ? { environment } : {}),
      is_default: false,
      created_at: iso(state.now),
      updated_at: iso(state.now),
    };
    save(state, "projects", project);
    return { status: 201, body: { project } };
  },
  projects_get_default: (_req, state) => ({ status: 200, body: { project: defaultProject(state) } }),
  projects_update_default: (req, state) => ({
    status: 200,
    body: { project: update(state, defaultProject(state), req.body) },
  }),
  projects_patch_default: (req, state) => ({
    status: 200,
    body: { project: update(state, defaultProject(state), req.body) },
  }),
  projects_get: (req, state) => ({ status: 200, body: { project: getProject(state, req.path.project_id) } }),
  projects_update: (req, state) => ({
    status: 200,
    body: { project: update(state, getProject(state, req.path.project_id), req.body) },
  }),
  projects_patch: (req, state) => ({
    status: 200,
    body: { project: update(state, getProject(state, req.path.project_id), req.body) },
  }),
  projects_delete: (req, state) => {
    const project = getProject(state, req.path.project_id);
    const resources = [...state.droplets.values()].filter((r) => r.projectId === project.id).length;
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
    state.projects.delete(project.id);
    return { status: 204, body: undefined };
  },
};
