import type { ReferenceRange, ReportLanguage, ResultFlag } from '@vetlab/shared';
import { formatsFor, wordingFor } from '../../i18n/wording';
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
  /** The clinic's report language. */
  language: ReportLanguage;
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
 * sex, section) stay as stored: the document prints them in its language. The age and reference
 * ranges are written in that language. Sections keep the rows' print order.
 */
export function reportPdfContent(s: ReportContentSource): ReportPdfContent {
  const sections: ReportPdfContent['sections'] = [];
  for (const r of s.rows) {
    let section = sections.find((x) => x.title === r.section);
    if (!section) sections.push((section = { title: r.section, rows: [] }));
    section.rows.push({ code: r.code, name: r.name, value: r.value, unit: r.unit, reference: formatReference(r.range, s.language), flag: r.flag });
  }
  const p = s.protocol;
  return {
    language: s.language,
    lab: LAB_LETTERHEAD,
    protocol: { code: p.code, receivedAt: p.receivedAt?.toISOString() ?? null, createdAt: p.createdAt.toISOString() },
    clinic: { name: s.clinicName },
    vet: s.vetName ? { name: s.vetName } : null,
    animal: { name: p.animalName, species: p.species, breed: p.breed, sex: p.sex, age: formatAge(p.ageMonths, s.language) },
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

/** "8 meses", "1 año", "3 años y 2 meses" ("3 years 2 months" in English). */
export function formatAge(months: number | null, language: ReportLanguage): string | null {
  if (months == null || months < 0) return null;
  const years = Math.floor(months / 12);
  const rest = months % 12;
  const f = formatsFor(language);
  if (!years) return f.count(rest, 'month');
  return rest ? `${f.count(years, 'year')}${wordingFor(language).ageJoin}${f.count(rest, 'month')}` : f.count(years, 'year');
}

/** Storage keys come from ids only: no user input reaches a path. */
export const reportPdfKey = (reportId: string, version: number) => `reports/${reportId}/v${version}.pdf`;

/** An annulled version's PDF, stamped ANULADO / VOID: a key of its own, so the original's bytes are never served for it. */
export const reportVoidPdfKey = (reportId: string, version: number) => `reports/${reportId}/v${version}-void.pdf`;
