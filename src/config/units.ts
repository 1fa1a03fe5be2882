/** Milliseconds from a number (ms) or a string such as "500ms", "10s", "5m", "1h"; undefined if unreadable. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 'ms'] ?? 1;
  return Math.round(Number(match[1]) * unit);
}

/** Bytes from a number (bytes) or a string such as "512K", "150M", "1G" (×1024ⁿ, as PM2); undefined if unreadable. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*$/i.exec(value);
  if (!match) return undefined;
  const power = ['', 'K', 'M', 'G'].indexOf((match[2] ?? '').toUpperCase());
  const bytes = Math.floor(Number(match[1]) * 1024 ** power);
  return bytes > 0 ? bytes : undefined;
}

/** A whole number from a number or a numeric string (PM2 accepts both). */
export function parseWhole(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * Splits a command-line string into words as a shell would for plain quoting: spaces separate,
 * '…' keeps everything literally, "…" keeps spaces and honours \" and \\, a backslash outside quotes escapes one character.
 */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** A list of words from a string (split like a shell) or a list (items stringified). */
export function toWords(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((item) => String(item));
  return splitArgs(String(value));
}

/**
 * The instance count: a positive number as is; 0 or "max" one per CPU; -n CPUs minus n; never below 1.
 */
export function resolveInstances(value: unknown, cpus: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() === 'max') return Math.max(1, cpus);
  const n = parseWhole(value);
  if (n === undefined) return undefined;
  if (n > 0) return n;
  return Math.max(1, cpus + n);
}
