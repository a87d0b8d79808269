import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Security headers on every response the HTTP server sends (API JSON, PDFs, CSV, the SPA, the
 * OpenAPI page), as an onRequest hook of Fastify's, so no route can skip them:
 * - a CSP that fits the SPA: its own scripts only, inline styles (Mantine sets style attributes),
 *   PDFs shown from blob: URLs in an iframe, socket.io on the same origin; never framed itself;
 * - nosniff, a strict referrer policy, no cross-origin opener;
 * - HSTS only when the request came over TLS (directly or through a trusted proxy): over plain
 *   HTTP the header would be ignored, and on localhost it would pin every other local app to https.
 */
export async function useSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet, {
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
    hsts: false,
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (req, reply) => {
      if (req.protocol === 'https') reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    });
}
