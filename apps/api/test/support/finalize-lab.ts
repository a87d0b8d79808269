import { FinalizeAccepted, ProtocolDetail } from '@vetlab/shared';
import { Panel } from '../../src/catalogue/panel.entity';
import { bearer, tokenFor } from './auth';
import { createBigPanel } from './big-panel';
import { Fixtures, seedFixtures } from './fixtures';
import { protocolBody, submitProtocol } from './protocols';
import { fillDraft } from './reports';
import { startSmtp, TestSmtp } from './smtp';
import { createTestApp, TestApp } from './test-app';
import { WorkerFleet } from './worker-process';

/**
 * A lab for finalize tests with real worker processes: the API here (role api: it only enqueues),
 * a real SMTP server, the fixtures and their people's tokens, a panel big enough for a report of
 * about twenty pages (a render long enough to freeze a worker in), and a fleet the test starts
 * workers in.
 */
export interface FinalizeLab {
  t: TestApp;
  f: Fixtures;
  smtp: TestSmtp;
  big: Panel;
  tok: { signer: string; staff: string; vetA: string };
  fleet: WorkerFleet;
  close(): Promise<void>;
}

export async function startFinalizeLab(env: Record<string, string>): Promise<FinalizeLab> {
  const smtp = await startSmtp();
  const t = await createTestApp({ SMTP_URL: smtp.url, ...env }, 'api');
  const f = await seedFixtures(t.em());
  const [signer, staff, vetA] = await Promise.all([f.signer, f.staff, f.vetA].map((u) => tokenFor(t, u)));
  const big = await createBigPanel(t.em());
  const fleet = new WorkerFleet(() => t.env);
  const close = async () => {
    await fleet.killAll();
    await t.close();
    await smtp.close();
  };
  return { t, f, smtp, big, tok: { signer, staff, vetA }, fleet, close };
}

/** A protocol with the big panel, received, analysed and every result typed; its finalize requested. */
export async function finalizeBigReport(lab: FinalizeLab): Promise<{ protocol: ProtocolDetail; jobId: string }> {
  const { t, f, tok } = lab;
  const protocol = await submitProtocol(t, tok.vetA, protocolBody(f, { panelIds: [f.panels.cbc.id, lab.big.id] }));
  await t.http().post(`/api/protocols/${protocol.id}/receive`).set(bearer(tok.staff)).send({}).expect(200);
  await t.http().post(`/api/protocols/${protocol.id}/start-analysis`).set(bearer(tok.staff)).send({}).expect(200);
  await fillDraft(t, tok.staff, protocol.reportId);
  const { jobId } = (await t.http().post(`/api/reports/${protocol.reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
  return { protocol, jobId };
}
