import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AnalyteView, CatalogueView } from '@vetlab/shared';
import { orderAnalytes } from '../work-orders/work-order-sections';
import { Analyte } from './analyte.entity';
import { Panel } from './panel.entity';

export const toAnalyteView = (a: Analyte): AnalyteView => ({
  id: a.id,
  code: a.code,
  name: a.name,
  section: a.section,
  unit: a.unit,
  kind: a.kind,
  decimals: a.decimals,
  ranges: a.ranges,
});

@Injectable()
export class CatalogueService {
  constructor(private readonly em: EntityManager) {}

  /** The whole catalogue in bench order; small enough to send at once and cache in the browser. */
  async view(): Promise<CatalogueView> {
    const analytes = await this.em.find(Analyte, {});
    const panels = await this.em.find(Panel, {}, { populate: ['analytes'], orderBy: { code: 'asc' } });
    return {
      analytes: orderAnalytes(analytes).map(toAnalyteView),
      panels: panels.map((p) => ({ id: p.id, code: p.code, name: p.name, analyteIds: p.analytes.getItems().map((a) => a.id) })),
    };
  }
}
