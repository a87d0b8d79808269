import { ReferenceRange, ResultFlag } from '@vetlab/shared';

/**
 * Spanish wording of the report. Enum values (species `dog`, sex `male`, section `hemograma`) are
 * translated; anything else is printed as given, so callers may pass either.
 */
const SPECIES: Record<string, string> = { dog: 'Perro', cat: 'Gato', horse: 'Caballo', cow: 'Bovino' };
const SEX: Record<string, string> = { male: 'Macho', female: 'Hembra', unknown: 'Desconocido' };
const SECTIONS: Record<string, string> = {
  hemograma: 'Hemograma',
  bioquimica_serica: 'Bioquímica sérica',
  urianalisis: 'Urianálisis',
  coagulacion: 'Coagulación',
  endocrinologia: 'Endocrinología',
  parasitologia: 'Parasitología',
  serologia: 'Serología',
};

export const speciesLabel = (v: string) => SPECIES[v] ?? v;
export const sexLabel = (v: string) => SEX[v] ?? v;
export const sectionLabel = (v: string) => SECTIONS[v] ?? v;

/** Out-of-range marks printed after the value (the standard PDF fonts have no arrows). */
export const FLAG_LABEL: Partial<Record<ResultFlag, string>> = {
  [ResultFlag.High]: 'alto',
  [ResultFlag.Low]: 'bajo',
  [ResultFlag.Abnormal]: 'anormal',
};

export const isOutOfRange = (flag: ResultFlag | null): boolean => flag != null && flag !== ResultFlag.Normal;

export function versionLabel(version: number, supersedes: number | null): string {
  return supersedes ? `Versión ${version} — reemplaza a la versión ${supersedes}` : `Versión ${version}`;
}

/** Reports print dates in the laboratory's time zone, whatever the server's. */
export const LAB_TIME_ZONE = 'Europe/Madrid';
const dateFmt = new Intl.DateTimeFormat('es-ES', { timeZone: LAB_TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFmt = new Intl.DateTimeFormat('es-ES', { timeZone: LAB_TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false });

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}

export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${dateFmt.format(d)} ${timeFmt.format(d)}`;
}

/**
 * The "Valores de referencia" text of a stored range, for whoever builds ReportPdfData:
 * `{ low: 37, high: 55 }` → "37 – 55", one bound only → ">= 5" / "<= 0,3", a qualitative
 * expectation → the expected answer. Decimal comma, as Spanish labs print it.
 */
export function formatReference(range: ReferenceRange | null | undefined): string | null {
  if (!range) return null;
  const n = (x: number) => String(x).replace('.', ',');
  if (range.low != null && range.high != null) return `${n(range.low)} – ${n(range.high)}`;
  if (range.low != null) return `>= ${n(range.low)}`;
  if (range.high != null) return `<= ${n(range.high)}`;
  return range.expected ?? null;
}
