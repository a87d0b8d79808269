import { isId, type AuditEntryView } from '@vetlab/shared';
import { catalogue, MessageKey } from '../i18n/catalogue';
import type { Translate } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import type { Locale } from '../i18n/types';

/** A value as people read it: a short text, or a long one / a structure shown folded. */
export type Shown = { kind: 'text'; text: string } | { kind: 'long'; summary: string; text: string };

/** One changed field: "field: before → after" (`before` null when the entry only says the new value). */
export interface Change {
  field: string;
  label: string;
  before: Shown | null;
  after: Shown | null;
}

export interface ChangeContext {
  t: Translate;
  locale: Locale;
  dateTime: (iso: string) => string;
  /** The names of the records the entry points to, by id (the entry's `names`). */
  names?: Readonly<Record<string, string>>;
}

/** Longer texts than this fold behind a summary. */
const LONG_TEXT = 80;
/** Ids and hashes say nothing to people: they show by their start (the whole value folded behind it). */
const TOKEN = /^\S{33,}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Values named by the SPA's own labels, per kind of record and field: statuses, priorities, roles. */
const LABELLED: Record<string, (entity: string) => string | null> = {
  status: (entity) => ({ report: 'reportStatus', protocol: 'status', mail: 'mail.status' })[entity] ?? null,
  state: (entity) => ({ bulk_run: 'bulk.state', job: 'ops.jobState' })[entity] ?? null,
  kind: (entity) => (entity === 'job' ? 'ops.kind' : null),
  queue: () => 'ops.queue',
  priority: () => 'priority',
  role: () => 'role',
  endedBy: () => 'audit.endedBy',
  reportLanguage: () => 'clinics.language',
};

const known = (key: string): key is MessageKey => key in catalogue;

/**
 * The fields an entry changed, in its own order, each made readable. A field with the same value on
 * both sides is left out (a report entry's version number, which its label names already).
 */
export function changesOf(entry: Pick<AuditEntryView, 'entity' | 'before' | 'after'> & Partial<Pick<AuditEntryView, 'names'>>, context: ChangeContext): Change[] {
  const ctx = entry.names ? { ...context, names: entry.names } : context;
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changes: Change[] = [];
  for (const field of fields) {
    const inBefore = field in before;
    const inAfter = field in after;
    if (inBefore && inAfter && JSON.stringify(before[field]) === JSON.stringify(after[field])) continue;
    const byCode = rowsByCode(before[field], after[field]);
    if (byCode) {
      // A result edit: one line per analyte, "GLU: 180 → 200".
      for (const [code, [was, now]] of byCode) {
        if (JSON.stringify(was) !== JSON.stringify(now)) changes.push({ field: `${field}.${code}`, label: code, before: show(entry.entity, 'value', was ?? null, ctx), after: show(entry.entity, 'value', now ?? null, ctx) });
      }
      continue;
    }
    const labelKey = `audit.field.${field}`;
    changes.push({
      field,
      label: known(labelKey) ? ctx.t(labelKey) : field,
      before: entry.before && inBefore ? show(entry.entity, field, before[field], ctx) : null,
      after: inAfter ? show(entry.entity, field, after[field], ctx) : entry.after ? show(entry.entity, field, null, ctx) : null,
    });
  }
  return changes;
}

type Coded = { code: string; value?: unknown };
const isCodedList = (v: unknown): v is Coded[] => Array.isArray(v) && v.length > 0 && v.every((r) => r && typeof r === 'object' && typeof (r as Coded).code === 'string');

/** Two lists of rows named by a code (a result edit's `rows`) as code → [before, after] values; null for anything else. */
function rowsByCode(before: unknown, after: unknown): Map<string, [unknown, unknown]> | null {
  if (!isCodedList(before) || !isCodedList(after)) return null;
  const map = new Map<string, [unknown, unknown]>();
  for (const r of before) map.set(r.code, [r.value, undefined]);
  for (const r of after) map.set(r.code, [map.get(r.code)?.[0], r.value]);
  return map;
}

/** One value in people's words: records by name, labels for statuses, Sí/No, local dates, lists joined, long JSON folded. */
export function show(entity: string, field: string, value: unknown, ctx: ChangeContext): Shown {
  const text = (s: string): Shown => (s.length > LONG_TEXT ? { kind: 'long', summary: `${s.slice(0, LONG_TEXT - 1)}…`, text: s } : { kind: 'text', text: s });
  if (value === null || value === undefined || value === '') return text(ctx.t('app.none'));
  const named = (v: unknown) => (typeof v === 'string' ? ctx.names?.[v] : undefined);
  if (named(value)) return text(named(value)!);
  if (Array.isArray(value) && value.length && value.every(named)) return text(value.map(named).join(', '));
  if (typeof value === 'boolean') return text(ctx.t(value ? 'audit.yes' : 'audit.no'));
  if (typeof value === 'number') return text(String(value));
  if (typeof value === 'string') {
    const prefix = LABELLED[field]?.(entity);
    if (prefix && known(`${prefix}.${value}`)) return text(ctx.t(`${prefix}.${value}` as MessageKey));
    if (ISO_DATE_TIME.test(value)) return text(ctx.dateTime(value));
    if (isId(value) || TOKEN.test(value)) return { kind: 'long', summary: `${value.slice(0, 8)}…`, text: value };
    return text(value);
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' || (typeof v === 'string' && !isId(v)))) {
    return text(value.length ? value.join(', ') : ctx.t('app.none'));
  }
  if (!Array.isArray(value) && typeof value === 'object') {
    // A small record of plain values reads inline ("hematologia: 1 ml"); a bigger one folds.
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length && entries.every(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) {
      const inline = entries.map(([k, v]) => `${k}: ${v === null ? ctx.t('app.none') : String(v)}`).join('; ');
      if (inline.length <= LONG_TEXT) return text(inline);
    }
  }
  const count = Array.isArray(value) ? value.length : Object.keys(value as object).length;
  return { kind: 'long', summary: plural(ctx.t, ctx.locale, 'audit.json', count), text: JSON.stringify(value, null, 2) };
}
