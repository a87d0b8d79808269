import { Document, Font, pdf } from '@react-pdf/renderer';
import layoutDocument from '@react-pdf/layout';
import renderPdf from '@react-pdf/render';
import type { DocumentProps } from '@react-pdf/renderer';
import { createElement, type ReactElement } from 'react';

/**
 * One PDF from documents laid out one after the other: each part (a React-PDF `<Document>` holding
 * some of the pages) is laid out, drawn into the same pdfkit document and dropped before the next
 * is laid out.
 *
 * Why: React-PDF lays a whole document out before it draws the first page, so every page's boxes,
 * text runs and glyph positions live until the end. On a long report they outlive V8's young
 * generation, get promoted and pile up in the old one (a 20-page report lifted a render thread's
 * peak by ~170 MiB). A part of a page or two is laid out, drawn and garbage within a few young
 * collections: the old generation hardly grows, which is also less work for the collector.
 *
 * The pages must not depend on each other (React-PDF's own page breaking and `totalPages` only see
 * their part): the report's paginator has already decided every page and numbers them itself.
 */
export async function renderInParts(info: DocumentInfo, parts: ReactElement<DocumentProps>[]): Promise<Buffer> {
  const PDFDocument = await pdfkit();
  // The options React-PDF's own renderToBuffer gives pdfkit (4.9), so one part renders the same bytes.
  const doc = new PDFDocument({
    compress: true,
    lang: info.language,
    displayTitle: true,
    autoFirstPage: false,
    info: withoutNils({
      Title: info.title,
      Author: info.author,
      Subject: info.subject,
      Creator: info.creator,
      Producer: info.producer,
      CreationDate: info.creationDate,
      ModificationDate: info.modificationDate,
    }),
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (let i = 0; i < parts.length; i++) {
    const container = pdf(parts[i]);
    const layout = await layOut((container as unknown as { container: { document: never } }).container.document, Font);
    // React-PDF's render ends the document after the part's pages; only the last part may.
    const last = i === parts.length - 1;
    if (!last) doc.end = () => doc;
    try {
      renderPdf(doc as never, layout);
    } finally {
      if (!last) delete (doc as { end?: unknown }).end;
    }
    container.updateContainer(null as never);
  }
  return done;
}

/** React-PDF's layout as its renderer calls it: with the font store (its typings omit that argument). */
const layOut = layoutDocument as unknown as (document: never, fonts: typeof Font) => ReturnType<typeof layoutDocument>;

/** The document's metadata (pdfkit's info dictionary and language). */
export interface DocumentInfo {
  title?: string;
  author?: string;
  subject?: string;
  creator?: string;
  producer?: string;
  creationDate?: Date;
  modificationDate?: Date;
  language?: string;
}

/** Splits pages into parts of at most `size`. */
export function partsOf<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + Math.max(1, size)));
  return out;
}

const withoutNils = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v != null)) as Partial<T>;

interface PdfkitDocument {
  on(event: string, listener: (...args: never[]) => void): void;
  end(): PdfkitDocument;
}
type PdfkitConstructor = new (options: object) => PdfkitDocument;

let pdfkitClass: Promise<PdfkitConstructor> | null = null;
/**
 * The pdfkit class React-PDF itself draws with, taken from a document it renders (an empty one,
 * once per thread). Run as built, React-PDF imports pdfkit's ES module; a plain require('pdfkit')
 * from this CommonJS app would load its CommonJS build, and fontkit and the rest, a second time.
 */
export function pdfkit(): Promise<PdfkitConstructor> {
  pdfkitClass ??= pdf(createElement(Document))
    .toBuffer()
    .then((stream) => {
      stream.resume();
      return stream.constructor as PdfkitConstructor;
    });
  return pdfkitClass;
}
