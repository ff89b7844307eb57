/** What `npm run new-operation` scaffolds, derived from its command line and the spec. */
export interface Plan {
  method: string;
  path: string;
  group: string;
  file: string;
  params: string[];
  examples: Record<string, unknown>;
  operationId: string;
  tag: string;
  scope: string;
}
export function plan(args: string[], root?: string): Plan;
export function pathItem(plan: Plan): string;
export function registered(root: string, plan: Plan): string;
export function sample(plan: Plan): string;
export function withStub(source: string, plan: Plan): string;
