/** A short rendering of what the user wrote, for `...; got "lots"`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list (${shorten(JSON.stringify(value))})`;
  if (value !== null && typeof value === 'object') return `a mapping (${shorten(JSON.stringify(value))})`;
  return shorten(JSON.stringify(value) ?? String(value));
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
