import { EntityManager } from '@mikro-orm/core';
import { ReportVersion } from './report-version.entity';
import { Report } from './report.entity';
import { ResultRow } from './result-row.entity';

/**
 * The one way a new draft version starts from a released one (an amendment, or the retest of an
 * annulled version): number n+1, the source's values and observations copied, the reason it
 * replaces the source kept for its PDF. Runs in the caller's transaction; a concurrent second
 * draft hits the unique (report, number) key.
 */
export async function openDraftFrom(em: EntityManager, source: ReportVersion, next: { number: number; reason: string }): Promise<{ draft: ReportVersion; rows: ResultRow[] }> {
  const copied = await em.find(ResultRow, { version: source.id }, { populate: ['analyte'], orderBy: { position: 'asc' } });
  const draft = em.create(ReportVersion, {
    report: em.getReference(Report, source.report.id),
    number: next.number,
    supersedesNumber: source.number,
    amendReason: next.reason,
    observations: source.observations,
  });
  const rows = copied.map((r) =>
    em.create(ResultRow, { version: draft, analyte: r.analyte, position: r.position, value: r.value, numericValue: r.numericValue, flag: r.flag, range: r.range }),
  );
  return { draft, rows };
}
