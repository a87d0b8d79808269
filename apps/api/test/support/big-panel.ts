import { EntityManager } from '@mikro-orm/core';
import { AnalyteKind, Section, Species } from '@vetlab/shared';
import { Analyte } from '../../src/catalogue/analyte.entity';
import { Panel } from '../../src/catalogue/panel.entity';

/** A panel of `rows` numeric analytes: a report of many pages, long enough to stop in the middle of its render. */
export async function createBigPanel(em: EntityManager, rows = 300): Promise<Panel> {
  const big = em.create(Panel, { code: 'BIG', name: 'Perfil extendido' });
  for (let i = 1; i <= rows; i++) {
    big.analytes.add(
      em.create(Analyte, {
        code: `X${i}`,
        name: `Analito de prueba ${i}`,
        section: Object.values(Section)[i % 7],
        kind: AnalyteKind.Numeric,
        unit: 'mg/dL',
        ranges: [{ species: Species.Dog, low: 0, high: 10, expected: null }],
        position: 100 + i,
        decimals: 1,
      }),
    );
  }
  await em.flush();
  return big;
}
