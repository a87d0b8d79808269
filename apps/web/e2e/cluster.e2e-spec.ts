import type { Browser } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
// The very cluster `npm run cluster` starts (tools/, in no Nx project) is what this test proves.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { Cluster, startCluster } from '../../../tools/cluster/cluster';
import { finalizable } from './support/api';
import { DEMO, launchBrowser, login, newPage, screenshot } from './support/browser';

/** Waits until the report's finalize job is completed, reading the database (no API is up). */
async function waitForJob(url: string, reportId: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const until = Date.now() + 40_000;
    while (Date.now() < until) {
      const { rows } = await c.query(`select state from jobs where subject_id = $1`, [reportId]);
      if (rows[0]?.state === 'completed') return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the finalize job of report ${reportId} did not complete`);
  } finally {
    await c.end();
  }
}

const ROOT = join(__dirname, '../../..');
const PG = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The SPA through nginx in front of two API processes (the built API, `npm run cluster`'s
 * shape on a throwaway PostgreSQL database). The API process holding the page's socket is killed;
 * the socket comes back through the other one, and the page catches up from the jobs API with
 * what finished while it was away.
 */
describe('the SPA on a cluster behind nginx', () => {
  let cluster: Cluster;
  let browser: Browser;
  let dir: string;
  const db = `e2e_cluster_${randomBytes(4).toString('hex')}`;
  const dbUrl = () => Object.assign(new URL(PG), { pathname: `/${db}` }).toString();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vetlab-e2e-cluster-'));
    cluster = await startCluster({
      root: ROOT,
      databaseUrl: dbUrl(),
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      dataDir: dir,
      entry: 'dist',
      storage: 's3',
      seed: true,
      env: {
        NODE_ENV: 'test',
        REDIS_PREFIX: `e2e-${db}`,
        JWT_SECRET: randomBytes(32).toString('hex'),
        PASSWORD_HASH_COST: 'low',
        LOGIN_RATE_LIMIT: '1000',
        JOB_LOCK_MS: '1500',
        JOB_STALLED_CHECK_MS: '500',
      },
      log: () => undefined,
    });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await cluster?.stop();
    const admin = new Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('kill the API process holding the socket: it reconnects through the other, and a report finished meanwhile shows as ready', async () => {
    const [a, b] = cluster.apis;
    const protocol = await finalizable(cluster.url);
    // The page's socket must land on A: B is down while it connects, and no worker runs yet.
    await Promise.all([b.stop(), ...cluster.workers.map((w) => w.stop())]);
    const { page, context } = await newPage(browser, cluster.url);
    const seen: string[] = [];
    page.on('response', (r) => r.url().includes('/api/jobs') && seen.push(`${r.status()} ${r.url()}`));
    page.on('websocket', (w) => seen.push(`ws ${w.url()}`));
    const scripts: string[] = [];
    page.on('response', (r) => /^\/assets\/.+\.js$/.test(new URL(r.url()).pathname) && scripts.push(r.headers()['content-encoding'] ?? 'none'));
    await login(page, DEMO.signer);
    // Through nginx too, the app's scripts arrive as the build's brotli copies.
    expect(scripts.length).toBeGreaterThan(0);
    expect([...new Set(scripts)]).toEqual(['br']);
    await page.goto(`/protocols/${protocol.id}?tab=report`);
    await page.waitForSelector('[data-testid="live-badge"][data-status="connected"]');
    await page.getByRole('button', { name: 'Finalizar informe' }).click();
    await page.getByText('Generando informe…').first().waitFor();

    // A, holding the socket, dies: with B down too the page cannot reconnect. The report is
    // rendered meanwhile; its report:ready goes to nobody.
    await a.crash();
    await page.waitForSelector('[data-testid="live-badge"]:not([data-status="connected"])');
    await cluster.workers[0].start();
    await waitForJob(dbUrl(), protocol.reportId);
    expect(await page.getByText('Informe listo').count()).toBe(0);
    // B comes up: the socket reconnects through nginx to B, and the page resyncs from the jobs API.
    await b.start();
    await page.waitForSelector('[data-testid="live-badge"][data-status="connected"]', { timeout: 30_000 }).catch(async (e: Error) => {
      await screenshot(page, 'cluster-failover-not-reconnected');
      throw new Error(`${e.message}\nbadge: ${await page.getAttribute('[data-testid="live-badge"]', 'data-status')}\n${b.output().slice(-3000)}\n${cluster.nginx.output().slice(-2000)}`);
    });
    await page.getByText('Informe listo').waitFor({ timeout: 15_000 }).catch(async (e: Error) => {
      await screenshot(page, 'cluster-failover-not-ready');
      throw new Error(`${e.message}\n${seen.join('\n')}\n${cluster.nginx.output().slice(-3000)}`);
    });
    await screenshot(page, 'cluster-report-ready-after-failover');
    expect(a.running()).toBe(false);
    await context.close();
  }, 90_000);
});
