/**
 * The bench's results as one self-contained HTML page: for every scenario its table, the latency
 * distributions of its timed figures (p50 / p90 / p99 / max, raw samples where kept), its other
 * figures as bars by unit, and for finalize the async stack against the synchronous baseline.
 * Works on any scenario: a new one (e.g. `decade`) gets the generic charts without a line here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Figure, sideBySideRows, verdict } from './report';
import { barChart, cdfChart, esc, fmt, PALETTE, rangeChart, RangeRow } from './svg';

export interface BenchResults {
  date: string;
  smoke?: boolean;
  machine?: { cpus?: number; cpuModel?: string; memoryGiB?: number; node?: string; redis?: string; loadAverage?: number[]; versions?: Record<string, string | null> };
  /** scenario → column (a database, or "value") → figures */
  figures: Record<string, Record<string, Figure[]>>;
  /** scenario → the table's title */
  titles?: Record<string, string>;
  missed?: string[];
}

/** Sections in this order; scenarios not named here follow in alphabetical order. */
const ORDER = ['finalize', 'render', 'capacity', 'decade', 'work-order', 'verify', 'annul', 'bulk', 'ops', 'isolation', 'storage'];

const STAT = /,?\s*\b(p50|p90|p99|max)\b/;
type Stat = 'p50' | 'p90' | 'p99' | 'max';

