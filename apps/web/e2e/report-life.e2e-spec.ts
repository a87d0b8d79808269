import type { FinalizeAccepted, JobView, ProtocolDetail, ReportView } from '@vetlab/shared';
import { execFileSync } from 'node:child_process';
import { apiGet, apiLogin, apiPost, listProtocols } from './support/api';
import { DEMO, login, newPage, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

const AMEND_REASON = 'La glucosa se transcribió mal desde el analizador; se corrige.';
const ANNUL_REASON = 'La muestra pertenecía a otro paciente: tubo mal etiquetado.';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A protocol of the demo vet's clinic, finalized through the API (the `skip`-th complete draft found). */
async function finalizedOfVetClinic(url: string, skip: number): Promise<ProtocolDetail> {
  const [admin, vet, signer] = await Promise.all([apiLogin(url, DEMO.admin), apiLogin(url, DEMO.vet), apiLogin(url, DEMO.signer)]);
  const list = await listProtocols(url, vet.accessToken, 'status=in_analysis&pageSize=100');
  let found = 0;
  for (const p of list.items) {
    const detail = await apiGet<ProtocolDetail>(url, admin.accessToken, `/protocols/${p.id}`);
    const report = await apiGet<ReportView>(url, admin.accessToken, `/reports/${detail.reportId}`);
    if (report.versions[0]?.status !== 'draft' || !report.versions[0].complete || found++ !== skip) continue;
    const accepted = await apiPost<FinalizeAccepted>(url, signer.accessToken, `/reports/${detail.reportId}/finalize`);
    for (let i = 0; i < 240; i++) {
      const job = await apiGet<JobView>(url, signer.accessToken, `/jobs/${accepted.jobId}`);
      if (job.state === 'completed') return detail;
      if (job.state === 'failed') throw new Error(`finalize failed: ${job.failedReason}`);
      await sleep(250);
    }
    throw new Error('finalize did not finish');
  }
  throw new Error('no fully resulted draft of the demo vet’s clinic');
}

describe('a report’s life in the browser: correct and annul', () => {
  const env = useStackAndBrowser();

  it('a signer corrects a finalized report with a reason and finalizes the new version', async () => {
    const protocol = await finalizedOfVetClinic(env.stack.url, 0);
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.signer);
    await page.goto(`/protocols/${protocol.id}?tab=report`);
    await page.getByTestId('amend-report').click();
    // The shared schema refuses a short reason before anything is sent.
    await page.getByTestId('life-reason').fill('corto');
    await page.getByTestId('amend-confirm').click();
    await page.getByText('Indique un motivo de 10 a 500 caracteres.').waitFor();
    await page.getByTestId('life-reason').fill(AMEND_REASON);
    await screenshot(page, 'signer-amend-modal');
    await page.getByTestId('amend-confirm').click();
    // The new draft opens for result entry; its reason is kept.
    await page.getByText('Versión 2 abierta en borrador').waitFor();
    await page.locator('[data-testid="report-version"][data-version="2"]').getByText('Borrador').waitFor();
    await page.getByRole('button', { name: 'Finalizar informe' }).click();
    await page.getByText('Informe listo').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="report-version"][data-version="1"]').getByText('Sustituida por la versión 2').waitFor({ timeout: 20_000 });
    await screenshot(page, 'signer-amended-report');
    await context.close();

    // The clinic's vet hears of it in the app: the notice leads to the report, where version 2 is
    // current and version 1 is stamped as replaced.
    const vet = await newPage(env.browser, env.stack.url);
    await login(vet.page, DEMO.vet);
    await vet.page.getByTestId('notices-bell').click();
    const notice = vet.page.getByTestId('notices-panel').getByTestId('notice-item').filter({ hasText: `Informe de ${protocol.code} corregido: nueva versión 2` });
    await notice.waitFor({ timeout: 20_000 });
    await screenshot(vet.page, 'vet-correction-notice');
    await notice.getByTestId('notice-open').click();
    await vet.page.waitForURL(new RegExp(`/protocols/${protocol.id}`));
    await vet.page.locator('[data-testid="report-version"][data-version="2"]').waitFor({ timeout: 20_000 });
    await vet.page.locator('[data-testid="report-version"][data-version="1"]').getByText('Sustituida por la versión 2').waitFor();
    await screenshot(vet.page, 'vet-corrected-report');
    await vet.context.close();
  });

  it('a signer annuls a version; the vet still sees it, stamped, and its PDF carries ANULADO / VOID', async () => {
    const protocol = await finalizedOfVetClinic(env.stack.url, 1);
    const signerPage = await newPage(env.browser, env.stack.url);
    const page = signerPage.page;
    await login(page, DEMO.signer);
    await page.goto(`/protocols/${protocol.id}?tab=report`);
    await page.getByTestId('annul-report').click();
    await page.getByTestId('life-reason').fill(ANNUL_REASON);
    await screenshot(page, 'signer-annul-modal');
    await page.getByTestId('annul-confirm').click();
    await page.getByTestId('stamp-annulled').waitFor();
    await page.getByTestId('version-annulled').waitFor();
    await screenshot(page, 'signer-annulled-report');
    await signerPage.context.close();

    const { page: vetPage, context } = await newPage(env.browser, env.stack.url);
    await login(vetPage, DEMO.vet);
    await vetPage.goto(`/protocols/${protocol.id}?tab=report`);
    await vetPage.getByTestId('stamp-annulled').waitFor();
    await vetPage.getByText(ANNUL_REASON).first().waitFor();
    await vetPage.getByRole('button', { name: 'Ver PDF' }).first().click();
    await vetPage.locator('iframe[src^="blob:"], object[data^="blob:"]').first().waitFor({ timeout: 60_000 });
    await screenshot(vetPage, 'vet-annulled-pdf');
    await context.close();

    // What the vet downloads: the stamped PDF, the mark and the reason on every page.
    const vet = await apiLogin(env.stack.url, DEMO.vet);
    let pdf: Buffer | null = null;
    for (let i = 0; i < 240 && !pdf; i++) {
      const res = await fetch(`${env.stack.url}/api/reports/${protocol.reportId}/versions/1/pdf`, { headers: { Authorization: `Bearer ${vet.accessToken}` } });
      if (res.status === 200) pdf = Buffer.from(await res.arrayBuffer());
      else await sleep(250);
    }
    expect(pdf).not.toBeNull();
    const pages = execFileSync('pdftotext', ['-raw', '-', '-'], { input: pdf!, encoding: 'utf8' })
      .split('\f')
      .filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(0);
    for (const text of pages) {
      expect(text).toContain('ANULADO / VOID');
      expect(text.replace(/\s+/g, ' ')).toContain(`Motivo: ${ANNUL_REASON}`);
    }
  });
});
