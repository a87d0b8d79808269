import { createHash } from 'node:crypto';
import type { ReportPdfData } from './report-pdf-data';

export type ReportPdfContent = Omit<ReportPdfData, 'verificationCode' | 'annulment'>;

/** Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 10;

/**
 * JSON with object keys sorted at every level and no whitespace; arrays keep their order (row and
 * section order is content). `undefined` properties are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/**
 * The short code printed on every page: the first 50 bits of SHA-256 over the canonical JSON of the
 * version's content (everything in ReportPdfData but the code itself), as XXXX-XXXX-XX. It depends
 * on what the report says, not on the PDF bytes, so re-rendering the same version gives the same
 * code and anyone holding the data can recompute it.
 */
export function verificationCode(content: ReportPdfContent | ReportPdfData): string {
  // An annulment stamps the PDF; it is not what the report says, so the code stays the original's.
  const { verificationCode: _ignored, annulment: _stamp, ...rest } = content as ReportPdfData;
  const digest = createHash('sha256').update(canonicalJson(rest), 'utf8').digest();
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const byte of digest) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < CODE_CHARS) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
    if (out.length === CODE_CHARS) break;
  }
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

/** Completes the data the renderer needs with its verification code. */
export function withVerificationCode(content: ReportPdfContent): ReportPdfData {
  return { ...content, verificationCode: verificationCode(content) };
}
