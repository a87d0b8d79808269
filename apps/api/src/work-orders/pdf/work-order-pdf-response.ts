import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { writeJson } from '../../common/write-json';
import type { WorkOrderPdfAnswer } from './work-order-pdf.service';

/** Says whether an answer came from the PDF cache; a 202 is a miss. */
export const CACHE_HEADER = 'X-Cache';

/**
 * Writes a work-order PDF answer: the cached file streamed, a 304, or the 202 of its render job.
 * Node's response API only, so the hot route and the controller (Express's response) share it.
 */
export async function sendWorkOrderPdf(res: ServerResponse, answer: WorkOrderPdfAnswer): Promise<void> {
  if (answer.kind === 'rendering') {
    res.setHeader(CACHE_HEADER, 'miss');
    res.setHeader('Cache-Control', 'no-store');
    writeJson(res, 202, answer.body);
    return;
  }
  res.setHeader(CACHE_HEADER, 'hit');
  // Private (a vet's document), revalidated every time: the ETag makes that a 304, and an edit's
  // new version is never missed.
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('ETag', answer.etag);
  if (answer.modifiedAt) res.setHeader('Last-Modified', answer.modifiedAt.toUTCString());
  if (answer.kind === 'not-modified') {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
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
