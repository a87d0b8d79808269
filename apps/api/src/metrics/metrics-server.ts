import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Metrics } from './metrics.service';

/** Whether an Authorization header carries the bearer token (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * This process's Prometheus listener (METRICS_PORT on METRICS_HOST): a port of its own, apart from
 * the API's, so the metrics are reachable from a worker that serves no HTTP and never through the
 * public proxy. It answers GET /metrics only, behind METRICS_TOKEN when one is set.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Metrics');
  private server: Server | null = null;

  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap() {
    const { port, host } = this.config.metrics;
    if (port == null) return;
    const server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.log.log(`metrics on http://${host}:${this.address()?.port}/metrics`);
    if (!this.config.metrics.token && !isLoopback(host)) this.log.warn(`metrics listen on ${host} without METRICS_TOKEN: anyone who reaches that address can read them`);
  }

  async onApplicationShutdown() {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Where it listens (null when METRICS_PORT is unset). */
  address(): AddressInfo | null {
    return (this.server?.address() as AddressInfo | null) ?? null;
  }

  private async answer(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') return end(res, 404, 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return end(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    const token = this.config.metrics.token;
    if (token && !bearerMatches(req.headers.authorization, token)) {
      return end(res, 401, 'a bearer token is required\n', { 'WWW-Authenticate': 'Bearer realm="metrics"' });
    }
    try {
      const body = await this.metrics.scrape();
      end(res, 200, req.method === 'HEAD' ? '' : body, { 'Content-Type': this.metrics.contentType });
    } catch (e) {
      this.log.warn(`scrape failed: ${(e as Error)?.message ?? e}`);
      end(res, 500, 'scrape failed\n');
    }
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function end(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}
