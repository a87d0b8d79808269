import { PayloadTooLargeException } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SIGNATURE_MAX_BYTES } from '@vetlab/shared';

/** Content types an image may be uploaded as (what the bytes are is decided by their content). */
export const IMAGE_BODY_TYPES = ['image/png', 'image/jpeg', 'application/octet-stream'];

const LIMIT_KB = Math.round(SIGNATURE_MAX_BYTES / 1024);

/**
 * Raw image bodies as a Buffer, at most SIGNATURE_MAX_BYTES. A bigger one is read to its end and
 * dropped (answering mid-upload would reset the sender's connection before it reads the answer),
 * then refused with a 413 that says the limit.
 */
export function registerImageBodyParser(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().addContentTypeParser(IMAGE_BODY_TYPES, (_req, payload, done) => {
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= SIGNATURE_MAX_BYTES) chunks.push(chunk);
    });
    payload.on('error', (e) => done(e, undefined));
    payload.on('end', () => {
      if (size > SIGNATURE_MAX_BYTES) done(new PayloadTooLargeException(`body: an image may be at most ${LIMIT_KB} KB; this one is ${Math.ceil(size / 1024)} KB`), undefined);
      else done(null, Buffer.concat(chunks));
    });
  });
}
