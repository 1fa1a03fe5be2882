/** A `--only a,b c` value as names: split on commas and spaces. */
export function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(/[,\s]+/).filter(Boolean);
}
