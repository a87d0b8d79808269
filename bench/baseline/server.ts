/**
 * The old synchronous way, for the bench only (never a product route): the compiled API app (role
 * `all`, its queues paused so nothing runs in the background) plus three routes under
 * /api/bench-baseline that do all the work inside the request, calling the product's own services:
 *
 * - POST /api/bench-baseline/reports/:id/finalize: claim, render, store, status and mail outbox, then 200;
 * - GET  /api/bench-baseline/work-orders/:id/pdf: the work order's PDF rendered on every request;
 * - POST /api/bench-baseline/protocols/bulk: one transition after the other, then 200 with the counts;
 * - POST /api/bench-baseline/floor: the control for finalize's 202, a handler that only enqueues and
 *   answers (no token, no database), in a process like the API's.
 *
 * Started by the bench (bench/lib/baseline.ts) with the stack's environment (same database, JWT
 * secret and data folder, its own Redis prefix and port); prints nothing until it is healthy.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import type { Request, Response } from 'express';

const dist = join(__dirname, '../../dist/api/apps/api/src');
const load = (path: string) => require(join(dist, path));

interface LoadedWorkOrder {
  protocol: { clinic: { id: string; name: string }; vet: { name: string } | null };
}

interface User {
  id: string;
  role: string;
  signer: boolean;
  clinicId: string | null;
}

async function main() {
  const { loadConfig } = load('config/app-config.js');
  const { createHttpApp } = load('bootstrap.js');
  const { getQueueToken } = require('@nestjs/bull');
  const { QueueName } = load('jobs/queues.js');
  const { UserLookupService } = load('auth/user-lookup.service.js');
  const { authenticate } = load('auth/jwt-auth.guard.js');
  const { HttpExceptionFilter } = load('common/http-exception.filter.js');
  const { FinalizeRequestService } = load('reports/finalize/finalize-request.service.js');
  const { ReportPipelineService } = load('reports/finalize/report-pipeline.service.js');
  const { ProtocolTransitionsService, TransitionRefusedError } = load('protocols/protocol-transitions.service.js');
  const { RenderPoolService } = load('pdf/render-pool.service.js');
  const { WorkOrder } = load('work-orders/work-order.entity.js');
  const { workOrderPdfContent } = load('work-orders/pdf/work-order-pdf-content.js');
  const { EntityManager } = require('@mikro-orm/core');

  // As `main serve` does: a local pause closes Bull's blocking connections, whose pending command
  // then rejects with nobody listening.
  load('common/redis-rejection-guard.js').installRedisRejectionGuard();
  const config = loadConfig(process.env, 'all');
  const app = await createHttpApp(config);
  const get = <T>(token: unknown): T => app.get(token, { strict: false });
  const users = get<{ fromToken(t: string | null): Promise<User | null> }>(UserLookupService);
  const finalizeRequest = get<{ claim(u: User, id: string): Promise<{ job: { id: string }; data: unknown }> }>(FinalizeRequestService);
  const pipeline = get<{ finalize(data: unknown, ctx: unknown): Promise<{ pages: number | null }> }>(ReportPipelineService);
  const transitions = get<{ transition(actor: string, id: string, action: string, opts: object): Promise<unknown> }>(ProtocolTransitionsService);
  const renderer = get<{ start(): Promise<void>; render(r: object): Promise<{ pdf: Buffer; pages: number }> }>(RenderPoolService);
  const em = get<{ fork(): { findOne(e: unknown, w: object, o: object): Promise<LoadedWorkOrder | null> } }>(EntityManager);

  // The same event-loop probe as the stack's API process (BENCH_EVENT_LOOP_PORT).
  require('../lib/event-loop-probe.cjs');

  // The guard's own steps and refusals (401, 403), answered in the product's error body.
  const user = (req: Request, rule: { roles?: string[]; signerOnly?: boolean } = {}): Promise<User> => authenticate(users, req.headers.authorization, rule);
  const errors = new HttpExceptionFilter();
  const route = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => fn(req, res).catch((e: unknown) => errors.send(e, req, res));
  const http = app.getHttpAdapter().getInstance();
  const base = '/api/bench-baseline';

  http.post(
    `${base}/reports/:id/finalize`,
    route(async (req, res) => {
      const u = await user(req, { signerOnly: true });
      // The product's claim (read, checks, atomic claim with its job record and audit entry), then
      // the job's whole pipeline in the request: render, store, status, outbox.
      const { job, data } = await finalizeRequest.claim(u, String(req.params.id));
      const ctx = { jobId: job.id, attempt: 1, createdById: u.id, stage: async () => undefined };
      const result = await pipeline.finalize(data, ctx);
      res.status(200).json({ reportId: req.params.id, pages: result.pages });
    }),
  );

  http.get(
    `${base}/work-orders/:id/pdf`,
    route(async (req, res) => {
      const u = await user(req);
      const wo = await em.fork().findOne(WorkOrder, { id: String(req.params.id) }, { populate: ['protocol.clinic', 'protocol.vet'] });
      if (!wo || (u.role === 'vet' && wo.protocol.clinic.id !== u.clinicId)) return void res.status(404).json({ message: 'work order not found' });
      const p = wo.protocol;
      const rendered = await renderer.render({ document: 'work-order', data: workOrderPdfContent(wo, p, p.clinic.name, p.vet?.name ?? null) });
      res.status(200).setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Length', String(rendered.pdf.length));
      res.end(rendered.pdf);
    }),
  );

  http.post(
    `${base}/protocols/bulk`,
    route(async (req, res) => {
      const u = await user(req, { roles: ['admin', 'staff'] });
      const body = req.body as { action: string; ids: string[]; reason?: string };
      const counts = { succeeded: 0, skipped: 0, failed: 0 };
      for (const id of body.ids) {
        try {
          await transitions.transition(u.id, id, body.action, { reason: body.reason });
          counts.succeeded++;
        } catch (e) {
          if (e instanceof TransitionRefusedError) counts.skipped++;
          else counts.failed++;
        }
      }
      res.status(200).json(counts);
    }),
  );

  // The floor under finalize's 202: Express, one Bull add, the answer. Nothing of ours can be cheaper.
  const floorQueue = get<{ add(name: string, data: object, opts: object): Promise<{ id: string | number }> }>(getQueueToken(QueueName.Reports));
  http.post(
    `${base}/floor`,
    route(async (_req, res) => {
      const job = await floorQueue.add('bench-floor', {}, { removeOnComplete: true });
      res.status(202).json({ jobId: String(job.id) });
    }),
  );

  // Nothing in the background: every queue of this process is paused locally (its Redis prefix is
  // its own, so nobody else enqueues there either).
  await app.init();
  for (const name of Object.values(QueueName) as string[]) {
    const queue = get<{ pause(local: boolean, doNotWait: boolean): Promise<void> }>(getQueueToken(name));
    await queue.pause(true, true);
  }
  await renderer.start();
  await app.listen(config.port, config.host);

  // It runs in its own process group: if the bench dies without stopping it (Ctrl-C), it goes too.
  const bench = Number(process.env.BENCH_PARENT_PID);
  if (bench) {
    setInterval(() => {
      try {
        process.kill(bench, 0);
      } catch {
        void app.close().finally(() => process.exit(0));
      }
    }, 1000).unref();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
