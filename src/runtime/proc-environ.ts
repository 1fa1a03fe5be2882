import { readFileSync } from 'node:fs';

/**
 * A live process's environment as `NAME=value` entries, or null (gone, or another user's): how tend tells its own
 * processes, and what they left behind, from anything else on the machine.
 */
export function environOf(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return null;
  }
}

/** The value of one variable among `NAME=value` entries. */
export function valueIn(vars: readonly string[], name: string): string | undefined {
  return vars.find((v) => v.startsWith(`${name}=`))?.slice(name.length + 1);
}
