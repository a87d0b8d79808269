import { CreateProtocolRequest, Priority, SampleType, Sex, Species } from '@vetlab/shared';
import type { Translate } from '../i18n/i18n';
import { FieldErrors, issuesToErrors } from './form-errors';

/** What the form edits; converted to a CreateProtocolRequest on submit. NumberInputs hold '' when empty. */
export interface ProtocolFormValues {
  clinicId: string | null;
  vetId: string | null;
  animal: {
    name: string;
    species: Species | null;
    breed: string;
    sex: Sex;
    age: { years: number | string; months: number | string };
  };
  owner: { name: string; phone: string; email: string };
  samples: { key: string; type: SampleType | null; count: number | string }[];
  panelIds: string[];
  priority: Priority;
  notes: string;
}

let sampleKeys = 0;
export const newSample = (): ProtocolFormValues['samples'][number] => ({ key: `s${++sampleKeys}`, type: null, count: 1 });

export const emptyProtocolForm = (): ProtocolFormValues => ({
  clinicId: null,
  vetId: null,
  animal: { name: '', species: null, breed: '', sex: Sex.Unknown, age: { years: '', months: '' } },
  owner: { name: '', phone: '', email: '' },
  samples: [newSample()],
  panelIds: [],
  priority: Priority.Routine,
  notes: '',
});

const num = (v: number | string): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const orNull = (s: string): string | null => (s.trim() ? s.trim() : null);

/** Age in months from years + months; null when both are empty. */
export function ageInMonths(age: ProtocolFormValues['animal']['age']): number | null {
  const y = num(age.years);
  const m = num(age.months);
  if (y === undefined && m === undefined) return null;
  return (y ?? 0) * 12 + (m ?? 0);
}

export function toCreateRequest(v: ProtocolFormValues): CreateProtocolRequest {
  return {
    ...(v.clinicId ? { clinicId: v.clinicId } : {}),
    ...(v.vetId ? { vetId: v.vetId } : {}),
    animal: {
      name: v.animal.name,
      // Left undefined so the shared schema reports it as missing.
      species: (v.animal.species ?? undefined) as Species,
      breed: orNull(v.animal.breed),
      sex: v.animal.sex,
      ageMonths: ageInMonths(v.animal.age),
    },
    owner: { name: v.owner.name, phone: orNull(v.owner.phone), email: orNull(v.owner.email) },
    samples: v.samples.map((s) => ({ type: (s.type ?? undefined) as SampleType, count: num(s.count) as number })),
    panelIds: v.panelIds,
    priority: v.priority,
    notes: orNull(v.notes),
  };
}

const SHOWN = /^(clinicId|vetId|animal\.(name|species|breed|sex|age\.years|age\.months)|owner\.(name|phone|email)|samples(\.\d+\.(type|count))?|panelIds|priority|notes)$/;

/** Request path (from zod or from the API's 400) → the form field that shows it; null if none does. */
export function protocolFormPath(path: string): string | null {
  if (path === 'animal.ageMonths') return 'animal.age.years';
  if (/^panelIds(\.\d+)?$/.test(path)) return 'panelIds';
  if (/^samples\.\d+$/.test(path)) return `${path}.type`;
  return SHOWN.test(path) ? path : null;
}

/**
 * Client-side check with the shared schema plus what only the form knows: the lab must name the
 * clinic, and years/months must be whole and in range.
 */
export function validateProtocolForm(v: ProtocolFormValues, t: Translate, opts: { needsClinic: boolean }): FieldErrors {
  const request = toCreateRequest(v);
  const parsed = CreateProtocolRequest.safeParse(request);
  const errors: FieldErrors = parsed.success ? { fields: {}, other: [] } : issuesToErrors(t, parsed.error, request, protocolFormPath);
  if (opts.needsClinic && !v.clinicId) errors.fields.clinicId = t('form.error.required');
  const { years, months } = v.animal.age;
  if (years !== '' && !(Number.isInteger(years) && Number(years) >= 0 && Number(years) <= 50)) {
    errors.fields['animal.age.years'] = t('submit.error.years');
  }
  if (months !== '' && !(Number.isInteger(months) && Number(months) >= 0 && Number(months) <= 11)) {
    errors.fields['animal.age.months'] = t('submit.error.months');
  }
  return errors;
}
