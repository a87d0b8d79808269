import type { ReportLanguage, ResultFlag } from '@vetlab/shared';

/**
 * Everything a report PDF shows, as plain JSON: built from the database by the finalize job, sent
 * to a render thread, and hashed (canonical form) into the verification code printed on each page.
 */
export interface ReportPdfData {
  /** The clinic's report language: every fixed word, date and number of the document follows it. */
  language: ReportLanguage;
  lab: { name: string; address: string; phone: string; email: string };
  protocol: { code: string; receivedAt: string | null; createdAt: string };
  clinic: { name: string };
  vet: { name: string } | null;
  animal: { name: string; species: string; breed: string | null; sex: string; age: string | null };
  owner: { name: string };
  sections: {
    title: string;
    rows: { code: string; name: string; value: string | null; unit: string | null; reference: string | null; flag: ResultFlag | null }[];
  }[];
  observations: string | null;
  signer: { name: string; signaturePngBase64: string | null };
  version: number;
  supersedesVersion: number | null;
  /** An amendment's reason (set only then): printed under the letterhead with the version it replaces. */
  amendReason?: string;
  finalizedAt: string;
  /** Short code derived from the canonical content (not from the PDF bytes). */
  verificationCode: string;
  /** The public page that checks the code (`<PUBLIC_URL>/verificar/<code>`), printed as a QR code; not content. */
  verificationUrl: string;
  /**
   * Set on the PDF of an annulled version only: every page carries the ANULADO / VOID mark and this
   * reason. Not content: the verification code (computed without it) stays the original's.
   */
  annulment?: { at: string; reason: string };
}
