import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { PdfAnswer } from './report-pdf.service';

/** Writes a PDF answer: the file streamed with its ETag, a 304, or the 202 of a render job. */
export async function sendPdf(res: Response, answer: PdfAnswer): Promise<void> {
  if (answer.kind === 'rendering') {
    res.status(202).json(answer.body);
    return;
  }
  // Revalidate every time: the ETag turns it into a 304, and a re-rendered file is never missed.
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('ETag', answer.etag);
  if (answer.kind === 'not-modified') {
    res.status(304).end();
    return;
  }
  res.status(200);
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Length', String(answer.size));
  res.setHeader('Content-Disposition', `inline; filename="${answer.filename}"`);
  // A client that hangs up mid-download is not an error of ours.
  await pipeline(answer.stream, res).catch(() => res.destroy());
}
