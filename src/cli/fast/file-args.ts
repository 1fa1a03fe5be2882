/** The verbs answered without commander when given nothing but a file: `tend apply FILE`, `tend plan FILE`. */
export type FileVerb = 'apply' | 'plan';

/** `apply FILE` or `plan FILE` and nothing else; null for anything with an option, which goes through commander. */
export function plainFileVerb(args: string[]): { verb: FileVerb; file: string } | null {
  if (args.length !== 2) return null;
  const [verb, file] = args as [string, string];
  if ((verb !== 'apply' && verb !== 'plan') || file.startsWith('-')) return null;
  return { verb, file };
}
