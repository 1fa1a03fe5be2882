// The table (terminal and README), the JSON under bench/results/, and bench/RESULTS.md for a full run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCell, formatRatio, formatValue, ratio, summarise } from './stats.mjs';

/** Medians, ratios and the goal verdict of one row. */
export function evaluate(row) {
  const tend = summarise(row.samples.tend);
  const pm2 = summarise(row.samples.pm2);
  const floor =
    row.floorConst !== undefined
      ? { median: row.floorConst, n: 1, min: row.floorConst, max: row.floorConst }
      : summarise(row.samples.floor);
  const m = { tend: tend?.median ?? null, pm2: pm2?.median ?? null, floor: floor?.median ?? null };
  let target = null;
  try {
    target = row.goal.target(m);
  } catch {
    target = null;
  }
  const usable = m.tend !== null && target !== null && Number.isFinite(target);
  const met = usable ? (row.higherIsBetter ? m.tend >= target : m.tend <= target) : null;
  return {
    tend,
    pm2,
    floor,
    target,
    met,
    vsPm2: ratio(m.tend, m.pm2),
    vsFloor: row.floorConst === 0 ? null : ratio(m.tend, m.floor),
  };
}

/** The markdown table, one line per row. */
export function table(rows) {
  const lines = [
    '| scenario | floor | PM2 | tend | tend/PM2 | tend/floor | goal for tend | met |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const e = evaluate(row);
    const floorCell =
      row.floorConst !== undefined
        ? String(row.floorConst)
        : e.floor
          ? `${formatCell(e.floor, row.unit, row.failures.floor)} (${row.floorLabel})`
          : row.failures.floor
            ? `failed: ${row.failures.floor}`
            : '—';
    const pm2Cell = row.tools.includes('pm2') ? formatCell(e.pm2, row.unit, row.failures.pm2) : '—';
    const tendCell = formatCell(e.tend, row.unit, row.failures.tend);
    // A row for information only has no target: nothing to meet.
    const metCell = !row.goal.target ? '—' : e.met === null ? '?' : e.met ? 'yes' : 'no';
    lines.push(
      `| ${row.title} | ${floorCell} | ${pm2Cell} | ${tendCell} | ${formatRatio(e.vsPm2)} | ${formatRatio(e.vsFloor)} | ${row.goal.text} | ${metCell} |`,
    );
  }
  return lines.join('\n');
}

/** Everything a later reader needs to compare two runs, samples included. */
export function toJson(meta, rows) {
  return {
    ...meta,
    rows: rows.map((row) => {
      const e = evaluate(row);
      return {
        key: row.key,
        scenario: row.scenario,
        title: row.title,
        unit: row.unit,
        goal: row.goal.text,
        target: e.target,
        met: e.met,
        floor:
          row.floorConst !== undefined
            ? { constant: row.floorConst }
            : { label: row.floorLabel ?? null, samples: row.samples.floor, summary: e.floor },
        tend: { samples: row.samples.tend, summary: e.tend },
        pm2: row.tools.includes('pm2') ? { samples: row.samples.pm2, summary: e.pm2 } : null,
        ratios: { tendToPm2: e.vsPm2, tendToFloor: e.vsFloor },
        failures: row.failures,
      };
    }),
  };
}

/** Writes bench/results/<date>-<mode>.json and returns its path. */
export function writeJson(repo, meta, rows) {
  const dir = join(repo, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${meta.date.replace(/[:.]/g, '-')}-${meta.mode}.json`);
  writeFileSync(file, `${JSON.stringify(toJson(meta, rows), null, 2)}\n`);
  return file;
}

/** Sections of bench/notes.md by heading: "method" and "miss: <row key>". */
function readNotes(repo) {
  const file = join(repo, 'bench/notes.md');
  if (!existsSync(file)) return {};
  const notes = {};
  let current = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) {
      current = heading[1].trim();
      notes[current] = [];
    } else if (current) notes[current].push(line);
  }
  return Object.fromEntries(Object.entries(notes).map(([k, v]) => [k, v.join('\n').trim()]));
}

/** How far a missed goal is from being met, in the row's own unit. */
function missText(row, e) {
  const value = formatValue(e.tend.median, row.unit);
  const target = formatValue(e.target, row.unit);
  if (row.unit === 'count') return `${value} against ${target}`;
  const off = row.higherIsBetter ? (1 - e.tend.median / e.target) * 100 : (e.tend.median / e.target - 1) * 100;
  return `${value} against a goal of ${row.goal.text.replace(/^[≤≥<]\s*/, '')} (${target} here): ${off.toFixed(0)} % ${row.higherIsBetter ? 'short' : 'over'}`;
}

/** bench/RESULTS.md: the machine, the table, how each figure is taken, and each missed goal with its cause. */
export function writeResultsMd(repo, meta, rows) {
  const notes = readNotes(repo);
  const out = [
    '# Benchmarks: tend side by side with PM2',
    '',
    `Written by \`npm run bench\` (full run: ${meta.reps} repetitions of every scenario but \`thousand\`, which runs once; tend and PM2 alternately). Do not edit by hand; explanations come from \`bench/notes.md\`.`,
    '',
    `- date: ${meta.date}`,
    `- machine: ${meta.machine.cpus} CPUs (\`nproc\`), ${meta.machine.cpuModel}, ${meta.machine.memoryGiB} GiB memory, Linux ${meta.machine.kernel}`,
    `- node ${meta.node}, PM2 ${meta.pm2Version}, tend ${meta.tendVersion} at commit ${meta.commit}`,
    '',
    'Each cell: median (min–max) over all samples. Ratios compare medians.',
    '',
    table(rows),
    '',
  ];
  const missed = rows
    .map((row) => ({ row, e: evaluate(row) }))
    .filter(({ row, e }) => e.met === false || (row.failures.tend && !e.tend));
  out.push('## Goals tend misses', '');
  if (missed.length === 0) out.push('None in this run.', '');
  for (const { row, e } of missed) {
    out.push(`### ${row.title}`, '');
    out.push(e.tend ? `Measured: ${missText(row, e)}.` : `tend failed this scenario: ${row.failures.tend}.`, '');
    out.push(notes[`miss: ${row.key}`] ?? '_No analysis written yet for this row (bench/notes.md)._', '');
  }
  if (notes.method) out.push('## How each figure is measured', '', notes.method, '');
  writeFileSync(join(repo, 'bench/RESULTS.md'), out.join('\n'));
}
