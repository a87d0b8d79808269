import { AnalyteKind, FieldError, FieldErrorCode, ReferenceRange, ResultFlag } from '@vetlab/shared';
import { invalidFields } from '../common/domain-error';
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
  const errors: FieldError[] = [];
  const planned = new Map<string, RowChange<R>>();
  const seen = new Set<string>();
  results.forEach((entry, i) => {
    const row = byId.get(entry.rowId);
    if (!row) return void errors.push({ field: `body.results.${i}.rowId`, message: 'not a row of this draft', code: FieldErrorCode.UnknownReference });
    if (seen.has(entry.rowId)) return void errors.push({ field: `body.results.${i}.rowId`, message: 'row appears more than once', code: FieldErrorCode.InvalidValue });
    seen.add(entry.rowId);
    const fields = resultFields(row.analyte, row.range, entry.value);
    if (!fields) return void errors.push({ field: `body.results.${i}.value`, message: `${row.analyte.code} needs a number (e.g. 12.5)`, code: FieldErrorCode.InvalidFormat });
    if (fields.value === row.value && fields.flag === row.flag) return;
    planned.set(row.id, { row, fields });
  });
  if (errors.length) throw invalidFields(errors);
  return [...planned.values()];
}
