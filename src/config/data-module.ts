/**
 * A CommonJS ecosystem file that is nothing but `module.exports = <JSON>;` (what a script that writes the file with
 * `JSON.stringify` makes, as the 1,000-app file of the bench): running it can only give that value, so it is parsed as JSON instead of compiled
 * and run. At 1,000 apps (245 KB) V8's compile and run of the literal, and the copy that checks what code exported,
 * cost more than all the rest of reading the file. Anything else in the text (a comment, a `require`, a template
 * string, a trailing statement) makes the JSON parse fail, and the file is run as code, as before.
 */
const PREFIX = /^\s*module\.exports\s*=\s*/;

/**
 * The value a file whose whole text is `module.exports = <JSON>;` exports, or undefined when the text is anything else.
 * `__proto__` is refused, however it is spelled (`\u` escapes): JSON makes it a key, an object literal in code sets the
 * prototype with it. Files with escapes are rare enough to be run as code.
 */
export function jsonModuleData(text: string): { data: unknown } | undefined {
  const prefix = PREFIX.exec(text);
  if (prefix === null) return undefined;
  let body = text.slice(prefix[0].length).trimEnd();
  if (body.endsWith(';')) body = body.slice(0, -1);
  const first = body[0];
  if (first !== '{' && first !== '[') return undefined;
  if (body.includes('__proto__') || body.includes('\\u')) return undefined;
  try {
    return { data: JSON.parse(body) };
  } catch {
    return undefined;
  }
}
