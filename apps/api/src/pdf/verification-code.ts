import { verificationPagePath } from '@vetlab/shared';
import { createHash } from 'node:crypto';
import type { ReportPdfData } from './report-pdf-data';

/** What the code is derived from: everything the report says, but the code, where it is checked, and an annulment's stamp. */
export type ReportPdfContent = Omit<ReportPdfData, 'verificationCode' | 'verificationUrl' | 'annulment'>;

/** Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 characters of 5 bits: 80 bits, so that guessing a code of any report is hopeless. */
const CODE_CHARS = 16;
/** Codes printed before the 80-bit ones (XXXX-XXXX-XX, 50 bits) keep verifying. */
const LEGACY_CODE_CHARS = 10;

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
 * The code printed on every page: the first 80 bits of SHA-256 over the canonical JSON of the
 * version's content (everything in ReportPdfData but the code itself), as XXXX-XXXX-XXXX-XXXX. It depends
 * on what the report says, not on the PDF bytes, so re-rendering the same version gives the same
 * code and anyone holding the data can recompute it.
 */
export function verificationCode(content: ReportPdfContent | ReportPdfData): string {
  // An annulment stamps the PDF; it is not what the report says, so the code stays the original's.
  const { verificationCode: _code, verificationUrl: _url, annulment: _stamp, ...rest } = content as ReportPdfData;
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
  return grouped(out);
}

/** Groups of four characters joined by dashes (the last group may be shorter). */
function grouped(chars: string): string {
  return chars.match(/.{1,4}/g)!.join('-');
}

/**
 * A code as someone typed or scanned it, in the form it is stored in: case and dashes or spaces do
 * not matter, and the letters Crockford's alphabet leaves out are read as the digits they look like
 * (O as 0, I and L as 1). Null when it cannot be a code (wrong length or characters).
 */
export function normalizeVerificationCode(input: string): string | null {
  const chars = input
    .slice(0, 64)
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (chars.length !== CODE_CHARS && chars.length !== LEGACY_CODE_CHARS) return null;
  if (![...chars].every((c) => ALPHABET.includes(c))) return null;
  return grouped(chars);
}

/** The public page that checks a code: `<PUBLIC_URL>/verificar/<code>` (the QR code on the report). */
export function verificationUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${verificationPagePath(code)}`;
}

/** Completes the data the renderer needs with its verification code and the page that checks it. */
export function withVerificationCode(content: ReportPdfContent, publicUrl: string): ReportPdfData {
  const code = verificationCode(content);
  return { ...content, verificationCode: code, verificationUrl: verificationUrl(publicUrl, code) };
}
