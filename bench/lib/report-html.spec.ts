import { describe, expect, it } from '@jest/globals';
import { Figure } from './report';
import { BenchResults, families, familyOf, htmlFileFor, renderHtml } from './report-html';
import { scale } from './svg';

const fig = (scenario: string, name: string, value: number, unit: string, extra: Partial<Figure> = {}): Figure => ({ scenario, name, value, unit, ...extra });

const finalize = (k: number): Figure[] => [
  fig('finalize', 'async: 202 answer p50 (20 signers at once)', 12 * k, 'ms'),
  fig('finalize', 'async: 202 answer p99 (20 signers at once)', 30 * k, 'ms', { target: { op: '<', value: 15 }, detail: { samples: [10, 12, 14, 30] } }),
  fig('finalize', 'control: bare enqueue-and-answer handler, 202 p50 (20 signers at once)', 3, 'ms'),
  fig('finalize', 'control: bare enqueue-and-answer handler, 202 p99 (20 signers at once)', 5, 'ms', { detail: { samples: [2, 3, 5] } }),
  fig('finalize', 'sync baseline: answer p50 (20 signers at once)', 1077, 'ms'),
  fig('finalize', 'sync baseline: answer p99 (20 signers at once)', 2035, 'ms', { detail: { samples: [900, 1077, 2035] } }),
  fig('finalize', 'async: click to report:ready p50', 700, 'ms'),
  fig('finalize', 'async: click to report:ready p99', 1400, 'ms', { detail: { samples: [600, 700, 1400] } }),
  fig('finalize', 'answer p50 ratio (sync / async)', 6.7, '×'),
];

const results: BenchResults = {
  date: '2026-12-03T07:00:00.000Z',
  smoke: false,
  machine: { cpus: 2, node: 'v22', loadAverage: [2.1, 2.5, 3] },
  titles: { finalize: 'Finalize: async against the sync baseline', decade: 'A decade of data' },
  figures: {
    finalize: { sqlite: finalize(1), postgresql: finalize(2) },
    capacity: {
      value: [fig('capacity', 'two-page reports rendered per second, 2 render threads', 16.4, 'reports/s', { target: { op: '>=', value: 10 } })],
      sqlite: [
        fig('capacity', 'finalize end to end, async (click to ready, all rounds)', 15.3, 'reports/s'),
        fig('capacity', 'finalize end to end, sync baseline (all rounds)', 20, 'reports/s'),
      ],
    },
    render: {
      value: [
        fig('render', '2-page report (2 p) p50', 61, 'ms', { detail: { runs: 20, p50: 61, p90: 70, p99: 80, min: 55, max: 80, mean: 63 } }),
        fig('render', '2-page report p99', 80, 'ms'),
      ],
    },
    // A scenario the page knows nothing about: generic charts and its table.
    annul: {
      sqlite: [fig('annul', 'annul: 202 answer p99 (20 signers at once)', 40, 'ms', { detail: { samples: [10, 20, 25, 30, 40] } })],
    },
    decade: {
      sqlite: [
        fig('decade', 'protocol list p99: default page (total shown: 1,000,000)', 41, 'ms', { target: { op: '<', value: 50 }, detail: { p50: 12 } }),
        fig('decade', 'protocol list p99: search: an owner (total shown: 12)', 63, 'ms', { target: { op: '<', value: 50 }, detail: { p50: 20 } }),
        fig('decade', "a vet's own list p99 (default page)", 22, 'ms', { target: { op: '<', value: 30 } }),
        fig('decade', 'finalize 202 p50 (decade)', 14, 'ms', { detail: { p99: 30 } }),
        fig('decade', 'text search on <owner> p99', 72, 'ms', { target: { op: '<', value: 50 } }),
        fig('decade', 'seed time', 250, 's'),
      ],
    },
  },
  missed: ['finalize (sqlite): async: 202 answer p99 (20 signers at once)'],
};

