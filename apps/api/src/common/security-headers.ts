import helmet from 'helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Security headers on every response the HTTP server sends (API JSON, PDFs, CSV, the SPA, the
 * OpenAPI page), set by one onRequest hook of Fastify's, so no route can skip them:
 * - a CSP that fits the SPA: its own scripts only, inline styles (Mantine sets style attributes),
 *   PDFs shown from blob: URLs in an iframe, socket.io on the same origin; never framed itself;
 * - nosniff, a strict referrer policy, no cross-origin opener;
 * - HSTS only when the request came over TLS (directly or through a trusted proxy): over plain
 *   HTTP the header would be ignored, and on localhost it would pin every other local app to https.
 * helmet's middleware is built once here: @fastify/helmet builds it again on every request (its
 * CSP directives parsed each time), a cost a profile of cached PDF opens showed.
 */
export function useSecurityHeaders(app: NestFastifyApplication): void {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: false,
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (req, reply, done) => {
      if (req.protocol === 'https') reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
      headers(req.raw, reply.raw, (e?: unknown) => done(e as Error | undefined));
    });
}
