// The one check of a number option, for every public function that takes one: the same TypeError everywhere.

/** What a number option may be, in the words its error uses. */
const RULES = {
  "a number ≥ 0": (value: number) => Number.isFinite(value) && value >= 0,
  "an integer ≥ 0": (value: number) => Number.isInteger(value) && value >= 0,
  "an integer ≥ 1": (value: number) => Number.isInteger(value) && value >= 1,
};

export type NumberRule = keyof typeof RULES;

/** Throws `TypeError("where: name must be rule.")` unless `value` is undefined or keeps `rule`. */
export function checkNumber(where: string, name: string, value: unknown, rule: NumberRule): void {
  if (value !== undefined && !(typeof value === "number" && RULES[rule](value)))
    throw new TypeError(`${where}: ${name} must be ${rule}.`);
}
