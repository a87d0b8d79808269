import { EntityManager } from '@mikro-orm/core';
import { AnalyteKind, Section, Species } from '@vetlab/shared';
import { Analyte } from '../catalogue/analyte.entity';
import { DEMO_ANALYTES, DEMO_PANELS } from '../catalogue/demo-catalogue';
import { Panel } from '../catalogue/panel.entity';
import { SECTION_ORDER } from '../work-orders/work-order-sections';
import { Prng } from './prng';
import { insertRows } from './seed-writer';

/** An analyte as the seed knows it: the entity's fields plus the answers a bench may give. */
export type SeedAnalyte = Analyte & { answers?: string[] };

export interface SeedPanel {
  id: string;
  code: string;
  name: string;
  analytes: SeedAnalyte[];
  species: Species[];
}

export interface SeedCatalogue {
  analytes: SeedAnalyte[];
  panels: SeedPanel[];
  /** Bench panels by printed size (2, 5, 20 pages); empty for the demo profile. */
  benchPanels: Map<number, SeedPanel>;
}

/** Rows per printed report page, as the report layout prints them. */
export const ROWS_PER_PAGE = 35;
/** Result rows of the synthetic bench panels, sized to print on about 2, 5 and 20 pages. */
export const BENCH_PANEL_ROWS: Record<number, number> = { 2: 50, 5: 160, 20: 680 };

/** The catalogue in memory, ids drawn from `ids` (no database needed). */
export function buildCatalogue(ids: Prng, withBench: boolean): SeedCatalogue {
  const analytes: SeedAnalyte[] = DEMO_ANALYTES.map((a) => {
    const position = DEMO_ANALYTES.filter((b) => b.section === a.section).indexOf(a) + 1;
    return Object.assign(new Analyte(), { ...a, id: ids.uuid(), position });
  });
  const byCode = new Map(analytes.map((a) => [a.code, a]));
  const panels: SeedPanel[] = DEMO_PANELS.map((p) => ({
    id: ids.uuid(),
    code: p.code,
    name: p.name,
    species: p.species,
    analytes: p.analyteCodes.map((code) => {
      const a = byCode.get(code);
      if (!a) throw new Error(`panel ${p.code} names unknown analyte ${code}`);
      return a;
    }),
  }));

  const benchPanels = new Map<number, SeedPanel>();
  if (withBench) {
    const bench = benchAnalytes(ids, Math.max(...Object.values(BENCH_PANEL_ROWS)));
    analytes.push(...bench);
    for (const [pages, rows] of Object.entries(BENCH_PANEL_ROWS)) {
      const panel: SeedPanel = {
        id: ids.uuid(),
        code: `BENCH-${pages}P`,
        name: `Panel de prueba de carga (${pages} páginas)`,
        species: Object.values(Species),
        analytes: bench.slice(0, rows),
      };
      panels.push(panel);
      benchPanels.set(Number(pages), panel);
    }
  }
  return { analytes, panels, benchPanels };
}

export async function insertCatalogue(em: EntityManager, { analytes, panels }: SeedCatalogue): Promise<void> {
  await insertRows(
    em,
    Analyte,
    analytes.map((a) => ({ id: a.id, code: a.code, name: a.name, section: a.section, unit: a.unit, kind: a.kind, decimals: a.decimals, ranges: a.ranges, position: a.position })),
  );
  await insertRows(em, Panel, panels.map((p) => ({ id: p.id, code: p.code, name: p.name })));
  // The pivot's autoincrement id keeps each panel's analyte order (fixedOrder).
  await insertRows(em, 'panel_analytes', panels.flatMap((p) => p.analytes.map((a) => ({ panel_id: p.id, analyte_id: a.id }))));
}

/**
 * Synthetic numeric analytes BX-0001… spread over every section, so a bench report has section
 * headings and breaks like a real one.
 */
function benchAnalytes(ids: Prng, count: number): SeedAnalyte[] {
  const r = ids.fork('bench-analytes');
  const perSection = Math.ceil(count / SECTION_ORDER.length);
  return Array.from({ length: count }, (_, i) => {
    const low = r.int(1, 80);
    const high = low + r.int(5, 120);
    const n = String(i + 1).padStart(4, '0');
    return Object.assign(new Analyte(), {
      id: ids.uuid(),
      code: `BX-${n}`,
      name: `Analito de carga ${n}`,
      section: SECTION_ORDER[Math.floor(i / perSection)] as Section,
      unit: r.pick(['mg/dL', 'U/L', 'mmol/L', 'g/dL', '%']),
      kind: AnalyteKind.Numeric,
      decimals: r.int(0, 2),
      ranges: Object.values(Species).map((species) => ({ species, low, high, expected: null })),
      position: 1000 + (i % perSection),
    });
  });
}
