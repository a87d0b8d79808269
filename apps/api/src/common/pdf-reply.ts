import type { FastifyReply } from 'fastify';
import type { OpenedFile } from '../storage/file-storage';

/** A stored PDF answer: the file, a 304 for the client's copy, or the 202 of the job rendering it. */
export type PdfAnswer<Accepted> =
  | { kind: 'file'; file: OpenedFile; etag: string; filename: string }
  | { kind: 'not-modified'; etag: string }
  | { kind: 'rendering'; body: Accepted };

/** Says whether an answer came from the stored PDFs; a 202 is a miss. */
export const CACHE_HEADER = 'X-Cache';

/**
 * Status and headers of a PDF answer on the reply; returns the body for Nest to send (the bytes
 * when the storage holds them in memory, else the stream; nothing for a 304).
 */
export function pdfReply<Accepted>(reply: FastifyReply, answer: PdfAnswer<Accepted>): Accepted | Buffer | OpenedFile['stream'] | undefined {
  if (answer.kind === 'rendering') {
    reply.status(202).header(CACHE_HEADER, 'miss').header('Cache-Control', 'no-store');
    return answer.body;
  }
  // Private (a vet's document), revalidated every time: the ETag makes that a 304, and a new
  // version or a re-rendered file is never missed.
  reply.header(CACHE_HEADER, 'hit').header('Cache-Control', 'private, no-cache').header('ETag', answer.etag);
  if (answer.kind === 'not-modified') {
    reply.status(304);
    return undefined;
  }
  const { file } = answer;
  reply
    .status(200)
    .header('Last-Modified', file.modifiedAt.toUTCString())
    .header('Content-Type', 'application/pdf')
    .header('Content-Disposition', `inline; filename="${answer.filename}"`)
    .header('Content-Length', String(file.size));
  return file.bytes ?? file.stream;
}

/** `If-None-Match` may list several tags, weak ones too, or `*`. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
