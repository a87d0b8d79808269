import { AnalyteKind, ReferenceRange, ResultFlag } from '@vetlab/shared';
import { DomainError } from '../common/domain-error';
import { ResultFields, resultFields } from './result-values';

export interface EditableRow {
  id: string;
  analyte: { code: string; kind: AnalyteKind };
  range: ReferenceRange | null;
  value: string | null;
  flag: ResultFlag | null;
}

export interface RowChange<R extends EditableRow> {
  row: R;
  fields: ResultFields;
}

/**
 * Validates typed results against the version's rows and computes what to store. Unchanged values
 * are dropped. Every bad entry is named (`body.results.N.rowId` / `body.results.N.value`) at once.
 */
export function planResultEdits<R extends EditableRow>(rows: R[], results: { rowId: string; value: string | null }[]): RowChange<R>[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const errors: { field: string; message: string }[] = [];
  const planned = new Map<string, RowChange<R>>();
  const seen = new Set<string>();
  results.forEach((entry, i) => {
    const row = byId.get(entry.rowId);
    if (!row) return void errors.push({ field: `body.results.${i}.rowId`, message: 'not a row of this draft' });
    if (seen.has(entry.rowId)) return void errors.push({ field: `body.results.${i}.rowId`, message: 'row appears more than once' });
    seen.add(entry.rowId);
    const fields = resultFields(row.analyte, row.range, entry.value);
    if (!fields) return void errors.push({ field: `body.results.${i}.value`, message: `${row.analyte.code} needs a number (e.g. 12.5)` });
    if (fields.value === row.value && fields.flag === row.flag) return;
    planned.set(row.id, { row, fields });
  });
  if (errors.length) throw new DomainError('invalid', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return [...planned.values()];
}
