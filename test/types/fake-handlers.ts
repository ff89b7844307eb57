// Type tests for the fake's handlers (src/testing/): each is typed by its operation's contract, so a handler whose
// reply breaks the spec fails `tsc`. Checked by `tsc --noEmit` (npm run typecheck, part of npm test); never executed.
import type { Handler } from "../../src/testing/backend.js";
import type { State } from "../../src/testing/state.js";

type Get = Handler<"vpcs_get">;
const vpc = (state: State, id: string) => state.vpcs.get(id)!;

// A documented answer compiles: the VPC at 200.
export const right: Get = (req, state) => ({ status: 200, body: { vpc: vpc(state, req.path.vpc_id) } });

// @ts-expect-error a VPC answered under the Droplet's envelope
export const wrongEnvelope: Get = (req, state) => ({ status: 200, body: { droplet: vpc(state, req.path.vpc_id) } });

// @ts-expect-error a field of the wrong type: a VPC's name is a string
export const wrongField: Get = () => ({ status: 200, body: { vpc: { id: "a", name: 42 } } });

// @ts-expect-error a status the operation does not document (vpcs_get answers 200, 401, 404, 429 and 500)
export const wrongStatus: Get = (req, state) => ({ status: 201, body: { vpc: vpc(state, req.path.vpc_id) } });

// @ts-expect-error a 204 carries no body
export const bodyOnNoContent: Handler<"vpcs_delete"> = () => ({ status: 204, body: { deleted: true } });

// @ts-expect-error a path parameter the operation does not have
export const wrongParameter: Get = (req) => ({ status: 404, body: { id: "x", message: `${req.path.droplet_id}` } });
