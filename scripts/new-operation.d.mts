/** What `npm run new-operation` scaffolds, derived from its command line and the spec. */
export interface Plan {
  method: string;
  path: string;
  group: string;
  file: string;
  /** The path's file exists: the method is added to it. */
  adding: boolean;
  /** A GET of a collection: named `<group>_list_<items>`, with page and per_page. */
  list: boolean;
  /** What a list's answer holds its items under: the path's last literal segment. */
  items: string;
  params: string[];
  examples: Record<string, unknown>;
  operationId: string;
  tag: string;
  scope: string;
}
export function plan(args: string[], root?: string): Plan;
export function pathItem(plan: Plan, existing?: string): string;
export function registered(root: string, plan: Plan): string;
export function sample(plan: Plan): string;
export function withStub(source: string, plan: Plan): string;
