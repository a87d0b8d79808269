import { ErrorCode } from '@vetlab/shared';
import type { z } from 'zod';
import { ApiError } from '../api/api-client';
import type { Translate } from '../i18n/i18n';
import { fieldErrorText } from '../notifications/notify';

export interface FieldErrors {
  /** Form path → message, for the fields the form shows. */
  fields: Record<string, string>;
  /** Messages about anything else (shown above the form). */
  other: string[];
}

/**
 * The field errors of a 400 from the API, worded from each detail's code in the reader's language:
 * `details[].field` names the request part (`body.animal.name`); the form knows `animal.name`.
 * `toFormPath` maps request paths onto form paths and returns null for a path the form does not show.
 */
export function serverFieldErrors(t: Translate, err: unknown, toFormPath: (path: string) => string | null = (p) => p): FieldErrors | null {
  if (!(err instanceof ApiError) || err.status !== 400 || !err.body?.details?.length) return null;
  const out: FieldErrors = { fields: {}, other: [] };
  for (const d of err.body.details) {
    const path = d.field.replace(/^body\.?/, '');
    const formPath = path ? toFormPath(path) : null;
    const text = fieldErrorText(t, d);
    if (formPath && !(formPath in out.fields)) out.fields[formPath] = text;
    else if (!formPath) out.other.push(`${path || d.field}: ${text}`);
  }
  return out;
}

/** True for the API's "someone else changed it" 409 (optimistic lock, code STALE), as opposed to other conflicts. */
export function isStale(err: unknown): boolean {
  return err instanceof ApiError && err.body?.code === ErrorCode.Stale;
}

const valueAt = (root: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>((v, k) => (v != null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as string] : undefined), root);

/**
 * A zod issue from a shared schema, in words for the form. `input` is the object that was
 * validated: zod does not report the offending value, and "missing" reads better than "wrong type".
 */
export function issueMessage(t: Translate, issue: z.core.$ZodIssue, input: unknown): string {
  const missing = () => {
    const v = valueAt(input, issue.path);
    return v == null || (typeof v === 'number' && Number.isNaN(v));
  };
  switch (issue.code) {
    case 'invalid_type':
      return missing() ? t('form.error.required') : t('form.error.invalid');
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string') return n <= 1 ? t('form.error.required') : t('form.error.minLength', { n });
      if (issue.origin === 'array') return t('form.error.minItems', { n });
      return t('form.error.min', { n });
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'string') return t('form.error.maxLength', { n });
      if (issue.origin === 'array') return t('form.error.maxItems', { n });
      return t('form.error.max', { n });
    }
    case 'invalid_format':
      return issue.format === 'email' ? t('form.error.email') : t('form.error.invalid');
    case 'invalid_value':
      return missing() ? t('form.error.required') : t('form.error.choose');
    default:
      return t('form.error.invalid');
  }
}

/** Every issue of a failed parse as form errors (first message per field wins). */
export function issuesToErrors(
  t: Translate,
  error: z.ZodError,
  input: unknown,
  toFormPath: (path: string) => string | null = (p) => p,
): FieldErrors {
  const out: FieldErrors = { fields: {}, other: [] };
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    const formPath = toFormPath(path);
    const message = issueMessage(t, issue, input);
    if (formPath === null) out.other.push(path ? `${path}: ${message}` : message);
    else out.fields[formPath] ??= message;
  }
  return out;
}
