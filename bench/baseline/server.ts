/**
 * The old synchronous way, for the bench only (never a product route): the compiled API app (role
 * `all`, its queues paused so nothing runs in the background) plus three routes under
 * /api/bench-baseline that do all the work inside the request, calling the product's own services:
 *
 * - POST /api/bench-baseline/reports/:id/finalize: claim, render, store, status, the e-mails sent, then 200;
 * - GET  /api/bench-baseline/work-orders/:id/pdf: the work order's PDF rendered on every request;
 * - POST /api/bench-baseline/protocols/bulk: one transition after the other, then 200 with the counts;
 * - POST /api/bench-baseline/floor: the control for finalize's 202, a handler that only enqueues and
 *   answers (no token, no database), in a process like the API's.
 *
 * Started by the bench (bench/lib/baseline.ts) with the stack's environment (same database, JWT
 * secret and data folder, its own Redis prefix and port); prints nothing until it is healthy.
 */
import 'reflect-metadata';
import type { FastifyRequest } from 'fastify';
import { QueueName } from '@vetlab/shared';
import { compiledApi } from '../lib/api';

type Api = {
  config: typeof import('../../apps/api/src/config/app-config');
  bootstrap: typeof import('../../apps/api/src/bootstrap');
  users: typeof import('../../apps/api/src/auth/user-lookup.service');
  guard: typeof import('../../apps/api/src/auth/jwt-auth.guard');
  finalize: typeof import('../../apps/api/src/reports/finalize/finalize-request.service');
  pipeline: typeof import('../../apps/api/src/reports/finalize/report-pipeline.service');
  transitions: typeof import('../../apps/api/src/protocols/protocol-transitions.service');
  renderPool: typeof import('../../apps/api/src/pdf/render-pool.service');
  workOrder: typeof import('../../apps/api/src/work-orders/work-order.entity');
  content: typeof import('../../apps/api/src/work-orders/pdf/work-order-pdf-content');
  access: typeof import('../../apps/api/src/protocols/protocol-access');
  errors: typeof import('../../apps/api/src/common/domain-error');
  outbox: typeof import('../../apps/api/src/mail/outbox.repository');
  delivery: typeof import('../../apps/api/src/mail/mail-delivery.service');
  records: typeof import('../../apps/api/src/jobs/job-records.repository');
};

