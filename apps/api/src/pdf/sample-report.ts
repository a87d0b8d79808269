import { ReportLanguage, Species, computeFlag } from '@vetlab/shared';
import { label, WORDING } from '../i18n/wording';
import { DEMO_ANALYTES } from '../catalogue/demo-catalogue';
import { Prng } from '../seed/prng';
import { signaturePng } from '../seed/signature-png';
import { paginateReport } from './paginate-report';
import { formatReference } from './report-labels';
import type { ReportPdfData } from './report-pdf-data';
import { withVerificationCode } from './verification-code';

/** Where the sample reports' QR codes point to. */
export const SAMPLE_PUBLIC_URL = 'https://vetlab.example';

const OBSERVATIONS =
  'Muestra recibida en buen estado, sin hemólisis ni lipemia apreciables. Se observa una leve leucocitosis ' +
  'neutrofílica compatible con un proceso inflamatorio; se recomienda correlacionar con la clínica y repetir ' +
  'el hemograma en 7–10 días. Resto de parámetros dentro de los intervalos de referencia de la especie.';

let signature: string | null = null;
const sampleSignature = () => (signature ??= signaturePng('sample-signer').toString('base64'));

/** A believable dog's report with `rows` results from the demo catalogue (deterministic per seed). */
export function sampleReportWithRows(rows: number, seed = 'sample'): ReportPdfData {
  const r = new Prng(`report:${seed}`);
  const bySection = new Map<string, ReportPdfData['sections'][number]['rows']>();
  for (let i = 0; i < rows; i++) {
    const a = DEMO_ANALYTES[i % DEMO_ANALYTES.length];
    const range = a.ranges.find((x) => x.species === Species.Dog) ?? null;
    let value: string;
    if (a.answers) value = r.next() < 0.8 ? a.answers[0] : a.answers[r.int(1, a.answers.length - 1)];
    else {
      const low = range?.low ?? 0;
      const high = range?.high ?? low + 10;
      const span = high - low || 1;
      value = Math.max(0, low - span * 0.15 + r.next() * span * 1.3)
        .toFixed(a.decimals)
        .replace('.', ',');
    }
    // Long reports repeat the catalogue as follow-up series (serial controls), one table each.
    const round = Math.floor(i / DEMO_ANALYTES.length);
    const key = round ? `${label(WORDING.es.sections, a.section)} — control ${round + 1}` : a.section;
    const list = bySection.get(key) ?? [];
    list.push({
      code: round ? `${a.code}-${round + 1}` : a.code,
      name: a.name,
      value,
      unit: a.unit,
      reference: formatReference(range, ReportLanguage.Es),
      flag: computeFlag(a.kind, value, range),
    });
    bySection.set(key, list);
  }
  return withVerificationCode({
    language: ReportLanguage.Es,
    lab: {
      name: 'Laboratorio de Diagnóstico Veterinario vetlab',
      address: 'Calle de la Ciencia 12, 28040 Madrid',
      phone: '+34 910 000 000',
      email: 'informes@vetlab.local',
    },
    protocol: { code: 'P-2025-000123', receivedAt: '2025-03-03T09:15:00.000Z', createdAt: '2025-03-02T17:40:00.000Z' },
    clinic: { name: 'Clínica Veterinaria Los Olmos' },
    vet: { name: 'Dra. Lucía Fernández Ortega' },
    animal: { name: 'Toby', species: Species.Dog, breed: 'Labrador retriever', sex: 'male', age: '7 años' },
    owner: { name: 'Marta Gómez Ruiz' },
    sections: [...bySection].map(([title, list]) => ({ title, rows: list })),
    observations: OBSERVATIONS,
    signer: { name: 'Dr. Javier Morales Prieto', signaturePngBase64: sampleSignature() },
    version: 1,
    supersedesVersion: null,
    finalizedAt: '2025-03-04T12:30:00.000Z',
  }, SAMPLE_PUBLIC_URL);
}

/**
 * A sample report that fills exactly `pages` pages (as many rows as still fit): the warm-up render,
 * the render benchmarks and the tests use it.
 */
export function sampleReportData(pages: number, seed = 'sample'): ReportPdfData {
  const count = (rows: number) => paginateReport(sampleReportWithRows(rows, seed)).length;
  let lo = 1;
  let hi = 64 * pages;
  // Largest row count that still gives `pages` pages.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(mid) <= pages) lo = mid;
    else hi = mid - 1;
  }
  const data = sampleReportWithRows(lo, seed);
  const got = paginateReport(data).length;
  if (got !== pages) throw new Error(`sampleReportData: ${pages} pages cannot be filled (got ${got})`);
  return data;
}
