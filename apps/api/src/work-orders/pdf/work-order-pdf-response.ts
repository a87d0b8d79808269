import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { WorkOrderPdfAnswer } from './work-order-pdf.service';

/** Says whether an answer came from the PDF cache; a 202 is a miss. */
export const CACHE_HEADER = 'X-Cache';

/** Writes a work-order PDF answer: the cached file streamed, a 304, or the 202 of its render job. */
export async function sendWorkOrderPdf(res: Response, answer: WorkOrderPdfAnswer): Promise<void> {
  if (answer.kind === 'rendering') {
    res.setHeader(CACHE_HEADER, 'miss');
    res.setHeader('Cache-Control', 'no-store');
    res.status(202).json(answer.body);
    return;
  }
  res.setHeader(CACHE_HEADER, 'hit');
  // Private (a vet's document), revalidated every time: the ETag makes that a 304, and an edit's
  // new version is never missed.
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('ETag', answer.etag);
  if (answer.modifiedAt) res.setHeader('Last-Modified', answer.modifiedAt.toUTCString());
  if (answer.kind === 'not-modified') {
    res.status(304).end();
    return;
  }
  res.status(200);
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `inline; filename="${answer.filename}"`);
  if (answer.kind === 'bytes') {
    res.setHeader('Content-Length', String(answer.bytes.length));
    res.end(answer.bytes);
    return;
  }
  res.setHeader('Content-Length', String(answer.size));
  // A client that hangs up mid-download is not an error of ours.
  await pipeline(answer.stream, res).catch(() => res.destroy());
}
