/** `--only a,b --only c` → ['a', 'b', 'c']: PM2 accepts commas and spaces. */
export function parseOnly(only: readonly string[]): string[] {
  return only.flatMap((item) => item.split(/[\s,]+/)).filter((name) => name !== '');
}

/** The `--only` names that match no app, so the caller can say which names exist. */
export function unknownOnlyNames(only: readonly string[], known: readonly string[]): string[] {
  return only.filter((name) => !known.includes(name));
}
