import { getQueueToken } from '@nestjs/bull';
import { QueueName, ReportJobStage, WorkOrderPdfAccepted, WorkOrderPdfJobResult } from '@vetlab/shared';
import type { Queue } from 'bull';
import { readdirSync, readFileSync, Stats, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JobContext } from '../../src/jobs/jobs.service';
import { SupersededRunError } from '../../src/jobs/superseded-run-error';
import { LocalFileStorage } from '../../src/storage/local-file-storage';
import { WorkOrderPdf } from '../../src/work-orders/pdf/work-order-pdf.entity';
import { WorkOrderPdfPipelineService } from '../../src/work-orders/pdf/work-order-pdf-pipeline.service';
import { WorkOrderPdfRepository } from '../../src/work-orders/pdf/work-order-pdf.repository';
import { tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { getRaw, sha256 } from '../support/pdf-http';
import { protocolBody, submitProtocol } from '../support/protocols';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Two runs of one work-order render job, driven in this process: the stale run is held at one of
 * its stages while a newer run of the same job takes the row over and finishes; then the stale
 * run goes on, against the real database, storage and render pool.
 */
describe('work-order renders are fenced: a run that lost its token writes nothing', () => {
  let t: TestApp;
  let f: Fixtures;
  let vetA: string;

  beforeAll(async () => {
    t = await createTestApp({ WORK_ORDER_PDF_PRERENDER: 'false' });
    f = await seedFixtures(t.em());
    vetA = await tokenFor(t, f.vetA);
    // This process's worker takes no render job: the test runs them itself.
    await t.app.get<Queue>(getQueueToken(QueueName.WorkOrderPdfs)).pause(true);
  });
  afterAll(() => t?.close());

  const context = (jobId: string, stage: JobContext['stage']): JobContext => ({ jobId, attempt: 1, lastAttempt: false, createdById: null, stage });

  it.each([
    // Held before rendering: after it, it finds the newer token and stops before storing.
    [ReportJobStage.Rendering],
    // Held after its last check, before storing: the newer run's file is there, with the same bytes;
    // the stale run leaves it as it is and its checkpoint does not take.
    [ReportJobStage.Storing],
  ])('the stale run held at %s leaves the newer run its file and row', async (heldAt) => {
    const p = await submitProtocol(t, vetA, protocolBody(f, { panelIds: [f.panels.cbc.id, f.panels.chem.id] }));
    const opened = await getRaw(t, `/api/work-orders/${p.workOrderId}/pdf`, vetA);
    expect(opened.status).toBe(202);
    const { jobId } = opened.json<WorkOrderPdfAccepted>();
    const pipeline = t.app.get(WorkOrderPdfPipelineService);
    const data = { workOrderId: p.workOrderId, version: 1 };
    const path = LocalFileStorage.forConfig(t.config).pathOf(`work-orders/${p.workOrderId}/v1.pdf`);

    let newer: WorkOrderPdfJobResult | undefined;
    let whenNewerDone: { stat: Stats; row: WorkOrderPdf } | undefined;
    const stale = pipeline.render(
      data,
      context(jobId, async (stage) => {
        if (stage !== heldAt || newer) return;
        newer = await pipeline.render(data, context(jobId, async () => undefined), 'interactive');
        whenNewerDone = { stat: statSync(path), row: await t.em().findOneOrFail(WorkOrderPdf, { workOrder: p.workOrderId, contentVersion: 1 }) };
      }),
      'background',
    );
    await expect(stale).rejects.toThrow(SupersededRunError);

    const row = await t.em().findOneOrFail(WorkOrderPdf, { workOrder: p.workOrderId, contentVersion: 1 });
    expect(row.sha256).toBe(newer?.sha256);
    expect([row.runToken, row.storageKey, row.size, row.renderedAt?.toISOString()]).toEqual([
      whenNewerDone?.row.runToken,
      whenNewerDone?.row.storageKey,
      whenNewerDone?.row.size,
      whenNewerDone?.row.renderedAt?.toISOString(),
    ]);
    const stat = statSync(path);
    expect([stat.ino, stat.mtimeMs]).toEqual([whenNewerDone?.stat.ino, whenNewerDone?.stat.mtimeMs]);
    expect(sha256(readFileSync(path))).toBe(row.sha256);
    expect(readdirSync(dirname(path))).toEqual(['v1.pdf']);
  }, 60_000);

  it('an open that read the row just before its job stored the file cannot give the version to a second job', async () => {
    // The race a cluster test met: open B reads the row (job J, no file yet); J stores its file and
    // completes; B then finds J no longer active and asks for the row with J's id, to start a new job.
    const p = await submitProtocol(t, vetA, protocolBody(f, { panelIds: [f.panels.cbc.id, f.panels.chem.id] }));
    const opened = await getRaw(t, `/api/work-orders/${p.workOrderId}/pdf`, vetA);
    expect(opened.status).toBe(202);
    const { jobId } = opened.json<WorkOrderPdfAccepted>();
    const seen = await t.em().findOneOrFail(WorkOrderPdf, { workOrder: p.workOrderId, contentVersion: 1 });
    expect([seen.jobId, seen.storageKey]).toEqual([jobId, null]);

    const done = await t.app.get(WorkOrderPdfPipelineService).render({ workOrderId: p.workOrderId, version: 1 }, context(jobId, async () => undefined), 'interactive');
    const pdfs = t.app.get(WorkOrderPdfRepository);
    expect(await pdfs.claimForJob(t.em(), seen.id, seen.jobId, '00000000-0000-4000-8000-00000000b0b0', false)).toBe(false);
    const row = await t.em().findOneOrFail(WorkOrderPdf, { id: seen.id });
    expect([row.jobId, row.sha256]).toEqual([jobId, done.sha256]);
    // A file that has gone missing is still rendered again from the same read.
    expect(await pdfs.claimForJob(t.em(), seen.id, seen.jobId, '00000000-0000-4000-8000-00000000b0b1', true)).toBe(true);
  }, 60_000);
});
