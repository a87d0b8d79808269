import { AnalyteKind, EDITABLE_VERSION_STATUSES, parseNumeric, ReportVersionView, ReportView, ResultRowView } from '@vetlab/shared';

/** Unsaved values, keyed by analyte (row ids change from one report version to the next). */
export type Edits = Record<string, string>;


/** The version staff may edit: the newest draft or failed finalization (versions come newest first). */
export function editableVersion(report: ReportView | null | undefined): ReportVersionView | null {
  return report?.versions.find((v) => EDITABLE_VERSION_STATUSES.includes(v.status)) ?? null;
}

/** Of two views of the editable version, the later one (a newer version, or the same one saved later). */
export function newer(a: ReportVersionView | null, b: ReportVersionView | null): ReportVersionView | null {
  if (!a || !b) return a ?? b;
  if (a.number !== b.number) return a.number > b.number ? a : b;
  return b.lockVersion > a.lockVersion ? b : a;
}

/** What the input shows: the unsaved value, else the saved one. */
export const shownValue = (row: ResultRowView, edits: Edits): string => edits[row.analyteId] ?? row.value ?? '';

const stored = (text: string): string | null => (text.trim() ? text.trim() : null);

/** A numeric analyte with text that is not a number ("12,5" and "12.5" are numbers). */
export const isInvalidNumber = (row: Pick<ResultRowView, 'kind'>, text: string): boolean =>
  row.kind === AnalyteKind.Numeric && text.trim() !== '' && parseNumeric(text) === null;

export interface RowChange {
  row: ResultRowView;
  value: string | null;
}

/** Rows whose unsaved value differs from the saved one: only these are sent. */
export function changedRows(version: ReportVersionView, edits: Edits): RowChange[] {
  return version.rows.flatMap((row) => {
    const edit = edits[row.analyteId];
    if (edit === undefined) return [];
    const value = stored(edit);
    return value === (row.value ?? null) ? [] : [{ row, value }];
  });
}

/** Observations to send: undefined when untouched or unchanged. */
export function changedObservations(version: ReportVersionView, draft: string | null): string | null | undefined {
  if (draft === null) return undefined;
  const value = stored(draft);
  return value === (version.observations ?? null) ? undefined : value;
}

export function progress(version: ReportVersionView, edits: Edits): { filled: number; total: number } {
  const filled = version.rows.filter((r) => shownValue(r, edits).trim() !== '').length;
  return { filled, total: version.rows.length };
}

/** Rows in print order, cut where the section changes (the API sends them by position). */
export function bySection(rows: ResultRowView[]): { section: ResultRowView['section']; rows: ResultRowView[] }[] {
  const groups: { section: ResultRowView['section']; rows: ResultRowView[] }[] = [];
  for (const row of rows) {
    const last = groups[groups.length - 1];
    if (last && last.section === row.section) last.rows.push(row);
    else groups.push({ section: row.section, rows: [row] });
  }
  return groups;
}

/** Words the bench types for qualitative results, offered beside the analyte's expected value. */
const COMMON_ANSWERS = ['negativo', 'positivo', 'trazas', '+', '++', '+++', 'no se observan', 'escasas', 'moderadas', 'abundantes'];

export function answerOptions(row: ResultRowView): string[] {
  const expected = row.range?.expected?.trim();
  return [...new Set([...(expected ? [expected] : []), ...COMMON_ANSWERS])];
}

/** Drops the edits that a save stored, keeping anything typed while the save was on its way. */
export function withoutSaved(edits: Edits, sent: RowChange[]): Edits {
  const next = { ...edits };
  for (const c of sent) if (stored(next[c.row.analyteId] ?? '') === c.value) delete next[c.row.analyteId];
  return next;
}