/** A timed figure's family: its name without the percentile ("async: 202 answer p99 (…)" → "async: 202 answer (…)"). */
export function familyOf(name: string): { base: string; stat: Stat } | null {
  const m = STAT.exec(name);
  if (!m) return null;
  const base = (name.slice(0, m.index) + name.slice(m.index + m[0].length)).replace(/\s{2,}/g, ' ').trim();
  return { base, stat: m[1] as Stat };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

interface Family {
  base: string;
  unit: string;
  byColumn: Map<string, Omit<RangeRow, 'label' | 'colour' | 'column'>>;
  figures: Figure[];
}

/** Groups a scenario's timed figures into families: percentiles from names and from `detail` summaries, raw samples from `detail.samples`. */
export function families(byColumn: Record<string, Figure[]>): Family[] {
  const out = new Map<string, Family>();
  for (const [column, figures] of Object.entries(byColumn)) {
    for (const f of figures) {
      if (f.unit !== 'ms') continue;
      const fam = familyOf(f.name);
      const d = f.detail ?? {};
      // A summary in the detail, whole (`summarize`) or in part (a p50 beside a p99 figure).
      const hasSummary = (['p50', 'p90', 'p99', 'max'] as const).some((k) => num(d[k]) != null);
      const samples = Array.isArray(d.samples) ? d.samples.filter((v): v is number => num(v) != null) : undefined;
      if (!fam && !hasSummary && !samples) continue;
      const base = fam?.base ?? f.name;
      const family: Family = out.get(base) ?? { base, unit: f.unit, byColumn: new Map(), figures: [] };
      out.set(base, family);
      family.figures.push(f);
      const e = family.byColumn.get(column) ?? {};
      family.byColumn.set(column, e);
      if (fam) e[fam.stat] = f.value;
      if (hasSummary) {
        e.min ??= num(d.min);
        e.p50 ??= num(d.p50);
        e.p90 ??= num(d.p90);
        e.p99 ??= num(d.p99);
        e.max ??= num(d.max);
      }
      if (samples?.length) e.samples = samples;
      if (f.target && (f.target.op === '<' || f.target.op === '<=')) e.target = f.target.value;
    }
  }
  // "2-page report p99" joins "2-page report (2 p)" (the p50 whose name says more): same name up to a parenthesis.
  for (const short of [...out.values()]) {
    const long = [...out.values()].find((f) => f !== short && f.base.startsWith(`${short.base} (`));
    if (!long) continue;
    for (const [column, e] of short.byColumn) {
      const l = long.byColumn.get(column) ?? {};
      long.byColumn.set(column, l);
      for (const k of Object.keys(e) as (keyof typeof e)[]) if (l[k] == null) Object.assign(l, { [k]: e[k] });
    }
    long.figures.push(...short.figures);
    out.delete(short.base);
  }
  return [...out.values()];
}

/** A family is drawn as a distribution when it has two percentiles or more, or samples. */
function drawable(f: Family): boolean {
  return [...f.byColumn.values()].some((e) => (['p50', 'p90', 'p99', 'max'] as const).filter((k) => e[k] != null).length >= 2 || (e.samples?.length ?? 0) >= 2);
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function columnColours(results: BenchResults): Map<string, string> {
  const colours = new Map<string, string>([
    ['sqlite', PALETTE[0]],
    ['postgresql', PALETTE[1]],
    ['value', PALETTE[2]],
  ]);
  let next = 3;
  for (const byColumn of Object.values(results.figures)) for (const c of Object.keys(byColumn)) if (!colours.has(c)) colours.set(c, PALETTE[next++ % PALETTE.length]);
  return colours;
}

function table(byColumn: Record<string, Figure[]>): string {
  const { head, rows } = sideBySideRows(byColumn);
  const cell = (c: string, i: number) => {
    if (i === head.length - 2 && c) return `<td>${c
      .split(' / ')
      .map((v) => `<span class="${v === 'MISSED' ? 'missed' : v === 'ok' ? 'ok' : ''}">${esc(v)}</span>`)
      .join(' / ')}</td>`;
    return `<td${i > 0 ? ' class="num"' : ''}>${esc(c)}</td>`;
  };
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

const find = (figures: Figure[] | undefined, re: RegExp) => figures?.find((f) => re.test(f.name));

/** Finalize: what a signer waits for, async (202, then report:ready) against the sync baseline (the answer comes with the PDF). */
export function finalizeCharts(results: BenchResults): string[] {
  const byColumn = results.figures.finalize ?? {};
  const capacity = results.figures.capacity ?? {};
  const out: string[] = [];
  const columns = Object.keys(byColumn);
  const series = [
    { name: 'async (vetlab: 202, then report:ready)', colour: PALETTE[0] },
    { name: 'sync baseline (the old way: the answer with the PDF)', colour: PALETTE[5] },
    { name: 'control: bare enqueue-and-answer', colour: PALETTE[6] },
  ];
  for (const column of columns) {
    const fs = byColumn[column];
    const v = (re: RegExp) => find(fs, re)?.value;
    const sync50 = v(/^sync baseline: answer p50 \(/);
    const sync99 = v(/^sync baseline: answer p99 \(/);
    const rows = [
      { label: 'click to answer, p50', values: [v(/^async: 202 answer p50 \(/), sync50, v(/^control: bare enqueue-and-answer handler, 202 p50/)] },
      { label: 'click to answer, p99', values: [v(/^async: 202 answer p99 \(/), sync99, v(/^control: bare enqueue-and-answer handler, 202 p99/)] },
      { label: 'click to finished PDF, p50', values: [v(/^async: click to report:ready p50/), sync50, undefined] },
      { label: 'click to finished PDF, p99', values: [v(/^async: click to report:ready p99/), sync99, undefined] },
    ].filter((r) => r.values.some((x) => x != null));
    if (rows.length) {
      out.push(
        barChart({
          title: `Finalize (${column}): what a signer waits for, async against sync`,
          axis: 'milliseconds from the click',
          series,
          rows: rows.map((r) => ({ ...r, target: r.label === 'click to answer, p99' ? find(fs, /^async: 202 answer p99 \(/)?.target?.value : undefined })),
        }),
      );
    }
    const samples = (re: RegExp) => {
      const s = find(fs, re)?.detail?.samples;
      return Array.isArray(s) ? s.filter((x): x is number => typeof x === 'number') : [];
    };
    const cdf = [
      { name: 'async: 202 answer', colour: PALETTE[0], samples: samples(/^async: 202 answer p99 \(/) },
      { name: 'async: click to report:ready', colour: PALETTE[4], samples: samples(/^async: click to report:ready p99/), dash: true },
      { name: 'sync baseline: answer (PDF done)', colour: PALETTE[5], samples: samples(/^sync baseline: answer p99 \(/) },
      { name: 'control: bare enqueue', colour: PALETTE[6], samples: samples(/^control: bare enqueue-and-answer handler, 202 p99/), dash: true },
    ].filter((s) => s.samples.length);
    if (cdf.length >= 2) out.push(cdfChart(`Finalize (${column}): distribution of every click, async against sync`, 'milliseconds from the click', cdf));
  }
  const capColumns = Object.keys(capacity).filter((c) => c !== 'value');
  const tp = capColumns.map((column) => {
    const fs = capacity[column];
    const sync = find(fs, /^finalize end to end, sync baseline/)?.value;
    return {
      label: column,
      values: [find(fs, /^finalize end to end, async \(/)?.value, sync, find(fs, /^finalize end to end, async, worker with 2 render threads/)?.value],
      // Issue 20: async reports per second at least 1.5 × the synchronous baseline's, same run.
      target: sync != null ? 1.5 * sync : undefined,
    };
  });
  if (tp.some((r) => r.values.some((x) => x != null))) {
    out.push(
      barChart({
        title: 'Finalize end to end: reports per second, async against sync (target: async ≥ 1.5 × sync)',
        axis: 'reports per second (click to finished PDF, all rounds)',
        series: [
          { name: 'async', colour: PALETTE[0] },
          { name: 'sync baseline', colour: PALETTE[5] },
          { name: 'async, 2 render threads', colour: PALETTE[4] },
        ],
        rows: tp,
      }),
    );
  }
  return out;
}

/** A decade of data: every list query's p99 beside its target, per database, with short labels. */
export function decadeCharts(byColumn: Record<string, Figure[]>, columns: { name: string; colour: string }[], claimed: Set<Figure>): string[] {
  const LIST = /^(protocol list|a vet's own list) p99[:,]?\s*(.*?)(?: \(total shown: [^)]*\))?$/;
  const labels: string[] = [];
  const byLabel = new Map<string, Map<string, Figure>>();
  for (const [column, figures] of Object.entries(byColumn)) {
    for (const f of figures) {
      const m = f.unit === 'ms' ? LIST.exec(f.name) : null;
      if (!m) continue;
      const what = m[2].replace(/^\((.*)\)$/, '$1') || 'default page';
      const label = m[1] === 'protocol list' ? what : `vet's own list: ${what}`;
      if (!byLabel.has(label)) {
        byLabel.set(label, new Map());
        labels.push(label);
      }
      byLabel.get(label)!.set(column, f);
      claimed.add(f);
    }
  }
  if (!labels.length) return [];
  const used = columns.filter((c) => labels.some((l) => byLabel.get(l)!.has(c.name)));
  return [
    barChart({
      title: 'A decade of data: the protocol list and a vet’s own list, p99 of each query against its target',
      axis: 'milliseconds (p99)',
      series: used.map((c) => ({ ...c, name: shown(c.name) })),
      rows: labels.map((label) => {
        const cells = byLabel.get(label)!;
        return { label, values: used.map((c) => cells.get(c.name)?.value), target: [...cells.values()].find((f) => f.target)?.target?.value };
      }),
    }),
  ];
}

/** A column's name in a legend: figures without a database sit in the column "value". */
const shown = (column: string) => (column === 'value' ? 'no database' : column);

const UNIT_AXIS: Record<string, string> = { ms: 'milliseconds', '×': 'ratio (×)', MiB: 'MiB', '/s': 'per second', 's': 'seconds' };

/** Every chart of one scenario: specific ones first, then distributions, then the other figures by unit. */
export function scenarioCharts(scenario: string, results: BenchResults, colours: Map<string, string>): string[] {
  const byColumn = results.figures[scenario];
  const columns = Object.keys(byColumn).map((name) => ({ name, colour: colours.get(name) ?? PALETTE[6] }));
  const out: string[] = scenario === 'finalize' ? finalizeCharts(results) : [];
  // Figures a specific chart drew are left out of the generic ones.
  const claimed = new Set<Figure>();
  if (scenario === 'decade') out.push(...decadeCharts(byColumn, columns, claimed));
  const fams = families(Object.fromEntries(Object.entries(byColumn).map(([c, fs]) => [c, fs.filter((f) => !claimed.has(f))]))).filter(drawable);
  const drawn = new Set(fams.flatMap((f) => f.figures));
  if (fams.length) {
    const rows: RangeRow[] = fams.flatMap((f) =>
      columns.filter((c) => f.byColumn.has(c.name)).map((c) => ({ label: f.base, column: c.name, colour: c.colour, ...f.byColumn.get(c.name)! })),
    );
    const used = columns.filter((c) => rows.some((r) => r.column === c.name));
    out.push(rangeChart(`${scenario}: latency distributions`, 'milliseconds', rows.map((r) => ({ ...r, column: shown(r.column) })), used.map((c) => ({ ...c, name: shown(c.name) }))));
  }
  // Where enough raw samples were kept (finalize has its own), their whole distribution, per database.
  if (scenario !== 'finalize') {
    for (const c of columns) {
      const kept = fams.filter((f) => (f.byColumn.get(c.name)?.samples?.length ?? 0) >= 5).slice(0, PALETTE.length);
      if (kept.length) {
        const series = kept.map((f, i) => ({ name: f.base, colour: PALETTE[i], samples: f.byColumn.get(c.name)!.samples!, dash: i % 2 === 1 }));
        out.push(cdfChart(`${scenario} (${c.name}): distribution of the samples kept`, 'milliseconds', series));
      }
    }
  }
  const rest = new Map<string, Figure[]>();
  for (const figures of Object.values(byColumn)) for (const f of figures) if (!drawn.has(f) && !claimed.has(f) && f.unit && Number.isFinite(f.value)) rest.set(f.unit, [...(rest.get(f.unit) ?? []), f]);
  for (const [unit, figures] of rest) {
    const names = [...new Set(figures.map((f) => f.name))];
    const used = columns.filter((c) => byColumn[c.name].some((f) => f.unit === unit));
    out.push(
      barChart({
        title: `${scenario}: ${unit === '×' ? 'ratios' : `figures in ${unit}`}`,
        axis: UNIT_AXIS[unit] ?? unit,
        series: used.map((c) => ({ ...c, name: shown(c.name) })),
        rows: names.map((name) => {
          const any = figures.find((f) => f.name === name)!;
          return { label: name, values: used.map((c) => byColumn[c.name].find((f) => f.name === name)?.value), target: any.target?.value };
        }),
        reference: unit === '×' ? { value: 1, label: '1 = even' } : undefined,
      }),
    );
  }
  return out;
}

export function renderHtml(results: BenchResults): string {
  const scenarios = Object.keys(results.figures).sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    return (ia < 0 ? ORDER.length : ia) - (ib < 0 ? ORDER.length : ib) || a.localeCompare(b);
  });
  const colours = columnColours(results);
  const m = results.machine ?? {};
  const all = Object.values(results.figures).flatMap((byColumn) => Object.values(byColumn).flat());
  const missed = results.missed ?? [];
  const title = `vetlab bench${results.smoke ? ' (smoke)' : ''}, ${results.date}`;
  const sections = scenarios.map((scenario) => {
    const heading = results.titles?.[scenario] ?? scenario;
    return [
      `<section id="${slug(scenario)}">`,
      `<h2>${esc(heading)}</h2>`,
      ...scenarioCharts(scenario, results, colours).map((svg) => `<figure>${svg}</figure>`),
      `<details${results.smoke ? '' : ' open'}><summary>Table: every figure of ${esc(scenario)}</summary>${table(results.figures[scenario])}</details>`,
      '</section>',
    ].join('\n');
  });
  const machineLine = [
    m.cpus != null ? `${m.cpus} cores` : '',
    m.cpuModel ?? '',
    m.memoryGiB != null ? `${m.memoryGiB} GiB` : '',
    m.node ? `Node ${m.node}` : '',
    m.redis ?? '',
    m.loadAverage ? `load average ${m.loadAverage.join(' / ')} (1 / 5 / 15 min, at the end)` : '',
  ]
    .filter(Boolean)
    .map(esc)
    .join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:960px;color:#222;padding:0 12px}
h1{font-size:22px;margin-bottom:4px} h2{font-size:17px;margin-top:36px;border-bottom:1px solid #ccc;padding-bottom:4px}
.meta{color:#555;font-size:13px} figure{margin:12px 0} svg{max-width:100%;height:auto;background:#fff}
table{border-collapse:collapse;font-size:12px;margin:8px 0} th,td{border:1px solid #ddd;padding:3px 6px;text-align:left} td.num{text-align:right;white-space:nowrap}
.missed{color:#b00;font-weight:600} .ok{color:#070} nav a{margin-right:10px} summary{cursor:pointer;color:#444}
</style></head><body>
<h1>${esc(title)}</h1>
<p class="meta">${machineLine}</p>
<p class="meta">${all.length} figures in ${scenarios.length} scenarios; targets missed: ${all.filter((f) => verdict(f) === 'MISSED').length}${results.smoke ? '. A smoke run: tiny sizes, its numbers only prove every path works' : ''}. Each database has its colour; bars end at their value, a red tick is the figure's target. Latency lanes: ● p50, □ p90, ▲ p99, ✕ max, dots the raw samples kept. Compare figures with the controls of the same run: the machine is shared.</p>
${missed.length ? `<details><summary>Targets missed (${missed.length})</summary><ul>${missed.map((x) => `<li>${esc(x)}</li>`).join('')}</ul></details>` : ''}
<nav>${scenarios.map((s) => `<a href="#${slug(s)}">${esc(s)}</a>`).join('')}</nav>
${sections.join('\n')}
<p class="meta">Generated by bench/report-html.ts from ${fmt(all.length)} figures.</p>
</body></html>
`;
}

/** The page beside its JSON: latest.json → report.html, smoke.json → smoke.html, anything else X.json → X.html. */
export function htmlFileFor(jsonFile: string): string {
  const name = basename(jsonFile).replace(/\.json$/, '');
  return join(dirname(jsonFile), `${name === 'latest' ? 'report' : name}.html`);
}

export function writeHtmlReport(jsonFile: string): string {
  const results = JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchResults;
  const file = htmlFileFor(jsonFile);
  writeFileSync(file, renderHtml(results));
  return file;
}
