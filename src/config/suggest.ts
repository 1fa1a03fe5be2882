/** `maxMemoryRestart` → `max_memory_restart`: PM2 derives camelCase aliases of its keys this way. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Optimal string alignment distance: Levenshtein plus swapping two neighbours, the commonest typo. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name the user most likely meant, or undefined when nothing is close. Compares case-insensitively
 * and also the snake_case form of a camelCase name, so `maxMemoryRestrat` suggests `max_memory_restart`.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const forms = [...new Set([name.toLowerCase(), snakeCase(name)])];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    for (const form of forms) {
      const distance = editDistance(form, candidate.toLowerCase());
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  return bestDistance <= allowed ? best : undefined;
}