describe('bench HTML page', () => {
  const html = renderHtml(results);

  it('is one self-contained page: inline SVG, no script, nothing fetched from elsewhere', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
    // The only URL is SVG's namespace.
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    const opened = html.match(/<svg /g)?.length ?? 0;
    expect(opened).toBeGreaterThan(5);
    expect(html.match(/<\/svg>/g)?.length).toBe(opened);
  });

  it('draws finalize async against sync per database, with every click as a distribution and throughput against 1.5 × sync', () => {
    for (const db of ['sqlite', 'postgresql']) {
      expect(html).toContain(`Finalize (${db}): what a signer waits for, async against sync`);
      expect(html).toContain(`Finalize (${db}): distribution of every click, async against sync`);
    }
    expect(html).toContain('sync baseline (the old way: the answer with the PDF)');
    expect(html).toContain('Finalize end to end: reports per second, async against sync');
    // 1.5 × the sync baseline's 20 reports/s is the target tick.
    expect(html).toContain('<title>target 30</title>');
    // The bar's value: sync answer p50 on PostgreSQL, thousands grouped.
    expect(html).toContain('>1,077<');
    // Figures without a database (the render pool's) say so in the legend.
    expect(html).toContain('>no database<');
  });

  it('gives a scenario it does not know its title, a latency chart with targets, a chart per unit and a table; escapes names', () => {
    const decade = html.slice(html.indexOf('<section id="decade">'), html.indexOf('</section>', html.indexOf('<section id="decade">')));
    expect(decade).toContain('<h2>A decade of data</h2>');
    expect(decade).toContain('decade: figures in ms');
    expect(decade).toContain('<title>target 50</title>');
    expect(decade).toContain('decade: figures in s');
    expect(decade).toContain('text search on &lt;owner&gt; p99');
    expect(decade).not.toContain('<owner>');
    expect(decade).toMatch(/<td>protocol list p99: default page \(total shown: 1,000,000\)<\/td><td class="num">41 ms<\/td>/);
    // Its own chart: each list query's p99 with a short label and its target.
    expect(decade).toContain('A decade of data: the protocol list');
    expect(decade).toContain('>search: an owner<');
    expect(decade).toContain("vet's own list: default page");
    expect(decade).toContain('<title>target 30</title>');
    // The rest generically: a p50 figure with its p99 in the detail is one lane.
    expect(decade).toContain('decade: latency distributions');
    expect(decade).toContain('finalize 202 (decade) p99: 30');
  });

  it('draws the whole distribution of a scenario whose samples were kept', () => {
    expect(html).toContain('annul (sqlite): distribution of the samples kept');
    expect(html).not.toContain('decade (sqlite): distribution');
  });

  it('says when and where it was measured, and which targets were missed', () => {
    expect(html).toContain('2 cores');
    expect(html).toContain('load average 2.1 / 2.5 / 3');
    expect(html).toContain('Targets missed (1)');
    expect(html).toContain('class="missed">MISSED');
  });

  it('orders sections: finalize first, known ones next, unknown ones after', () => {
    const at = (s: string) => html.indexOf(`<section id="${s}">`);
    expect(at('finalize')).toBeLessThan(at('render'));
    expect(at('render')).toBeLessThan(at('capacity'));
    expect(at('capacity')).toBeLessThan(at('decade'));
  });
});

describe('families of timed figures', () => {
  it('takes the percentile out of the name', () => {
    expect(familyOf('async: 202 answer p99 (20 signers at once)')).toEqual({ base: 'async: 202 answer (20 signers at once)', stat: 'p99' });
    expect(familyOf('control: GET /api/health at the same pace, p50')).toEqual({ base: 'control: GET /api/health at the same pace', stat: 'p50' });
    expect(familyOf('seed time')).toBeNull();
  });

  it('joins p50 and p99 of one thing, with the summary and samples of its detail', () => {
    const fams = families(results.figures.finalize);
    const answer = fams.find((f) => f.base === 'async: 202 answer (20 signers at once)')!;
    expect(answer.byColumn.get('postgresql')).toEqual({ p50: 24, p99: 60, samples: [10, 12, 14, 30], target: 15 });
    const render = families(results.figures.render);
    expect(render.map((f) => f.base)).toEqual(['2-page report (2 p)']);
    expect(render[0].byColumn.get('value')).toMatchObject({ min: 55, p50: 61, p90: 70, p99: 80, max: 80 });
    expect(render[0].figures).toHaveLength(2);
  });
});

describe('scales', () => {
  it('is linear from 0 with round ticks, and logarithmic when values span more than 50×', () => {
    const lin = scale([3, 47]);
    expect(lin).toMatchObject({ log: false, min: 0, max: 50, ticks: [0, 10, 20, 30, 40, 50] });
    expect(lin.at(25)).toBeCloseTo(0.5);
    const log = scale([3, 2035]);
    expect(log).toMatchObject({ log: true, min: 1, max: 10000 });
    expect(log.at(100)).toBeCloseTo(0.5);
  });
});

it('writes the page beside its JSON', () => {
  expect(htmlFileFor('/x/bench/results/latest.json')).toBe('/x/bench/results/report.html');
  expect(htmlFileFor('/x/bench/results/smoke.json')).toBe('/x/bench/results/smoke.html');
  expect(htmlFileFor('/x/bench/results/decade.json')).toBe('/x/bench/results/decade.html');
});