async function main() {
  const { loadConfig } = compiledApi<Api['config']>('config/app-config');
  const { createHttpApp } = compiledApi<Api['bootstrap']>('bootstrap');
  const { UserLookupService } = compiledApi<Api['users']>('auth/user-lookup.service');
  const { authenticate } = compiledApi<Api['guard']>('auth/jwt-auth.guard');
  const { FinalizeRequestService } = compiledApi<Api['finalize']>('reports/finalize/finalize-request.service');
  const { ReportPipelineService } = compiledApi<Api['pipeline']>('reports/finalize/report-pipeline.service');
  const { ProtocolTransitionsService, TransitionRefusedError } = compiledApi<Api['transitions']>('protocols/protocol-transitions.service');
  const { RenderPoolService } = compiledApi<Api['renderPool']>('pdf/render-pool.service');
  const { WorkOrder } = compiledApi<Api['workOrder']>('work-orders/work-order.entity');
  const { workOrderPdfContent } = compiledApi<Api['content']>('work-orders/pdf/work-order-pdf-content');
  const { canSeeClinic } = compiledApi<Api['access']>('protocols/protocol-access');
  const { notFound } = compiledApi<Api['errors']>('common/domain-error');
  const { OutboxRepository } = compiledApi<Api['outbox']>('mail/outbox.repository');
  const { MailDeliveryService } = compiledApi<Api['delivery']>('mail/mail-delivery.service');
  const { JobRecordsRepository } = compiledApi<Api['records']>('jobs/job-records.repository');
  // Nest's and MikroORM's own classes: the same package instances the build resolves.
  const { getQueueToken } = require('@nestjs/bull') as typeof import('@nestjs/bull');
  const { EntityManager } = require('@mikro-orm/core') as typeof import('@mikro-orm/core');

  // As `main serve` does: a local pause closes Bull's blocking connections, whose pending command
  // then rejects with nobody listening.
  compiledApi<typeof import('../../apps/api/src/common/redis-rejection-guard')>('common/redis-rejection-guard').installRedisRejectionGuard();
  const config = loadConfig(process.env, 'all');
  const app = await createHttpApp(config);
  const users = app.get(UserLookupService, { strict: false });
  const finalizeRequest = app.get(FinalizeRequestService, { strict: false });
  const pipeline = app.get(ReportPipelineService, { strict: false });
  const transitions = app.get(ProtocolTransitionsService, { strict: false });
  const renderer = app.get(RenderPoolService, { strict: false });
  const em = app.get(EntityManager, { strict: false });
  const outbox = app.get(OutboxRepository, { strict: false });
  const delivery = app.get(MailDeliveryService, { strict: false });
  const records = app.get(JobRecordsRepository, { strict: false });

  // The same event-loop probe as the stack's API process (BENCH_EVENT_LOOP_PORT).
  require('../lib/event-loop-probe.cjs');

  // The guard's own steps and refusals (401, 403); whatever a route throws is answered by the
  // product's exception filter (Nest's error handler on the Fastify instance).
  const user = (req: FastifyRequest, rule: { roles?: ('admin' | 'staff' | 'vet')[]; signerOnly?: boolean } = {}) =>
    authenticate(users, req.headers.authorization, { signerOnly: false, ...rule });
  const http = app.getHttpAdapter().getInstance();
  const base = '/api/bench-baseline';
  type IdRequest = FastifyRequest<{ Params: { id: string } }>;

  http.post(`${base}/reports/:id/finalize`, async (req: IdRequest, reply) => {
    const u = await user(req, { signerOnly: true });
    // The product's claim (read, checks, atomic claim with its job record and audit entry), then
    // the job's whole pipeline in the request: render, store, status, outbox.
    const { job, data } = await finalizeRequest.claim(u, req.params.id);
    const ctx = { jobId: job.id, attempt: 1, lastAttempt: true, createdById: u.id, stage: async () => undefined };
    const result = await pipeline.finalize(data, ctx);
    // The old way sent the report's e-mails before it answered, one after the other, through the
    // product's own sender (the same claim, compose and SMTP as a mail job). Then the record says
    // completed, as the job's would: no sweeper later finds this claim's job or mails unfinished.
    for (const mail of await outbox.ofReportVersion(em.fork(), data.reportId, result.version)) {
      if (mail.status === 'pending') await delivery.deliver(mail.id);
    }
    await records.complete(em.fork(), job.id, null, { stage: null, stages: null, result });
    return reply.status(200).send({ reportId: req.params.id, pages: result.pages });
  });

  http.get(`${base}/work-orders/:id/pdf`, async (req: IdRequest, reply) => {
    const u = await user(req);
    const wo = await em.fork().findOne(WorkOrder, { id: req.params.id }, { populate: ['protocol.clinic', 'protocol.vet'] });
    if (!wo || !canSeeClinic(u, wo.protocol.clinic.id)) throw notFound('work order');
    const p = wo.protocol;
    const rendered = await renderer.render({ document: 'work-order', data: workOrderPdfContent(wo, p, p.clinic, p.vet?.name ?? null) });
    return reply.status(200).header('Content-Type', 'application/pdf').send(Buffer.from(rendered.pdf));
  });

  http.post(`${base}/protocols/bulk`, async (req: FastifyRequest<{ Body: { action: string; ids: string[]; reason?: string } }>, reply) => {
    const u = await user(req, { roles: ['admin', 'staff'] });
    const counts = { succeeded: 0, skipped: 0, failed: 0 };
    for (const id of req.body.ids) {
      try {
        await transitions.transition(u.id, id, req.body.action as Parameters<typeof transitions.transition>[2], { reason: req.body.reason });
        counts.succeeded++;
      } catch (e) {
        if (e instanceof TransitionRefusedError) counts.skipped++;
        else counts.failed++;
      }
    }
    return reply.status(200).send(counts);
  });

  // The floor under finalize's 202: the HTTP server, one Bull add, the answer. Nothing of ours can be cheaper.
  const floorQueue = app.get<import('bull').Queue>(getQueueToken(QueueName.Reports), { strict: false });
  http.post(`${base}/floor`, async (_req, reply) => {
    const job = await floorQueue.add('bench-floor', {}, { removeOnComplete: true });
    return reply.status(202).send({ jobId: String(job.id) });
  });

  // Nothing in the background: every queue of this process is paused locally (its Redis prefix is
  // its own, so nobody else enqueues there either).
  await app.init();
  for (const name of Object.values(QueueName)) {
    const queue = app.get<import('bull').Queue>(getQueueToken(name), { strict: false });
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
