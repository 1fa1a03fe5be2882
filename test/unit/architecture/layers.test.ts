import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SRC = join(ROOT, 'src');

/**
 * The layers of src/ and what each may import: the table ARCHITECTURE.md draws. A new edge between folders is a
 * design decision: add it here and to ARCHITECTURE.md together, and only if the graph stays acyclic.
 */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  config: ['core'],
  supervisor: ['core', 'config'],
  logs: ['core', 'config'],
  plan: ['core', 'config', 'supervisor'],
  export: ['core', 'config'],
  deploy: ['core', 'config'],
  api: ['core', 'config', 'plan', 'supervisor'],
  metrics: ['core', 'supervisor', 'api'],
  probe: ['core', 'config'],
  serve: [],
  sync: ['core'],
  runtime: ['core', 'config', 'logs'],
  dashboard: ['core', 'api', 'metrics', 'runtime'],
  daemon: ['core', 'config', 'supervisor', 'logs', 'plan', 'api', 'probe', 'runtime', 'dashboard'],
  cli: ['core', 'config', 'logs', 'plan', 'api', 'probe', 'runtime', 'dashboard', 'deploy', 'export', 'sync'],
  container: ['core', 'config', 'supervisor', 'logs', 'runtime', 'daemon'],
};

interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

// Static imports and re-exports (type-only ones too: a type edge is a dependency of the design), and dynamic import().
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2];
      if (!spec || spec.endsWith('.html')) continue;
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      edges.push({ from: relative(SRC, file), to: relative(SRC, target) });
    }
  }
  return edges;
}

const folderOf = (file: string): string => file.split('/')[0] ?? file;

/** The nodes of every cycle in a directed graph (Tarjan's strongly connected components of two or more nodes). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

function graphOf(edges: Edge[], key: (file: string) => string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const [a, b] = [key(from), key(to)];
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    if (a !== b || key === identity) graph.get(a)!.add(b);
  }
  return graph;
}

const identity = (file: string): string => file;

describe('the layers of src/', () => {
  const edges = importEdges();

  it('finds the imports it checks (the scan itself works)', () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges).toContainEqual({ from: 'daemon/executor.ts', to: 'plan/types.ts' });
  });

  it('every folder of src/ is a declared layer, and each imports only the layers below it', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.sort()).toEqual(Object.keys(ALLOWED).sort());
    const outside = edges
      .filter(({ from, to }) => folderOf(from) !== folderOf(to))
      .filter(({ from, to }) => !ALLOWED[folderOf(from)]?.includes(folderOf(to)))
      .map(({ from, to }) => `${from} → ${to}`);
    expect(outside).toEqual([]);
  });

  it('the allowed folder graph has no cycle', () => {
    const graph = new Map(Object.entries(ALLOWED).map(([from, to]) => [from, new Set(to)]));
    expect(cycles(graph)).toEqual([]);
  });

  it('no file imports itself through other files', () => {
    expect(cycles(graphOf(edges, identity))).toEqual([]);
  });

  it('ARCHITECTURE.md names every layer in its table', () => {
    const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    const missing = Object.keys(ALLOWED).filter((folder) => !doc.includes(`| \`${folder}/\` |`));
    expect(missing).toEqual([]);
  });
});

describe('the cycle finder', () => {
  it('finds a cycle of three and a self-loop, and nothing in a DAG', () => {
    const graph = (pairs: Array<[string, string]>) =>
      graphOf(
        pairs.map(([from, to]) => ({ from, to })),
        identity,
      );
    expect(
      cycles(
        graph([
          ['a', 'b'],
          ['b', 'c'],
          ['c', 'a'],
          ['c', 'd'],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
    expect(cycles(graph([['x', 'x']]))).toEqual([['x']]);
    expect(
      cycles(
        graph([
          ['a', 'b'],
          ['a', 'c'],
          ['b', 'c'],
        ]),
      ),
    ).toEqual([]);
  });
});
