import type { ReportLanguage } from '@vetlab/shared';

/**
 * Wording of a report's corrections and annulments, on the PDF and in the annulment mail, as
 * {es, en} pairs chosen by the clinic's report language (Spanish unless said otherwise).
 */
const LIFE_TEXT = {
  es: {
    amendmentTitle: 'Corrección',
    replaces: (version: number, reason: string) => `Reemplaza a la versión ${version}. Motivo: ${reason}`,
    voidMark: 'ANULADO / VOID',
    voidNote: (date: string, reason: string) => `Versión anulada el ${date}. Motivo: ${reason}`,
    voidFilenameSuffix: 'anulado',
  },
  en: {
    amendmentTitle: 'Correction',
    replaces: (version: number, reason: string) => `Replaces version ${version}. Reason: ${reason}`,
    voidMark: 'ANULADO / VOID',
    voidNote: (date: string, reason: string) => `Version annulled on ${date}. Reason: ${reason}`,
    voidFilenameSuffix: 'void',
  },
} as const satisfies Record<ReportLanguage, unknown>;

export type LifeText = (typeof LIFE_TEXT)[ReportLanguage];

export const lifeText = (language: ReportLanguage = 'es'): LifeText => LIFE_TEXT[language];
