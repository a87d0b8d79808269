import type { ReferenceRange, ResultFlag } from '@vetlab/shared';
import { formatReference } from '../../pdf/report-labels';
import type { ReportPdfContent } from '../../pdf/verification-code';
import { LAB_LETTERHEAD } from './lab-letterhead';

/** What the database holds for one report version, flattened (no entities: easy to test). */
export interface ReportContentSource {
  protocol: {
    code: string;
    receivedAt: Date | null;
    createdAt: Date;
    animalName: string;
    species: string;
    breed: string | null;
    sex: string;
    ageMonths: number | null;
    ownerName: string;
  };
  clinicName: string;
  vetName: string | null;
  /** In print order. */
  rows: { code: string; name: string; section: string; unit: string | null; value: string | null; flag: ResultFlag | null; range: ReferenceRange | null }[];
  observations: string | null;
  signer: { name: string; signaturePng: Buffer | null };
  version: number;
  supersedesVersion: number | null;
  /** An amendment's reason: printed with the version it replaces. */
  amendReason?: string | null;
  finalizedAt: Date;
}

/**
 * The report's content as the renderer and the verification code see it. Enum values (species,
 * sex, section) stay as stored: the document prints them in Spanish, and the code stays independent
 * of wording. Sections keep the rows' print order.
 */
export function reportPdfContent(s: ReportContentSource): ReportPdfContent {
  const sections: ReportPdfContent['sections'] = [];
  for (const r of s.rows) {
    let section = sections.find((x) => x.title === r.section);
    if (!section) sections.push((section = { title: r.section, rows: [] }));
    section.rows.push({ code: r.code, name: r.name, value: r.value, unit: r.unit, reference: formatReference(r.range), flag: r.flag });
  }
  const p = s.protocol;
  return {
    lab: LAB_LETTERHEAD,
    protocol: { code: p.code, receivedAt: p.receivedAt?.toISOString() ?? null, createdAt: p.createdAt.toISOString() },
    clinic: { name: s.clinicName },
    vet: s.vetName ? { name: s.vetName } : null,
    animal: { name: p.animalName, species: p.species, breed: p.breed, sex: p.sex, age: formatAge(p.ageMonths) },
    owner: { name: p.ownerName },
    sections,
    observations: s.observations,
    signer: { name: s.signer.name, signaturePngBase64: s.signer.signaturePng?.length ? s.signer.signaturePng.toString('base64') : null },
    version: s.version,
    supersedesVersion: s.supersedesVersion,
    // Only when there is one: the content (and so the code) of versions without it stays as it was.
    ...(s.amendReason && s.supersedesVersion != null ? { amendReason: s.amendReason } : {}),
    finalizedAt: s.finalizedAt.toISOString(),
  };
}

/** "8 meses", "1 año", "3 años y 2 meses". */
export function formatAge(months: number | null): string | null {
  if (months == null || months < 0) return null;
  const years = Math.floor(months / 12);
  const rest = months % 12;
  const m = (n: number) => `${n} ${n === 1 ? 'mes' : 'meses'}`;
  const y = (n: number) => `${n} ${n === 1 ? 'año' : 'años'}`;
  if (!years) return m(rest);
  return rest ? `${y(years)} y ${m(rest)}` : y(years);
}

/** Storage keys come from ids only: no user input reaches a path. */
export const reportPdfKey = (reportId: string, version: number) => `reports/${reportId}/v${version}.pdf`;

/** An annulled version's PDF, stamped ANULADO / VOID: a key of its own, so the original's bytes are never served for it. */
export const reportVoidPdfKey = (reportId: string, version: number) => `reports/${reportId}/v${version}-void.pdf`;
