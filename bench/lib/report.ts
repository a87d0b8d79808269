import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { round } from './stats';

/** One line of the table: a figure, its value, its target, and whether it met it. */
export interface Figure {
  scenario: string;
  name: string;
  value: number;
  unit: string;
  /** e.g. { op: '<', value: 15 } */
  target?: { op: '<' | '<=' | '>=' | '>'; value: number };
  runs?: number;
  /** Extra numbers kept in the JSON (p50/p99 pairs, ratios, raw samples). */
  detail?: Record<string, unknown>;
}

const root = join(__dirname, '../..');

export function verdict(f: Figure): 'ok' | 'MISSED' | '' {
  if (!f.target) return '';
  const { op, value } = f.target;
  const ok = op === '<' ? f.value < value : op === '<=' ? f.value <= value : op === '>=' ? f.value >= value : f.value > value;
  return ok ? 'ok' : 'MISSED';
}

export function printTable(title: string, figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.scenario,
    f.name,
    `${round(f.value, f.value < 10 ? 2 : 1)} ${f.unit}`,
    f.target ? `${f.target.op} ${f.target.value} ${f.unit}` : '',
    verdict(f),
    f.runs != null ? String(f.runs) : '',
  ]);
  const head = ['scenario', 'figure', 'value', 'target', '', 'runs'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  const out = [`### ${title}`, '', line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
  console.log('\n' + out + '\n');
  return out;
}

const show = (f: Figure | undefined) => (f ? `${round(f.value, Math.abs(f.value) < 10 ? 2 : 1)} ${f.unit}` : '—');

/**
 * The rows of one scenario's table with a column per database: figure | sqlite | postgresql | target |
 * verdict (one per database, in the columns' order) | runs. Rows in the order they were measured.
 */
export function sideBySideRows(byColumn: Record<string, Figure[]>): { head: string[]; rows: string[][] } {
  const columns = Object.keys(byColumn);
  const names: string[] = [];
  for (const figures of Object.values(byColumn)) for (const f of figures) if (!names.includes(f.name)) names.push(f.name);
  const rows = names.map((name) => {
    const cells = columns.map((c) => byColumn[c].find((f) => f.name === name));
    const any = cells.find(Boolean)!;
    const verdicts = cells.map((f) => (f ? verdict(f) : ''));
    return [
      name,
      ...cells.map(show),
      any.target ? `${any.target.op} ${any.target.value} ${any.unit}` : '',
      verdicts.some(Boolean) ? verdicts.map((v) => v || '—').join(' / ') : '',
      cells.map((f) => (f?.runs != null ? String(f.runs) : '')).filter(Boolean).join(' / '),
    ];
  });
  return { head: ['figure', ...columns, 'target', 'verdict', 'runs'], rows };
}

/** One table for one scenario (`sideBySideRows`), printed as markdown. */
export function printSideBySide(title: string, byColumn: Record<string, Figure[]>): string {
  const { head, rows } = sideBySideRows(byColumn);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  const out = [`### ${title}`, '', line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
  console.log('\n' + out + '\n');
  return out;
}

export function machine() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const pick = ['@nestjs/core', 'bull', 'socket.io', '@mikro-orm/core', '@react-pdf/renderer', 'piscina', 'better-sqlite3', 'pg'];
  let redis = 'unknown';
  try {
    redis = execSync('redis-server --version', { encoding: 'utf8' }).trim();
  } catch {
    // not on PATH
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    /** 1, 5 and 15 minutes, when the results were written: how busy the shared machine was. */
    loadAverage: loadavg().map((l) => round(l, 2)),
    node: process.version,
    redis,
    versions: Object.fromEntries(pick.map((p) => [p, deps[p] ?? null])),
  };
}

/** `name` may name a subfolder (`chaos/short.json`). */
export function writeResults(name: string, data: unknown): string {
  const file = join(root, 'bench/results', name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}
