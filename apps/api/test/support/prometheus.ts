/** One series of a Prometheus text exposition: its name, labels and value. */
export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The series of a scrape (comments left out). Label values here never hold `",` or `}`. */
export function parseExposition(text: string): Series[] {
  const out: Series[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** Series of `name` whose labels include `labels`. */
export function seriesOf(all: Series[], name: string, labels: Record<string, string> = {}): Series[] {
  return all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** Sum of the values of `name` with `labels` (0 when there is none). */
export function total(all: Series[], name: string, labels: Record<string, string> = {}): number {
  return seriesOf(all, name, labels).reduce((sum, s) => sum + s.value, 0);
}
