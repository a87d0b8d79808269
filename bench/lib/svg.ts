/**
 * Small inline-SVG charts for the bench's HTML page: horizontal bars, latency ranges (p50 / p90 /
 * p99 / max, raw samples as dots) and cumulative distributions. No library: strings in, strings out.
 */

/** Okabe–Ito: told apart by people with any common colour-vision deficiency, and in greyscale by shade. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#555555'];

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A number as the tables show it: 2 decimals below 10, 1 below 1,000, thousands grouped above. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toFixed(a < 10 ? 2 : 1)));
}

export interface Scale {
  log: boolean;
  min: number;
  max: number;
  ticks: number[];
  /** 0..1 */
  at(v: number): number;
}

/** A linear scale from 0 with 1-2-5 ticks, or a log scale (1-2-5 per decade) when the values span more than 50×. */
export function scale(values: number[], opts: { log?: boolean; includeZero?: boolean } = {}): Scale {
  const vs = values.filter((v) => Number.isFinite(v));
  const hi = vs.length ? Math.max(...vs) : 1;
  const positive = vs.filter((v) => v > 0);
  const lo = positive.length ? Math.min(...positive) : hi;
  const log = opts.log ?? (positive.length === vs.length && hi / lo > 50);
  if (log && hi > 0) {
    const min = 10 ** Math.floor(Math.log10(lo));
    const max = 10 ** Math.ceil(Math.log10(hi));
    const ticks: number[] = [];
    for (let d = min; d <= max * 1.0001; d *= 10) for (const m of [1, 2, 5]) if (d * m <= max * 1.0001) ticks.push(d * m);
    const decades = Math.log10(max / min);
    // Many decades: only the powers of ten, or the axis is unreadable.
    const shown = decades > 3 ? ticks.filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9) : ticks;
    return { log: true, min, max, ticks: shown, at: (v) => (v <= 0 ? 0 : Math.max(0, Math.min(1, Math.log10(v / min) / decades))) };
  }
  const top = hi > 0 ? hi : 1;
  const raw = top / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const max = Math.ceil(top / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= max + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { log: false, min: 0, max, ticks, at: (v) => Math.max(0, Math.min(1, v / max)) };
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';

function clip(label: string, chars: number): string {
  return label.length > chars ? label.slice(0, chars - 1) + '…' : label;
}

function frame(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}" ${FONT} font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<text x="8" y="18" font-size="14" font-weight="600">${esc(title)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

function xAxis(s: Scale, x0: number, w: number, yTop: number, yBottom: number, label: string): string[] {
  const out: string[] = [];
  for (const t of s.ticks) {
    const x = x0 + s.at(t) * w;
    out.push(`<line x1="${x.toFixed(1)}" y1="${yTop}" x2="${x.toFixed(1)}" y2="${yBottom}" stroke="#ddd"/>`);
    out.push(`<text x="${x.toFixed(1)}" y="${yBottom + 14}" text-anchor="middle" fill="#444">${esc(fmt(t))}</text>`);
  }
  out.push(`<line x1="${x0}" y1="${yBottom}" x2="${x0 + w}" y2="${yBottom}" stroke="#888"/>`);
  out.push(`<text x="${x0 + w / 2}" y="${yBottom + 30}" text-anchor="middle" fill="#222">${esc(label)}${s.log ? ' (log scale)' : ''}</text>`);
  return out;
}

/** Legend entries left to right from (x, y), wrapping before maxX; returns the marks and the y of its last line. */
function legend(items: { name: string; swatch: string }[], x: number, y: number, maxX = 900): { out: string[]; bottom: number } {
  const out: string[] = [];
  let cx = x;
  let cy = y;
  for (const it of items) {
    const w = 30 + it.name.length * 6.3;
    if (cx > x && cx + w > maxX) {
      cx = x;
      cy += 18;
    }
    out.push(`<g transform="translate(${cx.toFixed(0)},${cy})">${it.swatch}<text x="16" y="4" fill="#222">${esc(it.name)}</text></g>`);
    cx += w;
  }
  return { out, bottom: cy };
}

const box = (colour: string) => `<rect x="0" y="-5" width="12" height="10" fill="${colour}"/>`;

export interface BarChart {
  title: string;
  /** the axis label, with the unit */
  axis: string;
  series: { name: string; colour: string }[];
  /** one group per row; values by series index (undefined: no bar) */
  rows: { label: string; values: (number | undefined)[]; target?: number; note?: string }[];
  /** a vertical reference line, e.g. 1 for ratios */
  reference?: { value: number; label: string };
  log?: boolean;
}

/** Horizontal bars, one group per row and one bar per series, the value at the bar's end and the target as a red tick. */
export function barChart(c: BarChart): string {
  const width = 920;
  const labelW = 330;
  const x0 = labelW + 10;
  const w = width - x0 - 70;
  const barH = 14;
  const nSeries = c.series.length;
  const groupH = nSeries * (barH + 2) + 10;
  const hasTarget = c.rows.some((r) => r.target != null);
  const leg = legend(
    [
      ...c.series.map((se) => ({ name: se.name, swatch: box(se.colour) })),
      ...(hasTarget ? [{ name: 'target', swatch: '<line x1="6" y1="-7" x2="6" y2="7" stroke="#C00" stroke-width="3"/>' }] : []),
    ],
    16,
    38,
  );
  const top = leg.bottom + 18;
  const height = top + c.rows.length * groupH + 44;
  const all = c.rows.flatMap((r) => [...r.values.filter((v): v is number => v != null), ...(r.target != null ? [r.target] : [])]);
  if (c.reference) all.push(c.reference.value);
  const s = scale(all, { log: c.log });
  const body: string[] = [];
  const yBottom = top + c.rows.length * groupH;
  body.push(...xAxis(s, x0, w, top - 4, yBottom, c.axis), ...leg.out);
  c.rows.forEach((r, i) => {
    const gy = top + i * groupH + 4;
    body.push(`<text x="${labelW}" y="${gy + (nSeries * (barH + 2)) / 2 + 4}" text-anchor="end" fill="#222"><title>${esc(r.label)}</title>${esc(clip(r.label, 48))}</text>`);
    r.values.forEach((v, k) => {
      if (v == null || !Number.isFinite(v)) return;
      const y = gy + k * (barH + 2);
      const len = Math.max(1, s.at(v) * w);
      body.push(`<rect x="${x0}" y="${y}" width="${len.toFixed(1)}" height="${barH}" fill="${c.series[k].colour}"><title>${esc(`${r.label} — ${c.series[k].name}: ${fmt(v)}`)}</title></rect>`);
      body.push(`<text x="${(x0 + len + 4).toFixed(1)}" y="${y + barH - 3}" fill="#222" font-size="11">${esc(fmt(v))}</text>`);
    });
    if (r.target != null) {
      const x = x0 + s.at(r.target) * w;
      body.push(`<line x1="${x.toFixed(1)}" y1="${gy - 3}" x2="${x.toFixed(1)}" y2="${gy + nSeries * (barH + 2) + 1}" stroke="#C00" stroke-width="3"><title>target ${esc(fmt(r.target))}</title></line>`);
    }
  });
  if (c.reference) {
    const x = x0 + s.at(c.reference.value) * w;
    body.push(`<line x1="${x.toFixed(1)}" y1="${top - 4}" x2="${x.toFixed(1)}" y2="${yBottom}" stroke="#222" stroke-dasharray="4 3"/>`);
    body.push(`<text x="${(x + 4).toFixed(1)}" y="${top - 6}" fill="#222" font-size="11">${esc(c.reference.label)}</text>`);
  }
  return frame(width, height, c.title, body);
}

export interface RangeRow {
  label: string;
  /** the lane's colour (its database) */
  colour: string;
  column: string;
  min?: number;
  p50?: number;
  p90?: number;
  p99?: number;
  max?: number;
  samples?: number[];
  target?: number;
}

const MARK = {
  p50: (x: number, y: number, c: string) => `<circle cx="${x.toFixed(1)}" cy="${y}" r="5" fill="${c}" stroke="#000" stroke-width="1"/>`,
  p90: (x: number, y: number, c: string) => `<rect x="${(x - 4).toFixed(1)}" y="${y - 4}" width="8" height="8" fill="#fff" stroke="${c}" stroke-width="2.5"/>`,
  p99: (x: number, y: number, c: string) => `<path d="M${x.toFixed(1)},${y - 6} l6,11 h-12 z" fill="${c}" stroke="#000" stroke-width="1"/>`,
  max: (x: number, y: number, c: string) => `<path d="M${(x - 5).toFixed(1)},${y - 5} l10,10 m0,-10 l-10,10" stroke="${c}" stroke-width="2.5"/>`,
};

/**
 * One lane per series: a thin line from min to max, a thick band from p50 to p99, a mark for each
 * percentile known, and the raw samples (when kept) as small dots above the lane.
 */
export function rangeChart(title: string, axis: string, rows: RangeRow[], columns: { name: string; colour: string }[]): string {
  const width = 920;
  const labelW = 330;
  const x0 = labelW + 10;
  const w = width - x0 - 30;
  const laneH = 30;
  const grey = '#666';
  const leg = legend(
    [
      ...(columns.length > 1 ? columns.filter((c) => rows.some((r) => r.column === c.name)).map((c) => ({ name: c.name, swatch: box(c.colour) })) : []),
      ...(['p50', 'p90', 'p99', 'max'] as const).filter((k) => rows.some((r) => r[k] != null)).map((k) => ({ name: k, swatch: MARK[k](6, 0, grey) })),
      ...(rows.some((r) => r.samples?.length) ? [{ name: 'samples', swatch: `<circle cx="6" cy="0" r="2" fill="${grey}"/>` }] : []),
      ...(rows.some((r) => r.p50 != null && r.p99 != null) ? [{ name: 'p50 to p99', swatch: `<rect x="0" y="-3" width="12" height="6" fill="${grey}" opacity="0.45"/>` }] : []),
      ...(rows.some((r) => r.target != null) ? [{ name: 'target', swatch: '<line x1="6" y1="-7" x2="6" y2="7" stroke="#C00" stroke-width="3"/>' }] : []),
    ],
    16,
    38,
  );
  const top = leg.bottom + 18;
  const height = top + rows.length * laneH + 46;
  const s = scale(rows.flatMap((r) => [r.min, r.p50, r.p90, r.p99, r.max, r.target, ...(r.samples ?? [])].filter((v): v is number => v != null)));
  const body: string[] = [];
  const yBottom = top + rows.length * laneH;
  body.push(...xAxis(s, x0, w, top - 4, yBottom, axis), ...leg.out);
  const X = (v: number) => x0 + s.at(v) * w;
  // Lanes of one family share its shade and its label (on the first lane); with several columns each lane names its column below.
  let shade = true;
  rows.forEach((r, i) => {
    const y = top + i * laneH + laneH / 2 + 2;
    const first = i === 0 || rows[i - 1].label !== r.label;
    if (first) shade = !shade;
    if (shade) body.push(`<rect x="4" y="${y - laneH / 2}" width="${width - 8}" height="${laneH}" fill="#f2f2f2"/>`);
    const label = columns.length > 1 ? `${r.label} · ${r.column}` : r.label;
    const multi = columns.length > 1;
    if (first) body.push(`<text x="${labelW}" y="${multi ? y - 2 : y + 4}" text-anchor="end" fill="#222"><title>${esc(label)}</title>${esc(clip(r.label, 48))}</text>`);
    if (multi) body.push(`<text x="${labelW}" y="${first ? y + 11 : y + 4}" text-anchor="end" fill="${r.colour}" font-size="11" font-weight="600">${esc(clip(r.column, 40))}</text>`);
    const lo = r.min ?? r.p50;
    const hi = r.max ?? r.p99;
    if (lo != null && hi != null) body.push(`<line x1="${X(lo).toFixed(1)}" y1="${y}" x2="${X(hi).toFixed(1)}" y2="${y}" stroke="${r.colour}" stroke-width="1.5"/>`);
    if (r.p50 != null && r.p99 != null) body.push(`<rect x="${X(r.p50).toFixed(1)}" y="${y - 3}" width="${Math.max(1, X(r.p99) - X(r.p50)).toFixed(1)}" height="6" fill="${r.colour}" opacity="0.45"/>`);
    for (const v of r.samples ?? []) body.push(`<circle cx="${X(v).toFixed(1)}" cy="${y - 10}" r="2" fill="${r.colour}" opacity="0.6"/>`);
    for (const k of ['max', 'p99', 'p90', 'p50'] as const) {
      const v = r[k];
      if (v != null) body.push(`<g><title>${esc(`${label} ${k}: ${fmt(v)}`)}</title>${MARK[k](X(v), y, r.colour)}</g>`);
    }
    if (r.target != null) body.push(`<line x1="${X(r.target).toFixed(1)}" y1="${y - 12}" x2="${X(r.target).toFixed(1)}" y2="${y + 12}" stroke="#C00" stroke-width="3"><title>target ${esc(fmt(r.target))}</title></line>`);
  });
  return frame(width, height, title, body);
}

/** Cumulative distribution of raw samples, one step line per series: the share of requests answered within x. */
export function cdfChart(title: string, axis: string, series: { name: string; colour: string; samples: number[]; dash?: boolean }[]): string {
  const width = 920;
  const x0 = 60;
  const w = width - x0 - 30;
  const leg = legend(series.map((se) => ({ name: `${se.name} (${se.samples.length})`, swatch: `<line x1="0" y1="0" x2="12" y2="0" stroke="${se.colour}" stroke-width="3"${se.dash ? ' stroke-dasharray="3 2"' : ''}/>` })), 16, 38);
  const top = leg.bottom + 18;
  const h = 240;
  const s = scale(series.flatMap((se) => se.samples));
  const X = (v: number) => x0 + s.at(v) * w;
  const Y = (f: number) => top + h - f * h;
  const body: string[] = [];
  body.push(...xAxis(s, x0, w, top, top + h, axis));
  for (const f of [0, 0.25, 0.5, 0.75, 0.9, 0.99, 1]) {
    body.push(`<line x1="${x0}" y1="${Y(f).toFixed(1)}" x2="${x0 + w}" y2="${Y(f).toFixed(1)}" stroke="${f === 0.5 || f === 0.99 ? '#bbb' : '#eee'}"/>`);
    if (f !== 0.99 && f !== 0.9) body.push(`<text x="${x0 - 6}" y="${(Y(f) + 4).toFixed(1)}" text-anchor="end" fill="#444">${f * 100}%</text>`);
  }
  body.push(`<text transform="translate(16,${top + h / 2}) rotate(-90)" text-anchor="middle" fill="#222">share of samples at or below</text>`);
  body.push(...leg.out);
  for (const se of series) {
    const sorted = [...se.samples].sort((a, b) => a - b);
    if (!sorted.length) continue;
    let d = `M${X(sorted[0]).toFixed(1)},${Y(0).toFixed(1)}`;
    sorted.forEach((v, i) => {
      d += ` V${Y((i + 1) / sorted.length).toFixed(1)}`;
      if (i + 1 < sorted.length) d += ` H${X(sorted[i + 1]).toFixed(1)}`;
    });
    body.push(`<path d="${d}" fill="none" stroke="${se.colour}" stroke-width="2.5"${se.dash ? ' stroke-dasharray="6 4"' : ''}><title>${esc(se.name)}</title></path>`);
  }
  return frame(width, top + h + 44, title, body);
}
