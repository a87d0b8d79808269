import { finalizable } from './support/api';
import { DEMO, login, newPage, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

describe('a signer finalizes a report', () => {
  // API and worker as separate processes, so the test can hold the worker back.
  const env = useStackAndBrowser({ separateWorker: true });

  it('sees the progress toast, then "Informe listo", and opens the PDF in the viewer', async () => {
    const protocol = await finalizable(env.stack.url);
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.signer);
    await page.goto(`/protocols/${protocol.id}?tab=report`);
    await page.getByRole('button', { name: 'Finalizar informe' }).click();
    await page.getByText('Informe listo').waitFor({ timeout: 30_000 });
    await screenshot(page, 'signer-report-ready');
    // The lab sees the report's mails on the same page, each one sent.
    const mails = page.getByTestId('report-mails');
    // The panel's heading: until its list refreshes after the finalize it may still say that no mail was sent yet.
    await mails.getByRole('heading', { name: 'Correo' }).waitFor();
    // A row sent (not any text with "enviado" in it: the empty state says "no se ha enviado").
    await mails.locator('[data-testid="report-mail"][data-status="sent"]').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'signer-report-mails');
    await page.getByRole('button', { name: 'Ver PDF' }).first().click();
    await page.locator('iframe[src^="blob:"], object[data^="blob:"]').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'signer-pdf-viewer');
    await context.close();
  });

  it('a reload while the job waits still shows its progress, and the ready notice follows', async () => {
    const protocol = await finalizable(env.stack.url);
    await env.stack.stopWorker();
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.signer);
    await page.goto(`/protocols/${protocol.id}?tab=report`);
    await page.getByRole('button', { name: 'Finalizar informe' }).click();
    await page.getByText('Generando informe…').first().waitFor();
    // The job is queued with no worker: a reload resynchronises from the jobs API.
    await page.reload();
    await page.getByText('Generando informe…').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'signer-progress-after-reload');
    env.stack.startWorker();
    await page.getByText('Informe listo').waitFor({ timeout: 60_000 });
    await context.close();
  });
});
